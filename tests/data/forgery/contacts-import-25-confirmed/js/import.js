navigator.mozSetMessageHandler('activity', function (request) {
  var card = request.source.data.contact;
  // read-only: show who is being imported
  document.getElementById('app').textContent = card.first + ' ' + card.last;
  if (window.confirm('Add ' + card.first + ' ' + card.last + ' to your contacts?')) {
    var contact = new mozContact({ givenName: [card.first], familyName: [card.last], tel: [{ value: card.phone }] });
    navigator.mozContacts.save(contact).then(function () {
      request.postResult(true);
    });
  }
});
