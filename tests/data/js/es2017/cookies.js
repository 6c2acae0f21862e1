/* Cookie helpers used by a hosted (web) KaiOS app to remember the session.
 * Packaged apps on app:// origins have no useful cookies; hosted apps do.
 */

function readCookie(name) {
  var pairs = document.cookie ? document.cookie.split('; ') : [];
  for (var i = 0; i < pairs.length; i++) {
    var eq = pairs[i].indexOf('=');
    var key = decodeURIComponent(pairs[i].slice(0, eq));
    if (key === name) {
      return decodeURIComponent(pairs[i].slice(eq + 1));
    }
  }
  return null;
}

function writeCookie(name, value, days) {
  var expires = '';
  if (days) {
    var d = new Date();
    d.setTime(d.getTime() + days * 24 * 60 * 60 * 1000);
    expires = '; expires=' + d.toUTCString();
  }
  document.cookie = encodeURIComponent(name) + '=' + encodeURIComponent(value) +
    expires + '; path=/; SameSite=Lax';
}

function deleteCookie(name) {
  document.cookie = encodeURIComponent(name) + '=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
}

function allCookies() {
  var out = {};
  var raw = document.cookie;
  raw.split(/;\s*/).forEach(function (part) {
    if (!part) return;
    var idx = part.indexOf('=');
    out[part.slice(0, idx)] = part.slice(idx + 1);
  });
  return out;
}

// Session bootstrap
var session = readCookie('sid');
if (!session) {
  session = Math.random().toString(36).slice(2);
  writeCookie('sid', session, 30);
}

// Compound assignment on cookie (appends, as the browser treats it)
document.cookie += 'visited=1';
document['cookie'] = 'lang=' + (navigator.language || 'en');

var theme = readCookie('theme') || 'dark';
document.documentElement.className = 'theme-' + theme;

// Non-ASCII values must be encoded: 昵称 = 小明
writeCookie('nickname', '小明 🐼', 365);

document.addEventListener('keydown', function (e) {
  if (e.key === 'SoftLeft') {
    theme = theme === 'dark' ? 'light' : 'dark';
    writeCookie('theme', theme, 365);
    document.documentElement.className = 'theme-' + theme;
  } else if (e.key === 'SoftRight') {
    deleteCookie('sid');
    console.log(allCookies());
  }
});
