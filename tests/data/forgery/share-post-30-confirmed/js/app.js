var shared = new URLSearchParams(location.search).get('url');
document.getElementById('app').textContent = shared || 'Bookmarks';
// read-only: search with it (a GET)
fetch('https://bookmarks.example.com/api/search?q=' + encodeURIComponent(shared));
document.addEventListener('keydown', function (event) {
  if (event.key === 'SoftRight' && shared) {
    fetch('https://bookmarks.example.com/api/save', { method: 'POST', credentials: 'include', body: JSON.stringify({ url: shared }) });
  }
});
