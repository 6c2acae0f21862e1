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
