// KaiAds integration for a casual game (KaiStore rules: ads on pause and game over).
// The SDK (kaiads.v5.min.js) is loaded by a <script> tag and defines getKaiAd.

var AdManager = {
  preloaded: null,
  lastShown: 0,
  minGapMs: 60 * 1000,

  preload: function () {
    var self = this;
    getKaiAd({
      publisher: 'your-publisher-id-0000',
      app: 'snake-deluxe',
      slot: 'fullscreen',
      test: 1,
      timeout: 8000,
      onerror: function (err) {
        console.warn('KaiAds error', err);
        self.preloaded = null;
      },
      onready: function (ad) {
        self.preloaded = ad;
        ad.on('close', function () {
          self.preloaded = null;
          Game.resume();
          self.preload();
        });
        ad.on('display', function () {
          self.lastShown = Date.now();
        });
      }
    });
  },

  show: function () {
    if (!this.preloaded) {
      return false;
    }
    if (Date.now() - this.lastShown < this.minGapMs) {
      return false;
    }
    Game.pause();
    this.preloaded.call('display');
    return true;
  },

  banner: function (container) {
    // responsive banner ad, no onerror handler
    getKaiAd({
      publisher: 'your-publisher-id-0000',
      app: 'snake-deluxe',
      slot: 'banner',
      h: 36,
      w: 216,
      container: container,
      onready: function (ad) {
        ad.call('display', {
          tabindex: 0,
          navClass: 'items',
          display: 'block'
        });
      }
    });
  }
};

var Game = {
  running: false,
  score: 0,
  pause: function () {
    this.running = false;
    document.body.classList.add('paused');
  },
  resume: function () {
    this.running = true;
    document.body.classList.remove('paused');
  },
  over: function () {
    this.pause();
    document.getElementById('final').textContent = 'Game over 😵 ' + this.score;
    AdManager.show();
  }
};

window.addEventListener('load', function () {
  AdManager.preload();
  AdManager.banner(document.getElementById('ad-slot'));
});

document.addEventListener('keydown', function (e) {
  if (e.key === 'SoftLeft') {
    if (Game.running) {
      Game.pause();
      AdManager.show();
    } else {
      Game.resume();
    }
  }
});
