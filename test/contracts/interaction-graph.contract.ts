// The InteractionGraph port's contract (and so the Recommender's), run against every adapter (memory, Gremlin over
// the Gremlin emulator, ...).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction, InteractionGraph } from '../../src/ports/index.js';

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

const byItem = (rows: InteractionEdgeRow[]) =>
  [...rows].sort((x, y) => x.item.localeCompare(y.item) || x.event_type.localeCompare(y.event_type));

export function interactionGraphContract(name: string, setup: () => Promise<InteractionGraphFixture>): void {
  describe(`InteractionGraph contract: ${name}`, () => {
    let fixture: InteractionGraphFixture;
    beforeAll(async () => {
      fixture = await setup();
    }, 60_000);
    afterAll(async () => {
      await fixture?.close?.();
    });

    it('recommends the items of overlapping users, best first, limited; redelivered events count once', async () => {
      const { graph } = fixture;
      await graph.recordInteractions(history);
      await graph.recordInteractions(history);
      await graph.recordInteractions([e('bob', 'a', 100)]);
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
      const { graph } = fixture;
      await graph.recordInteractions([
        e('erin', 'q', 50, 'view'),
        e('erin', 'q', 51, 'view'),
        e('erin', 'q', 50, 'view'),
        e('erin', 'q', 52, 'purchase'),
      ]);
      await graph.recordInteractions([e('frank', 'q', 60), e('frank', 'r', 61)]);
      expect(await graph.recommend('erin', 5)).toEqual([{ item_id: 'r', score: 1 }]);
      expect(byItem(await fixture.edges('erin'))).toEqual([
        { item: 'q', event_type: 'purchase', count: 1, timestamp: 52 },
        { item: 'q', event_type: 'view', count: 2, timestamp: 51 },
      ]);
    });
  });
}
