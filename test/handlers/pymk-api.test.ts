// GET /v1/pymk through the real Gremlin adapter against the in-process Gremlin emulator, with ranking checked
// against the same friends-of-friends computation done directly over the test's own adjacency lists.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { createMemoryCache } from '../../src/adapters/memory/cache.js';
import { type GremlinServerHandle, startGremlinServer } from '../../src/emulators/gremlin/index.js';
import { createPymkApi } from '../../src/handlers/pymk-api.js';

const get = (query: Record<string, string>) => ({ queryStringParameters: query }) as unknown as APIGatewayProxyEvent;

const person = (name: string) => ({
  name,
  email: `${name.toLowerCase()}@example.com`,
  phone_number: `+1 555 ${name.length}`,
  company: `${name} Corp`,
  job_title: 'Engineer',
});

// owner id (its own card is `<owner>@example.com`) → the names on the cards it holds
const CONTACTS: Record<string, string[]> = {
  edy: ['Ann', 'Ben'],
  ann: ['Cat', 'Dan', 'Eve'],
  ben: ['Cat', 'Dan', 'Fay'],
  cat: ['Gus'],
};

describe('pymk-api', () => {
  let server: GremlinServerHandle;
  let store: ReturnType<typeof createGremlinGraphStore>;
  beforeAll(async () => {
    server = await startGremlinServer({ port: 0 });
    store = createGremlinGraphStore({ url: server.url });
    for (const owner of Object.keys(CONTACTS)) {
      await store.upsertContact(owner, person(owner.charAt(0).toUpperCase() + owner.slice(1)));
    }
    for (const [owner, names] of Object.entries(CONTACTS)) {
      for (const name of names) await store.upsertContact(owner, person(name));
    }
  });
  afterAll(async () => {
    await store.close();
    await server.close();
  });

  /** Expected answer computed from CONTACTS directly: undirected, common-contact counts, ties by name. */
  function expected(user: string, limit: number) {
    const adj = new Map<string, Set<string>>();
    const link = (a: string, b: string) => {
      if (!adj.has(a)) adj.set(a, new Set());
      if (!adj.has(b)) adj.set(b, new Set());
      adj.get(a)?.add(b);
      adj.get(b)?.add(a);
    };
    for (const [owner, names] of Object.entries(CONTACTS)) for (const n of names) link(owner, n.toLowerCase());
    const friends = adj.get(user) ?? new Set<string>();
    const scores = new Map<string, number>();
    for (const f of friends) {
      for (const c of adj.get(f) ?? []) {
        if (c === user || friends.has(c)) continue;
        scores.set(c, (scores.get(c) ?? 0) + 1);
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([name, score]) => ({ name: name.charAt(0).toUpperCase() + name.slice(1), score }));
  }

  it('ranks friends of friends by common contacts, ties by name, without the user or existing contacts', async () => {
    const api = createPymkApi({ graph: store, cache: createMemoryCache() });
    const res = await api(get({ user: 'edy', limit: '10' }));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as Array<Record<string, unknown>>;
    expect(body.map(({ name, score }) => ({ name, score }))).toEqual(expected('edy', 10));
    expect(body[0]).toEqual({ ...person('Cat'), score: 2 });
    // Cat and Dan tie on 2 common contacts: the name decides who makes a cut of one
    const cut = JSON.parse((await api(get({ user: 'edy', limit: '1' }))).body) as Array<{
      name: string;
      score: number;
    }>;
    expect(cut.map(({ name, score }) => ({ name, score }))).toEqual(expected('edy', 1));
  });

  it('resolves the user by name (any case) and by email as well as by owner id, and applies limit', async () => {
    const api = createPymkApi({ graph: store, cache: createMemoryCache() });
    const byName = JSON.parse((await api(get({ user: 'ANN', limit: '2' }))).body) as Array<{
      name: string;
      score: number;
    }>;
    expect(byName.map(({ name, score }) => ({ name, score }))).toEqual(expected('ann', 2));
    const byEmail = JSON.parse((await api(get({ user: 'Edy@Example.com' }))).body) as Array<{
      name: string;
      score: number;
    }>;
    expect(byEmail.map(({ name, score }) => ({ name, score }))).toEqual(expected('edy', 10));
  });

  it('answers [] for an unknown user and 400 without user or with a bad limit', async () => {
    const api = createPymkApi({ graph: store, cache: createMemoryCache() });
    expect(JSON.parse((await api(get({ user: 'nobody' }))).body)).toEqual([]);
    expect((await api(get({}))).statusCode).toBe(400);
    expect((await api(get({ user: 'edy', limit: 'x' }))).statusCode).toBe(400);
  });

  it('serves repeated queries from the cache for 10 minutes', async () => {
    const cache = createMemoryCache();
    let calls = 0;
    const counting = {
      ...store,
      pymk: (u: string, l: number) => {
        calls++;
        return store.pymk(u, l);
      },
      close: store.close,
      upsertContact: store.upsertContact,
    };
    const api = createPymkApi({ graph: counting, cache });
    const first = await api(get({ user: 'edy', limit: '3' }));
    const second = await api(get({ user: 'edy', limit: '3' }));
    expect(second.body).toBe(first.body);
    expect(calls).toBe(1);
    expect(await cache.get('pymk:edy:3')).toBe(first.body);
  });
});
