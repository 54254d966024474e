import { get, post } from './api.js';
import { badge, decodePayload, h, json, ms, row, time, toast } from './dom.js';

function logLines(logs) {
  if (!logs?.length) return h('p.muted', {}, 'no log lines');
  return h(
    'pre.logs',
    {},
    logs
      .map(
        (l) =>
          `${new Date(l.time).toISOString().slice(11, 23)} ${l.level.toUpperCase().padEnd(5)} ${l.msg}${l.fields ? ` ${JSON.stringify(l.fields)}` : ''}\n`,
      )
      .join(''),
  );
}

/** Stream and Firehose payloads are base64: shown decoded beside the raw event. */
function decodedRecords(event) {
  const records = event?.Records ?? event?.records;
  if (!Array.isArray(records)) return null;
  const payloads = records.map((r) => r?.kinesis?.data ?? r?.data).filter((d) => typeof d === 'string');
  if (payloads.length === 0) return null;
  return h('div', {}, h('h3', {}, 'Record payloads, decoded'), json(payloads.map(decodePayload)));
}

async function replay(ctx, path, label) {
  try {
    const outcome = await post(path);
    const partial = outcome.partialFailures ? `, ${outcome.partialFailures} record(s) failed again` : '';
    toast(`${label}: ${outcome.outcome}${partial}${outcome.error ? ` (${outcome.error.errorMessage})` : ''}`);
    ctx.state.invocation = outcome.traceId;
    // Its row comes in live; the detail switches to it.
    if (shown?.table.isConnected) await shown.open(outcome.traceId);
    else ctx.refresh();
  } catch (error) {
    toast(`replay failed: ${error.message}`);
  }
}

async function invocationDetail(ctx, id) {
  const inv = await get(`/invocations/${id}`);
  const button = h(
    'button',
    {
      type: 'button',
      id: 'replay',
      'aria-keyshortcuts': 'r',
      onclick: () => replay(ctx, `/invocations/${id}/replay`, `replay of #${id}`),
    },
    'Replay ',
    h('kbd', {}, 'r'),
  );
  ctx.replay = () => button.click();
  return h(
    'div.panel',
    { id: 'invocation-detail' },
    h('h3', {}, `#${inv.id} ${inv.function} `, badge(inv.outcome), failedRecords(inv)),
    h(
      'p',
      {},
      `${inv.invocationType} · ${inv.source}${inv.sourceDetail ? ` ${inv.sourceDetail}` : ''} · attempt ${inv.attempt} · ${ms(inv.durationMs)} · ${time(inv.startedAt)} · request ${inv.requestId}`,
      inv.replayOf ? ` · replay of ${inv.replayOf}` : '',
    ),
    button,
    inv.error
      ? h('div', {}, h('h3', {}, 'Error'), json(inv.error))
      : h('div', {}, h('h3', {}, 'Result'), json(inv.result)),
    h('h3', {}, 'Logs'),
    logLines(inv.logs),
    h('h3', {}, 'Event'),
    json(inv.event),
    decodedRecords(inv.event),
  );
}

export async function traceView(ctx) {
  const config = ctx.config;
  ctx.state.filters ??= {};
  const filters = ctx.state.filters;
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
  const [{ invocations }, { failures }] = await Promise.all([get(`/invocations?${query}&limit=200`), get('/failures')]);
  const detail = h('div', { 'aria-live': 'polite' });
  const open = async (id) => {
    ctx.state.invocation = id;
    detail.replaceChildren(await invocationDetail(ctx, id));
    for (const tr of document.querySelectorAll('#invocations tr.row'))
      tr.setAttribute('aria-selected', tr.dataset.id === String(id) ? 'true' : 'false');
  };
  const select = (name, options, label) =>
    h(
      'label',
      {},
      `${label} `,
      h(
        'select',
        {
          name,
          onchange: (e) => {
            filters[name] = e.target.value;
            ctx.refresh();
          },
        },
        h('option', { value: '' }, 'all'),
        options.map((o) => h('option', { value: o, selected: filters[name] === o }, o)),
      ),
    );
  const table = h(
    'table',
    { id: 'invocations', 'aria-label': 'Invocations' },
    h(
      'tr',
      {},
      ['#', 'time', 'function', 'source', 'outcome', 'duration', 'attempt'].map((t) => h('th', {}, t)),
    ),
  );
  for (const inv of invocations) table.append(invocationRow(ctx, inv, open));
  const count = h('span.muted', {}, '');
  const failuresPanel = h('div.panel', { id: 'failures-panel' });
  shown = { ctx, table, open, count, failuresPanel, filters, failuresKey: undefined };
  describeCount();
  showFailures(failures);
  if (ctx.state.invocation) open(ctx.state.invocation).catch(() => detail.replaceChildren());
  return h(
    'section',
    {},
    h('h2', {}, 'Trace'),
    h(
      'div.filters',
      { role: 'search' },
      select(
        'function',
        config.functions.map((f) => f.name),
        'Function',
      ),
      select('outcome', ['success', 'error'], 'Outcome'),
      select('source', ['api', 's3', 'kinesis', 'firehose', 'direct'], 'Source'),
      count,
    ),
    h('div.cols', {}, h('div.panel', {}, table), detail),
    failuresPanel,
  );
}

/** The trace on screen, patched live: new invocations go on top, the open one and its scroll stay. */
let shown;

function describeCount() {
  const n = shown.table.querySelectorAll('tr.row').length;
  shown.count.textContent = `${n} shown, newest first, live`;
}

function invocationRow(ctx, inv, open) {
  const tr = row(
    [
      String(inv.id),
      time(inv.startedAt),
      inv.function,
      `${inv.source}${inv.records ? ` ×${inv.records}` : ''}`,
      h('span', {}, badge(inv.outcome), failedRecords(inv)),
      ms(inv.durationMs),
      String(inv.attempt),
    ],
    () => open(inv.id),
    ctx.state.invocation === inv.id,
  );
  tr.dataset.id = String(inv.id);
  return tr;
}

function showFailures(failures) {
  const key = JSON.stringify(failures);
  if (key === shown.failuresKey) return;
  shown.failuresKey = key;
  const { ctx } = shown;
  const table = h(
    'table',
    { id: 'failures', 'aria-label': 'Failed records' },
    h(
      'tr',
      {},
      ['function', 'when', 'condition', 'records', 'error', ''].map((t) => h('th', {}, t)),
    ),
    failures.map((f) =>
      h(
        'tr',
        {},
        h('td', {}, f.function),
        h('td', {}, f.timestamp ? time(Date.parse(f.timestamp)) : '—'),
        h('td', {}, f.condition ?? '—'),
        h('td', {}, String(f.records)),
        h('td.err', {}, f.error ?? ''),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'replay-failure',
              onclick: () =>
                replay(
                  ctx,
                  `/failures/${encodeURIComponent(f.function)}/${encodeURIComponent(f.file)}/replay`,
                  `replay of ${f.file}`,
                ),
            },
            'Replay',
          ),
        ),
      ),
    ),
  );
  shown.failuresPanel.replaceChildren(
    h('h3', {}, `On-failure destination (${failures.length})`),
    failures.length ? table : h('p.muted', {}, 'no failed records'),
  );
}

const LIMIT = 200;
let failuresSoon;

/** A live `invocation` event (its summary): a row on top when it passes the filters; the failed records re-read. */
export function onTraceInvocation(inv) {
  if (!shown?.table.isConnected) return;
  const { filters, table, ctx, open } = shown;
  const passes =
    (!filters.function || inv.function === filters.function) &&
    (!filters.outcome || inv.outcome === filters.outcome) &&
    (!filters.source || inv.source === filters.source);
  if (passes && !table.querySelector(`tr.row[data-id="${inv.id}"]`)) {
    table.querySelector('tr').after(invocationRow(ctx, inv, open));
    const rows = table.querySelectorAll('tr.row');
    for (let i = LIMIT; i < rows.length; i++) rows[i].remove();
    describeCount();
  }
  if (!failuresSoon)
    failuresSoon = setTimeout(() => {
      failuresSoon = undefined;
      if (shown.table.isConnected)
        get('/failures').then(
          ({ failures }) => showFailures(failures),
          () => {},
        );
    }, 500);
}

/** A batch that succeeded with some records reported failed (partial batch response) says how many. */
function failedRecords(inv) {
  return inv.partialFailures ? h('span.err', {}, ` ${inv.partialFailures} failed`) : null;
}
