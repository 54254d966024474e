import { describe, expect, it } from 'vitest';
import { createMemoryInteractionGraph } from '../../src/adapters/memory/interaction-graph.js';
import { aggregate } from '../../src/domain/kpl.js';
import { createInteractionsToGraph } from '../../src/handlers/interactions-to-graph.js';
import type { Interaction, InteractionGraph } from '../../src/ports/recommender.js';
import { history, interaction } from '../contracts/interaction-graph.contract.js';
import { kinesisEvent } from '../support/kinesis-event.js';

const line = (e: Interaction) => Buffer.from(`${JSON.stringify(e)}\n`);
const e = interaction;

// The graph's own semantics (edges per event type, counts, ranking) are the InteractionGraph contract
// (test/contracts/interaction-graph.contract.ts, run against every adapter); this is the handler's part.
describe('interactions-to-graph', () => {
  const graph = createMemoryInteractionGraph();

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
