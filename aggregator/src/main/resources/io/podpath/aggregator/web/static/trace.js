// The trace view: the form (completion from the inventory), a POST carrying the header that the
// server requires of every trace, the server's SVG (the same as `podpath trace -o svg`), the
// verdicts, raw evidence on demand, and the URL updated so that it reproduces the trace.
import { parseTraceQuery, traceQuery } from './grid.js';

let wired = false;

export function showTrace() {
  const form = document.getElementById('trace-form');
  if (!wired) {
    wired = true;
    form.onsubmit = (ev) => {
      ev.preventDefault();
      run(Object.fromEntries(new FormData(form)));
    };
    for (const name of ['source', 'destination']) {
      form.elements[name].oninput = (ev) => complete(ev.target.value);
    }
  }
  const q = parseTraceQuery(location.hash.replace(/^#trace\??/, ''));
  for (const [k, v] of Object.entries(q)) {
    const el = form.elements[k];
    if (el.type === 'checkbox') el.checked = v === 'true';
    else el.value = v;
  }
  if (q.source && q.destination && document.body.dataset.traced !== traceQuery(q)) run(q);
}

async function complete(text) {
  const res = await fetch(`/api/complete?q=${encodeURIComponent(text)}`);
  if (!res.ok) return;
  const body = await res.json();
  const list = document.getElementById('completions');
  list.replaceChildren(...body.items.map((i) => {
    const o = document.createElement('option');
    o.value = i.value;
    o.label = i.hint;
    return o;
  }));
}

async function run(form) {
  const status = document.getElementById('trace-status');
  const query = traceQuery(form);
  document.body.dataset.traced = query;
  history.replaceState(null, '', `#trace?${query}`);
  status.textContent = 'tracing…';
  status.className = '';
  document.body.dataset.trace = 'running';
  const res = await fetch('/api/trace', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-Podpath-Request': 'trace' },
    body: JSON.stringify({ ...form, fragment: form.fragment === 'true', verbose: form.verbose === 'on' }),
  });
  const body = await res.json();
  if (!res.ok) {
    status.textContent = body.error;
    status.className = 'error';
    document.body.dataset.trace = 'error';
    return;
  }
  status.textContent = body.result.outcome;
  status.dataset.reached = String(body.result.reached);
  const verdicts = document.getElementById('trace-verdicts');
  const result = body.result;
  verdicts.replaceChildren(...result.endpoints.map((e) => {
    const d = document.createElement('div');
    for (const [dir, r] of [['forward', e.forward], ['reply', e.reply]]) {
      if (!r) continue;
      const s = document.createElement('span');
      s.className = `verdict v-${r.verdict}`;
      s.dataset.direction = dir;
      s.textContent = `${e.endpoint} ${dir} ${r.verdict}`;
      d.append(s);
    }
    return d;
  }));
  const svg = new DOMParser().parseFromString(body.svg, 'image/svg+xml').documentElement;
  document.getElementById('trace-picture').replaceChildren(document.importNode(svg, true));
  document.getElementById('trace-json').textContent = JSON.stringify(result, null, 2);
  document.getElementById('trace-raw').hidden = false;
  document.body.dataset.trace = 'done';
}
