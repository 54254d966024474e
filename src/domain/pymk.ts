// People-you-may-know scoring: friends of friends over undirected `knows` relationships,
// ranked by the number of contacts in common (ties by name), excluding the user and existing contacts.

export interface PymkCandidate {
  id: string;
  score: number;
}

/**
 * Ranks candidates from the user's neighbours and each neighbour's neighbours.
 * `neighbours(id)` must return the distinct ids adjacent to `id` in either direction.
 */
export function rankFriendsOfFriends(
  userIds: ReadonlySet<string>,
  neighbours: (id: string) => Iterable<string>,
): Map<string, number> {
  const contacts = new Set<string>();
  for (const u of userIds) for (const n of neighbours(u)) if (!userIds.has(n)) contacts.add(n);
  const common = new Map<string, number>();
  for (const friend of contacts) {
    for (const candidate of new Set(neighbours(friend))) {
      if (userIds.has(candidate) || contacts.has(candidate)) continue;
      common.set(candidate, (common.get(candidate) ?? 0) + 1);
    }
  }
  return common;
}

/** Orders scored candidates: most common contacts first, then by name (then id, for a total order). */
export function topCandidates(
  scores: Map<string, number>,
  nameOf: (id: string) => string,
  limit: number,
): PymkCandidate[] {
  return [...scores]
    .map(([id, score]) => ({ id, score, name: nameOf(id) }))
    .sort((a, b) => b.score - a.score || compare(a.name, b.name) || compare(a.id, b.id))
    .slice(0, Math.max(0, limit))
    .map(({ id, score }) => ({ id, score }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const PYMK_DEFAULT_LIMIT = 10;
export const PYMK_MAX_LIMIT = 100;
export const PYMK_CACHE_TTL_SECONDS = 600;

/** Cache key prefix for one user's PYMK answers (invalidated when that user's edges change). */
export function pymkCachePrefix(user: string): string {
  return `pymk:${user.trim().toLowerCase()}:`;
}
