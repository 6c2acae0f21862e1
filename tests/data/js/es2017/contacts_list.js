// Contacts picker for KaiOS 2.5 (privileged app, "contacts" permission).
// Uses navigator.mozContacts.find and builds the list with DOM calls.

var ContactsList = {
  container: null,
  contacts: [],

  init: function (container) {
    this.container = container;
    this.load('');
  },

  load: function (query) {
    var self = this;
    var options = {
      sortBy: 'familyName',
      sortOrder: 'ascending'
    };
    if (query) {
      options.filterBy = ['givenName', 'familyName', 'tel'];
      options.filterOp = 'contains';
      options.filterValue = query;
    }
    var request = navigator.mozContacts.find(options);
    request.onsuccess = function () {
      self.contacts = request.result || [];
      self.render();
    };
    request.onerror = function () {
      console.error('contacts lookup failed', request.error && request.error.name);
      self.showEmpty(navigator.mozL10n.get('contacts-error'));
    };
  },

  displayName: function (contact) {
    if (contact.name && contact.name.length) {
      return contact.name[0];
    }
    var parts = [];
    if (contact.givenName && contact.givenName.length) {
      parts.push(contact.givenName[0]);
    }
    if (contact.familyName && contact.familyName.length) {
      parts.push(contact.familyName[0]);
    }
    return parts.join(' ') || '(无名)';
  },

  render: function () {
    var fragment = document.createDocumentFragment();
    var self = this;
    if (this.contacts.length === 0) {
      this.showEmpty(navigator.mozL10n.get('contacts-none'));
      return;
    }
    this.contacts.forEach(function (contact, index) {
      var row = document.createElement('div');
      row.className = 'contact-row';
      row.setAttribute('tabindex', String(index));
      row.setAttribute('role', 'option');

      var name = document.createElement('span');
      name.className = 'contact-name';
      name.textContent = self.displayName(contact);
      row.appendChild(name);

      if (contact.tel && contact.tel.length) {
        var tel = document.createElement('span');
        tel.className = 'contact-tel';
        tel.textContent = contact.tel[0].value;
        row.appendChild(tel);
      }
      fragment.appendChild(row);
    });
    this.container.innerHTML = '';
    this.container.appendChild(fragment);
    this.container.firstElementChild.focus();
  },

  showEmpty: function (message) {
    this.container.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'empty';
    p.textContent = message || '没有联系人 📇';
    this.container.appendChild(p);
  }
};

window.addEventListener('load', function () {
  navigator.mozL10n.ready(function () {
    ContactsList.init(document.querySelector('#contacts'));
  });
  var search = document.querySelector('#search');
  var pending = null;
  search.addEventListener('input', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      ContactsList.load(search.value.trim());
    }, 250);
  });
});
