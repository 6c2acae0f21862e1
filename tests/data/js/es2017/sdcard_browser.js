/**
 * File browser over DeviceStorage (KaiOS 2.5, "device-storage:sdcard" permission).
 * Some requests have onerror handlers, some do not (the rule should flag those).
 */
(function () {
  var storageType = localStorage.getItem('browser.storage') || 'sdcard';
  var listEl = document.getElementById('files');
  var statusEl = document.getElementById('status');

  function status(text) {
    statusEl.textContent = text;
  }

  function addRow(file) {
    var row = document.createElement('li');
    row.tabIndex = 0;
    var name = file.name.split('/').pop();
    row.textContent = name + ' — ' + Math.round(file.size / 1024) + ' KB';
    row.dataset.path = file.name;
    listEl.appendChild(row);
  }

  // 1. enumerate with a variable storage type, with onerror
  function listAll() {
    var storage = navigator.getDeviceStorage(storageType);
    if (!storage) {
      status('No ' + storageType + ' storage');
      return;
    }
    var cursor = storage.enumerate();
    var count = 0;
    cursor.onsuccess = function () {
      if (this.result) {
        addRow(this.result);
        count++;
        this.continue();
      } else {
        status(count + ' files');
      }
    };
    cursor.onerror = function () {
      status('Enumerate failed: ' + this.error.name);
    };
  }

  // 2. get() on the literal 'sdcard' type, WITHOUT onerror
  function preview(path) {
    var sdcard = navigator.getDeviceStorage('sdcard');
    var request = sdcard.get(path);
    request.onsuccess = function () {
      var file = request.result;
      var url = URL.createObjectURL(file);
      var img = document.getElementById('preview');
      img.onload = function () {
        URL.revokeObjectURL(url);
      };
      img.src = url;
    };
  }

  // 3. delete with both handlers assigned through addEventListener
  function remove(path) {
    var sdcard = navigator.getDeviceStorage('sdcard');
    var request = sdcard.delete(path);
    request.addEventListener('success', function () {
      status('Deleted ' + path);
      listEl.innerHTML = '';
      listAll();
    });
    request.addEventListener('error', function () {
      status('Could not delete ' + path);
    });
  }

  // 4. free space check, no error handler at all
  function showFreeSpace() {
    var pictures = navigator.getDeviceStorage('pictures');
    pictures.freeSpace().onsuccess = function (e) {
      var mb = e.target.result / (1024 * 1024);
      status('Free: ' + mb.toFixed(1) + ' MB');
    };
  }

  document.addEventListener('keydown', function (e) {
    var focused = document.activeElement;
    if (e.key === 'Enter' && focused && focused.dataset.path) {
      preview(focused.dataset.path);
    } else if (e.key === 'SoftLeft' && focused && focused.dataset.path) {
      remove(focused.dataset.path);
    } else if (e.key === 'SoftRight') {
      showFreeSpace();
    }
  });

  listAll();
})();
