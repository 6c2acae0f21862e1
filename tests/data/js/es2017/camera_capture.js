// QR scanner: camera stream via getUserMedia, with a MozActivity fallback
// that asks the system camera app for a picture instead. 📷

var video = document.getElementById('viewfinder');
var canvas = document.getElementById('frame');
var currentStream = null;

// Promise form, with .catch
function startCamera() {
  return navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
    .then(function (stream) {
      currentStream = stream;
      video.srcObject = stream;
      return video.play();
    })
    .catch(function (err) {
      console.warn('camera unavailable:', err.name);
      return pickWithActivity();
    });
}

// Promise form, WITHOUT .catch: a denied permission is an unhandled rejection
function startMicMeter() {
  navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
    var ctx = new AudioContext();
    var source = ctx.createMediaStreamSource(stream);
    var analyser = ctx.createAnalyser();
    source.connect(analyser);
    var data = new Uint8Array(analyser.frequencyBinCount);
    setInterval(function () {
      analyser.getByteFrequencyData(data);
      var peak = 0;
      for (var i = 0; i < data.length; i++) {
        if (data[i] > peak) peak = data[i];
      }
      document.getElementById('meter').style.width = (peak / 2.55) + '%';
    }, 100);
  });
}

// async/await without try: same problem
async function snapshot() {
  const stream = await navigator.mediaDevices.getUserMedia({ video: true });
  const track = stream.getVideoTracks()[0];
  const settings = track.getSettings();
  canvas.width = settings.width || 240;
  canvas.height = settings.height || 320;
  canvas.getContext('2d').drawImage(video, 0, 0);
  track.stop();
  return canvas.toDataURL('image/jpeg', 0.8);
}

// async/await with try/catch: fine
async function snapshotSafe() {
  try {
    return await snapshot();
  } catch (e) {
    return null;
  }
}

// then(ok, fail) form: also handled
function startFront() {
  navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user' } }).then(function (s) {
    video.srcObject = s;
  }, function (err) {
    console.error(err);
  });
}

function pickWithActivity() {
  return new Promise(function (resolve, reject) {
    var activity = new MozActivity({
      name: 'pick',
      data: { type: ['image/jpeg', 'image/png'] }
    });
    activity.onsuccess = function () {
      resolve(this.result.blob);
    };
    activity.onerror = function () {
      reject(this.error);
    };
  });
}

function shareResult(text) {
  // share activity, no handlers at all
  new MozActivity({
    name: 'share',
    data: { type: 'text/plain', blobs: [new Blob([text], { type: 'text/plain' })] }
  });
}

function stopCamera() {
  if (currentStream) {
    currentStream.getTracks().forEach(function (t) { t.stop(); });
    currentStream = null;
  }
}

document.addEventListener('keydown', function (e) {
  if (e.key === 'Enter') startCamera();
  if (e.key === 'SoftLeft') startMicMeter();
  if (e.key === 'SoftRight') stopCamera();
  if (e.key === '1') startFront();
  if (e.key === '2') {
    snapshotSafe().then(function (url) {
      if (url) shareResult(url);
    });
  }
});
