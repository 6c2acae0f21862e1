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
