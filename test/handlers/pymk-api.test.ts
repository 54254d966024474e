// GET /v1/pymk through the real Gremlin adapter against the in-process Gremlin emulator, with ranking checked
// against the friends-of-friends computation of the GraphStore contract over the same contacts.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { createMemoryCache } from '../../src/adapters/memory/cache.js';
import { type GremlinServerHandle, startGremlinServer } from '../../src/emulators/gremlin/index.js';
import { createPymkApi } from '../../src/handlers/pymk-api.js';
import { CONTACTS, expectedPymk, person } from '../contracts/graph-store.contract.js';

const get = (query: Record<string, string>) => ({ queryStringParameters: query }) as unknown as APIGatewayProxyEvent;

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

  const expected = expectedPymk;

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
