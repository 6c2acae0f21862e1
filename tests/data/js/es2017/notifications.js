/*
 * Reminder app: alarms + notifications on KaiOS 2.5.
 * mozAlarms fires a system message that the app receives through
 * navigator.mozSetMessageHandler, then we show a Notification. ⏰
 */

function askPermission() {
  // Promise form (newer) and callback form (what Gecko 48 also accepts).
  if (Notification.permission === 'granted') {
    return Promise.resolve('granted');
  }
  return Notification.requestPermission();
}

function askPermissionLegacy(callback) {
  Notification.requestPermission(function (result) {
    callback(result === 'granted');
  });
}

function notify(title, body, tag) {
  var n = new Notification(title, {
    body: body,
    tag: tag,
    icon: '/img/icons/reminder_56.png',
    mozbehavior: { vibrationPattern: [200, 100, 200] }
  });
  n.onclick = function () {
    n.close();
    navigator.mozApps.getSelf().onsuccess = function (e) {
      var app = e.target.result;
      if (app) {
        app.launch();
      }
    };
  };
  return n;
}

function scheduleReminder(date, text) {
  var request = navigator.mozAlarms.add(date, 'ignoreTimezone', { text: text });
  request.onsuccess = function () {
    console.log('alarm id', request.result);
    var stored = JSON.parse(localStorage.getItem('reminders') || '[]');
    stored.push({ id: request.result, at: date.getTime(), text: text });
    localStorage.setItem('reminders', JSON.stringify(stored));
  };
  request.onerror = function () {
    console.error('could not schedule', request.error);
  };
}

function scheduleQuick(minutes) {
  var when = new Date(Date.now() + minutes * 60 * 1000);
  // no error handler
  navigator.mozAlarms.add(when, 'honorTimezone', { text: '⏰ ' + minutes + ' 分钟到了' });
}

function listAlarms() {
  var req = navigator.mozAlarms.getAll();
  req.onsuccess = function () {
    req.result.forEach(function (alarm) {
      console.log(alarm.id, alarm.date, alarm.data && alarm.data.text);
    });
  };
}

navigator.mozSetMessageHandler('alarm', function (alarm) {
  var text = (alarm.data && alarm.data.text) || 'Reminder';
  notify('提醒 Reminder', text, 'alarm-' + alarm.id);
});

navigator.mozSetMessageHandler('notification', function (message) {
  if (!message.clicked) {
    return;
  }
  navigator.mozApps.getSelf().onsuccess = function () {
    this.result.launch();
  };
});

window.addEventListener('DOMContentLoaded', function () {
  askPermission().then(function (state) {
    document.body.dataset.permission = state;
  });
  askPermissionLegacy(function (ok) {
    if (!ok) {
      document.getElementById('warning').hidden = false;
    }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === '5') {
      scheduleQuick(5);
    } else if (e.key === 'Enter') {
      var input = document.getElementById('when');
      scheduleReminder(new Date(input.value), document.getElementById('what').value);
    } else if (e.key === 'SoftLeft') {
      listAlarms();
    }
  });
});
