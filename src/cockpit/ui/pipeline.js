import { get } from './api.js';
import { h, s } from './dom.js';

const COLUMN_X = [20, 230, 470, 690, 930];
const NODE_W = 190;
const NODE_H = 44;
const GAP = 12;

function statsText(node, status) {
  if (node.kind === 'function') {
    const f = status.functions[node.label];
    if (!f) return { text: '', bad: false };
    const avg = f.invocations > 0 ? Math.round(f.totalDurationMs / f.invocations) : 0;
    const bad = f.errors > 0 || f.failures > 0 || f.failedRecords > 0;
    return {
      text: `${f.invocations} inv · ${f.errors} err · ${avg} ms${f.failures ? ` · ${f.failures} failed` : ''}`,
      bad,
    };
  }
  if (node.kind === 'stream') {
    const lags = status.lag.filter((l) => `stream:${l.stream}` === node.id);
    const behind = lags.reduce((sum, l) => sum + Math.max(0, l.behind), 0);
    if (lags.some((l) => l.measuring)) return { text: 'lag: measuring…', bad: false };
    return { text: lags.length ? `lag ${behind} record${behind === 1 ? '' : 's'}` : '', bad: behind > 0 };
  }
  if (node.kind === 'failures') {
    const total = Object.values(status.functions).reduce((sum, f) => sum + f.failures, 0);
    return { text: `${total} record${total === 1 ? '' : 's'}`, bad: total > 0 };
  }
  if (node.kind === 'delivery') return { text: `to s3 ${(node.detail ?? '').split('!{')[0]}`, bad: false };
  return { text: node.detail ?? '', bad: false };
}

/** A box's second line, its error outline and its accessible name, from the current status. */
function paintStats(g, node, status) {
  const stats = statsText(node, status);
  g.classList.toggle('has-errors', stats.bad);
  g.setAttribute('aria-label', `${node.label}${stats.text ? `: ${stats.text}` : ''}`);
  const line = g.querySelector('text.stats');
  line.textContent = stats.text.slice(0, 36);
  line.classList.toggle('bad', stats.bad);
}

const STORE_TAB = {
  'store:opensearch': 'opensearch',
  'store:cloudsearch': 'cloudsearch',
  'store:graph': 'graph',
  'store:redis': 'redis',
};

/** The topology drawn in five columns, live counts on every function, lag on every stream. */
export function renderPipeline(status, onOpen) {
  const byColumn = new Map();
  for (const node of status.nodes) {
    const list = byColumn.get(node.column) ?? [];
    list.push(node);
    byColumn.set(node.column, list);
  }
  const pos = new Map();
  let height = 0;
  for (const [column, nodes] of byColumn) {
    nodes.forEach((node, i) => {
      const y = 20 + i * (NODE_H + GAP);
      pos.set(node.id, { x: COLUMN_X[column] ?? 20, y });
      height = Math.max(height, y + NODE_H + 20);
    });
  }
  const svg = s('svg', {
    class: 'pipeline',
    viewBox: `0 0 1140 ${height}`,
    role: 'img',
    'aria-label': 'Pipeline topology with live counts',
  });
  for (const edge of status.edges) {
    const a = pos.get(edge.from);
    const b = pos.get(edge.to);
    if (!a || !b) continue;
    const forward = b.x > a.x;
    const x1 = forward ? a.x + NODE_W : a.x;
    const x2 = forward ? b.x : b.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const y2 = b.y + NODE_H / 2;
    const bend = forward ? 40 : -60;
    svg.append(
      s(
        'path',
        {
          class: `edge ${edge.kind}`,
          'data-from': edge.from,
          'data-to': edge.to,
          d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
        },
        s('title', {}, `${edge.from} → ${edge.to}${edge.label ? ` (${edge.label})` : ''}`),
      ),
    );
  }
  // Drawn (and tabbed through) column by column, top to bottom.
  const order = [...status.nodes].sort((a, b) => a.column - b.column || pos.get(a.id).y - pos.get(b.id).y);
  for (const node of order) {
    const p = pos.get(node.id);
    const label = node.label.length > 30 ? `${node.label.slice(0, 29)}…` : node.label;
    const g = s(
      'g',
      {
        class: `node ${node.kind}`,
        transform: `translate(${p.x},${p.y})`,
        tabindex: 0,
        role: 'button',
        'data-id': node.id,
      },
      s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
      s('text', { x: 8, y: 17 }, label),
      s('text', { x: 8, y: 33, class: 'stats' }),
      s('title', {}, node.detail ?? node.label),
    );
    paintStats(g, node, status);
    const open = () => onOpen(node);
    g.addEventListener('click', open);
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
    const follow = (on) => {
      svg.classList.toggle('following', on);
      for (const edge of svg.querySelectorAll('path.edge'))
        edge.classList.toggle('hl', on && (edge.dataset.from === node.id || edge.dataset.to === node.id));
    };
    g.addEventListener('mouseenter', () => follow(true));
    g.addEventListener('mouseleave', () => follow(false));
    g.addEventListener('focus', () => follow(true));
    g.addEventListener('blur', () => follow(false));
    svg.append(g);
  }
  return svg;
}

function lagRows(lag) {
  if (lag.length === 0) return [h('tr', {}, h('td.muted', { colspan: 3 }, 'no stream mappings'))];
  return lag.map((l) =>
    h(
      `tr${l.behind > 0 ? '.behind' : ''}`,
      { 'data-mapping': `${l.stream}>${l.function}` },
      h('td', {}, `${l.stream} → ${l.function}`),
      h('td.num', {}, l.measuring ? 'measuring…' : l.behind < 0 ? 'unknown' : String(l.behind)),
      h('td.num', {}, l.millisBehindLatest ? `${Math.round(l.millisBehindLatest)} ms` : '—'),
    ),
  );
}

/** The drawing on screen and its last status, patched in place by `pipeline` events (focus and hover survive). */
let shown;

export async function pipelineView(ctx) {
  const status = await get('/pipeline');
  const svg = renderPipeline(status, (node) => {
    if (node.kind === 'function') ctx.go('trace', { function: node.label });
    else if (node.kind === 'stream') ctx.go('resources', { tab: 'streams', stream: node.label });
    else if (node.kind === 'failures') ctx.go('trace', { outcome: 'error' });
    else if (node.kind === 'bucket') ctx.go('resources', { tab: 's3' });
    else if (node.kind === 'delivery') ctx.go('resources', { tab: 'firehose' });
    else if (node.id === 'store:textract') ctx.go('cards');
    else if (node.kind === 'store') ctx.go('resources', { tab: STORE_TAB[node.id] });
    else if (node.kind === 'api') ctx.go('search');
  });
  const lagBody = h('tbody', { id: 'mapping-lag' }, lagRows(status.lag));
  shown = { status, svg, lagBody };
  return h(
    'section',
    { 'aria-labelledby': 'pipeline-title' },
    h('h2', { id: 'pipeline-title' }, 'Pipeline'),
    h(
      'p.muted',
      {},
      'Both pipelines as the topology wires them. Solid: triggers; dashed: writes (hover or focus a box to follow its lines). Select a box to open what it holds.',
    ),
    svg,
    h(
      'div.panel',
      {},
      h('h3', {}, 'Stream mappings'),
      h(
        'table',
        { 'aria-label': 'Stream mappings' },
        h(
          'thead',
          {},
          h('tr', {}, h('th', {}, 'mapping'), h('th.num', {}, 'records behind'), h('th.num', {}, 'oldest waiting')),
        ),
        lagBody,
      ),
    ),
  );
}

/** A live `pipeline` event: new counts on every box, new lag rows. */
export function onPipelineEvent(update) {
  if (!shown?.svg.isConnected) return;
  const status = { ...shown.status, ...update };
  shown.status = status;
  for (const node of status.nodes) {
    const g = shown.svg.querySelector(`g.node[data-id="${CSS.escape(node.id)}"]`);
    if (g) paintStats(g, node, status);
  }
  shown.lagBody.replaceChildren(...lagRows(status.lag));
}
