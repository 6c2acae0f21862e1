// error: line 7 col 3
// An ES module cannot return at top level. (In a .js file node --check accepts it:
// CommonJS wraps the file in a function.)
import { init } from './app.mjs';

if (!navigator.mozApps) {
  return;
}
init();
