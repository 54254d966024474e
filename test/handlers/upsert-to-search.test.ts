import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/adapters/memory/cache.js';
import { createOpenSearchCardIndex } from '../../src/adapters/opensearch/card-search-index.js';
import { type CardFields, cardFields } from '../../src/domain/card-fields.js';
import { type OpenSearchServer, startOpenSearch } from '../../src/emulators/opensearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { createSearchApi } from '../../src/handlers/search-api.js';
import {
  cardContentId,
  cardDocId,
  createUpsertToSearch,
  searchCachePrefix,
} from '../../src/handlers/upsert-to-search.js';
import type { CardDocument, CardSearchHit, CardSearchIndex, CardSearchQuery } from '../../src/ports/card-search.js';
import { kinesisEvent } from '../support/kinesis-event.js';

const card = (over: Partial<CardFields>): CardFields => cardFields(over);

const textRecord = (owner: string, imageId: string, data: Partial<CardFields>) => ({
  s3_bucket: 'octember-bizcard',
  s3_key: `bizcard-raw-img/${owner}_${imageId}.jpg`,
  owner,
  data: card(data),
});

/** A CardSearchIndex kept in a Map; search does a plain substring match (the real ranking is tested below). */
function memoryCardIndex(options: { refuse?: (doc: CardDocument) => boolean } = {}) {
  const docs = new Map<string, CardDocument>();
  const index: CardSearchIndex = {
    async upsert(batch) {
      const failed = [];
      for (const doc of batch) {
        if (options.refuse?.(doc)) {
          failed.push({ doc_id: doc.doc_id, reason: 'refused' });
          continue;
        }
        const prev = docs.get(doc.doc_id);
        docs.set(doc.doc_id, { ...doc, created_at: prev?.created_at ?? doc.created_at });
      }
      return { failed };
    },
    async findByContent(owner, contentIds) {
      const out = new Map<string, string>();
      for (const d of docs.values())
        if (d.owner === owner && contentIds.includes(d.content_id)) out.set(d.content_id, d.doc_id);
      return out;
    },
    async search(q: CardSearchQuery): Promise<CardSearchHit[]> {
      return [...docs.values()]
        .filter((d) => !q.owner || d.owner === q.owner)
        .filter((d) => !q.query || JSON.stringify(d).toLowerCase().includes(q.query.toLowerCase()))
        .slice(0, q.limit)
        .map((d) => ({ ...d, score: 1 }));
    },
  };
  return { index, docs };
}

describe('upsert-to-search', () => {
  it('indexes text-stream records with deterministic ids and owner metadata', async () => {
    const { index, docs } = memoryCardIndex();
    const handler = createUpsertToSearch({ search: index, cache: createMemoryCache() });
    const out = await handler(
      kinesisEvent([textRecord('edy', 'img1', { name: 'Ada Lovelace', company: 'Engines Ltd' })]),
    );
    expect(out.batchItemFailures).toEqual([]);
    const doc = docs.get(cardDocId('edy', 'edy_img1.jpg'));
    expect(doc).toMatchObject({
      owner: 'edy',
      image_id: 'edy_img1.jpg',
      name: 'Ada Lovelace',
      company: 'Engines Ltd',
      is_alive: true,
    });
    expect(doc?.content_id).toBe(cardContentId(card({ name: 'Ada Lovelace', company: 'Engines Ltd' })));
    expect(Number.isNaN(Date.parse(doc?.created_at ?? ''))).toBe(false);
  });

  it('redelivery updates the same document and keeps created_at', async () => {
    const { index, docs } = memoryCardIndex();
    const handler = createUpsertToSearch({ search: index, cache: createMemoryCache() });
    await handler(kinesisEvent([textRecord('edy', 'img1', { name: 'Ada' })]));
    const created = docs.get(cardDocId('edy', 'edy_img1.jpg'))?.created_at;
    await new Promise((r) => setTimeout(r, 5));
    await handler(kinesisEvent([textRecord('edy', 'img1', { name: 'Ada', job_title: 'Countess' })]));
    expect(docs.size).toBe(1);
    expect(docs.get(cardDocId('edy', 'edy_img1.jpg'))).toMatchObject({ job_title: 'Countess', created_at: created });
  });

  it('the same card content under another image is the same document, not a duplicate', async () => {
    const { index, docs } = memoryCardIndex();
    const handler = createUpsertToSearch({ search: index, cache: createMemoryCache() });
    await handler(kinesisEvent([textRecord('edy', 'img1', { name: 'Grace Hopper', email: 'grace@navy.mil' })]));
    await handler(
      kinesisEvent([
        textRecord('edy', 'img2', { name: '  grace   HOPPER ', email: 'Grace@navy.mil' }),
        textRecord('edy', 'img3', { name: 'Grace Hopper', email: 'grace@navy.mil' }),
      ]),
    );
    expect(docs.size).toBe(1);
    // Another owner holding the same card has their own document.
    await handler(kinesisEvent([textRecord('kim', 'img9', { name: 'Grace Hopper', email: 'grace@navy.mil' })]));
    expect(docs.size).toBe(2);
  });

  it('skips malformed records and reports refused documents as batch item failures', async () => {
    const { index, docs } = memoryCardIndex({ refuse: (d) => d.name === 'Refuse me' });
    const handler = createUpsertToSearch({ search: index, cache: createMemoryCache() });
    const event = kinesisEvent([
      'not json',
      { owner: 'edy' },
      textRecord('edy', 'a', { name: 'Refuse me' }),
      textRecord('edy', 'b', { name: 'Fine' }),
    ]);
    const out = await handler(event);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: event.Records[2].kinesis.sequenceNumber }]);
    expect([...docs.values()].map((d) => d.name)).toEqual(['Fine']);
  });

  it("drops the owner's cached search answers", async () => {
    const { index } = memoryCardIndex();
    const cache = createMemoryCache();
    await cache.set(`${searchCachePrefix('edy')}10:ada`, '[]', 600);
    await cache.set(`${searchCachePrefix('kim')}10:ada`, '[]', 600);
    await cache.set(`${searchCachePrefix(undefined)}10:ada`, '[]', 600);
    await createUpsertToSearch({ search: index, cache })(kinesisEvent([textRecord('edy', 'x', { name: 'Ada' })]));
    expect(await cache.get(`${searchCachePrefix('edy')}10:ada`)).toBeUndefined();
    expect(await cache.get(`${searchCachePrefix(undefined)}10:ada`)).toBeUndefined();
    expect(await cache.get(`${searchCachePrefix('kim')}10:ada`)).toBe('[]');
  });
});

describe('search-api', () => {
  const get = (params: Record<string, string>) => ({ queryStringParameters: params }) as never;

  it('answers 400 without query or user, and for a bad limit', async () => {
    const api = createSearchApi({ search: memoryCardIndex().index, cache: createMemoryCache() });
    expect((await api(get({}))).statusCode).toBe(400);
    expect((await api(get({ query: 'x', limit: 'ten' }))).statusCode).toBe(400);
  });

  it('caches answers per user+query+limit for 10 minutes', async () => {
    const { index } = memoryCardIndex();
    let now = 0;
    const cache = createMemoryCache({ now: () => now });
    const handler = createUpsertToSearch({ search: index, cache });
    let searches = 0;
    const counting: CardSearchIndex = {
      ...index,
      search: async (q) => {
        searches++;
        return index.search(q);
      },
    };
    const api = createSearchApi({ search: counting, cache });
    await handler(kinesisEvent([textRecord('edy', 'a', { name: 'Ada' })]));
    const first = await api(get({ query: 'ada', user: 'edy' }));
    const second = await api(get({ query: 'ada', user: 'edy' }));
    expect(second.body).toBe(first.body);
    expect(searches).toBe(1);
    await api(get({ query: 'ada', user: 'edy', limit: '5' }));
    expect(searches).toBe(2);
    now += 601_000;
    await api(get({ query: 'ada', user: 'edy' }));
    expect(searches).toBe(3);
  });
});

describe('card search over the OpenSearch emulator', () => {
  let server: OpenSearchServer;
  let adapter: ReturnType<typeof createOpenSearchCardIndex>;

  beforeAll(async () => {
    server = await startOpenSearch({
      engine: new SearchEngine(),
      port: 0,
      host: '127.0.0.1',
      fallbackToNextPort: false,
    });
    adapter = createOpenSearchCardIndex({ node: server.url, refresh: 'wait_for' });
  });
  afterAll(async () => {
    await adapter?.close();
    await server?.close();
  });

  it('upserts through the handler and searches with name boosted, filtered by owner', async () => {
    const cache = createMemoryCache();
    const upsert = createUpsertToSearch({ search: adapter, cache });
    const out = await upsert(
      kinesisEvent([
        textRecord('edy', 'c1', {
          name: 'Jordan Smith',
          company: 'Acme Robotics',
          job_title: 'Engineer',
          addr: '1 Main St',
        }),
        textRecord('edy', 'c2', {
          name: 'Alex Jones',
          company: 'Smith & Partners',
          job_title: 'Lawyer',
          addr: '9 High St',
        }),
        textRecord('kim', 'c3', { name: 'Sam Smith', company: 'Bakery', job_title: 'Baker', addr: 'Smith Road' }),
        textRecord('edy', 'c4', {
          name: 'Jordan Smith',
          company: 'Acme Robotics',
          job_title: 'Engineer',
          addr: '1 Main St',
        }),
      ]),
    );
    expect(out.batchItemFailures).toEqual([]);
    const api = createSearchApi({ search: adapter, cache });
    const res = await api({ queryStringParameters: { query: 'smith', user: 'edy' } } as never);
    expect(res.statusCode).toBe(200);
    const hits = JSON.parse(res.body) as { name: string; owner: string; score: number }[];
    // c4 repeats c1's content: one document. Name matches outrank company matches (name^3).
    expect(hits.map((h) => h.name)).toEqual(['Jordan Smith', 'Alex Jones']);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    const all = JSON.parse((await api({ queryStringParameters: { query: 'smith' } } as never)).body) as {
      owner: string;
    }[];
    expect(all.map((h) => h.owner).sort()).toEqual(['edy', 'edy', 'kim']);
    const mine = JSON.parse((await api({ queryStringParameters: { user: 'kim' } } as never)).body) as {
      name: string;
    }[];
    expect(mine.map((h) => h.name)).toEqual(['Sam Smith']);
  });
});
