/*
 * Minimal IRC-style chat client over a raw TCP socket.
 * Needs the "tcp-socket" permission (privileged app on KaiOS 2.5).
 */

function ChatClient(host, port, nick) {
  this.host = host;
  this.port = port;
  this.nick = nick;
  this.socket = null;
  this.buffer = '';
  this.onLine = function () {};
}

ChatClient.prototype.connect = function () {
  var self = this;
  this.socket = navigator.mozTCPSocket.open(this.host, this.port, {
    binaryType: 'string',
    useSecureTransport: false
  });
  this.socket.onopen = function () {
    self.send('NICK ' + self.nick);
    self.send('USER ' + self.nick + ' 0 * :KaiOS user');
  };
  this.socket.ondata = function (evt) {
    self.buffer += evt.data;
    var lines = self.buffer.split('\r\n');
    self.buffer = lines.pop();
    lines.forEach(function (line) {
      if (line.indexOf('PING ') === 0) {
        self.send('PONG ' + line.slice(5));
      } else {
        self.onLine(line);
      }
    });
  };
  this.socket.onerror = function (evt) {
    self.onLine('*** error: ' + (evt.data && evt.data.name));
  };
  this.socket.onclose = function () {
    self.onLine('*** disconnected');
    self.socket = null;
  };
};

ChatClient.prototype.send = function (line) {
  if (this.socket && this.socket.readyState === 'open') {
    this.socket.send(line + '\r\n');
  }
};

ChatClient.prototype.say = function (channel, text) {
  this.send('PRIVMSG ' + channel + ' :' + text);
};

ChatClient.prototype.close = function () {
  if (this.socket) {
    this.send('QUIT :bye 👋');
    this.socket.close();
  }
};

// TLS variant, no handlers attached
function probeSecure(host) {
  var s = navigator.mozTCPSocket.open(host, 6697, { useSecureTransport: true });
  return s;
}

var client = new ChatClient('irc.example.net', 6667, 'kai' + Math.floor(Math.random() * 1000));
var log = document.getElementById('log');
client.onLine = function (line) {
  var p = document.createElement('p');
  p.textContent = line;
  log.appendChild(p);
  log.scrollTop = log.scrollHeight;
};

document.addEventListener('keydown', function (e) {
  var input = document.getElementById('input');
  if (e.key === 'Enter' && input.value) {
    client.say('#kaios', input.value);
    input.value = '';
  } else if (e.key === 'SoftLeft') {
    client.connect();
  } else if (e.key === 'SoftRight') {
    client.close();
  } else if (e.key === '0') {
    probeSecure('irc.example.net');
  }
});
