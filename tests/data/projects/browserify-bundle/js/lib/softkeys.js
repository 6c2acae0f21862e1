'use strict';

function set(left, center, right) {
  document.getElementById('sk-left').textContent = left || '';
  document.getElementById('sk-center').textContent = center || '';
  document.getElementById('sk-right').textContent = right || '';
}

module.exports = { set: set };
