/*
 * One-time code autofill: reads the code out of an incoming SMS with named groups,
 * lookbehind and the dotAll flag. Bank messages mix English and Chinese:
 * "您的验证码是 482913，5分钟内有效" or "Your code: 482913".
 */
'use strict';

const CODE_PATTERNS = [
  /(?<=\b(?:code|OTP|PIN)\s*(?:is|:)?\s*)(?<code>\d{4,8})\b/i,
  /(?<=验证码[是为:：]?\s*)(?<code>\d{4,8})/u,
  /(?<![\d.])(?<code>\d{6})(?![\d.])/,
];

const AMOUNT = /(?<currency>[A-Z]{3}|¥|\$)\s?(?<amount>\d{1,3}(?:,\d{3})*(?:\.\d{2})?)/u;
const SIGNATURE = /^【(?<sender>[^】]+)】/u;
const FOOTER = /\n--\n.*$/s;
const DATE = /(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})/;

function extractCode(body) {
  const text = body.replace(FOOTER, '');
  for (const pattern of CODE_PATTERNS) {
    const match = pattern.exec(text);
    if (match?.groups?.code) return match.groups.code;
  }
  return null;
}

function describe(sms) {
  const sender = SIGNATURE.exec(sms.body)?.groups.sender ?? sms.sender;
  const money = sms.body.match(AMOUNT);
  const when = sms.body.replace(DATE, '$<d>/$<m>/$<y>');
  return {
    sender,
    code: extractCode(sms.body),
    amount: money ? `${money.groups.currency} ${money.groups.amount}` : '',
    preview: when.replace(/(?<=^.{60}).+/s, '…'),
  };
}

function showCode(info) {
  const field = document.getElementById('otp');
  field.value = info.code;
  field.focus();
  document.getElementById('otp-source').textContent = `${info.sender} ${info.amount}`.trim();
  document.getElementById('softkey-left').textContent = 'Fill';
}

navigator.mozMobileMessage?.addEventListener('received', (event) => {
  const sms = event.message;
  if (sms?.type !== 'sms') return;
  const info = describe(sms);
  if (info.code) showCode(info);
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'SoftLeft') {
    const code = document.getElementById('otp').value;
    window.opener?.postMessage({ type: 'otp', code }, '*');
    window.close();
  }
});
