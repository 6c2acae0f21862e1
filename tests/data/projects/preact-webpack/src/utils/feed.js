// Feeds live on other origins: a privileged app can read them with a
// system XHR (no CORS). Needs the systemXHR permission.
export function fetchFeed(url) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest({ mozSystem: true });
    xhr.open('GET', url, true);
    xhr.responseType = 'document';
    xhr.timeout = 15000;
    xhr.onload = () => {
      if (xhr.status !== 200 || !xhr.responseXML) {
        reject(new Error(`HTTP ${xhr.status}`));
        return;
      }
      resolve(parseItems(xhr.responseXML));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.ontimeout = () => reject(new Error('timeout'));
    xhr.send();
  });
}

function parseItems(doc) {
  const nodes = [...doc.querySelectorAll('item, entry')];
  return nodes.slice(0, 50).map((node) => {
    const text = (sel) => node.querySelector(sel)?.textContent.trim() ?? '';
    const linkEl = node.querySelector('link');
    return {
      title: text('title'),
      link: linkEl ? linkEl.getAttribute('href') || linkEl.textContent.trim() : '',
      date: text('pubDate') || text('updated')
    };
  });
}
