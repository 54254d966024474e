import { api } from './api.js';
import { h, json } from './dom.js';

function form(label, fields, run) {
  const inputs = fields.map(([name, placeholder, value]) =>
    h('input', { name, placeholder, 'aria-label': placeholder, value: value ?? '' }),
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
    inputs,
    h('button', { type: 'submit' }, 'Search'),
  );
  return h('div.panel', {}, el, out);
}

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
        return h(
          'table',
          {},
          h(
            'tr',
            {},
            ['name', 'company', 'job title', 'email', 'owner'].map((t) => h('th', {}, t)),
          ),
          hits.map((c) =>
            h(
              'tr',
              {},
              h('td', {}, c.name ?? ''),
              h('td', {}, c.company ?? ''),
              h('td', {}, c.job_title ?? ''),
              h('td', {}, c.email ?? ''),
              h('td', {}, c.owner ?? ''),
            ),
          ),
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
        return people.length
          ? h(
              'table',
              {},
              h(
                'tr',
                {},
                ['name', 'company', 'common contacts'].map((t) => h('th', {}, t)),
              ),
              people.map((p) =>
                h(
                  'tr',
                  {},
                  h('td', {}, p.name ?? ''),
                  h('td', {}, p.company ?? ''),
                  h('td', {}, String(p.score ?? '')),
                ),
              ),
            )
          : json(result);
      },
    ),
    form(
      'Items',
      [
        ['q', 'query'],
        ['size', 'size', '10'],
      ],
      async (v) => json(await api(`/items?${qs(v)}`)),
    ),
    form(
      'Recommendations',
      [
        ['user_id', 'user id', 'edy'],
        ['limit', 'limit', '5'],
      ],
      async (v) => json(await api(`/recommendations?${qs(v)}`)),
    ),
  );
}
