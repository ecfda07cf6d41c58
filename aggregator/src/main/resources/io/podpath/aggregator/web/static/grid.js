// Pure functions of the health grid (no DOM): tested with node --test.
export const STATUS = ['unspecified', 'ok', 'warn', 'fail', 'unknown', 'n/a', 'unreachable'];
const SEVERITY = [1, 0, 3, 5, 2, 0, 4];

export function statusName(code) {
  return STATUS[code] ?? 'unknown';
}

export function severity(code) {
  return SEVERITY[code] ?? 2;
}

/** The worst status of a node's row. */
export function worst(row) {
  let w = 0;
  for (const s of row.s) if (severity(s) > w) w = severity(s);
  return w;
}

/** Problems first (worst row first), then by name; filtered by node or check name. */
export function arrange(nodes, checks, query) {
  const q = (query || '').trim().toLowerCase();
  let cols = checks.map((id, i) => ({ id, i }));
  let rows = nodes;
  if (q) {
    const byCheck = cols.filter((c) => c.id.includes(q));
    if (byCheck.length > 0) cols = byCheck;
    else rows = nodes.filter((n) => n.n.toLowerCase().includes(q));
  }
  const ranked = rows.map((n) => ({ n, w: cols.reduce((m, c) => Math.max(m, severity(n.s[c.i])), 0) }));
  ranked.sort((a, b) => b.w - a.w || (a.n.n < b.n.n ? -1 : a.n.n > b.n.n ? 1 : 0));
  return { rows: ranked.map((r) => r.n), cols };
}

/** Which rows a scrolled viewport shows (plus a margin), for a virtualised list. */
export function visibleRange(scrollTop, viewportHeight, rowHeight, total, margin = 5) {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - margin);
  const last = Math.min(total, Math.ceil((scrollTop + viewportHeight) / rowHeight) + margin);
  return { first, last };
}

/** Counts per status over the grid. */
export function tally(nodes) {
  const t = {};
  for (const n of nodes) for (const s of n.s) t[statusName(s)] = (t[statusName(s)] || 0) + 1;
  return t;
}

/** The trace form as a query string and back, so a URL reproduces a trace. */
// The form's fields a trace URL carries (verbose is a view choice, not part of the trace).
const TRACE_FIELDS = ['source', 'destination', 'protocol', 'port', 'size', 'fragment'];

export function traceQuery(form) {
  const p = new URLSearchParams();
  for (const k of TRACE_FIELDS) if (form[k]) p.set(k, String(form[k]));
  return p.toString();
}

export function parseTraceQuery(search) {
  const p = new URLSearchParams(search);
  const f = {};
  for (const k of TRACE_FIELDS) if (p.get(k)) f[k] = p.get(k);
  return f;
}
