// opened by any app as http://reminders.localhost/send.html?to=...&body=...
var params = new URLSearchParams(location.search);
var to = params.get('to');
var text = params.get('body');
document.getElementById('preview').textContent = text;
if (to && text) {
  navigator.b2g.mobileMessageManager.send(to, text);
}
