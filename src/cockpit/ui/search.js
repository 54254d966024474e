import { api } from './api.js';
import { h, json } from './dom.js';

function form(label, fields, run) {
  const inputs = fields.map(([name, placeholder, value]) =>
    h('input', {
      name,
      placeholder,
      'aria-label': placeholder,
      value: value ?? '',
      size: name === 'limit' || name === 'size' ? 4 : 18,
      required: name === 'query',
    }),
  );
  const out = h('div', { 'aria-live': 'polite' });
  const el = h(
    'form.filters',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        const values = Object.fromEntries(inputs.map((i) => [i.name, i.value]));
        try {
          out.replaceChildren(await run(values));
        } catch (error) {
          out.replaceChildren(h('p.err', {}, error.message));
        }
      },
    },
    h('strong', {}, label),
    inputs.map((input, i) => h('label', {}, `${fields[i][1]} `, input)),
    h('button', { type: 'submit' }, 'Search'),
  );
  return h('div.panel', {}, el, out);
}

/** A table of `rows` under `headings` (each [title, value-of-row]), or a sentence when there is none. */
function results(rows, headings, none) {
  if (rows.length === 0) return h('p.muted', {}, none);
  return h(
    'table',
    {},
    h(
      'tr',
      {},
      headings.map(([t]) => h('th', {}, t)),
    ),
    rows.map((r) =>
      h(
        'tr',
        {},
        headings.map(([, value]) => h('td', {}, String(value(r) ?? ''))),
      ),
    ),
  );
}

const first = (v) => (Array.isArray(v) ? v[0] : v);

const qs = (values) => new URLSearchParams(Object.entries(values).filter(([, v]) => v !== ''));

export async function searchView() {
  return h(
    'section',
    {},
    h('h2', {}, 'Search and people you may know'),
    form(
      'Cards',
      [
        ['query', 'query'],
        ['user', 'user (owner)'],
        ['limit', 'limit', '10'],
      ],
      async (v) => {
        const result = await api(`/search?${qs(v)}`);
        const hits = Array.isArray(result) ? result : (result.hits ?? result.results ?? []);
        return results(
          hits,
          [
            ['name', (c) => c.name],
            ['company', (c) => c.company],
            ['job title', (c) => c.job_title],
            ['email', (c) => c.email],
            ['owner', (c) => c.owner],
          ],
          'No card matches.',
        );
      },
    ),
    form(
      'People you may know',
      [
        ['user', 'user (owner id, email or name)', 'edy'],
        ['limit', 'limit', '5'],
      ],
      async (v) => {
        const result = await api(`/pymk?${qs(v)}`);
        const people = Array.isArray(result) ? result : (result.people ?? result.results ?? []);
        return results(
          people,
          [
            ['name', (p) => p.name],
            ['company', (p) => p.company],
            ['common contacts', (p) => p.score],
          ],
          `No suggestion for ${v.user}: people are suggested once two of their contacts' cards share someone.`,
        );
      },
    ),
    form(
      'Items',
      [
        ['q', 'query'],
        ['size', 'size', '10'],
      ],
      async (v) => {
        const result = await api(`/items?${qs(v)}`);
        return h(
          'div',
          {},
          h('p.muted', {}, `${result.found ?? 0} found`),
          results(
            result.items ?? [],
            ['item_id', 'title', 'category', 'brand', 'price', 'stock'].map((f) => [f, (item) => first(item[f])]),
            'No item matches.',
          ),
        );
      },
    ),
    form(
      'Recommendations',
      [
        ['user_id', 'user id', 'edy'],
        ['limit', 'limit', '5'],
      ],
      async (v) => {
        const result = await api(`/recommendations?${qs(v)}`);
        const items = Array.isArray(result) ? result : (result.items ?? result.itemList ?? []);
        if (items.length === 0)
          return h('p.muted', {}, `No recommendation for ${v.user_id}: it comes from this user's interaction events.`);
        return json(items);
      },
    ),
  );
}
