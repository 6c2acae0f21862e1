// Device info panel for a certified/privileged KaiOS 2.5 tool app.
// Reads settings, mobile connections, power and the app's own record.

var SettingsPanel = (function () {
  var rows = {};

  function row(key, labelText) {
    var li = document.createElement('li');
    var label = document.createElement('span');
    label.className = 'label';
    label.textContent = labelText;
    var value = document.createElement('span');
    value.className = 'value';
    value.textContent = '…';
    li.appendChild(label);
    li.appendChild(value);
    document.getElementById('info').appendChild(li);
    rows[key] = value;
  }

  function set(key, text) {
    if (rows[key]) {
      rows[key].textContent = text;
    }
  }

  function readSettings() {
    var lock = navigator.mozSettings.createLock();
    var req = lock.get('deviceinfo.os');
    req.onsuccess = function () {
      set('os', req.result['deviceinfo.os']);
    };
    req.onerror = function () {
      set('os', '?');
    };
    var lang = navigator.mozSettings.createLock().get('language.current');
    lang.onsuccess = function () {
      set('lang', lang.result['language.current']);
    };
  }

  function toggleWifi(on) {
    var lock = navigator.mozSettings.createLock();
    lock.set({ 'wifi.enabled': on });
  }

  function readNetworks() {
    var conns = navigator.mozMobileConnections;
    if (!conns || conns.length === 0) {
      set('sim', 'No SIM');
      return;
    }
    var parts = [];
    for (var i = 0; i < conns.length; i++) {
      var voice = conns[i].voice;
      if (voice && voice.network) {
        parts.push('SIM' + (i + 1) + ': ' + voice.network.shortName + ' (' + voice.type + ')');
      } else {
        parts.push('SIM' + (i + 1) + ': —');
      }
    }
    set('sim', parts.join(', '));
  }

  function readPower() {
    var power = navigator.mozPower;
    set('screen', power.screenEnabled ? 'on' : 'off');
    set('brightness', Math.round(power.screenBrightness * 100) + '%');
    var battery = navigator.battery || navigator.mozBattery;
    if (battery) {
      set('battery', Math.round(battery.level * 100) + '%' + (battery.charging ? ' ⚡' : ''));
    }
  }

  function keepScreenOn(seconds) {
    var wakeLock = navigator.requestWakeLock('screen');
    setTimeout(function () {
      wakeLock.unlock();
    }, seconds * 1000);
  }

  function readSelf() {
    var req = navigator.mozApps.getSelf();
    req.onsuccess = function () {
      var app = req.result;
      if (app) {
        set('version', app.manifest.version || '?');
        set('origin', app.origin);
      }
    };
  }

  return {
    init: function () {
      row('os', 'OS');
      row('lang', 'Language / 语言');
      row('sim', 'SIM');
      row('screen', 'Screen');
      row('brightness', 'Brightness');
      row('battery', 'Battery 🔋');
      row('version', 'Version');
      row('origin', 'Origin');
      readSettings();
      readNetworks();
      readPower();
      readSelf();
    },
    toggleWifi: toggleWifi,
    keepScreenOn: keepScreenOn
  };
})();

window.onload = function () {
  SettingsPanel.init();
  window.addEventListener('keydown', function (e) {
    if (e.key === 'SoftLeft') SettingsPanel.toggleWifi(true);
    if (e.key === 'SoftRight') SettingsPanel.toggleWifi(false);
    if (e.key === 'Enter') SettingsPanel.keepScreenOn(60);
  });
};
