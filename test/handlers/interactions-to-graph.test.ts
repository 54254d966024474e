import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGremlinInteractionGraph } from '../../src/adapters/gremlin/interaction-graph.js';
import { createMemoryInteractionGraph } from '../../src/adapters/memory/interaction-graph.js';
import { aggregate } from '../../src/domain/kpl.js';
import { type GremlinServerHandle, startGremlinServer } from '../../src/emulators/gremlin/index.js';
import { createInteractionsToGraph } from '../../src/handlers/interactions-to-graph.js';
import type { Interaction, InteractionGraph } from '../../src/ports/recommender.js';
import { kinesisEvent } from '../support/kinesis-event.js';

const line = (e: Interaction) => Buffer.from(`${JSON.stringify(e)}\n`);
const e = (user_id: string, item_id: string, timestamp: number, event_type = 'click'): Interaction => ({
  user_id,
  item_id,
  event_type,
  timestamp,
});

// alice and bob share a and b, carol shares only a with alice; dave shares nothing
const history: Interaction[] = [
  e('alice', 'a', 1),
  e('alice', 'b', 2),
  e('bob', 'a', 3),
  e('bob', 'b', 4),
  e('bob', 'c', 5),
  e('bob', 'd', 6),
  e('carol', 'a', 7),
  e('carol', 'd', 8),
  e('carol', 'e', 9),
  e('dave', 'z', 10),
];

/** The user's edges as stored, from either implementation. */
async function edgesOf(graph: InteractionGraph, user: string) {
  const rows: { item: string; event_type: string; count: number; timestamp: number }[] = [];
  if ('edges' in graph) {
    const items = (graph as ReturnType<typeof createMemoryInteractionGraph>).edges.get(user) ?? new Map();
    for (const [item, types] of items)
      for (const edge of types.values())
        rows.push({ item, event_type: edge.event_type, count: edge.count, timestamp: edge.timestamp });
  } else {
    const g = (graph as ReturnType<typeof createGremlinInteractionGraph>).traversal();
    const found: Map<string, unknown>[] = await g
      .V(`user:${user}`)
      .outE('interacted')
      .valueMap('event_type', 'count', 'timestamp')
      .toList();
    const items: unknown[] = await g.V(`user:${user}`).outE('interacted').inV().values('item_id').toList();
    for (const [i, m] of found.entries()) {
      rows.push({
        item: String(items[i]),
        event_type: String(m.get('event_type')),
        count: Number(m.get('count')),
        timestamp: Number(m.get('timestamp')),
      });
    }
  }
  return rows.sort((a, b) => a.item.localeCompare(b.item) || a.event_type.localeCompare(b.event_type));
}

let server: GremlinServerHandle | undefined;
const graphs: { name: string; make: () => InteractionGraph & { close?(): Promise<void> } }[] = [
  { name: 'memory', make: () => createMemoryInteractionGraph() },
  { name: 'gremlin emulator', make: () => createGremlinInteractionGraph({ url: (server as GremlinServerHandle).url }) },
];

beforeAll(async () => {
  server = await startGremlinServer({ port: 0, dialect: 'neptune' });
});
afterAll(async () => {
  await server?.close();
});

describe.each(graphs)('interactions-to-graph and the graph recommender ($name)', ({ make }) => {
  let graph: InteractionGraph & { close?(): Promise<void> };
  beforeAll(() => {
    graph = make();
  });
  afterAll(async () => {
    await graph.close?.();
  });

  it('writes aggregated and plain events as interacted edges, idempotently', async () => {
    const handler = createInteractionsToGraph({ interactions: graph });
    const aggregated = aggregate(history.slice(0, 6).map((i) => ({ partitionKey: i.user_id, data: line(i) })));
    const event = kinesisEvent([
      aggregated,
      ...history.slice(6).map(line),
      Buffer.from('not json'),
      line({ ...e('x', 'y', 1), user_id: '' }),
    ]);
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    // redelivery of the same events and one new click of bob on a
    expect(await handler(event)).toEqual({ batchItemFailures: [] });
    await handler(kinesisEvent([line(e('bob', 'a', 100))]));

    // d: bob (overlap 2) + carol (overlap 1) = 3; c: bob = 2; e: carol = 1
    expect(await graph.recommend('alice', 10)).toEqual([
      { item_id: 'd', score: 3 },
      { item_id: 'c', score: 2 },
      { item_id: 'e', score: 1 },
    ]);
    expect(await graph.recommend('alice', 1)).toEqual([{ item_id: 'd', score: 3 }]);
    expect(await graph.recommend('dave', 10)).toEqual([]);
    expect(await graph.recommend('nobody', 10)).toEqual([]);
  });

  it('keeps one edge per event type with the count of distinct events', async () => {
    await graph.recordInteractions([
      e('erin', 'q', 50, 'view'),
      e('erin', 'q', 51, 'view'),
      e('erin', 'q', 50, 'view'),
      e('erin', 'q', 52, 'purchase'),
    ]);
    await graph.recordInteractions([e('frank', 'q', 60), e('frank', 'r', 61)]);
    expect(await graph.recommend('erin', 5)).toEqual([{ item_id: 'r', score: 1 }]);
    expect(await edgesOf(graph, 'erin')).toEqual([
      { item: 'q', event_type: 'purchase', count: 1, timestamp: 52 },
      { item: 'q', event_type: 'view', count: 2, timestamp: 51 },
    ]);
  });
});

describe('interactions-to-graph failures', () => {
  it('reports the carrying record and everything after it when the graph fails', async () => {
    let calls = 0;
    const failing: InteractionGraph = {
      async recordInteractions() {
        calls++;
        if (calls === 2) throw new Error('graph down');
      },
      async recommend() {
        return [];
      },
    };
    const event = kinesisEvent([line(e('a', '1', 1)), line(e('b', '2', 2)), line(e('c', '3', 3))]);
    const result = await createInteractionsToGraph({ interactions: failing })(event);
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(
      event.Records.slice(1).map((r) => r.kinesis.sequenceNumber),
    );
  });
});
