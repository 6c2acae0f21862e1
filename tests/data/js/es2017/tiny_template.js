/*!
 * microtpl 0.3 — a very small string template engine (vendored).
 * Compiles "<p>{{ name }}</p>" style templates into functions with new Function.
 * Written for this project's test corpus; mimics how bundled vendor libraries look.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory();
  } else {
    root.microtpl = factory();
  }
}(this, function () {
  'use strict';

  var OPEN = '{{';
  var CLOSE = '}}';
  var cache = {};

  var ESCAPES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;'
  };

  function escapeHtml(value) {
    return String(value == null ? '' : value).replace(/[&<>"']/g, function (ch) {
      return ESCAPES[ch];
    });
  }

  function quote(text) {
    return "'" + text
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/\r/g, '\\r')
      .replace(/\n/g, '\\n')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029') + "'";
  }

  function compile(source) {
    if (cache[source]) {
      return cache[source];
    }
    var body = "var out = '';\nwith (data || {}) {\n";
    var pos = 0;
    while (pos < source.length) {
      var start = source.indexOf(OPEN, pos);
      if (start === -1) {
        body += 'out += ' + quote(source.slice(pos)) + ';\n';
        break;
      }
      body += 'out += ' + quote(source.slice(pos, start)) + ';\n';
      var end = source.indexOf(CLOSE, start + OPEN.length);
      if (end === -1) {
        throw new SyntaxError('microtpl: unclosed tag at ' + start);
      }
      var expr = source.slice(start + OPEN.length, end).trim();
      if (expr.charAt(0) === '=') {
        // raw output: {{= html }}
        body += 'out += (' + expr.slice(1) + ');\n';
      } else if (expr.charAt(0) === '#') {
        // statement: {{# for (var i = 0; i < items.length; i++) { }}
        body += expr.slice(1) + '\n';
      } else {
        body += 'out += escape(' + expr + ');\n';
      }
      pos = end + CLOSE.length;
    }
    body += '}\nreturn out;';
    var fn = new Function('data', 'escape', body);
    var render = function (data) {
      return fn(data, escapeHtml);
    };
    cache[source] = render;
    return render;
  }

  function render(source, data) {
    return compile(source)(data);
  }

  return {
    compile: compile,
    render: render,
    escape: escapeHtml,
    version: '0.3.0'
  };
}));
