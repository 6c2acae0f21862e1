self.addEventListener('systemmessage', function (event) {
  if (event.name !== 'activity') {
    return;
  }
  var handler = event.data.webActivityRequestHandler();
  var shared = handler.source.data;
  event.waitUntil(
    fetch('https://bookmarks.example.com/api/save', {
      method: 'POST',
      credentials: 'include',
      body: JSON.stringify({ url: shared.url, title: shared.title })
    }).then(function () {
      handler.postResult({ saved: true });
    })
  );
});
