// Entry point: two views, chosen by the URL's hash; no inline script (the CSP forbids it).
import { showHealth } from './health.js';
import { showTrace } from './trace.js';

function route() {
  const trace = location.hash.startsWith('#trace');
  document.getElementById('health').hidden = trace;
  document.getElementById('trace').hidden = !trace;
  if (trace) showTrace();
  else showHealth();
}

window.addEventListener('hashchange', route);
route();
