// 🎧 Download a track with a system XHR and save it to the music storage.
// Privileged app: needs "systemXHR" and "device-storage:music" write access.

function saveTrack(url, name, done) {
  var xhr = new XMLHttpRequest({ mozSystem: true });
  xhr.open('GET', url, true);
  xhr.responseType = 'blob';
  xhr.onload = function () {
    if (xhr.status !== 200) {
      done(new Error('HTTP ' + xhr.status));
      return;
    }
    var music = navigator.getDeviceStorage('music');
    // No onerror here: a full card or an existing name fails silently.
    var request = music.addNamed(xhr.response, 'podcasts/' + name);
    request.onsuccess = function () {
      done(null, request.result);
    };
  };
  xhr.onerror = function () {
    done(new Error('network error'));
  };
  xhr.send();
}

function saveTrackChecked(blob, name) {
  return new Promise(function (resolve, reject) {
    var music = navigator.getDeviceStorage('music');
    var request = music.addNamed(blob, name);
    request.onsuccess = function () {
      resolve(request.result);
    };
    request.onerror = function () {
      reject(request.error);
    };
  });
}

var queue = [
  { url: 'https://cdn.example.com/ep/001.mp3', name: '第一集 🎧.mp3' },
  { url: 'https://cdn.example.com/ep/002.mp3', name: 'Épisode 2.mp3' }
];

function next() {
  var item = queue.shift();
  if (!item) {
    document.getElementById('state').textContent = '✅ done';
    return;
  }
  document.getElementById('state').textContent = '⬇ ' + item.name;
  saveTrack(item.url, item.name, function (err, savedPath) {
    if (err) {
      console.warn('skipped', item.name, err.message);
    } else {
      console.log('saved to', savedPath);
    }
    next();
  });
}

window.addEventListener('keydown', function (e) {
  if (e.key === 'Call' || e.key === 'Enter') {
    next();
  }
});
