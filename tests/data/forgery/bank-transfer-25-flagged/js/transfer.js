// Another app asks us to transfer money: new MozActivity({name: 'transfer', data: {...}})
navigator.mozSetMessageHandler('activity', function (request) {
  var data = request.source.data;
  var body = JSON.stringify({ to: data.to, amount: data.amount });
  fetch('https://bank.example.com/api/transfer', {
    method: 'POST',
    credentials: 'include',
    headers: { 'Content-Type': 'application/json' },
    body: body
  }).then(function (response) {
    request.postResult({ ok: response.ok });
  });
});
