// The InteractionGraph port's contract (and so the Recommender's), run against every adapter (memory, Gremlin over
// the Gremlin emulator, ...).
import { describe, expect, it } from 'vitest';
import type { Interaction, InteractionGraph } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface InteractionEdgeRow {
  item: string;
  event_type: string;
  count: number;
  timestamp: number;
}

export interface InteractionGraphFixture {
  graph: InteractionGraph;
  /** The user's `interacted` edges as stored (the port exposes them only through recommend). */
  edges(user: string): Promise<InteractionEdgeRow[]>;
  close?(): Promise<void>;
}

export const interaction = (
  user_id: string,
  item_id: string,
  timestamp: number,
  event_type = 'click',
): Interaction => ({
  user_id,
  item_id,
  event_type,
  timestamp,
});

// alice and bob share a and b, carol shares only a with alice; dave shares nothing
export const history: Interaction[] = [
  interaction('alice', 'a', 1),
  interaction('alice', 'b', 2),
  interaction('bob', 'a', 3),
  interaction('bob', 'b', 4),
  interaction('bob', 'c', 5),
  interaction('bob', 'd', 6),
  interaction('carol', 'a', 7),
  interaction('carol', 'd', 8),
  interaction('carol', 'e', 9),
  interaction('dave', 'z', 10),
];

const byItem = (rows: InteractionEdgeRow[]) =>
  [...rows].sort((x, y) => x.item.localeCompare(y.item) || x.event_type.localeCompare(y.event_type));

export function interactionGraphContract(name: string, setup: () => Promise<InteractionGraphFixture>): void {
  describe(`InteractionGraph contract: ${name}`, () => {
    const fixture = useFixture(setup);

    it('recommends the items of overlapping users, best first, limited; redelivered events count once', async () => {
      const { graph } = fixture();
      await graph.recordInteractions(history);
      await graph.recordInteractions(history);
      await graph.recordInteractions([interaction('bob', 'a', 100)]);
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

    it('keeps one edge per (user, item, event type) with the count of distinct events and the latest time', async () => {
      const { graph } = fixture();
      await graph.recordInteractions([
        interaction('erin', 'q', 50, 'view'),
        interaction('erin', 'q', 51, 'view'),
        interaction('erin', 'q', 50, 'view'),
        interaction('erin', 'q', 52, 'purchase'),
      ]);
      await graph.recordInteractions([interaction('frank', 'q', 60), interaction('frank', 'r', 61)]);
      expect(await graph.recommend('erin', 5)).toEqual([{ item_id: 'r', score: 1 }]);
      expect(byItem(await fixture().edges('erin'))).toEqual([
        { item: 'q', event_type: 'purchase', count: 1, timestamp: 52 },
        { item: 'q', event_type: 'view', count: 2, timestamp: 51 },
      ]);
    });
  });
}
