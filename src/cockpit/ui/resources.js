import { get } from './api.js';
import { decodePayload, h, json, row } from './dom.js';

const TABS = {
  s3: 'S3 objects',
  streams: 'Stream records',
  opensearch: 'OpenSearch',
  cloudsearch: 'CloudSearch',
  graph: 'Graph',
  redis: 'Redis',
  firehose: 'Firehose',
};

function queryForm(label, value, onSubmit) {
  const input = h('input', { type: 'search', value: value ?? '', 'aria-label': label, placeholder: label });
  return h(
    'form.filters',
    {
      role: 'search',
      onsubmit: (e) => {
        e.preventDefault();
        onSubmit(input.value);
      },
    },
    input,
    h('button', { type: 'submit' }, 'Go'),
  );
}

function size(bytes) {
  return bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/** RFC 4180 rows (quoted fields, doubled quotes, newlines inside quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** A CSV object as a table: the header row, then at most 200 rows. */
function csvTable(text) {
  const [header = [], ...rows] = parseCsv(text);
  return h(
    'div',
    {},
    h('p.muted', {}, `${rows.length} row(s)${rows.length > 200 ? ', first 200' : ''}`),
    h(
      'table.csv',
      { 'aria-label': 'CSV preview' },
      h(
        'tr',
        {},
        header.map((t) => h('th', {}, t)),
      ),
      rows.slice(0, 200).map((r) =>
        h(
          'tr',
          {},
          r.map((v) => h('td', {}, v)),
        ),
      ),
    ),
  );
}

async function s3Tab(ctx, st) {
  const prefix = st.prefix ?? '';
  const list = await get(`/resources/s3?${new URLSearchParams({ prefix })}`);
  const preview = h('div.objects', { 'aria-live': 'polite' });
  const show = async (key) => {
    const url = `/_octember/api/resources/s3/object?${new URLSearchParams({ key })}`;
    if (/\.(jpe?g|png)$/i.test(key)) preview.replaceChildren(h('h3', {}, key), h('img', { src: url, alt: key }));
    else {
      const text = await fetch(url).then((r) => r.text());
      preview.replaceChildren(h('h3', {}, key), /\.csv$/i.test(key) ? csvTable(text) : h('pre', {}, text));
    }
  };
  const up = prefix ? prefix.replace(/[^/]+\/$/, '') : undefined;
  return h(
    'div.cols',
    {},
    h(
      'div.panel',
      {},
      h('p', {}, `s3://${list.bucket}/${prefix}`),
      h(
        'table',
        { 'aria-label': 'Objects' },
        h('tr', {}, h('th', {}, 'key'), h('th.num', {}, 'size')),
        up !== undefined
          ? row(['..', ''], () => {
              st.prefix = up;
              ctx.refresh();
            })
          : null,
        list.folders.map((f) =>
          row([`${f.slice(prefix.length)}`, 'folder'], () => {
            st.prefix = f;
            ctx.refresh();
          }),
        ),
        list.objects.map((o) => row([o.key.slice(prefix.length), size(o.size)], () => show(o.key))),
      ),
    ),
    preview,
  );
}

async function streamsTab(ctx, st) {
  const { streams } = await get('/resources/streams');
  st.stream ??= streams[0];
  const records = st.stream
    ? await get(`/resources/streams/${encodeURIComponent(st.stream)}?limit=50`)
    : { records: [], total: 0 };
  return h(
    'div',
    {},
    h(
      'div.filters',
      {},
      h(
        'label',
        {},
        'Stream ',
        h(
          'select',
          {
            onchange: (e) => {
              st.stream = e.target.value;
              ctx.refresh();
            },
          },
          streams.map((n) => h('option', { value: n, selected: n === st.stream }, n)),
        ),
      ),
      h('span.muted', {}, `${records.total} records, newest 50`),
    ),
    h(
      'table',
      { 'aria-label': 'Stream records' },
      h(
        'tr',
        {},
        ['sequence', 'partition key', 'data'].map((t) => h('th', {}, t)),
      ),
      records.records.map((r) =>
        h(
          'tr',
          {},
          h('td', {}, `…${String(r.sequenceNumber).slice(-8)}`),
          h('td', {}, r.partitionKey),
          h('td', {}, json(decodePayload(r.data))),
        ),
      ),
    ),
  );
}

/** A document's id and what a person reads it by (a card's name and company, an item's title). */
function docTitle(d) {
  const body = d.source ?? d.fields ?? {};
  const first = (v) => (Array.isArray(v) ? v[0] : v);
  const words = [first(body.name) ?? first(body.title), first(body.company) ?? first(body.category), first(body.owner)]
    .filter((v) => typeof v === 'string' && v !== '')
    .join(' · ');
  return words ? [h('strong', {}, words), ' ', h('span.muted', {}, d.id)] : d.id;
}

async function docsTab(ctx, st, kind) {
  const data = await get(`/resources/${kind}?${new URLSearchParams({ q: st.q ?? '' })}`);
  return h(
    'div',
    {},
    queryForm('query', st.q, (q) => {
      st.q = q;
      ctx.refresh();
    }),
    h('p.muted', {}, `${data.total} document(s)`),
    data.documents.map((d) => h('details', {}, h('summary', {}, docTitle(d)), json(d.source ?? d.fields))),
  );
}

async function graphTab(ctx, st) {
  const data = await get(`/resources/graph?${new URLSearchParams({ person: st.person ?? '' })}`);
  const form = queryForm('person: name, email or owner id', st.person, (person) => {
    st.person = person;
    ctx.refresh();
  });
  if (!st.person) {
    return h(
      'div',
      {},
      form,
      h('p.muted', {}, `${data.count} person vertices`),
      h(
        'table',
        {},
        data.people.map((p) =>
          row([p.name ?? p.id, p.company ?? '', p.email ?? ''], () => {
            st.person = String(p.id);
            ctx.refresh();
          }),
        ),
      ),
    );
  }
  if (!data.person) return h('div', {}, form, h('p.muted', {}, 'no such person'));
  return h(
    'div',
    {},
    form,
    h('h3', {}, `${data.person.name ?? data.person.id}`),
    json(data.person),
    h(
      'table',
      { 'aria-label': 'knows edges' },
      h(
        'tr',
        {},
        ['from', '', 'to', 'weight'].map((t) => h('th', {}, t)),
      ),
      data.edges.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, e.out.name ?? e.out.id),
          h('td', {}, '→ knows →'),
          h('td', {}, e.in.name ?? e.in.id),
          h('td', {}, String(e.edge.weight ?? '')),
        ),
      ),
    ),
  );
}

/** Hash fields and strings holding JSON (the status record's `data`) shown as the JSON they hold. */
function decodeJsonStrings(value) {
  const parse = (v) => {
    if (typeof v !== 'string' || !/^[[{]/.test(v)) return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  };
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, parse(v)]));
  return parse(value);
}

async function redisTab(ctx, st) {
  const data = await get(`/resources/redis?${new URLSearchParams({ pattern: st.pattern ?? '*' })}`);
  return h(
    'div',
    {},
    queryForm('key pattern', st.pattern ?? '*', (pattern) => {
      st.pattern = pattern;
      ctx.refresh();
    }),
    data.backend === 'memory' ? h('p.muted', {}, 'no Redis: status and cache live in memory') : null,
    h(
      'table',
      { 'aria-label': 'Redis keys' },
      h(
        'tr',
        {},
        ['key', 'type', 'expires in', 'value'].map((t) => h('th', {}, t)),
      ),
      data.keys.map((k) =>
        h(
          'tr',
          {},
          h('td.key', {}, k.key),
          h('td', {}, k.type),
          h('td', {}, k.ttl < 0 ? 'none' : `${k.ttl} s`),
          h('td.value', {}, json(decodeJsonStrings(k.value))),
        ),
      ),
    ),
  );
}

async function firehoseTab() {
  const { deliveryStreams } = await get('/resources/firehose');
  return h(
    'div',
    {},
    deliveryStreams.map((d) =>
      h(
        'div.panel',
        {},
        h('h3', {}, d.name),
        h('p', {}, `${d.status} · from ${d.source ?? '—'} · s3://${d.bucket}/${d.prefix} · ${d.deliveries} deliveries`),
        h(
          'table',
          {},
          d.latest.map((o) => h('tr', {}, h('td', {}, o.key), h('td', {}, `${o.size} B`))),
        ),
      ),
    ),
  );
}

export async function resourcesView(ctx) {
  ctx.state.resources ??= { tab: 's3' };
  const st = ctx.state.resources;
  if (ctx.params?.tab) Object.assign(st, ctx.params);
  const tabs = h(
    'div.tabs',
    { role: 'toolbar', 'aria-label': 'Resources' },
    Object.entries(TABS).map(([id, label]) =>
      h(
        'button',
        {
          type: 'button',
          'aria-pressed': st.tab === id ? 'true' : 'false',
          onclick: () => {
            st.tab = id;
            ctx.refresh();
          },
        },
        label,
      ),
    ),
  );
  let body;
  try {
    if (st.tab === 's3') body = await s3Tab(ctx, st);
    else if (st.tab === 'streams') body = await streamsTab(ctx, st);
    else if (st.tab === 'opensearch' || st.tab === 'cloudsearch') body = await docsTab(ctx, st, st.tab);
    else if (st.tab === 'graph') body = await graphTab(ctx, st);
    else if (st.tab === 'redis') body = await redisTab(ctx, st);
    else body = await firehoseTab();
  } catch (error) {
    body = h('p.err', {}, error.message);
  }
  return h('section', {}, h('h2', {}, 'Resources'), tabs, h('div.panel', {}, body));
}
