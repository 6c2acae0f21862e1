document.getElementById('app').textContent = 'Reminders';
