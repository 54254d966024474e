// The Gremlin adapters against the Gremlin emulator (the real wire protocol, both dialects): the GraphStore and
// InteractionGraph contracts.
import { createRequire } from 'node:module';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { createGremlinInteractionGraph } from '../../src/adapters/gremlin/interaction-graph.js';
import { type GremlinDialect, startGremlinServer } from '../../src/emulators/gremlin/index.js';
import { graphStoreContract } from '../contracts/graph-store.contract.js';
import { interactionGraphContract } from '../contracts/interaction-graph.contract.js';

// biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
const __: any = createRequire(import.meta.url)('gremlin').process.statics;

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
