"""Starting points for files a fix creates (their content is the KaiOS way of doing it)."""

from __future__ import annotations

SERVICE_WORKER = """// KaiOS 3.0 delivers activities and system messages to the service worker.
self.addEventListener('systemmessage', (event) => {
  if (event.name === 'activity') {
    const handler = event.data.webActivityRequestHandler();
    // Open the app (or an inline window) and answer with handler.postResult(...) / postError(...).
    event.waitUntil(clients.openWindow('/index.html', { disposition: 'inline' }));
    return;
  }
  // Other system messages (alarm, notification...) arrive here too.
});
"""
