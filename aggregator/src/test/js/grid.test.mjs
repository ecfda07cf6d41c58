// node --test: the health grid's pure functions (the browser test covers the DOM).
import test from 'node:test';
import assert from 'node:assert/strict';
import { arrange, parseTraceQuery, statusName, tally, traceQuery, visibleRange, worst } from '../../main/resources/io/podpath/aggregator/web/static/grid.js';

const checks = ['ip-forward', 'mtu', 'tunnels'];
const nodes = [
  { n: 'a', s: [1, 1, 1] },
  { n: 'b', s: [1, 2, 1] },
  { n: 'c', s: [3, 1, 1] },
  { n: 'd', s: [1, 1, 6] },
];

test('problems first: fail, then unreachable, then warn, then healthy by name', () => {
  assert.deepEqual(arrange(nodes, checks, '').rows.map((r) => r.n), ['c', 'd', 'b', 'a']);
  assert.equal(worst(nodes[2]), 5);
});

test('a search matching a check narrows the columns and ranks by that check only', () => {
  const v = arrange(nodes, checks, 'mtu');
  assert.deepEqual(v.cols.map((c) => c.id), ['mtu']);
  assert.deepEqual(v.rows.map((r) => r.n), ['b', 'a', 'c', 'd']);
});

test('a search matching no check filters nodes by name', () => {
  assert.deepEqual(arrange(nodes, checks, 'C').rows.map((r) => r.n), ['c']);
});

test('only the visible rows of 5,000 are drawn', () => {
  assert.deepEqual(visibleRange(0, 600, 22, 5000), { first: 0, last: 33 });
  assert.deepEqual(visibleRange(22 * 4990, 600, 22, 5000), { first: 4985, last: 5000 });
});

test('status names and tally', () => {
  assert.equal(statusName(3), 'fail');
  assert.equal(statusName(99), 'unknown');
  assert.deepEqual(tally(nodes.slice(0, 2)), { ok: 5, warn: 1 });
});

test('a trace round-trips through the URL', () => {
  const f = { source: 'default/client-1', destination: 'svc/default/web', protocol: 'tcp', port: '80' };
  assert.deepEqual(parseTraceQuery(traceQuery(f)), f);
  assert.equal(traceQuery({ source: 'a/b' }), 'source=a%2Fb');
  const sized = { ...f, size: '1500', fragment: 'true' };
  assert.deepEqual(parseTraceQuery(traceQuery(sized)), sized);
});
