'use strict';

const Softkeys = {
  set({ left = '', center = '', right = '' } = {}) {
    document.getElementById('sk-left').textContent = left;
    document.getElementById('sk-center').textContent = center;
    document.getElementById('sk-right').textContent = right;
  }
};
window.Softkeys = Softkeys;
