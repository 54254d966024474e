// GraphStore over Gremlin (Neptune, Gremlin Server or the kit's emulator) with the `gremlin` 3.7 client:
// bytecode traversals, string ids (Neptune-compatible), fold().coalesce(unfold(), addV()) upserts.
import { createRequire } from 'node:module';
import { isOwnersCard, normalizeEmail, normalizeName, ownerPlaceholderId, personIdOf } from '../../domain/person-id.js';
import { rankFriendsOfFriends, topCandidates } from '../../domain/pymk.js';
import type { GraphStore, PersonProfile, PymkSuggestion, UpsertContactResult } from '../../ports/graph-store.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
type Traversal = any;
// biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
const gremlin: any = require('gremlin');
const { statics: __, t: T, cardinality } = gremlin.process;

export interface GremlinGraphStoreOptions {
  /** ws(s)://host:port/gremlin */
  url: string;
  /** default: the 3.7 client's default (GraphSON 3; measured faster than GraphBinary with this client) */
  mimeType?: string;
  /** extra websocket headers (e.g. SigV4 headers for IAM-enabled Neptune) */
  headers?: Record<string, string>;
}

const PROFILE_KEYS = ['name', 'phone_number', 'company', 'job_title', 'email'] as const;

export function createGremlinGraphStore(options: GremlinGraphStoreOptions): GraphStore & { traversal(): Traversal } {
  const connection = new gremlin.driver.DriverRemoteConnection(options.url, {
    ...(options.mimeType ? { mimeType: options.mimeType } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const g: Traversal = gremlin.process.AnonymousTraversalSource.traversal().withRemote(connection);

  const ownerVertexIds = new Map<string, string>();

  /** fold().coalesce(unfold(), addV()) with single-cardinality properties (nulls leave a property as it is). */
  const upsertVertexSteps = (
    start: Traversal,
    id: string,
    props: Record<string, string | boolean | null | undefined>,
  ) => {
    let tr = start.fold().coalesce(__.unfold(), __.addV('person').property(T.id, id));
    for (const [key, value] of Object.entries(props)) {
      if (value !== null && value !== undefined) tr = tr.property(cardinality.single, key, value);
    }
    return tr;
  };
  const upsertVertex = async (id: string, props: Record<string, string | boolean | null | undefined>) => {
    await upsertVertexSteps(g.V(id), id, props).iterate();
  };

  /** The knows edge from → to, created once, its weight set on every delivery; nothing when `from` is missing. */
  const upsertEdgeSteps = (start: Traversal, from: string, to: string, weight: number) =>
    start
      .V(from)
      .coalesce(__.outE('knows').where(__.inV().hasId(to)), __.addE('knows').to(__.V(to)))
      .property('weight', weight);
  const upsertEdge = async (from: string, to: string, weight: number) => {
    if (from === to) return;
    await upsertEdgeSteps(g.inject(0), from, to, weight).iterate();
  };

  const vertexIdsWhere = async (key: string, value: string): Promise<string[]> =>
    (await g.V().has('person', key, value).id().toList()).map(String);

  /** The owner's vertex: their own person when known, else a placeholder (created on demand). */
  const ownerVertex = async (owner: string, create: boolean): Promise<string | undefined> => {
    const placeholder = ownerPlaceholderId(owner);
    const ids = await vertexIdsWhere('owner_id', owner);
    const real = ids.find((id) => id !== placeholder);
    if (real) return real;
    if (ids.length > 0) return placeholder;
    if (!create) return undefined;
    await upsertVertex(placeholder, { owner_id: owner, name: owner, _name: normalizeName(owner), placeholder: true });
    return placeholder;
  };

  /** Moves the placeholder's edges onto the owner's real person and removes it. */
  const mergePlaceholder = async (owner: string, realId: string) => {
    const placeholder = ownerPlaceholderId(owner);
    if (placeholder === realId) return;
    const edges = async (direction: 'out' | 'in') => {
      const edgeStep = direction === 'out' ? 'outE' : 'inE';
      const otherEnd = direction === 'out' ? __.inV() : __.outV();
      const rows: Map<string, unknown>[] = await g
        .V(placeholder)
        [edgeStep]('knows')
        .project('other', 'weight')
        .by(otherEnd.id())
        .by(__.coalesce(__.values('weight'), __.constant(1)))
        .toList();
      return rows.map((row) => ({ other: String(row.get('other')), weight: Number(row.get('weight')) }));
    };
    for (const { other, weight } of await edges('out')) await upsertEdge(realId, other, weight);
    for (const { other, weight } of await edges('in')) await upsertEdge(other, realId, weight);
    await g.V(placeholder).drop().iterate();
  };

  const profileProps = (person: PersonProfile) => ({
    name: person.name,
    // always present (PYMK reads `_name` lists aligned with id lists)
    _name: normalizeName(person.name),
    email: normalizeEmail(person.email) ?? person.email,
    phone_number: person.phone_number,
    company: person.company,
    job_title: person.job_title,
  });

  /**
   * The user's vertices (by email, else by owner id, else by name in any case) with their contacts and their
   * contacts' contacts as ids and aligned `_name`s: one round trip in the common case.
   */
  const neighbourhood = async (user: string) => {
    const key = user.trim().toLowerCase();
    const withFriends = (start: Traversal) =>
      start
        .project('u', 'friends')
        .by(T.id)
        .by(
          __.both('knows')
            .dedup()
            .project('id', 'n', 'names')
            .by(T.id)
            .by(__.both('knows').id().fold())
            .by(__.both('knows').values('_name').fold())
            .fold(),
        );
    const starts: Traversal[] = [];
    // an email names its vertex directly (ids derive from it): no property look-up needed
    const email = normalizeEmail(user);
    if (email) starts.push(g.V(personIdOf({ email })).hasLabel('person'));
    starts.push(g.V().has('person', 'owner_id', key), g.V().has('person', '_name', normalizeName(user)));
    for (const start of starts) {
      const rows: Map<string, unknown>[] = await withFriends(start).toList();
      if (rows.length > 0) return rows;
    }
    return [];
  };

  return {
    traversal: () => g,

    async upsertContact(owner, person, weight = 1): Promise<UpsertContactResult> {
      const ownerId = owner.trim().toLowerCase();
      const personId = personIdOf(person);
      if (!personId) throw new Error('a card needs an email or a name to become a person vertex');
      if (isOwnersCard(ownerId, person.email)) {
        await upsertVertex(personId, { ...profileProps(person), owner_id: ownerId });
        await mergePlaceholder(ownerId, personId);
        ownerVertexIds.set(ownerId, personId);
        return { personId, ownerVertexId: personId, ownCard: true };
      }
      // The owner's vertex id is remembered between calls; if it vanished meanwhile (its placeholder merged by
      // another writer) the edge step finds no start vertex, returns nothing, and the look-up is done again.
      for (let attempt = 0; attempt < 2; attempt++) {
        const ownerVertexId = ownerVertexIds.get(ownerId) ?? ((await ownerVertex(ownerId, true)) as string);
        ownerVertexIds.set(ownerId, ownerVertexId);
        // one round trip for the person and the edge
        const personSteps = upsertVertexSteps(g.V(personId), personId, profileProps(person));
        if (ownerVertexId === personId) {
          await personSteps.iterate();
          return { personId, ownerVertexId, ownCard: false };
        }
        const edges = await upsertEdgeSteps(personSteps, ownerVertexId, personId, weight).id().toList();
        if (edges.length > 0) return { personId, ownerVertexId, ownCard: false };
        ownerVertexIds.delete(ownerId);
      }
      throw new Error(`the vertex of owner ${ownerId} disappeared while adding the knows edge to ${personId}`);
    },

    async pymk(user, limit): Promise<PymkSuggestion[]> {
      if (limit <= 0) return [];
      const users = await neighbourhood(user);
      const userIds = new Set(users.map((row) => String(row.get('u'))));
      const adjacency = new Map<string, string[]>();
      const names = new Map<string, string>();
      let namesComplete = true;
      for (const friend of users.flatMap((row) => row.get('friends') as Map<string, unknown>[])) {
        const ids = (friend.get('n') as unknown[]).map(String);
        const friendNames = friend.get('names') as unknown[];
        adjacency.set(String(friend.get('id')), ids);
        if (friendNames.length !== ids.length) namesComplete = false;
        else for (let i = 0; i < ids.length; i++) names.set(ids[i] as string, String(friendNames[i]));
      }
      const contacts = [...adjacency.keys()];
      const scores = rankFriendsOfFriends(userIds, (id) => (userIds.has(id) ? contacts : (adjacency.get(id) ?? [])));
      if (scores.size === 0) return [];
      // 2. the cut: by score, then by name (names fetched only when a vertex lacked `_name`)
      let nameOf = (id: string) => names.get(id) ?? '';
      if (!namesComplete) {
        const fetched = await fetchProperties([...scores.keys()], ['_name']);
        nameOf = (id) => fetched.get(id)?._name ?? '';
      }
      const top = topCandidates(scores, nameOf, limit);
      // 3. the profiles of the chosen few
      const profiles = await fetchProperties(
        top.map((c) => c.id),
        [...PROFILE_KEYS],
      );
      return top.map(({ id, score }) => {
        const p = profiles.get(id);
        return {
          name: p?.name ?? null,
          phone_number: p?.phone_number ?? null,
          company: p?.company ?? null,
          job_title: p?.job_title ?? null,
          email: p?.email ?? null,
          score,
        };
      });
    },

    async close() {
      await connection.close();
    },
  };

  async function fetchProperties(ids: string[], keys: string[]): Promise<Map<string, Record<string, string | null>>> {
    const out = new Map<string, Record<string, string | null>>();
    if (ids.length === 0) return out;
    const rows: Map<unknown, unknown>[] = await g
      .V(...ids)
      .elementMap(...keys)
      .toList();
    for (const row of rows) {
      const record: Record<string, string | null> = {};
      for (const key of keys) {
        const v = row.get(key);
        record[key] = v === undefined || v === null ? null : String(v);
      }
      out.set(String(row.get(T.id)), record);
    }
    return out;
  }
}
