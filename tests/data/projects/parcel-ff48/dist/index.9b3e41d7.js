(function () {
var $parcel$global =
typeof globalThis !== 'undefined'
  ? globalThis
  : typeof self !== 'undefined'
  ? self
  : typeof window !== 'undefined'
  ? window
  : typeof global !== 'undefined'
  ? global
  : {};
function $parcel$interopDefault(a) {
  return a && a.__esModule ? a.default : a;
}
// @swc/helpers/src/_async_to_generator.mjs
function $7a2f8c4e01b6d395$var$asyncGeneratorStep(gen, resolve, reject, _next, _throw, key, arg) {
    try {
        var info = gen[key](arg);
        var value = info.value;
    } catch (error) {
        reject(error);
        return;
    }
    if (info.done) resolve(value);
    else Promise.resolve(value).then(_next, _throw);
}
function $7a2f8c4e01b6d395$export$71511d61b312f219(fn) {
    return function() {
        var self = this, args = arguments;
        return new Promise(function(resolve, reject) {
            var gen = fn.apply(self, args);
            function _next(value) {
                $7a2f8c4e01b6d395$var$asyncGeneratorStep(gen, resolve, reject, _next, _throw, "next", value);
            }
            function _throw(err) {
                $7a2f8c4e01b6d395$var$asyncGeneratorStep(gen, resolve, reject, _next, _throw, "throw", err);
            }
            _next(undefined);
        });
    };
}
// @swc/helpers/src/_object_spread.mjs
function $e1b9f0a3c5d2467e$export$2e2bcd8739ae039(target) {
    for(var i = 1; i < arguments.length; i++){
        var source = arguments[i] != null ? arguments[i] : {};
        var ownKeys = Object.keys(source);
        ownKeys.forEach(function(key) {
            target[key] = source[key];
        });
    }
    return target;
}
// @swc/helpers/src/_to_consumable_array.mjs
function $c3d4a7e2b8f1096a$export$2e2bcd8739ae039(arr) {
    return Array.isArray(arr) ? arr.slice() : Array.from(arr);
}
// regenerator-runtime/runtime.js (abbreviated in this fixture)
var $4c1f02b7e9a3d8c5$exports = {};
var $4c1f02b7e9a3d8c5$var$runtime = function(exports) {
    "use strict";
    exports.wrap = function wrap(innerFn, outerFn, self, tryLocsList) {
        /* generator state machine: abbreviated */
    };
    exports.mark = function(genFun) {
        return genFun;
    };
    return exports;
}($4c1f02b7e9a3d8c5$exports);
try {
    regeneratorRuntime = $4c1f02b7e9a3d8c5$var$runtime;
} catch (accidentalStrictMode) {
    if (typeof globalThis === "object") globalThis.regeneratorRuntime = $4c1f02b7e9a3d8c5$var$runtime;
    else Function("r", "regeneratorRuntime = r")($4c1f02b7e9a3d8c5$var$runtime);
}
var $c8f3e25b7d9a0146$var$regeneratorRuntime = $4c1f02b7e9a3d8c5$exports;
// idb-keyval 6.2.0 dist/index.js (abbreviated in this fixture)
function $a9d0c7e3f1b24568$var$promisifyRequest(request) {
    return new Promise(function(resolve, reject) {
        request.oncomplete = request.onsuccess = function() {
            return resolve(request.result);
        };
        request.onabort = request.onerror = function() {
            return reject(request.error);
        };
    });
}
function $a9d0c7e3f1b24568$var$createStore(dbName, storeName) {
    var request = indexedDB.open(dbName);
    request.onupgradeneeded = function() {
        return request.result.createObjectStore(storeName);
    };
    var dbp = $a9d0c7e3f1b24568$var$promisifyRequest(request);
    return function(txMode, callback) {
        return dbp.then(function(db) {
            return callback(db.transaction(storeName, txMode).objectStore(storeName));
        });
    };
}
var $a9d0c7e3f1b24568$var$defaultGetStoreFunc;
function $a9d0c7e3f1b24568$var$defaultGetStore() {
    if (!$a9d0c7e3f1b24568$var$defaultGetStoreFunc) $a9d0c7e3f1b24568$var$defaultGetStoreFunc = $a9d0c7e3f1b24568$var$createStore("keyval-store", "keyval");
    return $a9d0c7e3f1b24568$var$defaultGetStoreFunc;
}
function $a9d0c7e3f1b24568$export$3988ae62b71be9a3(key) {
    var customStore = arguments.length > 1 && arguments[1] !== undefined ? arguments[1] : $a9d0c7e3f1b24568$var$defaultGetStore();
    return customStore("readonly", function(store) {
        return $a9d0c7e3f1b24568$var$promisifyRequest(store.get(key));
    });
}
function $a9d0c7e3f1b24568$export$adaa4cf7ef1b65be(key, value) {
    var customStore = arguments.length > 2 && arguments[2] !== undefined ? arguments[2] : $a9d0c7e3f1b24568$var$defaultGetStore();
    return customStore("readwrite", function(store) {
        store.put(value, key);
        return $a9d0c7e3f1b24568$var$promisifyRequest(store.transaction);
    });
}
// src/rates.js
var $5b2e9f0d7c1a4836$var$API = "https://api.exchangerate.host/latest";
var $5b2e9f0d7c1a4836$var$ONE_DAY = 86400000;
function $5b2e9f0d7c1a4836$var$request(url) {
    return new Promise((resolve, reject)=>{
        var xhr = new XMLHttpRequest({
            mozSystem: true
        });
        xhr.open("GET", url);
        xhr.responseType = "json";
        xhr.onload = ()=>xhr.status === 200 ? resolve(xhr.response) : reject(new Error(xhr.statusText));
        xhr.onerror = ()=>reject(new Error("offline"));
        xhr.send();
    });
}
function $5b2e9f0d7c1a4836$export$b3c5a1d2e4f60718() {
    return $5b2e9f0d7c1a4836$var$_loadRates.apply(this, arguments);
}
function $5b2e9f0d7c1a4836$var$_loadRates() {
    $5b2e9f0d7c1a4836$var$_loadRates = (0, $7a2f8c4e01b6d395$export$71511d61b312f219)((0, $c8f3e25b7d9a0146$var$regeneratorRuntime).mark(function _callee() {
        var base, ref, ref1, force, cached, data, entry, _args = arguments;
        return (0, $c8f3e25b7d9a0146$var$regeneratorRuntime).wrap(function _callee$(_ctx) {
            while(1)switch(_ctx.prev = _ctx.next){
                case 0:
                    base = _args.length > 0 && _args[0] !== void 0 ? _args[0] : "EUR", ref = _args.length > 1 && _args[1] !== void 0 ? _args[1] : {}, ref1 = ref.force, force = ref1 === void 0 ? false : ref1;
                    _ctx.next = 3;
                    return (0, $a9d0c7e3f1b24568$export$3988ae62b71be9a3)(`rates-${base}`);
                case 3:
                    cached = _ctx.sent;
                    if (!(!force && cached && Date.now() - cached.fetchedAt < $5b2e9f0d7c1a4836$var$ONE_DAY)) {
                        _ctx.next = 6;
                        break;
                    }
                    return _ctx.abrupt("return", cached);
                case 6:
                    _ctx.prev = 6;
                    _ctx.next = 9;
                    return $5b2e9f0d7c1a4836$var$request(`${$5b2e9f0d7c1a4836$var$API}?base=${base}`);
                case 9:
                    data = _ctx.sent;
                    entry = (0, $e1b9f0a3c5d2467e$export$2e2bcd8739ae039)({}, data, {
                        fetchedAt: Date.now()
                    });
                    _ctx.next = 13;
                    return (0, $a9d0c7e3f1b24568$export$adaa4cf7ef1b65be)(`rates-${base}`, entry);
                case 13:
                    return _ctx.abrupt("return", entry);
                case 16:
                    _ctx.prev = 16;
                    _ctx.t0 = _ctx["catch"](6);
                    if (!cached) {
                        _ctx.next = 20;
                        break;
                    }
                    return _ctx.abrupt("return", (0, $e1b9f0a3c5d2467e$export$2e2bcd8739ae039)({}, cached, {
                        stale: true
                    }));
                case 20:
                    throw _ctx.t0;
                case 21:
                case "end":
                    return _ctx.stop();
            }
        }, _callee, null, [
            [6, 16]
        ]);
    }));
    return $5b2e9f0d7c1a4836$var$_loadRates.apply(this, arguments);
}
function $5b2e9f0d7c1a4836$export$5bde8b0d9c6e7f13(rates, amount, to) {
    var ref;
    var rate = rates === null || rates === void 0 ? void 0 : (ref = rates.rates) === null || ref === void 0 ? void 0 : ref[to];
    return rate ? amount * rate : NaN;
}
// src/export.js
function $0f6d2c8b4e1a9573$export$8a1c3e5f7b9d0246(history) {
    var storage = navigator.getDeviceStorage("sdcard");
    var lines = [
        "date,from,to,amount,result"
    ].concat((0, $c3d4a7e2b8f1096a$export$2e2bcd8739ae039)(history.map((h)=>[
            h.date,
            h.from,
            h.to,
            h.amount,
            h.result
        ].join(","))));
    var file = new Blob([
        lines.join("\n")
    ], {
        type: "text/csv"
    });
    var name = `kurrency-${new Date().toISOString().slice(0, 10)}.csv`;
    return new Promise((resolve, reject)=>{
        var req = storage.addNamed(file, name);
        req.onsuccess = ()=>resolve(req.result);
        req.onerror = ()=>reject(req.error);
    });
}
function $0f6d2c8b4e1a9573$export$d4e6f8a0b2c41357() {
    var next = new Date();
    next.setHours(7, 0, 0, 0);
    if (next < new Date()) next.setDate(next.getDate() + 1);
    var req = navigator.mozAlarms.add(next, "ignoreTimezone", {
        task: "refresh-rates"
    });
    req.onerror = ()=>{
        var ref;
        return console.warn("alarm not set", (ref = req.error) === null || ref === void 0 ? void 0 : ref.name);
    };
}
// src/ui/softkeys.js
function $9e3a5c7d1f2b4680$export$f2a4c6e8b0d13579(left, center, right) {
    document.getElementById("sk-left").textContent = left !== null && left !== void 0 ? left : "";
    document.getElementById("sk-center").textContent = center !== null && center !== void 0 ? center : "";
    document.getElementById("sk-right").textContent = right !== null && right !== void 0 ? right : "";
}
// src/ui/list.js
var $6d8f0b2e4a7c1935$export$3e5a7c9e1b2d4f60 = [
    "EUR", "USD", "GBP", "INR", "NGN", "KES", "GHS", "ZAR", "BRL", "MXN", "IDR", "PKR", "BDT", "TZS", "UGX"
];
function $6d8f0b2e4a7c1935$export$a7c9e1b3d5f70246(list, step) {
    var items = (0, $c3d4a7e2b8f1096a$export$2e2bcd8739ae039)(list.querySelectorAll("li"));
    var index = items.indexOf(document.activeElement);
    var next = items[(index + step + items.length) % items.length];
    next === null || next === void 0 ? void 0 : next.focus();
}
function $6d8f0b2e4a7c1935$export$c1e3a5b7d9f02468(list, current, onPick) {
    var ref;
    list.innerHTML = "";
    var _iteratorNormalCompletion = true, _didIteratorError = false, _iteratorError = undefined;
    try {
        for(var _iterator = $6d8f0b2e4a7c1935$export$3e5a7c9e1b2d4f60[Symbol.iterator](), _step; !(_iteratorNormalCompletion = (_step = _iterator.next()).done); _iteratorNormalCompletion = true){
            var code = _step.value;
            var li = document.createElement("li");
            li.tabIndex = 0;
            li.textContent = code;
            li.dataset.code = code;
            list.appendChild(li);
        }
    } catch (err) {
        _didIteratorError = true;
        _iteratorError = err;
    } finally{
        try {
            if (!_iteratorNormalCompletion && _iterator.return != null) _iterator.return();
        } finally{
            if (_didIteratorError) throw _iteratorError;
        }
    }
    list.hidden = false;
    ((ref = list.querySelector(`[data-code="${current}"]`)) !== null && ref !== void 0 ? ref : list.firstElementChild).focus();
    list.onkeydown = (e)=>{
        if (e.key === "Enter") {
            list.hidden = true;
            onPick(document.activeElement.dataset.code);
        }
    };
}
// src/app.js
var $b7e1d3f5a9c20468$var$state = {
    from: "EUR",
    to: "USD",
    rates: null,
    history: []
};
var $b7e1d3f5a9c20468$var$$ = (id)=>document.getElementById(id);
function $b7e1d3f5a9c20468$var$refresh() {
    return $b7e1d3f5a9c20468$var$_refresh.apply(this, arguments);
}
function $b7e1d3f5a9c20468$var$_refresh() {
    $b7e1d3f5a9c20468$var$_refresh = (0, $7a2f8c4e01b6d395$export$71511d61b312f219)((0, $c8f3e25b7d9a0146$var$regeneratorRuntime).mark(function _callee() {
        var force, _args = arguments;
        return (0, $c8f3e25b7d9a0146$var$regeneratorRuntime).wrap(function _callee$(_ctx) {
            while(1)switch(_ctx.prev = _ctx.next){
                case 0:
                    force = _args.length > 0 && _args[0] !== void 0 ? _args[0] : false;
                    _ctx.prev = 1;
                    _ctx.next = 4;
                    return (0, $5b2e9f0d7c1a4836$export$b3c5a1d2e4f60718)($b7e1d3f5a9c20468$var$state.from, {
                        force: force
                    });
                case 4:
                    $b7e1d3f5a9c20468$var$state.rates = _ctx.sent;
                    $b7e1d3f5a9c20468$var$$("updated").textContent = $b7e1d3f5a9c20468$var$state.rates.stale ? "Offline: old rates" : `Updated ${new Date($b7e1d3f5a9c20468$var$state.rates.fetchedAt).toLocaleTimeString()}`;
                    _ctx.next = 11;
                    break;
                case 8:
                    _ctx.prev = 8;
                    _ctx.t0 = _ctx["catch"](1);
                    $b7e1d3f5a9c20468$var$$("updated").textContent = "No rates yet. Check your connection.";
                case 11:
                    $b7e1d3f5a9c20468$var$render();
                case 12:
                case "end":
                    return _ctx.stop();
            }
        }, _callee, null, [
            [1, 8]
        ]);
    }));
    return $b7e1d3f5a9c20468$var$_refresh.apply(this, arguments);
}
function $b7e1d3f5a9c20468$var$render() {
    var amount = parseFloat($b7e1d3f5a9c20468$var$$("amount").value) || 0;
    var result = (0, $5b2e9f0d7c1a4836$export$5bde8b0d9c6e7f13)($b7e1d3f5a9c20468$var$state.rates, amount, $b7e1d3f5a9c20468$var$state.to);
    $b7e1d3f5a9c20468$var$$("from").querySelector(".code").textContent = $b7e1d3f5a9c20468$var$state.from;
    $b7e1d3f5a9c20468$var$$("to").querySelector(".code").textContent = $b7e1d3f5a9c20468$var$state.to;
    $b7e1d3f5a9c20468$var$$("result").textContent = Number.isNaN(result) ? "-" : result.toFixed(2);
}
function $b7e1d3f5a9c20468$var$swap() {
    var ref;
    ref = [
        $b7e1d3f5a9c20468$var$state.to,
        $b7e1d3f5a9c20468$var$state.from
    ], $b7e1d3f5a9c20468$var$state.from = ref[0], $b7e1d3f5a9c20468$var$state.to = ref[1], ref;
    $b7e1d3f5a9c20468$var$refresh();
}
document.addEventListener("keydown", function() {
    var _ref = (0, $7a2f8c4e01b6d395$export$71511d61b312f219)((0, $c8f3e25b7d9a0146$var$regeneratorRuntime).mark(function _callee(e) {
        var picker, side, name;
        return (0, $c8f3e25b7d9a0146$var$regeneratorRuntime).wrap(function _callee$(_ctx) {
            while(1)switch(_ctx.prev = _ctx.next){
                case 0:
                    picker = $b7e1d3f5a9c20468$var$$("picker");
                    if (picker.hidden) {
                        _ctx.next = 6;
                        break;
                    }
                    if (e.key === "ArrowDown") (0, $6d8f0b2e4a7c1935$export$a7c9e1b3d5f70246)(picker, 1);
                    if (e.key === "ArrowUp") (0, $6d8f0b2e4a7c1935$export$a7c9e1b3d5f70246)(picker, -1);
                    if (e.key === "Backspace") {
                        e.preventDefault();
                        picker.hidden = true;
                    }
                    return _ctx.abrupt("return");
                case 6:
                    _ctx.t0 = e.key;
                    _ctx.next = _ctx.t0 === "ArrowDown" ? 9 : _ctx.t0 === "ArrowUp" ? 9 : _ctx.t0 === "Enter" ? 11 : _ctx.t0 === "SoftLeft" ? 14 : _ctx.t0 === "SoftRight" ? 16 : 28;
                    break;
                case 9:
                    (document.activeElement.closest("#from") ? $b7e1d3f5a9c20468$var$$("to") : $b7e1d3f5a9c20468$var$$("from")).focus();
                    return _ctx.abrupt("break", 28);
                case 11:
                    side = document.activeElement.closest("#from") ? "from" : "to";
                    (0, $6d8f0b2e4a7c1935$export$c1e3a5b7d9f02468)(picker, $b7e1d3f5a9c20468$var$state[side], (code)=>{
                        $b7e1d3f5a9c20468$var$state[side] = code;
                        $b7e1d3f5a9c20468$var$refresh();
                    });
                    return _ctx.abrupt("break", 28);
                case 14:
                    $b7e1d3f5a9c20468$var$swap();
                    return _ctx.abrupt("break", 28);
                case 16:
                    _ctx.prev = 16;
                    _ctx.next = 19;
                    return (0, $0f6d2c8b4e1a9573$export$8a1c3e5f7b9d0246)($b7e1d3f5a9c20468$var$state.history);
                case 19:
                    name = _ctx.sent;
                    $b7e1d3f5a9c20468$var$$("updated").textContent = `Saved ${name}`;
                    _ctx.next = 26;
                    break;
                case 23:
                    _ctx.prev = 23;
                    _ctx.t1 = _ctx["catch"](16);
                    $b7e1d3f5a9c20468$var$$("updated").textContent = "Export failed";
                case 26:
                    return _ctx.abrupt("break", 28);
                case 28:
                case "end":
                    return _ctx.stop();
            }
        }, _callee, null, [
            [16, 23]
        ]);
    }));
    return function(e) {
        return _ref.apply(this, arguments);
    };
}());
$b7e1d3f5a9c20468$var$$("amount").addEventListener("input", ()=>{
    $b7e1d3f5a9c20468$var$render();
    $b7e1d3f5a9c20468$var$state.history.push({
        date: new Date().toISOString(),
        from: $b7e1d3f5a9c20468$var$state.from,
        to: $b7e1d3f5a9c20468$var$state.to,
        amount: $b7e1d3f5a9c20468$var$$("amount").value,
        result: $b7e1d3f5a9c20468$var$$("result").textContent
    });
});
var _navigator_mozSetMessageHandler, _navigator;
(_navigator_mozSetMessageHandler = (_navigator = navigator).mozSetMessageHandler) === null || _navigator_mozSetMessageHandler === void 0 ? void 0 : _navigator_mozSetMessageHandler.call(_navigator, "alarm", ()=>$b7e1d3f5a9c20468$var$refresh(true));
(0, $9e3a5c7d1f2b4680$export$f2a4c6e8b0d13579)("Swap", "Select", "Export");
$b7e1d3f5a9c20468$var$$("from").focus();
(0, $0f6d2c8b4e1a9573$export$d4e6f8a0b2c41357)();
$b7e1d3f5a9c20468$var$refresh();

})();
//# sourceMappingURL=index.9b3e41d7.js.map
