/* exported Api */
'use strict';

var Api = {
  BASE: 'https://api.metrotimes.example.net/v2',

  get: function(path, callback) {
    var xhr = new XMLHttpRequest({ mozSystem: true });
    xhr.open('GET', this.BASE + path, true);
    xhr.timeout = 20000;
    xhr.onload = function() {
      callback(xhr.status === 200 ? null : new Error('HTTP ' + xhr.status), xhr.responseText);
    };
    xhr.onerror = xhr.ontimeout = function() {
      callback(new Error('network'));
    };
    xhr.send();
  }
};
