/******/ (function(modules) { // webpackBootstrap
/******/ 	// The module cache
/******/ 	var installedModules = {};
/******/
/******/ 	// The require function
/******/ 	function __webpack_require__(moduleId) {
/******/
/******/ 		// Check if module is in cache
/******/ 		if(installedModules[moduleId]) {
/******/ 			return installedModules[moduleId].exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = installedModules[moduleId] = {
/******/ 			i: moduleId,
/******/ 			l: false,
/******/ 			exports: {}
/******/ 		};
/******/
/******/ 		// Execute the module function
/******/ 		modules[moduleId].call(module.exports, module, module.exports, __webpack_require__);
/******/
/******/ 		// Flag the module as loaded
/******/ 		module.l = true;
/******/
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/
/******/ 	// expose the modules object (__webpack_modules__)
/******/ 	__webpack_require__.m = modules;
/******/
/******/ 	// expose the module cache
/******/ 	__webpack_require__.c = installedModules;
/******/
/******/ 	// define getter function for harmony exports
/******/ 	__webpack_require__.d = function(exports, name, getter) {
/******/ 		if(!__webpack_require__.o(exports, name)) {
/******/ 			Object.defineProperty(exports, name, { enumerable: true, get: getter });
/******/ 		}
/******/ 	};
/******/
/******/ 	// define __esModule on exports
/******/ 	__webpack_require__.r = function(exports) {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__webpack_require__.n = function(module) {
/******/ 		var getter = module && module.__esModule ?
/******/ 			function getDefault() { return module['default']; } :
/******/ 			function getModuleExports() { return module; };
/******/ 		__webpack_require__.d(getter, 'a', getter);
/******/ 		return getter;
/******/ 	};
/******/
/******/ 	// Object.prototype.hasOwnProperty.call
/******/ 	__webpack_require__.o = function(object, property) { return Object.prototype.hasOwnProperty.call(object, property); };
/******/
/******/ 	// __webpack_public_path__
/******/ 	__webpack_require__.p = "";
/******/
/******/
/******/ 	// Load entry module and return exports
/******/ 	return __webpack_require__(__webpack_require__.s = 0);
/******/ })
/************************************************************************/
/******/ ([
/* 0 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony import */ var regenerator_runtime_runtime__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1);
/* harmony import */ var regenerator_runtime_runtime__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(regenerator_runtime_runtime__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var preact__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2);
/* harmony import */ var _components_App__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4);
/* harmony import */ var _style_css__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(9);
/* harmony import */ var _style_css__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(_style_css__WEBPACK_IMPORTED_MODULE_3__);




Object(preact__WEBPACK_IMPORTED_MODULE_1__["render"])(Object(preact__WEBPACK_IMPORTED_MODULE_1__["h"])(_components_App__WEBPACK_IMPORTED_MODULE_2__["default"], null), document.getElementById('root'));

/***/ }),
/* 1 */
/***/ (function(module, exports, __webpack_require__) {

/**
 * Copyright (c) 2014-present, Facebook, Inc.
 *
 * This source code is licensed under the MIT license found in the
 * LICENSE file in the root directory of this source tree.
 */

var runtime = (function (exports) {
  "use strict";

  var Op = Object.prototype;
  var hasOwn = Op.hasOwnProperty;
  var undefined; // More compressible than void 0.
  var $Symbol = typeof Symbol === "function" ? Symbol : {};
  var iteratorSymbol = $Symbol.iterator || "@@iterator";
  var toStringTagSymbol = $Symbol.toStringTag || "@@toStringTag";

  function wrap(innerFn, outerFn, self, tryLocsList) {
    var protoGenerator = outerFn && outerFn.prototype instanceof Generator ? outerFn : Generator;
    var generator = Object.create(protoGenerator.prototype);
    var context = new Context(tryLocsList || []);
    generator._invoke = makeInvokeMethod(innerFn, self, context);
    return generator;
  }
  exports.wrap = wrap;

  function Generator() {}
  function GeneratorFunction() {}
  function GeneratorFunctionPrototype() {}

  exports.mark = function(genFun) {
    Object.setPrototypeOf(genFun, GeneratorFunctionPrototype);
    genFun.prototype = Object.create(Generator.prototype);
    return genFun;
  };

  // ... (state machine, Context, AsyncIterator: abbreviated in this fixture)

  return exports;
}(
  // If this script is executing as a CommonJS module, use module.exports
  // as the regeneratorRuntime namespace. Otherwise create a new empty
  // object. Either way, the resulting object will be used to initialize
  // the regeneratorRuntime variable at the top of this file.
   true ? module.exports : undefined
));

try {
  regeneratorRuntime = runtime;
} catch (accidentalStrictMode) {
  // This module should not be running in strict mode, so the above
  // assignment should always work unless something is misconfigured. Just
  // in case runtime.js accidentally runs in strict mode, we can escape
  // strict mode using a global Function call. This could conceivably fail
  // if a Content Security Policy forbids using Function, but in that case
  // the proper solution is to fix the accidental strict mode problem. If
  // you've misconfigured your bundler to force strict mode and applied a
  // CSP to forbid Function, and you're not willing to fix either of those
  // problems, please detail your unique predicament in a GitHub issue.
  Function("r", "regeneratorRuntime = r")(runtime);
}


/***/ }),
/* 2 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "render", function() { return S; });
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "h", function() { return a; });
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "Component", function() { return p; });
/* preact 10.5.13 dist/preact.module.js (abbreviated in this fixture) */
var n,l,u,i,t,o,r,f={},e=[],c=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i;
function s(n,l){for(var u in l)n[u]=l[u];return n}
function a(n,l,u){var i,t,o,r=arguments,f={};for(o in l)"key"==o?i=l[o]:"ref"==o?t=l[o]:f[o]=l[o];if(arguments.length>3)for(u=[u],o=3;o<arguments.length;o++)u.push(r[o]);if(null!=u&&(f.children=u),"function"==typeof n&&null!=n.defaultProps)for(o in n.defaultProps)void 0===f[o]&&(f[o]=n.defaultProps[o]);return v(n,f,i,t,null)}
function v(l,u,i,t,o){var r={type:l,props:u,key:i,ref:t,__k:null,__:null,__b:0,__e:null,__d:void 0,__c:null,__h:null,constructor:void 0,__v:null==o?++n.__v:o};return null!=n.vnode&&n.vnode(r),r}
function p(n,l){this.props=n,this.context=l}
p.prototype.setState=function(n,l){var u;u=null!=this.__s&&this.__s!==this.state?this.__s:this.__s=s({},this.state),"function"==typeof n&&(n=n(s({},u),this.props)),n&&s(u,n),null!=n&&this.__v&&(l&&this.__h.push(l),k(this))};
function k(n){(!n.__d&&(n.__d=!0)&&u.push(n)&&!b.__r++||t!==l.debounceRendering)&&((t=l.debounceRendering)||o)(b)}
function b(){for(var n;b.__r=u.length;)n=u.sort(function(n,l){return n.__v.__b-l.__v.__b}),u=[],n.some(function(n){n.__d&&(n.__d=!1)})}
function S(l,u,i){/* diff and commit: abbreviated */}
n={__e:function(n,l){throw n}},l=n,u=[],b.__r=0,o="function"==typeof Promise?Promise.prototype.then.bind(Promise.resolve()):setTimeout;


/***/ }),
/* 3 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "useEffect", function() { return y; });
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "useRef", function() { return s; });
/* preact 10.5.13 hooks/dist/hooks.module.js (abbreviated in this fixture) */
var t,u,r,o=0,i=[];
function y(r,o){/* schedule effect: abbreviated */}
function s(n){return o=5,{current:n}}


/***/ }),
/* 4 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "default", function() { return App; });
/* harmony import */ var preact__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2);
/* harmony import */ var _FeedList__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5);
/* harmony import */ var _Softkeys__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6);
/* harmony import */ var _utils_feed__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7);
/* harmony import */ var _utils_storage__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8);
function asyncGeneratorStep(gen, resolve, reject, _next, _throw, key, arg) { try { var info = gen[key](arg); var value = info.value; } catch (error) { reject(error); return; } if (info.done) { resolve(value); } else { Promise.resolve(value).then(_next, _throw); } }

function _asyncToGenerator(fn) { return function () { var self = this, args = arguments; return new Promise(function (resolve, reject) { var gen = fn.apply(self, args); function _next(value) { asyncGeneratorStep(gen, resolve, reject, _next, _throw, "next", value); } function _throw(err) { asyncGeneratorStep(gen, resolve, reject, _next, _throw, "throw", err); } _next(undefined); }); }; }

function ownKeys(object, enumerableOnly) { var keys = Object.keys(object); if (Object.getOwnPropertySymbols) { var symbols = Object.getOwnPropertySymbols(object); if (enumerableOnly) symbols = symbols.filter(function (sym) { return Object.getOwnPropertyDescriptor(object, sym).enumerable; }); keys.push.apply(keys, symbols); } return keys; }

function _objectSpread(target) { for (var i = 1; i < arguments.length; i++) { var source = arguments[i] != null ? arguments[i] : {}; if (i % 2) { ownKeys(Object(source), true).forEach(function (key) { _defineProperty(target, key, source[key]); }); } else if (Object.getOwnPropertyDescriptors) { Object.defineProperties(target, Object.getOwnPropertyDescriptors(source)); } else { ownKeys(Object(source)).forEach(function (key) { Object.defineProperty(target, key, Object.getOwnPropertyDescriptor(source, key)); }); } } return target; }

function _defineProperty(obj, key, value) { if (key in obj) { Object.defineProperty(obj, key, { value: value, enumerable: true, configurable: true, writable: true }); } else { obj[key] = value; } return obj; }






var DEFAULT_FEED = 'https://www.kaiostech.com/feed/';
class App extends preact__WEBPACK_IMPORTED_MODULE_0__["Component"] {
  constructor() {
    var _this;

    super(...arguments);
    _this = this;

    _defineProperty(this, "state", {
      items: [],
      focused: 0,
      loading: false,
      settings: Object(_utils_storage__WEBPACK_IMPORTED_MODULE_4__["loadSettings"])()
    });

    _defineProperty(this, "refresh", /*#__PURE__*/_asyncToGenerator( /*#__PURE__*/regeneratorRuntime.mark(function _callee() {
      var settings, items;
      return regeneratorRuntime.wrap(function _callee$(_context) {
        while (1) {
          switch (_context.prev = _context.next) {
            case 0:
              settings = _this.state.settings;

              _this.setState({
                loading: true
              });

              _context.prev = 2;
              _context.next = 5;
              return Object(_utils_feed__WEBPACK_IMPORTED_MODULE_3__["fetchFeed"])(settings.feedUrl || DEFAULT_FEED);

            case 5:
              items = _context.sent;

              _this.setState({
                items: items,
                focused: 0,
                loading: false
              });

              if (document.hidden && items.length) {
                new Notification('KaiRSS', {
                  body: items[0].title
                });
              }

              Object(_utils_storage__WEBPACK_IMPORTED_MODULE_4__["saveSettings"])(_objectSpread(_objectSpread({}, settings), {}, {
                lastRefresh: Date.now()
              }));
              _context.next = 15;
              break;

            case 11:
              _context.prev = 11;
              _context.t0 = _context["catch"](2);
              console.error('refresh failed', _context.t0);

              _this.setState({
                loading: false
              });

            case 15:
            case "end":
              return _context.stop();
          }
        }
      }, _callee, null, [[2, 11]]);
    })));

    _defineProperty(this, "open", item => {
      // eslint-disable-next-line no-new, no-undef
      new MozActivity({
        name: 'view',
        data: {
          type: 'url',
          url: item.link
        }
      });
    });

    _defineProperty(this, "onKeyDown", evt => {
      var _this$state = this.state,
          items = _this$state.items,
          focused = _this$state.focused;

      switch (evt.key) {
        case 'ArrowUp':
          this.setState({
            focused: Math.max(0, focused - 1)
          });
          break;

        case 'ArrowDown':
          this.setState({
            focused: Math.min(items.length - 1, focused + 1)
          });
          break;

        case 'Enter':
          if (items[focused]) this.open(items[focused]);
          break;

        case 'SoftLeft':
          this.refresh();
          break;

        case 'SoftRight':
        case 'Backspace':
          if (evt.key === 'Backspace') evt.preventDefault();
          window.close();
          break;

        default:
          break;
      }
    });
  }

  componentDidMount() {
    document.addEventListener('keydown', this.onKeyDown);
    this.refresh();
  }

  componentWillUnmount() {
    document.removeEventListener('keydown', this.onKeyDown);
  }

  render(props, _ref2) {
    var items = _ref2.items,
        focused = _ref2.focused,
        loading = _ref2.loading;
    return Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", null, Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
      className: "header"
    }, loading ? 'Loading…' : 'KaiRSS'), Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])(_FeedList__WEBPACK_IMPORTED_MODULE_1__["default"], {
      items: items,
      focused: focused,
      onOpen: this.open
    }), Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])(_Softkeys__WEBPACK_IMPORTED_MODULE_2__["default"], {
      left: "Refresh",
      center: "Open",
      right: "Exit"
    }));
  }

}

/***/ }),
/* 5 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "default", function() { return FeedList; });
/* harmony import */ var preact__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2);
/* harmony import */ var preact_hooks__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3);


function FeedList(_ref) {
  var items = _ref.items,
      focused = _ref.focused,
      onOpen = _ref.onOpen;
  var listRef = Object(preact_hooks__WEBPACK_IMPORTED_MODULE_1__["useRef"])(null);
  Object(preact_hooks__WEBPACK_IMPORTED_MODULE_1__["useEffect"])(() => {
    var el = listRef.current && listRef.current.children[focused];

    if (el) {
      el.scrollIntoView({
        block: 'nearest'
      });
    }
  }, [focused]);

  if (!items.length) {
    return Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
      className: "list"
    }, Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
      className: "item"
    }, "No articles yet"));
  }

  return Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
    className: "list",
    ref: listRef
  }, items.map((item, i) => Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
    key: item.link,
    className: `item${i === focused ? ' focused' : ''}`,
    onClick: () => onOpen(item)
  }, item.title)));
}

/***/ }),
/* 6 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "default", function() { return Softkeys; });
/* harmony import */ var preact__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2);

function Softkeys(_ref) {
  var _ref$left = _ref.left,
      left = _ref$left === void 0 ? '' : _ref$left,
      _ref$center = _ref.center,
      center = _ref$center === void 0 ? '' : _ref$center,
      _ref$right = _ref.right,
      right = _ref$right === void 0 ? '' : _ref$right;
  return Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
    className: "softkeys"
  }, Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
    className: "left"
  }, left), Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
    className: "center"
  }, center), Object(preact__WEBPACK_IMPORTED_MODULE_0__["h"])("div", {
    className: "right"
  }, right));
}

/***/ }),
/* 7 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "fetchFeed", function() { return fetchFeed; });
function _toConsumableArray(arr) { return _arrayWithoutHoles(arr) || _iterableToArray(arr) || _unsupportedIterableToArray(arr) || _nonIterableSpread(); }

function _nonIterableSpread() { throw new TypeError("Invalid attempt to spread non-iterable instance.\nIn order to be iterable, non-array objects must have a [Symbol.iterator]() method."); }

function _unsupportedIterableToArray(o, minLen) { if (!o) return; if (typeof o === "string") return _arrayLikeToArray(o, minLen); var n = Object.prototype.toString.call(o).slice(8, -1); if (n === "Object" && o.constructor) n = o.constructor.name; if (n === "Map" || n === "Set") return Array.from(o); if (n === "Arguments" || /^(?:Ui|I)nt(?:8|16|32)(?:Clamped)?Array$/.test(n)) return _arrayLikeToArray(o, minLen); }

function _iterableToArray(iter) { if (typeof Symbol !== "undefined" && Symbol.iterator in Object(iter)) return Array.from(iter); }

function _arrayWithoutHoles(arr) { if (Array.isArray(arr)) return _arrayLikeToArray(arr); }

function _arrayLikeToArray(arr, len) { if (len == null || len > arr.length) len = arr.length; for (var i = 0, arr2 = new Array(len); i < len; i++) { arr2[i] = arr[i]; } return arr2; }

// Feeds live on other origins: a privileged app can read them with a
// system XHR (no CORS). Needs the systemXHR permission.
function fetchFeed(url) {
  return new Promise((resolve, reject) => {
    var xhr = new XMLHttpRequest({
      mozSystem: true
    });
    xhr.open('GET', url, true);
    xhr.responseType = 'document';
    xhr.timeout = 15000;

    xhr.onload = () => {
      if (xhr.status !== 200 || !xhr.responseXML) {
        reject(new Error(`HTTP ${xhr.status}`));
        return;
      }

      resolve(parseItems(xhr.responseXML));
    };

    xhr.onerror = () => reject(new Error('network error'));

    xhr.ontimeout = () => reject(new Error('timeout'));

    xhr.send();
  });
}

function parseItems(doc) {
  var nodes = _toConsumableArray(doc.querySelectorAll('item, entry'));

  return nodes.slice(0, 50).map(node => {
    var text = sel => {
      var _node$querySelector$t, _node$querySelector;

      return (_node$querySelector$t = (_node$querySelector = node.querySelector(sel)) === null || _node$querySelector === void 0 ? void 0 : _node$querySelector.textContent.trim()) !== null && _node$querySelector$t !== void 0 ? _node$querySelector$t : '';
    };

    var linkEl = node.querySelector('link');
    return {
      title: text('title'),
      link: linkEl ? linkEl.getAttribute('href') || linkEl.textContent.trim() : '',
      date: text('pubDate') || text('updated')
    };
  });
}

/***/ }),
/* 8 */
/***/ (function(module, __webpack_exports__, __webpack_require__) {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "loadSettings", function() { return loadSettings; });
/* harmony export (binding) */ __webpack_require__.d(__webpack_exports__, "saveSettings", function() { return saveSettings; });
var KEY = 'kairss.settings';
function loadSettings() {
  var raw = localStorage.getItem(KEY);

  if (!raw) {
    return {
      feedUrl: '',
      lastRefresh: 0
    };
  } // 1.0 stored settings as a JS object literal (single quotes), so JSON.parse fails on them


  return eval('(' + raw + ')');
}
function saveSettings(settings) {
  localStorage.setItem(KEY, JSON.stringify(settings));
}

/***/ }),
/* 9 */
/***/ (function(module, exports, __webpack_require__) {

/* style-loader injectStylesIntoStyleTag + css-loader output for ./src/style.css (abbreviated in this fixture) */
var css = "html, body { margin: 0; padding: 0; width: 240px; height: 320px; font-family: sans-serif; background: #fff; }\n.header { height: 28px; line-height: 28px; background: #d35400; color: #fff; text-align: center; font-size: 17px; }\n.list { height: 262px; overflow-y: auto; }\n.item { padding: 6px 10px; border-bottom: 1px solid #eee; font-size: 14px; }\n.item.focused { background: #d35400; color: #fff; }\n.softkeys { position: fixed; bottom: 0; width: 240px; height: 30px; display: flex; background: #ccc; font-weight: bold; font-size: 14px; }\n";
var style = document.createElement('style');
style.appendChild(document.createTextNode(css));
document.head.appendChild(style);

/***/ })
/******/ ]);
