document.getElementById('app').textContent = 'Bookmarks';
