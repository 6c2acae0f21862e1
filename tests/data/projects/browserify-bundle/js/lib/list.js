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
