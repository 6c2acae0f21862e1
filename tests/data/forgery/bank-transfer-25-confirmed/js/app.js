document.getElementById('app').textContent = 'Welcome to your bank';
