import type { Interaction, Recommendation } from '../ports/recommender.js';

export const RECOMMENDATIONS_DEFAULT_LIMIT = 10;
export const RECOMMENDATIONS_MAX_LIMIT = 100;

/** Vertex and edge ids of the interaction graph (strings: Neptune-compatible). */
export const userVertexId = (userId: string) => `user:${userId}`;
export const itemVertexId = (itemId: string) => `item:${itemId}`;
export const interactionEdgeId = (userId: string, itemId: string, eventType: string) =>
  `interacted:${userId}|${itemId}|${eventType}`;

/** Key of one event on an edge: redelivering the same event must not count it twice. */
export const eventKey = (interaction: Interaction) => String(interaction.timestamp);

/**
 * Item-based collaborative filtering by overlap: every other user who shares items with the user votes for
 * their own items with the number of items shared; items the user has seen are left out. Ties by item id.
 */
export function rankByOverlap(
  seen: ReadonlySet<string>,
  neighbours: Iterable<{ items: Iterable<string> }>,
  limit: number,
): Recommendation[] {
  const scores = new Map<string, number>();
  for (const neighbour of neighbours) {
    const items = new Set(neighbour.items);
    let overlap = 0;
    for (const item of items) if (seen.has(item)) overlap++;
    if (overlap === 0) continue;
    for (const item of items) {
      if (!seen.has(item)) scores.set(item, (scores.get(item) ?? 0) + overlap);
    }
  }
  return [...scores]
    .map(([item_id, score]) => ({ item_id, score }))
    .sort((a, b) => b.score - a.score || (a.item_id < b.item_id ? -1 : a.item_id > b.item_id ? 1 : 0))
    .slice(0, Math.max(0, limit));
}
