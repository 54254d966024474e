import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenSearchSearchBody, SearchEngine, SearchEngineError } from '../../src/emulators/search-engine/index.js';
import { byte4ToInt, intToByte4 } from '../../src/emulators/search-engine/similarity.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'octember-se-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Lucene 9 BM25 for one term, written out independently of the engine (k1 1.2, b 0.75). */
function luceneBm25(freq: number, docLen: number, df: number, docCount: number, avgdl: number): number {
  const idf = Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
  const norm = 1.2 * (1 - 0.75 + (0.75 * docLen) / avgdl);
  return idf * (freq / (freq + norm));
}

function ids(engine: SearchEngine, index: string, body: OpenSearchSearchBody): string[] {
  return engine.search(index, body).hits.hits.map((h) => h._id);
}

describe('search engine', () => {
  it('scores a single term like Lucene BM25', () => {
    const e = new SearchEngine();
    e.index('t', '1', { body: 'apple banana' });
    e.index('t', '2', { body: 'apple apple cherry date' });
    e.index('t', '3', { body: 'cherry' }, { refresh: true });
    const hits = e.search('t', { query: { match: { body: 'apple' } } }).hits.hits;
    const avgdl = (2 + 4 + 1) / 3;
    const expected = new Map([
      ['1', luceneBm25(1, 2, 2, 3, avgdl)],
      ['2', luceneBm25(2, 4, 2, 3, avgdl)],
    ]);
    expect(hits.map((h) => h._id).sort()).toEqual(['1', '2']);
    for (const h of hits) expect(h._score).toBeCloseTo(expected.get(h._id) as number, 5);
  });

  it('ranks a rare term above a common one and applies field boosts', () => {
    const e = new SearchEngine();
    for (let i = 0; i < 20; i++) e.index('c', String(i), { name: `person ${i}`, company: 'common corp' });
    e.index('c', 'rare', { name: 'person zebra', company: 'common corp' });
    e.index('c', 'boosted', { name: 'acme', company: 'other' });
    e.index('c', 'plain', { name: 'other', company: 'acme' }, { refresh: true });
    expect(ids(e, 'c', { query: { match: { name: 'person zebra' } } })[0]).toBe('rare');
    expect(ids(e, 'c', { query: { multi_match: { query: 'acme', fields: ['name^3', 'company'] } } })).toEqual([
      'boosted',
      'plain',
    ]);
    expect(ids(e, 'c', { query: { multi_match: { query: 'acme', fields: ['name', 'company^3'] } } })).toEqual([
      'plain',
      'boosted',
    ]);
  });

  it('encodes field lengths into one byte like SmallFloat', () => {
    for (let i = 0; i < 24; i++) expect(byte4ToInt(intToByte4(i))).toBe(i);
    for (const len of [25, 100, 1000, 123456]) {
      const decoded = byte4ToInt(intToByte4(len));
      expect(decoded).toBeLessThanOrEqual(len);
      expect(decoded).toBeGreaterThan(len * 0.8);
    }
  });

  it('hides writes until refresh, but get is realtime', () => {
    const e = new SearchEngine();
    e.createIndex('r', { settings: { 'index.refresh_interval': -1 } });
    e.index('r', '1', { a: 'x' });
    expect(e.search('r', {}).hits.total?.value).toBe(0);
    expect(e.get('r', '1').found).toBe(true);
    e.refresh('r');
    expect(e.search('r', {}).hits.total?.value).toBe(1);
  });

  it('filters, sorts, pages and aggregates', () => {
    const e = new SearchEngine();
    const owners = ['u1', 'u2', 'u1', 'u3', 'u1'];
    for (const [i, owner] of owners.entries())
      e.index('s', String(i), { owner, n: i * 10, created: `2024-01-0${i + 1}` });
    e.refresh('s');
    const r = e.search('s', {
      query: { bool: { filter: [{ term: { 'owner.keyword': 'u1' } }, { range: { n: { gte: 10 } } }] } },
      sort: [{ n: 'desc' }],
      aggs: {
        owners: { terms: { field: 'owner.keyword' } },
        total: { sum: { field: 'n' } },
        first: { min: { field: 'created' } },
      },
      size: 1,
    });
    expect(r.hits.total).toEqual({ value: 2, relation: 'eq' });
    expect(r.hits.hits.map((h) => h._id)).toEqual(['4']);
    expect(r.hits.hits[0].sort).toEqual([40]);
    expect(r.hits.hits[0]._score).toBeNull();
    expect(r.aggregations?.owners).toMatchObject({ buckets: [{ key: 'u1', doc_count: 2 }] });
    expect(r.aggregations?.total).toEqual({ value: 60 });
    expect(r.aggregations?.first).toMatchObject({ value_as_string: '2024-01-03T00:00:00.000Z' });
    const page2 = e.search('s', { sort: ['n'], from: 2, size: 2 });
    expect(page2.hits.hits.map((h) => h._id)).toEqual(['2', '3']);
  });

  it('keeps dot-prefixed indices out of wildcard and _all searches', () => {
    const e = new SearchEngine();
    e.index('.cloudsearch-items', '1', { t: 'hidden' }, { refresh: true });
    e.index('visible', '1', { t: 'shown' }, { refresh: true });
    expect(e.resolveIndices('*')).toEqual(['visible']);
    expect(e.search('_all', {}).hits.hits.map((h) => h._index)).toEqual(['visible']);
    expect(e.search('.cloudsearch-items', {}).hits.total?.value).toBe(1);
    expect(e.resolveIndices('*', { expandHidden: true }).sort()).toEqual(['.cloudsearch-items', 'visible']);
  });

  it('normalizes keyword fields with a declared normalizer at index and query time', () => {
    const e = new SearchEngine();
    e.createIndex('n', {
      settings: { analysis: { normalizer: { folded: { type: 'custom', filter: ['lowercase', 'asciifolding'] } } } },
      mappings: { properties: { email: { type: 'keyword', normalizer: 'folded' }, tag: { type: 'keyword' } } },
    });
    e.index('n', '1', { email: 'José@Example.COM', tag: 'Mixed' }, { refresh: true });
    expect(ids(e, 'n', { query: { term: { email: 'jose@example.com' } } })).toEqual(['1']);
    expect(
      ids(e, 'n', { query: { bool: { must: { match_all: {} }, filter: { term: { email: 'JOSE@example.com' } } } } }),
    ).toEqual(['1']);
    expect(ids(e, 'n', { query: { term: { tag: 'mixed' } } })).toEqual([]);
  });

  it('matches phrases by position and filters _source', () => {
    const e = new SearchEngine();
    e.index('p', '1', { t: 'quick brown fox', meta: { a: 1, b: 2 } });
    e.index('p', '2', { t: 'brown quick fox', meta: { a: 3, b: 4 } }, { refresh: true });
    const r = e.search('p', { query: { match_phrase: { t: 'quick brown' } }, _source: { includes: ['meta.a'] } });
    expect(r.hits.hits.map((h) => [h._id, h._source])).toEqual([['1', { meta: { a: 1 } }]]);
  });

  it('throws OpenSearch-shaped errors', () => {
    const e = new SearchEngine();
    expect(() => e.search('missing', {})).toThrowError(SearchEngineError);
    try {
      e.get('missing', '1');
    } catch (err) {
      expect((err as SearchEngineError).status).toBe(404);
      expect((err as SearchEngineError).type).toBe('index_not_found_exception');
    }
    e.createIndex('x', { mappings: { properties: { n: { type: 'long' } } } });
    expect(() => e.index('x', '1', { n: 'abc' })).toThrowError(/failed to parse field \[n\] of type \[long\]/);
    expect(() => e.createIndex('x')).toThrowError(/already exists/);
    e.index('x', '1', { n: 1 });
    expect(() => e.index('x', '1', { n: 2 }, { opType: 'create' })).toThrowError(/version conflict/);
    expect(() => e.index('x', '2', { fresh: 'field', n: 'not a number' })).toThrowError(/failed to parse field \[n\]/);
    expect(e.getMapping('x').properties?.fresh).toBeUndefined();
  });

  it('persists across a restart, including unflushed writes from the log', () => {
    const dataDir = tempDir();
    const first = new SearchEngine({ dataDir });
    first.createIndex('keep', { mappings: { properties: { tag: { type: 'keyword' } } } });
    first.index('keep', 'a', { tag: 'x', text: 'hello world' });
    first.flush();
    first.index('keep', 'b', { tag: 'y', text: 'hello again' });
    first.delete('keep', 'a');
    // no close(): simulates a crash after the log append
    const second = new SearchEngine({ dataDir });
    expect(second.get('keep', 'a').found).toBe(false);
    expect(second.get('keep', 'b')._source).toEqual({ tag: 'y', text: 'hello again' });
    expect(second.getMapping('keep').properties?.tag).toEqual({ type: 'keyword' });
    expect(ids(second, 'keep', { query: { match: { text: 'hello' } } })).toEqual(['b']);
    second.close();
    const third = new SearchEngine({ dataDir });
    expect(third.count('keep')).toBe(1);
    third.close();
  });
});
