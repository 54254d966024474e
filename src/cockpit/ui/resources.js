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

async function s3Tab(ctx, st) {
  const prefix = st.prefix ?? '';
  const list = await get(`/resources/s3?${new URLSearchParams({ prefix })}`);
  const preview = h('div.objects', { 'aria-live': 'polite' });
  const show = async (key) => {
    const url = `/_octember/api/resources/s3/object?${new URLSearchParams({ key })}`;
    if (/\.(jpe?g|png)$/i.test(key)) preview.replaceChildren(h('h3', {}, key), h('img', { src: url, alt: key }));
    else {
      const text = await fetch(url).then((r) => r.text());
      preview.replaceChildren(h('h3', {}, key), h('pre', {}, text));
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
        list.objects.map((o) => row([o.key.slice(prefix.length), `${o.size} B`], () => show(o.key))),
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
    data.documents.map((d) => h('details', {}, h('summary', {}, d.id), json(d.source ?? d.fields))),
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
        ['key', 'type', 'ttl', 'value'].map((t) => h('th', {}, t)),
      ),
      data.keys.map((k) =>
        h('tr', {}, h('td', {}, k.key), h('td', {}, k.type), h('td', {}, String(k.ttl)), h('td', {}, json(k.value))),
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
