import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { createMemoryCache } from '../../src/adapters/memory/cache.js';
import { cardFields } from '../../src/domain/card-fields.js';
import { type GremlinServerHandle, startGremlinServer } from '../../src/emulators/gremlin/index.js';
import { createUpsertToGraph } from '../../src/handlers/upsert-to-graph.js';
import type { GraphStore } from '../../src/ports/graph-store.js';
import { kinesisEvent } from '../support/kinesis-event.js';

function card(name: string, email: string | null, extra: Record<string, string> = {}) {
  return cardFields({ name, email, phone_number: '+1 555 0100', company: 'Acme', job_title: 'Engineer', ...extra });
}

const record = (owner: string, data: unknown) => ({
  s3_bucket: 'octember-bizcard',
  s3_key: `bizcard-raw-img/${owner}_1.jpg`,
  owner,
  data,
});

describe('upsert-to-graph', () => {
  let server: GremlinServerHandle;
  let store: ReturnType<typeof createGremlinGraphStore>;
  beforeAll(async () => {
    server = await startGremlinServer({ port: 0, dialect: 'neptune' });
    store = createGremlinGraphStore({ url: server.url });
  });
  afterAll(async () => {
    await store.close();
    await server.close();
  });
  beforeEach(async () => {
    await store.traversal().V().drop().iterate();
  });

  const counts = async () => ({
    vertices: Number(
      await store
        .traversal()
        .V()
        .count()
        .next()
        .then((r: { value: unknown }) => r.value),
    ),
    edges: Number(
      await store
        .traversal()
        .E()
        .count()
        .next()
        .then((r: { value: unknown }) => r.value),
    ),
  });

  it('creates person vertices and weighted knows edges, idempotently under redelivery', async () => {
    const handler = createUpsertToGraph({ graph: store, cache: createMemoryCache() });
    const batch = [
      record('edy', card('Alice Smith', 'Alice@Example.com')),
      record('edy', card('Bob Jones', 'bob@example.com')),
    ];
    expect(await handler(kinesisEvent(batch))).toEqual({ batchItemFailures: [] });
    const once = await counts();
    await handler(kinesisEvent(batch));
    expect(await counts()).toEqual(once);
    // placeholder owner + 2 persons, 2 edges
    expect(once).toEqual({ vertices: 3, edges: 2 });
    const g = store.traversal();
    const alice = await g.V('person:alice@example.com').elementMap().next();
    expect(alice.value.get('name')).toBe('Alice Smith');
    expect(alice.value.get('_name')).toBe('alice smith');
    expect(alice.value.get('email')).toBe('alice@example.com');
    expect(alice.value.get('company')).toBe('Acme');
    const weights = await g.V('owner:edy').outE('knows').values('weight').toList();
    expect(weights).toEqual([1, 1]);
  });

  it("merges the owner's placeholder into the owner's own card when it arrives", async () => {
    const handler = createUpsertToGraph({ graph: store, cache: createMemoryCache() });
    await handler(kinesisEvent([record('edy', card('Alice Smith', 'alice@example.com'))]));
    await handler(kinesisEvent([record('alice', card('Edy Kim', 'edy@example.com'))]));
    expect(
      await store
        .traversal()
        .V('owner:edy')
        .count()
        .next()
        .then((r: { value: unknown }) => Number(r.value)),
    ).toBe(1);
    // edy's own card (edy@…) arrives in edy's batch: the placeholder's edges move to it
    await handler(kinesisEvent([record('edy', card('Edy Kim', 'edy@example.com'))]));
    const g = store.traversal();
    expect(
      await g
        .V('owner:edy')
        .count()
        .next()
        .then((r: { value: unknown }) => Number(r.value)),
    ).toBe(0);
    expect(await g.V('person:edy@example.com').out('knows').id().toList()).toEqual(['person:alice@example.com']);
    // alice (placeholder owner:alice) → edy's real vertex survives the merge
    expect(await g.V('person:edy@example.com').in_('knows').id().toList()).toEqual(['owner:alice']);
    expect(await g.V('person:edy@example.com').values('owner_id').toList()).toEqual(['edy']);
  });

  it('attaches edges to the real owner after another writer merged the placeholder', async () => {
    const other = createGremlinGraphStore({ url: server.url });
    try {
      const first = createUpsertToGraph({ graph: store, cache: createMemoryCache() });
      const second = createUpsertToGraph({ graph: other, cache: createMemoryCache() });
      await first(kinesisEvent([record('edy', card('Alice Smith', 'alice@example.com'))]));
      await second(kinesisEvent([record('edy', card('Edy Kim', 'edy@example.com'))]));
      // the first writer still remembers the placeholder, which no longer exists
      expect(await first(kinesisEvent([record('edy', card('Bob Jones', 'bob@example.com'))]))).toEqual({
        batchItemFailures: [],
      });
      const contacts = await store.traversal().V('person:edy@example.com').out('knows').id().toList();
      expect([...contacts].sort()).toEqual(['person:alice@example.com', 'person:bob@example.com']);
    } finally {
      await other.close();
    }
  });

  it('reports graph failures as batch item failures and skips malformed records', async () => {
    const failing: GraphStore = {
      ...store,
      upsertContact: (owner, person, weight) =>
        person.email === 'broken@example.com'
          ? Promise.reject(new Error('graph down'))
          : store.upsertContact(owner, person, weight),
      pymk: store.pymk,
      close: store.close,
    };
    const handler = createUpsertToGraph({ graph: failing, cache: createMemoryCache() });
    const event = kinesisEvent([
      record('edy', card('Alice Smith', 'alice@example.com')),
      record('edy', card('Broken', 'broken@example.com')),
      'not json',
      record('edy', card('Carol', 'carol@example.com')),
    ]);
    const result = await handler(event);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.kinesis.sequenceNumber }]);
    expect(
      await store
        .traversal()
        .V('person:carol@example.com')
        .count()
        .next()
        .then((r: { value: unknown }) => Number(r.value)),
    ).toBe(1);
  });

  it("invalidates the owner's and the person's cached PYMK answers", async () => {
    const cache = createMemoryCache();
    await cache.set('pymk:edy:10', '[]', 600);
    await cache.set('pymk:alice smith:5', '[]', 600);
    await cache.set('pymk:zoe:10', '[]', 600);
    const handler = createUpsertToGraph({ graph: store, cache });
    await handler(kinesisEvent([record('edy', card('Alice Smith', 'alice@example.com'))]));
    expect(await cache.get('pymk:edy:10')).toBeUndefined();
    expect(await cache.get('pymk:alice smith:5')).toBeUndefined();
    expect(await cache.get('pymk:zoe:10')).toBe('[]');
  });
});
