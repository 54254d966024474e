// The interaction graph (user -interacted-> item) and the graph-based recommender over Gremlin, with the same
// `gremlin` 3.7 client and string-id conventions as graph-store.ts (Neptune-compatible).
import gremlin from 'gremlin';
import { eventKey, itemVertexId, rankByOverlap, userVertexId } from '../../domain/recommendations.js';
import { withRetry } from '../../lib/retry.js';
import type { Interaction, InteractionGraph, Recommendation } from '../../ports/recommender.js';
import { isConcurrentModification } from './graph-store.js';

// biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
type Traversal = any;
const { statics: __, t: T } = gremlin.process;

export interface GremlinInteractionGraphOptions {
  /** ws(s)://host:port/gremlin */
  url: string;
  mimeType?: string;
  headers?: Record<string, string>;
}

export function createGremlinInteractionGraph(
  options: GremlinInteractionGraphOptions,
): InteractionGraph & { close(): Promise<void>; traversal(): Traversal } {
  const connection = new gremlin.driver.DriverRemoteConnection(options.url, {
    ...(options.mimeType ? { mimeType: options.mimeType } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const g: Traversal = gremlin.process.AnonymousTraversalSource.traversal().withRemote(connection);

  const upsertVertex = (id: string, label: string, key: string, value: string) =>
    g.V(id).fold().coalesce(__.unfold(), __.addV(label).property(T.id, id).property(key, value)).iterate();

  const recordOne = async (it: Interaction) => {
    const user = userVertexId(it.user_id);
    const item = itemVertexId(it.item_id);
    await upsertVertex(user, 'user', 'user_id', it.user_id);
    await upsertVertex(item, 'item', 'item_id', it.item_id);
    const edgeOf = () => g.V(user).outE('interacted').has('event_type', it.event_type).where(__.inV().hasId(item));
    const rows: Map<string, unknown>[] = await edgeOf()
      .project('events', 'timestamp')
      .by(__.coalesce(__.values('events'), __.constant('')))
      .by(__.coalesce(__.values('timestamp'), __.constant(0)))
      .toList();
    const key = eventKey(it);
    if (rows.length === 0) {
      await g
        .V(user)
        .addE('interacted')
        .to(__.V(item))
        .property('event_type', it.event_type)
        .property('timestamp', it.timestamp)
        .property('count', 1)
        .property('events', key)
        .iterate();
      return;
    }
    const events = String(rows[0].get('events') ?? '');
    const known = events ? events.split(',') : [];
    if (known.includes(key)) return; // redelivered
    known.push(key);
    await edgeOf()
      .property('events', known.join(','))
      .property('count', known.length)
      .property('timestamp', Math.max(Number(rows[0].get('timestamp') ?? 0), it.timestamp))
      .iterate();
  };

  return {
    traversal: () => g,

    async recordInteractions(interactions) {
      // sequential: the read-modify-write of an edge must not race with itself
      // a write that meets Neptune's ConcurrentModificationException is tried again with backoff (idempotent)
      for (const it of interactions)
        await withRetry(() => recordOne(it), { retryable: isConcurrentModification, attempts: 8, maxDelayMs: 2000 });
    },

    async recommend(userId, limit): Promise<Recommendation[]> {
      if (limit <= 0) return [];
      const user = userVertexId(userId);
      const mine: Map<string, unknown>[] = await g
        .V(user)
        .out('interacted')
        .dedup()
        .project('item', 'users')
        .by(T.id)
        .by(__.in_('interacted').dedup().id().fold())
        .toList();
      if (mine.length === 0) return [];
      const seen = new Set(mine.map((row) => String(row.get('item'))));
      const neighbours = new Set<string>();
      for (const row of mine) {
        for (const other of row.get('users') as unknown[]) if (String(other) !== user) neighbours.add(String(other));
      }
      if (neighbours.size === 0) return [];
      const theirs: Map<string, unknown>[] = await g
        .V(...neighbours)
        .project('user', 'items')
        .by(T.id)
        .by(__.out('interacted').dedup().id().fold())
        .toList();
      const ranked = rankByOverlap(
        seen,
        theirs.map((row) => ({ items: (row.get('items') as unknown[]).map(String) })),
        limit,
      );
      return ranked.map((r) => ({ item_id: r.item_id.slice('item:'.length), score: r.score }));
    },

    async close() {
      await connection.close();
    },
  };
}
