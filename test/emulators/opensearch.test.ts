import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenSearchServer, startOpenSearch } from '../../src/emulators/opensearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by value, not by the client's typings
type Json = any;

/** The body of a client response, loosely typed. */
function body(res: { body: unknown }): Json {
  return res.body;
}

interface ClientError {
  meta: {
    statusCode: number;
    body: { error: { type: string; reason: string; root_cause: Array<{ type: string }> }; status: number };
  };
}

async function failure(p: Promise<unknown>): Promise<ClientError['meta']> {
  try {
    await p;
  } catch (e) {
    return (e as ClientError).meta;
  }
  throw new Error('expected the request to fail');
}

describe('OpenSearch emulator with @opensearch-project/opensearch', () => {
  let dataDir: string;
  let engine: SearchEngine;
  let server: OpenSearchServer;
  let client: Client;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'octember-os-'));
    engine = new SearchEngine({ dataDir });
    server = await startOpenSearch({ port: 0, engine });
    client = new Client({ node: server.url });
  });

  afterAll(async () => {
    await client.close();
    await server.close();
    engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports an OpenSearch 2.x version', async () => {
    const info = await client.info();
    expect(body(info).version.distribution).toBe('opensearch');
    expect(body(info).version.number).toMatch(/^2\./);
  });

  it('creates indices, checks existence and returns mappings', async () => {
    await client.indices.create({
      index: 'cards',
      body: {
        mappings: { properties: { owner: { type: 'keyword' }, name: { type: 'text' }, score: { type: 'integer' } } },
      },
    });
    expect((await client.indices.exists({ index: 'cards' })).body).toBe(true);
    expect((await client.indices.exists({ index: 'nope' })).body).toBe(false);
    const mapping = await client.indices.getMapping({ index: 'cards' });
    expect(body(mapping).cards.mappings.properties.owner).toEqual({ type: 'keyword' });
    const dup = await failure(client.indices.create({ index: 'cards' }));
    expect(dup.statusCode).toBe(400);
    expect(dup.body.error.type).toBe('resource_already_exists_exception');
  });

  it('indexes, gets, updates and deletes documents with versions', async () => {
    const created = await client.index({ index: 'cards', id: 'c1', body: { name: 'Jane Doe', owner: 'u1', score: 1 } });
    expect(created.statusCode).toBe(201);
    expect(body(created)).toMatchObject({ result: 'created', _version: 1 });
    const updated = await client.update({ index: 'cards', id: 'c1', body: { doc: { score: 2 } } });
    expect(body(updated)).toMatchObject({ result: 'updated', _version: 2 });
    const noop = await client.update({ index: 'cards', id: 'c1', body: { doc: { score: 2 } } });
    expect(body(noop).result).toBe('noop');
    const got = await client.get({ index: 'cards', id: 'c1' });
    expect(body(got)._source).toEqual({ name: 'Jane Doe', owner: 'u1', score: 2 });
    const conflict = await failure(
      client.index({ index: 'cards', id: 'c1', if_seq_no: 0, if_primary_term: 1, body: { name: 'x' } }),
    );
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body.error.type).toBe('version_conflict_engine_exception');
    const upsert = await client.update({
      index: 'cards',
      id: 'c2',
      body: { doc: { name: 'New Person', owner: 'u2' }, doc_as_upsert: true },
    });
    expect(body(upsert).result).toBe('created');
    const del = await client.delete({ index: 'cards', id: 'c2' });
    expect(body(del).result).toBe('deleted');
    const missing = await failure(client.get({ index: 'cards', id: 'c2' }));
    expect(missing.statusCode).toBe(404);
  });

  it('reports per-item bulk errors', async () => {
    const res = await client.bulk({
      refresh: true,
      body: [
        { index: { _index: 'bulk1', _id: '1' } },
        { title: 'first' },
        { create: { _index: 'bulk1', _id: '1' } },
        { title: 'duplicate' },
        { update: { _index: 'bulk1', _id: 'absent' } },
        { doc: { title: 'nothing' } },
        { delete: { _index: 'bulk1', _id: '1' } },
      ],
    });
    expect(body(res).errors).toBe(true);
    const statuses = body(res).items.map((item: Record<string, { status: number }>) => Object.values(item)[0].status);
    expect(statuses).toEqual([201, 409, 404, 200]);
    expect(body(res).items[1].create.error.type).toBe('version_conflict_engine_exception');
    expect(body(res).items[2].update.error.type).toBe('document_missing_exception');
  });

  it('searches with match, multi_match boosts, filters, highlight and aggregations', async () => {
    const docs = [
      { name: 'Alice Smith', company: 'Acme', job_title: 'Engineer', owner: 'u1', score: 5 },
      { name: 'Bob Acme', company: 'Globex', job_title: 'Manager', owner: 'u1', score: 3 },
      { name: 'Carol Jones', company: 'Acme', job_title: 'Designer', owner: 'u2', score: 8 },
    ];
    await client.bulk({
      refresh: true,
      body: docs.flatMap((d, i) => [{ index: { _index: 'people', _id: `p${i}` } }, d]) as Json,
    });
    const byName = await client.search({
      index: 'people',
      body: { query: { multi_match: { query: 'acme', fields: ['name^3', 'company'] } } },
    });
    expect(body(byName).hits.hits[0]._id).toBe('p1');
    const filtered = await client.search({
      index: 'people',
      body: {
        query: { bool: { must: [{ match: { company: 'acme' } }], filter: [{ term: { 'owner.keyword': 'u1' } }] } },
        highlight: { fields: { company: {} } },
        aggs: { owners: { terms: { field: 'owner.keyword' } }, top: { max: { field: 'score' } } },
      } as Json,
    });
    expect(body(filtered).hits.total).toEqual({ value: 1, relation: 'eq' });
    expect(body(filtered).hits.hits[0].highlight.company).toEqual(['<em>Acme</em>']);
    expect(body(filtered).aggregations.owners.buckets).toEqual([{ key: 'u1', doc_count: 1 }]);
    expect(body(filtered).aggregations.top.value).toBe(5);
    const count = await client.count({ index: 'people', body: { query: { range: { score: { gte: 4 } } } } });
    expect(body(count).count).toBe(2);
    const sorted = await client.search({
      index: 'people',
      body: { sort: [{ score: 'desc' }], _source: ['name'], size: 2 },
    });
    expect(body(sorted).hits.hits.map((h: { _source: unknown }) => h._source)).toEqual([
      { name: 'Carol Jones' },
      { name: 'Alice Smith' },
    ]);
  });

  it('answers bad input with OpenSearch error shapes', async () => {
    const notFound = await failure(client.search({ index: 'does-not-exist', body: { query: { match_all: {} } } }));
    expect(notFound.statusCode).toBe(404);
    expect(notFound.body.error.root_cause[0].type).toBe('index_not_found_exception');
    const unknown = await failure(client.search({ index: 'people', body: { query: { no_such_query: {} } } as Json }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.error.type).toBe('parsing_exception');
    const badName = await failure(client.indices.create({ index: 'BadName' }));
    expect(badName.body.error.type).toBe('invalid_index_name_exception');
  });

  it('deletes by query and mgets', async () => {
    const r = await client.deleteByQuery({
      index: 'people',
      refresh: true,
      body: { query: { term: { 'owner.keyword': 'u2' } } },
    });
    expect(body(r).deleted).toBe(1);
    const m = await client.mget({ index: 'people', body: { ids: ['p0', 'p2'] } });
    expect(body(m).docs.map((d: { found: boolean }) => d.found)).toEqual([true, false]);
  });

  it('makes writes searchable only after a refresh when refresh_interval is -1', async () => {
    await client.indices.create({ index: 'manual-refresh' });
    await client.indices.putSettings({ index: 'manual-refresh', body: { index: { refresh_interval: '-1' } } });
    await client.index({ index: 'manual-refresh', id: '1', body: { a: 'x' } });
    expect(body(await client.count({ index: 'manual-refresh' })).count).toBe(0);
    expect(body(await client.get({ index: 'manual-refresh', id: '1' })).found).toBe(true);
    await client.indices.refresh({ index: 'manual-refresh' });
    expect(body(await client.count({ index: 'manual-refresh' })).count).toBe(1);
    const settings = body(await client.indices.getSettings({ index: 'manual-refresh' }));
    expect(settings['manual-refresh'].settings.index.refresh_interval).toBe('-1');
  });

  it('pages through all hits with the scroll API', async () => {
    const docs = Array.from({ length: 25 }, (_, i) => [
      { index: { _index: 'scrolled', _id: `s${i}` } },
      { n: i },
    ]).flat();
    await client.bulk({ refresh: true, body: docs as Json });
    const seen: string[] = [];
    let page = body(
      await client.search({ index: 'scrolled', scroll: '1m', size: 10, body: { sort: [{ n: 'asc' }] } as Json }),
    );
    while (page.hits.hits.length > 0) {
      seen.push(...page.hits.hits.map((h: { _id: string }) => h._id));
      page = body(await client.scroll({ scroll_id: page._scroll_id, scroll: '1m' } as Json));
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `s${i}`));
    const cleared = body(await client.clearScroll({ scroll_id: page._scroll_id } as Json));
    expect(cleared.succeeded).toBe(true);
  });

  it('returns integers beyond 2^53 exactly as they were sent', async () => {
    const put = await fetch(`${server.url}/bigints/_doc/1?refresh=true`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"id": 72057594037927937, "n": 1}',
    });
    expect(put.status).toBe(201);
    const got = await fetch(`${server.url}/bigints/_doc/1`);
    expect(await got.text()).toContain('"_source":{"id":72057594037927937,"n":1}');
  });

  it('keeps data across an emulator restart', async () => {
    await client.index({ index: 'durable', id: 'd1', body: { note: 'survives restarts' }, refresh: true });
    await server.close();
    engine.close();
    engine = new SearchEngine({ dataDir });
    server = await startOpenSearch({ port: 0, engine });
    await client.close();
    client = new Client({ node: server.url });
    const res = await client.search({ index: 'durable', body: { query: { match: { note: 'restarts' } } } });
    expect(body(res).hits.hits.map((h: { _id: string }) => h._id)).toEqual(['d1']);
  });
});
