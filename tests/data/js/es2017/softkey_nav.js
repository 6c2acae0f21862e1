/*
 * Softkey bar and D-pad navigation for a list view.
 * Plain, correct app code: no risky APIs, only DOM and key handling.
 * 软键导航 — labels fall back to the Chinese strings below when l10n is missing.
 */
(function () {
  'use strict';

  var FALLBACK_LABELS = {
    'softkey-options': '选项',
    'softkey-select': '选择',
    'softkey-back': '返回'
  };

  var items = [];
  var current = 0;

  function label(id) {
    if (navigator.mozL10n && typeof navigator.mozL10n.get === 'function') {
      var text = navigator.mozL10n.get(id);
      if (text) {
        return text;
      }
    }
    return FALLBACK_LABELS[id] || id;
  }

  function setSoftkeys(left, center, right) {
    var bar = document.getElementById('softkey');
    var slots = ['left', 'center', 'right'];
    var values = [left, center, right];
    for (var i = 0; i < slots.length; i++) {
      var slot = bar.querySelector('.softkey-' + slots[i]);
      slot.textContent = values[i] ? label(values[i]) : '';
    }
  }

  function focusItem(index) {
    if (items.length === 0) {
      return;
    }
    // wrap around at both ends, like the system apps do
    current = (index + items.length) % items.length;
    items[current].focus();
    items[current].scrollIntoView({ block: 'nearest' });
  }

  function buildList(entries) {
    var list = document.getElementById('list');
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    items = entries.map(function (entry, i) {
      var li = document.createElement('li');
      li.tabIndex = i;
      li.className = 'list-item';
      li.dataset.id = entry.id;
      var title = document.createElement('p');
      title.className = 'title';
      title.textContent = entry.title;
      li.appendChild(title);
      if (entry.subtitle) {
        var sub = document.createElement('p');
        sub.className = 'subtitle';
        sub.textContent = entry.subtitle;
        li.appendChild(sub);
      }
      list.appendChild(li);
      return li;
    });
    focusItem(0);
  }

  function openSelected() {
    var item = items[current];
    if (!item) {
      return;
    }
    var event = new CustomEvent('item-open', { detail: { id: item.dataset.id } });
    window.dispatchEvent(event);
  }

  function onKeyDown(evt) {
    switch (evt.key) {
      case 'ArrowUp':
        focusItem(current - 1);
        evt.preventDefault();
        break;
      case 'ArrowDown':
        focusItem(current + 1);
        evt.preventDefault();
        break;
      case 'Enter':
        openSelected();
        break;
      case 'SoftLeft':
        window.dispatchEvent(new CustomEvent('options-open'));
        break;
      case 'SoftRight':
      case 'Backspace':
        if (document.activeElement && document.activeElement.tagName === 'INPUT' &&
            document.activeElement.value) {
          return; // let the input delete a character
        }
        evt.preventDefault();
        window.close();
        break;
      default:
        break;
    }
  }

  window.addEventListener('DOMContentLoaded', function () {
    setSoftkeys('softkey-options', 'softkey-select', 'softkey-back');
    buildList([
      { id: 'inbox', title: '收件箱', subtitle: '3 条新消息' },
      { id: 'sent', title: '已发送' },
      { id: 'drafts', title: '草稿', subtitle: '1' }
    ]);
    document.addEventListener('keydown', onKeyDown);
  });
})();
