'use strict';

// Loads the episode list and handles the softkeys.
(function () {
  var list = document.getElementById('episodes');

  function render(episodes) {
    list.textContent = '';
    episodes.forEach(function (episode) {
      var item = document.createElement('li');
      item.textContent = episode.title;
      item.tabIndex = 0;
      list.appendChild(item);
    });
  }

  function load(url) {
    var xhr = new XMLHttpRequest({ mozSystem: true });
    xhr.open('GET', url);
    xhr.onload = function () { render(JSON.parse(xhr.responseText).episodes || []); };
    xhr.send();
  }

  function save(name, blob) {
    var sdcard = navigator.getDeviceStorage('sdcard');
    var request = sdcard.addNamed(blob, 'podcasts/' + name);
    request.onsuccess = function () { list.dataset.saved = name; };
  }

  function refreshArtwork() {
    fetch('http://demo.example.com/artwork.json').then(function (response) {
      return response.json();
    });
  }

  document.addEventListener('keydown', function (event) {
    if (event.key === 'SoftLeft') { load('https://demo.example.com/feed.json'); }
    if (event.key === 'SoftRight') { save(event.target.textContent, new Blob()); }
  });
  setInterval('refreshArtwork()', 60 * 60 * 1000);
})();
