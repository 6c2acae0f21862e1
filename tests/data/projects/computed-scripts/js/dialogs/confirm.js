'use strict';

window.Dialogs = window.Dialogs || {};
window.Dialogs.confirm = {
  open: function(message, callback) {
    var el = document.createElement('div');
    el.className = 'dialog';
    el.innerHTML = '<p></p><div class="buttons"><span>Cancel</span><span>OK</span></div>';
    el.querySelector('p').textContent = message;
    document.body.appendChild(el);
    document.getElementById('sk-left').textContent = 'Cancel';
    document.getElementById('sk-right').textContent = 'OK';
    document.addEventListener('keydown', function answer(e) {
      if (e.key !== 'SoftLeft' && e.key !== 'SoftRight') {
        return;
      }
      e.stopPropagation();
      el.remove();
      document.removeEventListener('keydown', answer, true);
      document.getElementById('sk-left').textContent = 'Tabs';
      document.getElementById('sk-right').textContent = 'Options';
      callback(e.key === 'SoftRight');
    }, true);
  }
};
