// The health view: a virtualised nodes x checks grid (only the visible rows are in the DOM, so
// 5,000 nodes stay smooth), a cell's evidence and fix on click, the cluster checks and the
// tunnel mesh's missing pairs as a picture.
import { arrange, statusName, tally, visibleRange } from './grid.js';

const ROW = 22;
let data = null;
let view = { rows: [], cols: [] };

function el(tag, attrs = {}, text = '') {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

export async function showHealth() {
  const res = await fetch('/api/health');
  const body = await res.json();
  if (!res.ok) {
    document.getElementById('sweep-time').textContent = body.error || 'no sweep yet';
    document.body.dataset.health = 'empty';
    return;
  }
  data = body;
  document.getElementById('sweep-time').textContent =
    `last sweep ${body.finishedAt} (${body.nodes.length} nodes)`;
  const t = tally(body.nodes);
  document.getElementById('tally').textContent = Object.entries(t).map(([k, v]) => `${k} ${v}`).join(' · ');
  const search = document.getElementById('grid-search');
  search.oninput = () => layout(search.value);
  document.getElementById('grid').onscroll = () => requestAnimationFrame(draw);
  layout(search.value);
  cluster(body);
  // Time from navigation start to a drawn grid (read by the benchmark, B6).
  document.body.dataset.renderedMs = String(Math.round(performance.now()));
  document.body.dataset.health = 'ready';
}

function layout(query) {
  view = arrange(data.nodes, data.checks, query);
  const head = document.getElementById('grid-head');
  head.replaceChildren(el('span', { class: 'name' }, 'node'), ...view.cols.map((c) => el('span', { class: 'c' }, c.id)));
  document.getElementById('grid-spacer').style.height = `${view.rows.length * ROW}px`;
  document.getElementById('grid').style.height = `${Math.min(view.rows.length * ROW + 4, Math.round(window.innerHeight * 0.6))}px`;
  draw();
}

function draw() {
  const grid = document.getElementById('grid');
  const { first, last } = visibleRange(grid.scrollTop, grid.clientHeight || 600, ROW, view.rows.length);
  const rows = [];
  for (let i = first; i < last; i++) {
    const n = view.rows[i];
    const row = el('div', { class: 'grid-row', 'data-node': n.n });
    row.style.top = `${i * ROW}px`;
    row.append(el('span', { class: 'name', title: n.e || n.n }, n.n));
    for (const c of view.cols) {
      const s = statusName(n.s[c.i]);
      const b = el('button', { class: `c s-${s}`, 'data-check': c.id, 'data-status': s, title: `${n.n} ${c.id}: ${s}` }, s);
      b.onclick = () => openCell(n.n, c.id);
      row.append(b);
    }
    rows.push(row);
  }
  grid.replaceChildren(document.getElementById('grid-spacer'), ...rows);
}

function checkBlock(c) {
  const d = el('div', { class: 'check', 'data-check': c.id });
  d.append(el('strong', {}, `${c.id}: ${statusName(c.status)}`), el('div', {}, c.summary));
  if (c.fix) d.append(el('div', { class: 'fix' }, `fix: ${c.fix}`));
  if (c.evidence.length) {
    const ul = el('ul');
    for (const e of c.evidence) ul.append(el('li', {}, `${e.source}: ${e.value}`));
    d.append(ul);
  }
  return d;
}

async function openCell(node, check) {
  const box = document.getElementById('cell');
  const res = await fetch(`/api/health/node?name=${encodeURIComponent(node)}`);
  const body = await res.json();
  box.hidden = false;
  if (!res.ok) {
    box.replaceChildren(el('p', { class: 'error' }, body.error));
    return;
  }
  const c = body.checks.find((x) => x.id === check);
  box.replaceChildren(el('h3', {}, `${node} · ${check}`));
  if (body.error) box.append(el('p', { class: 'error' }, `agent: ${body.error}`));
  if (c) box.append(checkBlock(c));
}

function cluster(body) {
  document.getElementById('cluster').replaceChildren(...body.cluster.map(checkBlock));
  const mesh = document.getElementById('mesh');
  mesh.replaceChildren();
  if (body.missingTunnels.length === 0) return;
  const all = body.nodes.length <= 64 ? body.nodes.map((n) => n.n) : [];
  mesh.append(el('h3', {}, 'Missing tunnels'), meshPicture(body.missingTunnels, all));
}

/**
 * The nodes on a circle (every node up to 64, else only those of a missing pair) and a red dashed
 * line, labelled, per node pair without a tunnel.
 */
function meshPicture(pairs, allNodes) {
  const ns = 'http://www.w3.org/2000/svg';
  const names = [...new Set([...allNodes, ...pairs.flat()])].sort();
  const size = 200 + names.length * 18;
  const r = size / 2 - 70;
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', size);
  svg.setAttribute('height', size);
  svg.setAttribute('id', 'mesh-picture');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${pairs.length} node pair(s) without a tunnel`);
  const pos = new Map(names.map((n, i) => {
    const a = (2 * Math.PI * i) / names.length - Math.PI / 2;
    return [n, [size / 2 + r * Math.cos(a), size / 2 + r * Math.sin(a)]];
  }));
  for (const [a, b] of pairs) {
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('class', 'missing-tunnel');
    g.setAttribute('data-pair', `${a} ${b}`);
    const l = document.createElementNS(ns, 'line');
    const [x1, y1] = pos.get(a);
    const [x2, y2] = pos.get(b);
    Object.entries({ x1, y1, x2, y2, stroke: '#cf222e', 'stroke-width': 2, 'stroke-dasharray': '6 4' })
      .forEach(([k, v]) => l.setAttribute(k, v));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `no tunnel between ${a} and ${b}`;
    const t = document.createElementNS(ns, 'text');
    Object.entries({ x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 4, 'font-size': 11, fill: '#cf222e', 'text-anchor': 'middle' })
      .forEach(([k, v]) => t.setAttribute(k, v));
    t.textContent = `${a} ✕ ${b}`;
    g.append(title, l, t);
    svg.append(g);
  }
  for (const [n, [x, y]] of pos) {
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('class', 'mesh-node');
    g.setAttribute('data-node', n);
    const c = document.createElementNS(ns, 'circle');
    Object.entries({ cx: x, cy: y, r: 6, fill: '#24292f' }).forEach(([k, v]) => c.setAttribute(k, v));
    const t = document.createElementNS(ns, 'text');
    Object.entries({ x: x + 9, y: y + 4, 'font-size': 12 }).forEach(([k, v]) => t.setAttribute(k, v));
    t.textContent = n;
    g.append(c, t);
    svg.append(g);
  }
  return svg;
}
