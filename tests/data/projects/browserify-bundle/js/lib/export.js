'use strict';

// Writes the list as a text file to the SD card, then offers to share it.
async function exportList(items) {
  var sdcard = navigator.getDeviceStorage('sdcard');
  var text = items.map(function (it) {
    return (it.done ? '[x] ' : '[ ] ') + it.name + (it.qty > 1 ? ' x' + it.qty : '');
  }).join('\n');
  var blob = new Blob([text], { type: 'text/plain' });
  var name = 'groceries/list-' + Date.now() + '.txt';

  var path = await new Promise(function (resolve, reject) {
    var req = sdcard.addNamed(blob, name);
    req.onsuccess = function () { resolve(req.result); };
    req.onerror = function () { reject(req.error); };
  });

  var share = new MozActivity({
    name: 'share',
    data: { type: 'text/plain', number: 1, blobs: [blob], filenames: [name.split('/').pop()], filepaths: [path] }
  });
  share.onerror = function () { console.warn('share cancelled'); };
  return path;
}

module.exports = exportList;
