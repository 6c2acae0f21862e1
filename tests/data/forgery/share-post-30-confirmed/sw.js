self.addEventListener('systemmessage', function (event) {
  if (event.name !== 'activity') {
    return;
  }
  var handler = event.data.webActivityRequestHandler();
  var shared = handler.source.data;
  // the user decides in the app's window
  event.waitUntil(clients.openWindow('/index.html?url=' + encodeURIComponent(shared.url)));
});
