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
    return { text: lags.length ? `lag ${behind} record${behind === 1 ? '' : 's'}` : '', bad: behind > 0 };
  }
  if (node.kind === 'failures') {
    const total = Object.values(status.functions).reduce((sum, f) => sum + f.failures, 0);
    return { text: `${total} record${total === 1 ? '' : 's'}`, bad: total > 0 };
  }
  return { text: node.detail ?? '', bad: false };
}

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
          d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
        },
        s('title', {}, `${edge.from} → ${edge.to}${edge.label ? ` (${edge.label})` : ''}`),
      ),
    );
  }
  for (const node of status.nodes) {
    const p = pos.get(node.id);
    const stats = statsText(node, status);
    const g = s(
      'g',
      {
        class: `node ${node.kind}${stats.bad ? ' has-errors' : ''}`,
        transform: `translate(${p.x},${p.y})`,
        tabindex: 0,
        role: 'button',
        'aria-label': `${node.label}${stats.text ? `: ${stats.text}` : ''}`,
        'data-id': node.id,
      },
      s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
      s('text', { x: 8, y: 17 }, node.label.length > 30 ? `${node.label.slice(0, 29)}…` : node.label),
      s('text', { x: 8, y: 33, class: `stats${stats.bad ? ' bad' : ''}` }, stats.text.slice(0, 36)),
      s('title', {}, node.detail ?? node.label),
    );
    const open = () => onOpen(node);
    g.addEventListener('click', open);
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    });
    svg.append(g);
  }
  return svg;
}

export async function pipelineView(ctx) {
  const status = await get('/pipeline');
  const lagRows = status.lag.map((l) =>
    h(
      'tr',
      {},
      h('td', {}, `${l.stream} → ${l.function}`),
      h('td', {}, l.behind < 0 ? 'unknown' : String(l.behind)),
      h('td', {}, l.millisBehindLatest ? `${Math.round(l.millisBehindLatest)} ms` : '—'),
    ),
  );
  return h(
    'section',
    { 'aria-labelledby': 'pipeline-title' },
    h('h2', { id: 'pipeline-title' }, 'Pipeline'),
    h(
      'p.muted',
      {},
      'Both pipelines as the topology wires them. Solid: triggers; dashed: writes. Select a function to see its invocations.',
    ),
    renderPipeline(status, (node) => {
      if (node.kind === 'function') ctx.go('trace', { function: node.label });
      else if (node.kind === 'stream') ctx.go('resources', { tab: 'streams', stream: node.label });
      else if (node.kind === 'failures') ctx.go('trace', { outcome: 'error' });
      else if (node.kind === 'bucket') ctx.go('resources', { tab: 's3' });
      else if (node.kind === 'delivery') ctx.go('resources', { tab: 'firehose' });
    }),
    h(
      'div.panel',
      {},
      h('h3', {}, 'Stream mappings'),
      h(
        'table',
        {},
        h('tr', {}, h('th', {}, 'mapping'), h('th', {}, 'records behind'), h('th', {}, 'oldest waiting')),
        lagRows,
      ),
    ),
  );
}
