/*
 * Service worker registration, guarded in every way people write it.
 * KaiOS 2.5 (Gecko 48) has no service workers for packaged apps, so each call
 * below is guarded; a rule that looks for unguarded use should find none here.
 */

// Form 1: the `in` check.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').then(function (reg) {
    console.log('registered', reg.scope);
  });
}

// Form 2: truthiness of the property.
if (navigator.serviceWorker) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' });
}

// Form 3: early return inside a function.
function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js');
}

// Form 3b: early return with a block and a negated property test.
function registerWorkerBlock(path) {
  if (!navigator.serviceWorker) {
    console.info('no service worker support');
    return false;
  }
  navigator.serviceWorker.register(path).catch(function (err) {
    console.warn('sw failed', err);
  });
  return true;
}

// Form 4: inside try/catch (throws TypeError when undefined).
function tryRegister() {
  try {
    navigator.serviceWorker.register('/sw.js');
  } catch (e) {
    console.log('service workers unavailable');
  }
}

// Form 5: && chain.
navigator.serviceWorker && navigator.serviceWorker.register('/sw.js');
'serviceWorker' in navigator && navigator.serviceWorker.register('/sw.js');

// Form 6: secure-context check combined with the feature test.
if (window.isSecureContext && 'serviceWorker' in navigator) {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('/sw.js');
  });
}

// Form 7: ternary.
var swReady = navigator.serviceWorker
  ? navigator.serviceWorker.register('/sw.js')
  : Promise.resolve(null);

// Form 8: typeof check.
if (typeof navigator.serviceWorker !== 'undefined') {
  navigator.serviceWorker.register('/sw.js');
}

// Form 9: async function with await inside a guard.
async function registerAsync() {
  if ('serviceWorker' in navigator) {
    const registration = await navigator.serviceWorker.register('/sw.js');
    await registration.update();
    return registration;
  }
  return null;
}

registerWorker();
registerWorkerBlock('/sw.js');
tryRegister();
registerAsync().then(function (r) {
  return swReady.then(function () {
    return r;
  });
});
