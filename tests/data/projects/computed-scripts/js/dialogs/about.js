'use strict';

window.Dialogs = window.Dialogs || {};
window.Dialogs.about = {
  open: function() {
    var el = document.createElement('div');
    el.className = 'dialog about';
    el.innerHTML = '<p>Metro Times 2.3.1</p><p>Data: city open data portal</p><p>Press any key</p>';
    document.body.appendChild(el);
    document.addEventListener('keydown', function close(e) {
      e.stopPropagation();
      el.remove();
      document.removeEventListener('keydown', close, true);
    }, true);
  }
};
