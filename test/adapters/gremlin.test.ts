// The Gremlin adapters against the Gremlin emulator (the real wire protocol, both dialects): the GraphStore and
// InteractionGraph contracts.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { createGremlinInteractionGraph } from '../../src/adapters/gremlin/interaction-graph.js';
import { type GremlinDialect, startGremlinServer } from '../../src/emulators/gremlin/index.js';
import { graphStoreContract } from '../contracts/graph-store.contract.js';
import { interactionGraphContract } from '../contracts/interaction-graph.contract.js';

// biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
const gremlin: any = createRequire(import.meta.url)('gremlin');
const __ = gremlin.process.statics;

for (const dialect of ['neptune', 'tinkerpop'] as GremlinDialect[]) {
  graphStoreContract(`gremlin over the Gremlin emulator (${dialect} dialect)`, async () => {
    const server = await startGremlinServer({ port: 0, dialect });
    const store = createGremlinGraphStore({ url: server.url });
    return {
      store,
      another: () => createGremlinGraphStore({ url: server.url }),
      async close() {
        await store.close();
        await server.close();
      },
    };
  });
}

interactionGraphContract('gremlin over the Gremlin emulator', async () => {
  const server = await startGremlinServer({ port: 0, dialect: 'neptune' });
  const graph = createGremlinInteractionGraph({ url: server.url });
  return {
    graph,
    async edges(user) {
      const g = graph.traversal();
      const found: Map<string, unknown>[] = await g
        .V(`user:${user}`)
        .outE('interacted')
        .project('item', 'event_type', 'count', 'timestamp')
        .by(__.inV().values('item_id'))
        .by('event_type')
        .by('count')
        .by('timestamp')
        .toList();
      return found.map((m) => ({
        item: String(m.get('item')),
        event_type: String(m.get('event_type')),
        count: Number(m.get('count')),
        timestamp: Number(m.get('timestamp')),
      }));
    },
    async close() {
      await graph.close();
      await server.close();
    },
  };
});

describe('the GraphStore over gremlin writes its requests', () => {
  it("byte for byte as the client's own GraphSON 3 writer (its constant child traversals written once)", async () => {
    const { GraphSONWriter } = gremlin.structure.io;
    const writeRequest = GraphSONWriter.prototype.writeRequest;
    const written: [string, string][] = [];
    GraphSONWriter.prototype.writeRequest = function (this: unknown, request: unknown) {
      const out = writeRequest.call(this, request);
      written.push([out.toString(), writeRequest.call(new GraphSONWriter(), request).toString()]);
      return out;
    };
    const server = await startGremlinServer({ port: 0, dialect: 'neptune' });
    const store = createGremlinGraphStore({ url: server.url });
    try {
      const bob = { name: 'Bob Lee', email: 'bob@example.com', phone_number: null, company: null, job_title: null };
      await store.upsertContact('ann', bob);
      await store.upsertContact('carl', bob);
      for (const user of ['ann', 'ann', 'carl', 'bob@example.com']) await store.pymk(user, 5);
      expect(await store.pymk('ann', 5)).toEqual([expect.objectContaining({ name: 'carl', score: 1 })]);
    } finally {
      GraphSONWriter.prototype.writeRequest = writeRequest;
      await store.close();
      await server.close();
    }
    expect(written.filter(([, plain]) => plain.includes('"flatMap"')).length).toBe(5);
    for (const [ours, plain] of written) expect(ours).toBe(plain);
  });
});
