import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudSearchDomainClient,
  DocumentServiceException,
  SearchCommand,
  type SearchCommandInput,
  SearchException,
  UploadDocumentsCommand,
} from '@aws-sdk/client-cloudsearch-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';

interface Item {
  id: string;
  title: string;
  description: string;
  category: string;
  brand: string;
  tags: string[];
  price: number;
  stock: number;
  created_at: string;
}

const ITEMS: Item[] = [
  {
    id: 'p1',
    title: 'Brass desk lamp',
    description: 'A warm light for reading',
    category: 'Home',
    brand: 'Lumo',
    tags: ['light', 'desk'],
    price: 39.5,
    stock: 4,
    created_at: '2024-01-05T00:00:00Z',
  },
  {
    id: 'p2',
    title: 'Floor lamp',
    description: 'Tall brass stand with linen shade',
    category: 'Home',
    brand: 'Lumo',
    tags: ['light'],
    price: 89,
    stock: 0,
    created_at: '2024-02-10T00:00:00Z',
  },
  {
    id: 'p3',
    title: 'Reading glasses',
    description: 'Light frames for the desk',
    category: 'Health',
    brand: 'Vista',
    tags: ['desk'],
    price: 15,
    stock: 30,
    created_at: '2023-11-20T00:00:00Z',
  },
  {
    id: 'p4',
    title: 'Linen shirt',
    description: 'Breathable summer shirt',
    category: 'Apparel',
    brand: 'Weave',
    tags: ['summer'],
    price: 45,
    stock: 12,
    created_at: '2024-03-01T00:00:00Z',
  },
  {
    id: 'p5',
    title: 'Desk organiser',
    description: 'Bamboo trays for the office desk',
    category: 'Office',
    brand: 'Lumo',
    tags: ['desk', 'bamboo'],
    price: 22.25,
    stock: 8,
    created_at: '2024-01-28T00:00:00Z',
  },
  {
    id: 'p6',
    title: 'Bamboo toothbrush',
    description: 'Pack of four',
    category: 'Health',
    brand: 'Vista',
    tags: ['bamboo'],
    price: 6.5,
    stock: 100,
    created_at: '2023-12-24T00:00:00Z',
  },
  {
    id: 'p7',
    title: 'Lampshade',
    description: 'Linen shade, brass ring',
    category: 'Home',
    brand: 'Weave',
    tags: ['light'],
    price: 19,
    stock: 7,
    created_at: '2024-02-02T00:00:00Z',
  },
];

const addOp = (item: Item) => {
  const { id, ...fields } = item;
  return { type: 'add', id, fields: { item_id: id, ...fields } };
};

let server: Server;
let client: CloudSearchDomainClient;
let endpoint: string;

async function upload(body: unknown) {
  return client.send(
    new UploadDocumentsCommand({
      documents: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      contentType: 'application/json',
    }),
  );
}

async function search(input: Omit<SearchCommandInput, 'query'> & { query: string }) {
  return client.send(new SearchCommand(input));
}

const ids = (out: Awaited<ReturnType<typeof search>>) => (out.hits?.hit ?? []).map((h) => h.id as string);
const sorted = (xs: string[]) => [...xs].sort();
const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
const hasWord = (item: Item, word: string, fields: (keyof Item)[] = ['title', 'description']) =>
  fields.some((f) => words(String(item[f])).includes(word));

beforeAll(async () => {
  const engine = new SearchEngine();
  const service = createCloudSearchService({ engine });
  server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new CloudSearchDomainClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const out = await upload(ITEMS.map(addOp));
  expect(out).toMatchObject({ status: 'success', adds: ITEMS.length, deletes: 0 });
});

afterAll(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('documents/batch', () => {
  it('adds, replaces and deletes documents', async () => {
    const extra = { ...ITEMS[0], id: 'tmp1', title: 'Temporary gadget' };
    expect(await upload([addOp(extra)])).toMatchObject({ adds: 1, deletes: 0 });
    expect(ids(await search({ query: 'gadget' }))).toEqual(['tmp1']);
    await upload([addOp({ ...extra, title: 'Temporary widget' })]);
    expect(ids(await search({ query: 'gadget' }))).toEqual([]);
    expect(ids(await search({ query: 'widget' }))).toEqual(['tmp1']);
    expect(await upload([{ type: 'delete', id: 'tmp1' }])).toMatchObject({ adds: 0, deletes: 1 });
    expect(ids(await search({ query: 'widget' }))).toEqual([]);
  });

  const rejected: [string, unknown, RegExp][] = [
    ['an unknown field', [{ type: 'add', id: 'x1', fields: { colour: 'red' } }], /unknown field 'colour'/],
    ['an invalid field name', [{ type: 'add', id: 'x1', fields: { 'Bad-Name': 'v' } }], /unknown field 'Bad-Name'/],
    ['an invalid id', [{ type: 'add', id: 'has space', fields: { title: 't' } }], /invalid document id/],
    ['an over-long id', [{ type: 'add', id: 'a'.repeat(129), fields: { title: 't' } }], /invalid document id/],
    ['a bad int', [{ type: 'add', id: 'x1', fields: { stock: 'many' } }], /invalid int value 'many'/],
    ['a bad date', [{ type: 'add', id: 'x1', fields: { created_at: '2024-13-45' } }], /invalid date value/],
    [
      'an array for a single-valued field',
      [{ type: 'add', id: 'x1', fields: { title: ['a', 'b'] } }],
      /multiple values/,
    ],
    ['a control character', [{ type: 'add', id: 'x1', fields: { title: 'a\u0001b' } }], /not allowed/],
    ['a missing type', [{ id: 'x1', fields: { title: 't' } }], /type must be 'add' or 'delete'/],
    ['an empty batch', [], /at least one/],
    ['invalid JSON', '[{"type":', /Invalid JSON/],
  ];
  for (const [what, body, message] of rejected) {
    it(`rejects ${what} with DocumentServiceException`, async () => {
      const err = await upload(body).catch((e) => e);
      expect(err).toBeInstanceOf(DocumentServiceException);
      expect(err.message).toMatch(message);
      expect(err.$metadata.httpStatusCode).toBe(400);
    });
  }

  it('accepts XML batches', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><batch>' +
      '<add id="x1"><field name="title">Xylophone &amp; mallets</field><field name="tags">music</field><field name="tags">toy</field></add>' +
      '<add id="x2"><field name="title"><![CDATA[Xylophone <deluxe>]]></field></add>' +
      '<delete id="x3"/></batch>';
    const out = await client.send(
      new UploadDocumentsCommand({ documents: Buffer.from(xml), contentType: 'application/xml' }),
    );
    expect(out).toMatchObject({ status: 'success', adds: 2, deletes: 1 });
    const found = await search({ query: 'xylophone', return: 'title,tags', sort: 'title asc' });
    expect(found.hits?.hit?.map((h) => [h.id, h.fields?.title?.[0], h.fields?.tags])).toEqual([
      ['x1', 'Xylophone & mallets', ['music', 'toy']],
      ['x2', 'Xylophone <deluxe>', undefined],
    ]);
    const badXml = '<batch><add id="y"><field name="colour">red</field></add></batch>';
    const bad = await client
      .send(new UploadDocumentsCommand({ documents: Buffer.from(badXml), contentType: 'application/xml' }))
      .catch((e) => e);
    expect(bad).toBeInstanceOf(DocumentServiceException);
    expect(bad.message).toMatch(/unknown field 'colour'/);
    await upload([
      { type: 'delete', id: 'x1' },
      { type: 'delete', id: 'x2' },
    ]);
  });

  it('fails the whole batch when one document is bad', async () => {
    const good = addOp({ ...ITEMS[0], id: 'half1', title: 'Halfway zeppelin' });
    const err = await upload([good, { type: 'add', id: 'half2', fields: { stock: 1.5 } }]).catch((e) => e);
    expect(err).toBeInstanceOf(DocumentServiceException);
    expect(ids(await search({ query: 'zeppelin' }))).toEqual([]);
  });
});

describe('search', () => {
  it('simple parser: terms, +/-, |, phrases and prefixes', async () => {
    const lamp = ITEMS.filter((i) => hasWord(i, 'lamp'));
    expect(sorted(ids(await search({ query: 'lamp' })))).toEqual(sorted(lamp.map((i) => i.id)));
    const brassNotFloor = ITEMS.filter((i) => hasWord(i, 'brass') && !hasWord(i, 'floor'));
    expect(sorted(ids(await search({ query: 'brass -floor' })))).toEqual(sorted(brassNotFloor.map((i) => i.id)));
    const shirtOrToothbrush = ITEMS.filter((i) => hasWord(i, 'shirt') || hasWord(i, 'toothbrush'));
    expect(sorted(ids(await search({ query: 'shirt|toothbrush' })))).toEqual(
      sorted(shirtOrToothbrush.map((i) => i.id)),
    );
    expect(sorted(ids(await search({ query: '"linen shade"' })))).toEqual(
      ITEMS.filter((i) => /linen shade/i.test(`${i.title} ${i.description}`))
        .map((i) => i.id)
        .sort(),
    );
    const prefixed = ITEMS.filter((i) => words(`${i.title} ${i.description}`).some((w) => w.startsWith('lamp')));
    expect(sorted(ids(await search({ query: 'lamp*' })))).toEqual(sorted(prefixed.map((i) => i.id)));
    expect(prefixed.length).toBeGreaterThan(ITEMS.filter((i) => hasWord(i, 'lamp')).length);
  });

  it('drops English stop words in _en_default_ text fields', async () => {
    const desk = ITEMS.filter((i) => hasWord(i, 'desk')).map((i) => i.id);
    expect(sorted(ids(await search({ query: 'the desk', size: 50 })))).toEqual(sorted(desk));
  });

  it('simple parser honours q.options defaultOperator', async () => {
    const and = ITEMS.filter((i) => hasWord(i, 'bamboo') && hasWord(i, 'desk'));
    const or = ITEMS.filter((i) => hasWord(i, 'bamboo') || hasWord(i, 'desk'));
    expect(sorted(ids(await search({ query: 'bamboo desk' })))).toEqual(sorted(and.map((i) => i.id)));
    expect(
      sorted(ids(await search({ query: 'bamboo desk', queryOptions: "{defaultOperator:'or'}", size: 50 }))),
    ).toEqual(sorted(or.map((i) => i.id)));
  });

  it('structured parser: and/or/not, term, phrase, prefix, range and field:value', async () => {
    const q1 = "(and (term field=category 'Home') (range field=price [20,}))";
    expect(sorted(ids(await search({ query: q1, queryParser: 'structured' })))).toEqual(
      sorted(ITEMS.filter((i) => i.category === 'Home' && i.price >= 20).map((i) => i.id)),
    );
    const q2 = "(or brand:'Vista' (prefix field=title 'lin'))";
    expect(sorted(ids(await search({ query: q2, queryParser: 'structured' })))).toEqual(
      sorted(
        ITEMS.filter((i) => i.brand === 'Vista' || words(i.title).some((w) => w.startsWith('lin'))).map((i) => i.id),
      ),
    );
    const q3 = "(and matchall (not category:'Home'))";
    expect(sorted(ids(await search({ query: q3, queryParser: 'structured', size: 50 })))).toEqual(
      sorted(ITEMS.filter((i) => i.category !== 'Home').map((i) => i.id)),
    );
    const q4 = "(phrase field=description 'brass ring')";
    expect(ids(await search({ query: q4, queryParser: 'structured' }))).toEqual(
      ITEMS.filter((i) => i.description.toLowerCase().includes('brass ring')).map((i) => i.id),
    );
    const q5 = 'stock:{0,8]';
    expect(sorted(ids(await search({ query: q5, queryParser: 'structured' })))).toEqual(
      sorted(ITEMS.filter((i) => i.stock > 0 && i.stock <= 8).map((i) => i.id)),
    );
    const q6 = "created_at:['2024-01-01T00:00:00Z','2024-02-01T00:00:00Z'}";
    expect(sorted(ids(await search({ query: q6, queryParser: 'structured' })))).toEqual(
      sorted(ITEMS.filter((i) => i.created_at >= '2024-01-01' && i.created_at < '2024-02-01').map((i) => i.id)),
    );
    expect(sorted(ids(await search({ query: "tags:'bamboo'", queryParser: 'structured' })))).toEqual(
      sorted(ITEMS.filter((i) => i.tags.includes('bamboo')).map((i) => i.id)),
    );
  });

  it('lucene parser: field:value, AND/OR/NOT, ranges and phrases', async () => {
    const q1 = 'title:lamp AND NOT brand:Weave';
    expect(sorted(ids(await search({ query: q1, queryParser: 'lucene' })))).toEqual(
      sorted(ITEMS.filter((i) => hasWord(i, 'lamp', ['title']) && i.brand !== 'Weave').map((i) => i.id)),
    );
    const q2 = 'price:[10 TO 40] OR category:Apparel';
    expect(sorted(ids(await search({ query: q2, queryParser: 'lucene', size: 50 })))).toEqual(
      sorted(ITEMS.filter((i) => (i.price >= 10 && i.price <= 40) || i.category === 'Apparel').map((i) => i.id)),
    );
    const q3 = 'description:"linen shade"';
    expect(sorted(ids(await search({ query: q3, queryParser: 'lucene' })))).toEqual(
      sorted(ITEMS.filter((i) => i.description.toLowerCase().includes('linen shade')).map((i) => i.id)),
    );
  });

  it('q.options field boosts change the ranking', async () => {
    // "brass" is in p1's title and in p2's/p7's descriptions.
    const titleFirst = ids(
      await search({ query: 'brass', queryOptions: JSON.stringify({ fields: ['title^10', 'description'] }) }),
    );
    const descFirst = ids(
      await search({ query: 'brass', queryOptions: JSON.stringify({ fields: ['title', 'description^10'] }) }),
    );
    const inTitle = ITEMS.filter((i) => hasWord(i, 'brass', ['title'])).map((i) => i.id);
    expect(inTitle).toContain(titleFirst[0]);
    expect(inTitle).not.toContain(descFirst[0]);
    const onlyTitle = ids(await search({ query: 'brass', queryOptions: "{fields:['title']}" }));
    expect(onlyTitle).toEqual(inTitle);
  });

  it('fq filters without changing scores', async () => {
    const plain = await search({ query: 'desk', return: '_score', size: 50 });
    const filtered = await search({ query: 'desk', filterQuery: "brand:'Lumo'", return: '_score', size: 50 });
    const expected = ITEMS.filter((i) => hasWord(i, 'desk') && i.brand === 'Lumo').map((i) => i.id);
    expect(sorted(ids(filtered))).toEqual(sorted(expected));
    for (const hit of filtered.hits?.hit ?? []) {
      const same = plain.hits?.hit?.find((h) => h.id === hit.id);
      expect(hit.fields?._score).toEqual(same?.fields?._score);
    }
  });

  it('facets: counts, size, bucket order and explicit buckets', async () => {
    const counts = new Map<string, number>();
    for (const i of ITEMS) counts.set(i.category, (counts.get(i.category) ?? 0) + 1);
    const out = await search({
      query: 'matchall',
      queryParser: 'structured',
      facet: JSON.stringify({
        category: {},
        brand: { sort: 'bucket', size: 2 },
        price: { buckets: ['[0,20}', '[20,50}', '[50,}'] },
      }),
      size: 0,
    });
    const categories = out.facets?.category?.buckets ?? [];
    expect(new Map(categories.map((b) => [b.value, b.count]))).toEqual(counts);
    const countsDesc = categories.map((b) => b.count as number);
    expect(countsDesc).toEqual([...countsDesc].sort((a, b) => b - a));
    const brands = [...new Set(ITEMS.map((i) => i.brand))].sort().slice(0, 2);
    expect(out.facets?.brand?.buckets?.map((b) => b.value)).toEqual(brands);
    expect(out.facets?.price?.buckets).toEqual([
      { value: '[0,20}', count: ITEMS.filter((i) => i.price < 20).length },
      { value: '[20,50}', count: ITEMS.filter((i) => i.price >= 20 && i.price < 50).length },
      { value: '[50,}', count: ITEMS.filter((i) => i.price >= 50).length },
    ]);
    expect(out.hits?.found).toBe(ITEMS.length);
    expect(out.hits?.hit).toEqual([]);
  });

  it('facet counts follow the query', async () => {
    const out = await search({ query: 'desk', facet: JSON.stringify({ brand: {} }) });
    const matching = ITEMS.filter((i) => hasWord(i, 'desk'));
    for (const bucket of out.facets?.brand?.buckets ?? []) {
      expect(bucket.count).toBe(matching.filter((i) => i.brand === bucket.value).length);
    }
  });

  it('sorts by numeric, date and text fields', async () => {
    const byPrice = ids(await search({ query: 'matchall', queryParser: 'structured', sort: 'price asc', size: 50 }));
    expect(byPrice).toEqual([...ITEMS].sort((a, b) => a.price - b.price).map((i) => i.id));
    const byDate = ids(
      await search({ query: 'matchall', queryParser: 'structured', sort: 'created_at desc', size: 50 }),
    );
    expect(byDate).toEqual([...ITEMS].sort((a, b) => b.created_at.localeCompare(a.created_at)).map((i) => i.id));
    const byTitle = ids(await search({ query: 'matchall', queryParser: 'structured', sort: 'title asc', size: 50 }));
    expect(byTitle).toEqual([...ITEMS].sort((a, b) => (a.title < b.title ? -1 : 1)).map((i) => i.id));
  });

  it('returns requested fields as arrays of strings', async () => {
    const out = await search({ query: "item_id:'p5'", queryParser: 'structured', return: 'title,tags,price,_score' });
    const hit = out.hits?.hit?.[0];
    const p5 = ITEMS.find((i) => i.id === 'p5') as Item;
    expect(hit?.fields?.title).toEqual([p5.title]);
    expect(hit?.fields?.tags).toEqual(p5.tags);
    expect(hit?.fields?.price).toEqual([String(p5.price)]);
    expect(Number(hit?.fields?._score?.[0])).toBeGreaterThan(0);
    expect(Object.keys(hit?.fields ?? {}).sort()).toEqual(['_score', 'price', 'tags', 'title']);
    const none = await search({ query: "item_id:'p5'", queryParser: 'structured', return: '_no_fields' });
    expect(none.hits?.hit?.[0]).toEqual({ id: 'p5' });
    const all = await search({ query: "item_id:'p5'", queryParser: 'structured' });
    expect(all.hits?.hit?.[0]?.fields?.brand).toEqual([p5.brand]);
    expect(all.hits?.hit?.[0]?.fields).not.toHaveProperty('_sort_title');
  });

  it('returns field statistics', async () => {
    const out = await search({
      query: 'matchall',
      queryParser: 'structured',
      stats: JSON.stringify({ price: {}, created_at: {} }),
      size: 0,
    });
    const prices = ITEMS.map((i) => i.price);
    const sum = prices.reduce((a, b) => a + b, 0);
    expect(out.stats?.price).toMatchObject({
      count: prices.length,
      missing: 0,
      min: String(Math.min(...prices)),
      max: String(Math.max(...prices)),
    });
    expect(out.stats?.price?.sum).toBeCloseTo(sum, 6);
    expect(Number(out.stats?.price?.mean)).toBeCloseTo(sum / prices.length, 6);
    const dates = ITEMS.map((i) => i.created_at).sort();
    expect(out.stats?.created_at).toMatchObject({ min: dates[0], max: dates[dates.length - 1] });
    const err = await search({ query: 'lamp', stats: '{"title":{}}' }).catch((e) => e);
    expect(err).toBeInstanceOf(SearchException);
  });

  it('highlights matched terms in text fields', async () => {
    const out = await search({
      query: 'brass',
      highlight: JSON.stringify({ title: {}, description: { format: 'text', pre_tag: '[', post_tag: ']' } }),
      size: 50,
    });
    const byId = new Map((out.hits?.hit ?? []).map((h) => [h.id, h.highlights ?? {}]));
    for (const item of ITEMS.filter((i) => hasWord(i, 'brass'))) {
      const h = byId.get(item.id) ?? {};
      if (hasWord(item, 'brass', ['title'])) expect(h.title).toMatch(/<em>brass<\/em>/i);
      if (hasWord(item, 'brass', ['description'])) expect(h.description).toMatch(/\[brass\]/i);
    }
    const err = await search({ query: 'brass', highlight: '{"category":{}}' }).catch((e) => e);
    expect(err).toBeInstanceOf(SearchException);
  });

  it('pages with start/size and with cursors', async () => {
    const all = ids(await search({ query: 'matchall', queryParser: 'structured', sort: 'price desc', size: 50 }));
    const page2 = await search({ query: 'matchall', queryParser: 'structured', sort: 'price desc', start: 3, size: 3 });
    expect(page2.hits?.start).toBe(3);
    expect(page2.hits?.found).toBe(ITEMS.length);
    expect(ids(page2)).toEqual(all.slice(3, 6));
    const seen: string[] = [];
    let cursor = 'initial';
    for (let guard = 0; guard < 10; guard++) {
      const page = await search({ query: 'matchall', queryParser: 'structured', sort: 'price desc', size: 2, cursor });
      if ((page.hits?.hit ?? []).length === 0) break;
      seen.push(...ids(page));
      cursor = page.hits?.cursor as string;
    }
    expect(seen).toEqual(all);
  });

  const badSearches: [string, Omit<SearchCommandInput, 'query'> & { query: string }, RegExp][] = [
    ['a structured syntax error', { query: '(and (term field=title', queryParser: 'structured' }, /Syntax error/],
    ['an unknown field', { query: "colour:'red'", queryParser: 'structured' }, /Unknown field 'colour'/],
    ['sorting on an array field', { query: 'lamp', sort: 'tags asc' }, /not sort enabled/],
    ['a facet on a text field', { query: 'lamp', facet: '{"title":{}}' }, /not facet enabled/],
    ['a bad int in a range', { query: 'stock:[a,b]', queryParser: 'structured' }, /Invalid int value/],
    ['an empty query', { query: '' }, /q parameter/],
    ['an expression', { query: 'lamp', expr: '{"e":"_score*2"}' }, /not supported/],
    ['an unknown q.options key', { query: 'lamp', queryOptions: '{"colour":1}' }, /Unknown q.options key/],
    ['a bad q.options field', { query: 'lamp', queryOptions: '{"fields":["nope^2"]}' }, /Unknown field 'nope'/],
  ];
  for (const [what, input, message] of badSearches) {
    it(`rejects ${what} with SearchException`, async () => {
      const err = await search(input).catch((e) => e);
      expect(err).toBeInstanceOf(SearchException);
      expect(err.message).toMatch(message);
      expect(err.$metadata.httpStatusCode).toBe(400);
    });
  }

  it('answers raw HTTP with time-ms and accepts facet.FIELD parameters', async () => {
    const res = await fetch(
      `${endpoint}/2013-01-01/search?q=lamp&facet.brand=${encodeURIComponent("{sort:'count',size:1}")}`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: Record<string, unknown>;
      facets: Record<string, { buckets: unknown[] }>;
    };
    expect(body.status).toHaveProperty('time-ms');
    expect(body.facets.brand.buckets).toHaveLength(1);
  });

  it('accepts search parameters in a form-encoded POST body', async () => {
    const res = await fetch(`${endpoint}/2013-01-01/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q: "brand:'Vista'", 'q.parser': 'structured', size: '50' }).toString(),
    });
    const body = (await res.json()) as { hits: { hit: { id: string }[] } };
    expect(body.hits.hit.map((h) => h.id).sort()).toEqual(
      ITEMS.filter((i) => i.brand === 'Vista')
        .map((i) => i.id)
        .sort(),
    );
  });
});
