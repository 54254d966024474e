import { rankByOverlap } from '../../domain/recommendations.js';
import type { Interaction, InteractionGraph } from '../../ports/recommender.js';

interface Edge {
  event_type: string;
  timestamp: number;
  count: number;
  events: Set<string>;
}

export interface MemoryInteractionGraph extends InteractionGraph {
  /** user → item → event_type → edge (for tests) */
  readonly edges: Map<string, Map<string, Map<string, Edge>>>;
}

/** The interaction graph in memory (handler tests, `--target embedded` without a graph). */
export function createMemoryInteractionGraph(): MemoryInteractionGraph {
  const edges = new Map<string, Map<string, Map<string, Edge>>>();
  const usersOf = new Map<string, Set<string>>();
  return {
    edges,
    async recordInteractions(interactions: Interaction[]) {
      for (const it of interactions) {
        const items = edges.get(it.user_id) ?? new Map<string, Map<string, Edge>>();
        edges.set(it.user_id, items);
        const types = items.get(it.item_id) ?? new Map<string, Edge>();
        items.set(it.item_id, types);
        const edge = types.get(it.event_type) ?? {
          event_type: it.event_type,
          timestamp: it.timestamp,
          count: 0,
          events: new Set(),
        };
        types.set(it.event_type, edge);
        const key = String(it.timestamp);
        if (!edge.events.has(key)) {
          edge.events.add(key);
          edge.count = edge.events.size;
          edge.timestamp = Math.max(edge.timestamp, it.timestamp);
        }
        const users = usersOf.get(it.item_id) ?? new Set<string>();
        users.add(it.user_id);
        usersOf.set(it.item_id, users);
      }
    },
    async recommend(userId, limit) {
      const mine = edges.get(userId);
      if (!mine) return [];
      const seen = new Set(mine.keys());
      const neighbours = new Set<string>();
      for (const item of seen) for (const user of usersOf.get(item) ?? []) if (user !== userId) neighbours.add(user);
      return rankByOverlap(
        seen,
        [...neighbours].map((user) => ({ items: edges.get(user)?.keys() ?? [] })),
        limit,
      );
    },
  };
}
