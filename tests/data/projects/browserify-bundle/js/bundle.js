(function(){function r(e,n,t){function o(i,f){if(!n[i]){if(!e[i]){var c="function"==typeof require&&require;if(!f&&c)return c(i,!0);if(u)return u(i,!0);var a=new Error("Cannot find module '"+i+"'");throw a.code="MODULE_NOT_FOUND",a}var p=n[i]={exports:{}};e[i][0].call(p.exports,function(r){var n=e[i][1][r];return o(n||r)},p,p.exports,r,e,n,t)}return n[i].exports}for(var u="function"==typeof require&&require,i=0;i<t.length;i++)o(t[i]);return o}return r})()({1:[function(require,module,exports){
'use strict';

// Writes the list as a text file to the SD card, then offers to share it.
async function exportList(items) {
  var sdcard = navigator.getDeviceStorage('sdcard');
  var text = items.map(function (it) {
    return (it.done ? '[x] ' : '[ ] ') + it.name + (it.qty > 1 ? ' x' + it.qty : '');
  }).join('\n');
  var blob = new Blob([text], { type: 'text/plain' });
  var name = 'groceries/list-' + Date.now() + '.txt';

  var path = await new Promise(function (resolve, reject) {
    var req = sdcard.addNamed(blob, name);
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });

  var share = new MozActivity({
    name: 'share',
    data: { type: 'text/plain', number: 1, blobs: [blob], filenames: [name.split('/').pop()], filepaths: [path] }
  });
  share.onerror = function () { console.warn('share cancelled'); };
  return path;
}

module.exports = exportList;

},{}],2:[function(require,module,exports){
'use strict';

function List(el) {
  this.el = el;
  this.items = [];
}

List.prototype.render = function () {
  var el = this.el;
  el.innerHTML = '';
  this.items.forEach(function (item, i) {
    var li = document.createElement('li');
    li.tabIndex = 0;
    li.className = 'nav' + (item.done ? ' done' : '');
    li.dataset.index = i;
    li.textContent = item.name + (item.qty > 1 ? ' ×' + item.qty : '');
    el.appendChild(li);
  });
};

List.prototype.add = function (name) {
  name = name.trim();
  if (!name) return;
  var existing = this.items.filter(function (it) { return it.name.toLowerCase() === name.toLowerCase(); })[0];
  if (existing) {
    existing.qty += 1;
  } else {
    this.items.push({ name: name, qty: 1, done: false });
  }
  this.render();
};

List.prototype.toggle = function (index) {
  var item = this.items[index];
  if (item) item.done = !item.done;
  this.render();
};

List.prototype.clearDone = function () {
  this.items = this.items.filter(function (it) { return !it.done; });
  this.render();
};

module.exports = List;

},{}],3:[function(require,module,exports){
'use strict';

function set(left, center, right) {
  document.getElementById('sk-left').textContent = left || '';
  document.getElementById('sk-center').textContent = center || '';
  document.getElementById('sk-right').textContent = right || '';
}

module.exports = { set: set };

},{}],4:[function(require,module,exports){
'use strict';

var localforage = require('localforage');

localforage.config({ name: 'groceries', storeName: 'items' });

var KEY = 'list';

exports.load = function () {
  return localforage.getItem(KEY).then(function (items) {
    return items || [];
  });
};

exports.save = function (items) {
  return localforage.setItem(KEY, items);
};

},{"localforage":6}],5:[function(require,module,exports){
'use strict';

var List = require('./lib/list');
var storage = require('./lib/storage');
var softkeys = require('./lib/softkeys');
var exportList = require('./lib/export');

var list = new List(document.getElementById('items'));
var input = document.getElementById('new-item');

function navigables() {
  return Array.prototype.slice.call(document.querySelectorAll('.nav'));
}

function move(step) {
  var all = navigables();
  var index = all.indexOf(document.activeElement);
  var next = all[(index + step + all.length) % all.length];
  if (next) next.focus();
  updateSoftkeys();
}

function updateSoftkeys() {
  if (document.activeElement === input) softkeys.set('Clear', 'Add', 'Options');
  else softkeys.set('Clear', 'Done', 'Options');
}

function persist() {
  storage.save(list.items).catch(function (err) { console.error('save failed', err); });
}

document.addEventListener('keydown', function (e) {
  var active = document.activeElement;
  switch (e.key) {
    case 'ArrowDown': move(1); e.preventDefault(); break;
    case 'ArrowUp': move(-1); e.preventDefault(); break;
    case 'Enter':
      if (active === input) { list.add(input.value); input.value = ''; persist(); }
      else if (active.id === 'export') {
        exportList(list.items).then(function (path) { console.log('exported', path); }, function (err) { alert('Export failed: ' + err.name); });
      } else if (active.dataset.index) { list.toggle(+active.dataset.index); persist(); }
      break;
    case 'SoftLeft': list.clearDone(); persist(); break;
    case 'SoftRight': new MozActivity({ name: 'configure', data: { target: 'device' } }); break;
    case 'Backspace':
      if (active === input && input.value) return;
      e.preventDefault();
      window.close();
      break;
  }
});

storage.load().then(function (items) {
  list.items = items;
  list.render();
  input.focus();
  updateSoftkeys();
});

},{"./lib/export":1,"./lib/list":2,"./lib/softkeys":3,"./lib/storage":4}],6:[function(require,module,exports){
(function (global){
/*!
    localForage -- Offline Storage, Improved
    Version 1.7.3
    https://localforage.github.io/localForage
    (c) 2013-2017 Mozilla, Apache License 2.0
*/
(function(f){if(typeof exports==="object"&&typeof module!=="undefined"){module.exports=f()}else if(typeof define==="function"&&define.amd){define([],f)}else{var g;if(typeof window!=="undefined"){g=window}else if(typeof global!=="undefined"){g=global}else if(typeof self!=="undefined"){g=self}else{g=this}g.localforage = f()}})(function(){
// (the IndexedDB, WebSQL and localStorage drivers of localForage are abbreviated in this fixture)
function LocalForage() {
    this._config = { name: 'localforage', storeName: 'keyvaluepairs', version: 1.0 };
    this._dbPromise = null;
}
LocalForage.prototype.config = function (options) {
    for (var k in options) {
        if (Object.prototype.hasOwnProperty.call(options, k)) this._config[k] = options[k];
    }
    return true;
};
LocalForage.prototype._db = function () {
    var self = this;
    if (!self._dbPromise) {
        self._dbPromise = new Promise(function (resolve, reject) {
            var req = global.indexedDB.open(self._config.name, 1);
            req.onupgradeneeded = function () { req.result.createObjectStore(self._config.storeName); };
            req.onsuccess = function () { resolve(req.result); };
            req.onerror = function () { reject(req.error); };
        });
    }
    return self._dbPromise;
};
LocalForage.prototype.getItem = function (key) {
    var storeName = this._config.storeName;
    return this._db().then(function (db) {
        return new Promise(function (resolve, reject) {
            var req = db.transaction(storeName, 'readonly').objectStore(storeName).get(key);
            req.onsuccess = function () { resolve(req.result === undefined ? null : req.result); };
            req.onerror = function () { reject(req.error); };
        });
    });
};
LocalForage.prototype.setItem = function (key, value) {
    var storeName = this._config.storeName;
    return this._db().then(function (db) {
        return new Promise(function (resolve, reject) {
            var tx = db.transaction(storeName, 'readwrite');
            tx.objectStore(storeName).put(value, key);
            tx.oncomplete = function () { resolve(value); };
            tx.onerror = tx.onabort = function () { reject(tx.error); };
        });
    });
};
var localforage_js = new LocalForage();
return localforage_js;
});

}).call(this,typeof global !== "undefined" ? global : typeof self !== "undefined" ? self : typeof window !== "undefined" ? window : {})
},{}]},{},[5]);
