'use strict';
/* exported Alarms */

// KaiOS 2.5 has navigator.mozAlarms (DOMRequest); KaiOS 3.0 has
// navigator.b2g.alarmManager (Promise). Same "alarms" permission on both.
var Alarms = {
  add: function (date, data) {
    if (navigator.b2g && navigator.b2g.alarmManager) {
      return navigator.b2g.alarmManager.add({ date: date, ignoreTimezone: true, data: data });
    }
    return new Promise(function (resolve, reject) {
      var req = navigator.mozAlarms.add(date, 'ignoreTimezone', data);
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  },

  clearAll: function () {
    if (navigator.b2g && navigator.b2g.alarmManager) {
      return navigator.b2g.alarmManager.getAll().then(function (alarms) {
        alarms.forEach(function (a) { navigator.b2g.alarmManager.remove(a.id); });
      });
    }
    return new Promise(function (resolve) {
      var req = navigator.mozAlarms.getAll();
      req.onsuccess = function () {
        req.result.forEach(function (a) { navigator.mozAlarms.remove(a.id); });
        resolve();
      };
      req.onerror = function () { resolve(); };
    });
  }
};
