/*
 * Sign-in form of a mail client, ES2017 syntax only (runs on KaiOS 2.5).
 * The e-mail check uses [\w-.+]: a class escape next to a hyphen. JavaScript
 * (Annex B, no u flag) reads the hyphen as a literal; Python's re, which esprima
 * uses to validate regexes, calls it a bad character range, so esprima rejects
 * this valid file.
 */
(function () {
  'use strict';

  var EMAIL = /^[\w-.+]+@[\w-]+(\.[\w-]+)+$/;
  var SERVER = /^(imap|pop3?)\.[\w-.]+$/i;

  var form = document.getElementById('signin');
  var email = form.elements.email;
  var password = form.elements.password;
  var status = document.getElementById('status');

  function guessServer(address) {
    var domain = address.split('@')[1] || '';
    return 'imap.' + domain;
  }

  function validate() {
    var ok = EMAIL.test(email.value.trim());
    email.classList.toggle('invalid', !ok && email.value.length > 0);
    document.getElementById('softkey-right').textContent = ok ? 'Next' : '';
    return ok;
  }

  function signIn() {
    if (!validate()) return;
    var server = form.elements.server.value || guessServer(email.value);
    if (!SERVER.test(server)) {
      status.textContent = 'Check the server name';
      return;
    }
    status.textContent = 'Signing in…';
    fetch('https://mail.example.com/api/accounts', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: email.value.trim(), password: password.value, server: server })
    })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        localStorage.setItem('account', email.value.trim());
        window.location.href = 'inbox.html';
      })
      .catch(function (err) {
        status.textContent = 'Sign-in failed: ' + err.message;
      });
  }

  email.addEventListener('input', validate);

  document.addEventListener('keydown', function (event) {
    switch (event.key) {
      case 'SoftRight':
      case 'Enter':
        signIn();
        break;
      case 'SoftLeft':
        password.type = password.type === 'password' ? 'text' : 'password';
        break;
    }
  });
})();
