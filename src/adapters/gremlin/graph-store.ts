// GraphStore over Gremlin (Neptune, Gremlin Server or the kit's emulator) with the `gremlin` 3.7 client:
// bytecode traversals, string ids (Neptune-compatible), fold().coalesce(unfold(), addV()) upserts.
import gremlin from 'gremlin';
import {
  isOwnersCard,
  nameKey,
  normalizeEmail,
  normalizeName,
  ownerPlaceholderId,
  type PersonClues,
  personIdOf,
  preferredReading,
  samePerson,
} from '../../domain/person-id.js';
import { withRetry } from '../../lib/retry.js';
import type { GraphStore, PersonProfile, PymkSuggestion, UpsertContactResult } from '../../ports/graph-store.js';

// biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
type Traversal = any;
const { statics: __, t: T, cardinality, P, column, order } = gremlin.process;

export interface GremlinGraphStoreOptions {
  /** ws(s)://host:port/gremlin */
  url: string;
  /** default: the 3.7 client's default (GraphSON 3; measured faster than GraphBinary with this client) */
  mimeType?: string;
  /** extra websocket headers (e.g. SigV4 headers for IAM-enabled Neptune) */
  headers?: Record<string, string>;
}

const PROFILE_KEYS = ['name', 'phone_number', 'company', 'job_title', 'email'] as const;
/** Vertices of one name looked at when a card's mailbox is new (namesakes beyond this many are not merged into). */
const MAX_NAMESAKES = 20;

/**
 * Neptune answers concurrent writes to the same elements with ConcurrentModificationException and asks clients to
 * retry with backoff; so do the kit's emulator under chaos rules. The upserts are idempotent, so a retry is safe.
 */
export const isConcurrentModification = (err: unknown) =>
  /ConcurrentModificationException/.test(
    `${(err as Error)?.message ?? ''} ${(err as { statusMessage?: string })?.statusMessage ?? ''}`,
  );
const CONFLICT_RETRY = { retryable: isConcurrentModification, attempts: 8, baseDelayMs: 50, maxDelayMs: 2000 };

const GRAPHSON3 = 'application/vnd.gremlin-v3.0+json';
const GraphSON3Writer = gremlin.structure.io.GraphSONWriter as new () => { adaptObject(value: unknown): unknown };

/**
 * The client's GraphSON 3 writer, with the serialized form of the adapter's constant child traversals (built once,
 * never changed) kept: a request that uses one writes it without walking its steps again. Byte-identical output.
 */
class ConstantChildrenWriter extends GraphSON3Writer {
  private readonly adapted = new WeakMap<object, unknown>();

  /** `traversal`, from now on written from its serialized form */
  constant<T extends object>(traversal: T): T {
    this.adapted.set(traversal, super.adaptObject(traversal));
    return traversal;
  }

  override adaptObject(value: unknown): unknown {
    const kept = typeof value === 'object' && value !== null ? this.adapted.get(value) : undefined;
    return kept !== undefined ? kept : super.adaptObject(value);
  }
}

export function createGremlinGraphStore(options: GremlinGraphStoreOptions): GraphStore & { traversal(): Traversal } {
  const mimeType = options.mimeType ?? GRAPHSON3;
  const writer = mimeType === GRAPHSON3 ? new ConstantChildrenWriter() : undefined;
  const connection = new gremlin.driver.DriverRemoteConnection(options.url, {
    mimeType,
    ...(writer ? { writer } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  const g: Traversal = gremlin.process.AnonymousTraversalSource.traversal().withRemote(connection);
  const constant = (traversal: Traversal): Traversal => (writer ? writer.constant(traversal) : traversal);

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
    // look-up keys for a later card of the same person read with a slip (see `resolvePerson`)
    _key: nameKey(person.name) || null,
    email: normalizeEmail(person.email) ?? person.email,
    phone_number: person.phone_number,
    company: person.company,
    job_title: person.job_title,
  });

  interface StoredPerson extends PersonClues {
    id: string;
    owner_id?: string;
  }
  const storedPeople = async (start: Traversal): Promise<StoredPerson[]> => {
    const rows: Map<unknown, unknown>[] = await start.elementMap('name', 'email', 'phone_number', 'owner_id').toList();
    return rows.map((row) => {
      const text = (key: string) => {
        const v = row.get(key);
        return v === undefined || v === null ? undefined : String(v);
      };
      return {
        // elementMap's id key is the T.id token as deserialized (another object than `T.id`)
        id: String([...row].find(([k]) => (k as { elementName?: string })?.elementName === 'id')?.[1]),
        name: text('name'),
        email: text('email'),
        phone_number: text('phone_number'),
        owner_id: text('owner_id'),
      };
    });
  };

  /**
   * The vertex of the card's person: the one its mailbox names; else one stored under the same name that
   * `samePerson` says is them though a field was misread on one card; else a new one (its id from
   * the card). One misread mailbox, or a mailbox the OCR lost, does not split a person into two vertices.
   */
  const resolvePerson = async (person: PersonProfile): Promise<{ id: string; stored?: StoredPerson }> => {
    const id = personIdOf(person) as string;
    const key = nameKey(person.name);
    // One round trip: the vertex the card's own id names, and those stored under the same name (index look-ups).
    const found = await storedPeople(
      g
        .inject(0)
        .union(__.V(id).hasLabel('person'), ...(key ? [__.V().has('person', '_key', key)] : []))
        .dedup()
        .limit(MAX_NAMESAKES),
    );
    const exact = found.find((c) => c.id === id);
    if (exact) return { id, stored: exact };
    const match = found
      .filter((c) => !c.id.startsWith('owner:') && samePerson(c, person))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
    return match ? { id: match.id, stored: match } : { id };
  };

  /** A known person's profile with the better of two readings of the name and the mailbox kept. */
  const mergedProfile = (person: PersonProfile, stored: StoredPerson | undefined): PersonProfile =>
    stored
      ? {
          ...person,
          name: preferredReading('name', stored, person) ?? null,
          email: preferredReading('email', stored, person) ?? null,
        }
      : person;

  /**
   * The whole PYMK ranking as one traversal (one round trip): the user's vertices (by email, else by owner id,
   * else by name in any case) → their distinct contacts → each contact's distinct contacts that are neither the
   * user nor a contact, counted (= contacts in common) → best `limit` by score, then name, then id → profiles.
   */
  const pymkSteps = {
    contactsOfContact: constant(__.both('knows').dedup()),
    byName: constant(__.select(column.keys).coalesce(__.values('_name'), __.constant(''))),
    byId: constant(__.select(column.keys).id()),
    profile: constant(__.select(column.keys).elementMap(...PROFILE_KEYS)),
    score: constant(__.select(column.values)),
  };
  const pymkTraversal = (user: string, limit: number): Traversal => {
    const starts: Traversal[] = [];
    // an email names its vertex directly (ids derive from it): no property look-up needed
    const email = normalizeEmail(user);
    if (email) starts.push(__.V(personIdOf({ email })).hasLabel('person'));
    starts.push(
      __.V().has('person', 'owner_id', user.trim().toLowerCase()),
      __.V().has('person', '_name', normalizeName(user)),
    );
    return g
      .inject(0)
      .coalesce(...starts)
      .aggregate('u')
      .both('knows')
      .where(P.without('u'))
      .dedup()
      .aggregate('f')
      .flatMap(pymkSteps.contactsOfContact)
      .where(P.without('u'))
      .where(P.without('f'))
      .groupCount()
      .unfold()
      .order()
      .by(column.values, order.desc)
      .by(pymkSteps.byName)
      .by(pymkSteps.byId)
      .limit(limit)
      .project('person', 'score')
      .by(pymkSteps.profile)
      .by(pymkSteps.score);
  };

  return {
    traversal: () => g,

    upsertContact(owner, person, weight = 1): Promise<UpsertContactResult> {
      return withRetry(() => upsertContactOnce(owner, person, weight), CONFLICT_RETRY);
    },

    async pymk(user, limit): Promise<PymkSuggestion[]> {
      if (limit <= 0) return [];
      const rows: Map<string, unknown>[] = await withRetry(() => pymkTraversal(user, limit).toList(), CONFLICT_RETRY);
      return rows.map(toSuggestion);
    },

    async close() {
      await connection.close();
    },
  };

  async function upsertContactOnce(owner: string, card: PersonProfile, weight: number): Promise<UpsertContactResult> {
    const ownerId = owner.trim().toLowerCase();
    if (!personIdOf(card)) throw new Error('a card needs an email or a name to become a person vertex');
    const { id: personId, stored } = await resolvePerson(card);
    const person = mergedProfile(card, stored);
    if (isOwnersCard(ownerId, person.email) || stored?.owner_id === ownerId) {
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
  }
}

function toSuggestion(row: Map<string, unknown>): PymkSuggestion {
  const p = row.get('person') as Map<unknown, unknown>;
  const text = (key: string) => {
    const v = p.get(key);
    return v === undefined || v === null ? null : String(v);
  };
  return {
    name: text('name'),
    phone_number: text('phone_number'),
    company: text('company'),
    job_title: text('job_title'),
    email: text('email'),
    score: Number(row.get('score')),
  };
}
