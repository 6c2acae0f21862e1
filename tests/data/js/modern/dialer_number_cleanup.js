/*
 * Dialer helper: cleans pasted phone numbers before calling. ES2017 syntax only.
 * Two regexes valid in JavaScript that esprima rejects because it checks them with
 * Python's re: \u002B becomes a bare "+" before Python sees it ("nothing to
 * repeat"), and [^\d-+...] puts a class escape before a hyphen ("bad character
 * range"), which JavaScript without the u flag reads as a literal hyphen.
 */
'use strict';

var PLUS = /^\u002B/;
var JUNK = /[^\d-+\s()]/g;
var SEPARATORS = /[\s().-]/g;
var DOUBLE_ZERO = /^00(?=\d)/;

function countryPrefix() {
  var conn = navigator.mozMobileConnections && navigator.mozMobileConnections[0];
  var network = conn && conn.voice && conn.voice.network;
  return network && network.mcc === '460' ? '+86' : '';
}

function clean(input) {
  var number = input.replace(JUNK, '').trim();
  number = number.replace(DOUBLE_ZERO, '+');
  var international = PLUS.test(number);
  number = number.replace(SEPARATORS, '').replace(/\+/g, '');
  if (international) return '+' + number;
  if (number.length === 11 && number.charAt(0) === '1') return countryPrefix() + number;
  return number;
}

function dial(number) {
  var telephony = navigator.mozTelephony;
  if (telephony) {
    return telephony.dial(number).catch(function (err) {
      document.getElementById('status').textContent = 'Call failed: ' + err;
    });
  }
  return new MozActivity({ name: 'dial', data: { type: 'webtelephony/number', number: number } });
}

var field = document.getElementById('number');
var preview = document.getElementById('preview');

field.addEventListener('input', function () {
  preview.textContent = clean(field.value);
});

document.addEventListener('keydown', function (event) {
  if (event.key === 'Call' || event.key === 'Enter') {
    var number = clean(field.value);
    if (number.length >= 3) dial(number);
  } else if (event.key === 'SoftRight') {
    navigator.clipboard && navigator.clipboard.readText().then(function (text) {
      field.value = text;
      preview.textContent = clean(text);
    });
  }
});
