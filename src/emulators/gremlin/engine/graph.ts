// In-memory property graph (TinkerGraph-like) with label and property indexes.
import { randomUUID } from 'node:crypto';

export class GremlinEngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GremlinEngineError';
  }
}

export type Cardinality = 'single' | 'list' | 'set';

export class GVertexProperty {
  readonly kind = 'vp' as const;
  meta = new Map<string, unknown>();
  constructor(
    readonly id: unknown,
    readonly key: string,
    public value: unknown,
    readonly vertex: GVertex,
  ) {}
}

export class GProperty {
  readonly kind = 'p' as const;
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly element: GEdge | GVertexProperty,
  ) {}
}

/** vertices and edges removed so far (in any graph): a removed element's id may be reused by a new object */
export const elementRemovals = { count: 0 };

const NO_INHERITED_PROPERTIES = Object.create(null) as object;

export class GVertex {
  /** Scratch of the machine's neighbour counting (countAdjacentVertices): the run that last met this vertex (a
   * number from its graph's newCountRun()), and that run's count, last traverser and test result for it. Held in
   * the vertex (no map look-up or entry per vertex met); meaningless unless `metRun` is the run reading them. */
  metRun = 0;
  metCount = 0;
  metLast = -1;
  metPass = false;
  readonly kind = 'v' as const;
  props = new Map<string, GVertexProperty[]>();
  /** each key's first property value (undefined: none), kept by setVertexProperty/removeVertexProperty. Reading a
   * value from this plain object touches one object instead of map → hash table → list → property, which is what
   * costs when the graph is not in the CPU cache. Its prototype has no properties, so any key is safe. */
  readonly firstValues: Record<string, unknown> = Object.create(NO_INHERITED_PROPERTIES);
  // The first values of the first four keys set on this vertex, also held in the vertex itself: reading them
  // touches no other object (a cache miss less per vertex when many vertices are read, as order().by() does).
  private k0: string | undefined = undefined;
  private v0: unknown = undefined;
  private k1: string | undefined = undefined;
  private v1: unknown = undefined;
  private k2: string | undefined = undefined;
  private v2: unknown = undefined;
  private k3: string | undefined = undefined;
  private v3: unknown = undefined;
  outE: GEdge[] = [];
  inE: GEdge[] = [];
  /** the other vertex and the label of outE[i] / inE[i] (kept by addEdge/removeEdge): walking to adjacent vertices
   * reads these arrays instead of every edge object */
  readonly outN: GVertex[] = [];
  readonly outL: string[] = [];
  readonly inN: GVertex[] = [];
  readonly inL: string[] = [];
  removed = false;
  constructor(
    readonly id: unknown,
    readonly label: string,
  ) {}

  /** the key's first value (undefined: none) */
  firstValue(key: string): unknown {
    if (this.k0 === key) return this.v0;
    if (this.k1 === key) return this.v1;
    if (this.k2 === key) return this.v2;
    if (this.k3 === key) return this.v3;
    return this.firstValues[key];
  }

  /** records the key's first value (undefined: none left) */
  setFirstValue(key: string, value: unknown): void {
    // (assigned, not deleted: deleting would turn the object into a slower dictionary)
    this.firstValues[key] = value;
    if (this.k0 === key || this.k0 === undefined) {
      this.k0 = key;
      this.v0 = value;
    } else if (this.k1 === key || this.k1 === undefined) {
      this.k1 = key;
      this.v1 = value;
    } else if (this.k2 === key || this.k2 === undefined) {
      this.k2 = key;
      this.v2 = value;
    } else if (this.k3 === key || this.k3 === undefined) {
      this.k3 = key;
      this.v3 = value;
    }
  }
}

export class GEdge {
  readonly kind = 'e' as const;
  props = new Map<string, unknown>();
  removed = false;
  constructor(
    readonly id: unknown,
    readonly label: string,
    readonly outV: GVertex,
    readonly inV: GVertex,
  ) {}
}

export type GElement = GVertex | GEdge;

/** Normalised lookup key for ids and indexed values: numbers of any type with equal value share a key. */
export function valueKey(v: unknown): string | null {
  switch (typeof v) {
    case 'number':
      return `n:${v}`;
    case 'bigint':
      return `n:${v}`;
    case 'string':
      return `s:${v}`;
    case 'boolean':
      return `b:${v}`;
    default:
      if (v === null || v === undefined) return 'null';
      if (v instanceof Date) return `d:${v.getTime()}`;
      return null;
  }
}

export interface GraphOptions {
  /** id for a new element when none is supplied (default: increasing numbers, like TinkerGraph) */
  idGenerator?: (kind: 'vertex' | 'edge' | 'vertexProperty') => unknown;
  /** 'uuid' is a shorthand for Neptune-style UUID string ids */
  ids?: 'number' | 'uuid';
}

interface JsonValue {
  t: string;
  v: unknown;
}

export class TinkerGraphLike {
  readonly vertices = new Map<string, GVertex>();
  readonly edges = new Map<string, GEdge>();
  private readonly labelIndex = new Map<string, Set<GVertex>>();
  private readonly propIndex = new Map<string, Map<string, Set<GVertex>>>();
  private counter = 0;
  /** the last number newCountRun() gave */
  private countRuns = 0;
  private readonly idGen: (kind: 'vertex' | 'edge' | 'vertexProperty') => unknown;

  constructor(options: GraphOptions = {}) {
    this.idGen =
      options.idGenerator ??
      (options.ids === 'uuid'
        ? () => randomUUID()
        : () => {
            this.counter++;
            return this.counter;
          });
  }

  /** A number for a neighbour-counting run that none of this graph's vertices holds in `metRun` (a small integer:
   * storing it in a vertex allocates nothing). */
  newCountRun(): number {
    if (this.countRuns >= 0x3fffffff) {
      for (const v of this.vertices.values()) v.metRun = 0;
      this.countRuns = 0;
    }
    return ++this.countRuns;
  }

  nextId(kind: 'vertex' | 'edge' | 'vertexProperty'): unknown {
    let id = this.idGen(kind);
    // generated ids must not collide with user-supplied ones
    const map = kind === 'vertex' ? this.vertices : kind === 'edge' ? this.edges : null;
    while (map?.has(valueKey(id) as string)) id = this.idGen(kind);
    return id;
  }

  vertex(id: unknown): GVertex | undefined {
    const k = valueKey(id);
    return k === null ? undefined : this.vertices.get(k);
  }
  edge(id: unknown): GEdge | undefined {
    const k = valueKey(id);
    return k === null ? undefined : this.edges.get(k);
  }

  addVertex(label: string, id?: unknown): GVertex {
    const vid = id === undefined || id === null ? this.nextId('vertex') : id;
    const k = valueKey(vid);
    if (k === null) throw new GremlinEngineError(`Vertex id must be a string or number: ${String(vid)}`);
    if (this.vertices.has(k)) throw new GremlinEngineError(`Vertex with id already exists: ${String(vid)}`);
    const v = new GVertex(vid, label);
    this.vertices.set(k, v);
    let s = this.labelIndex.get(label);
    if (!s) {
      s = new Set();
      this.labelIndex.set(label, s);
    }
    s.add(v);
    return v;
  }

  addEdge(label: string, outV: GVertex, inV: GVertex, id?: unknown): GEdge {
    if (outV.removed || inV.removed) throw new GremlinEngineError('Vertex does not exist: it was removed');
    const eid = id === undefined || id === null ? this.nextId('edge') : id;
    const k = valueKey(eid);
    if (k === null) throw new GremlinEngineError(`Edge id must be a string or number: ${String(eid)}`);
    if (this.edges.has(k)) throw new GremlinEngineError(`Edge with id already exists: ${String(eid)}`);
    const e = new GEdge(eid, label, outV, inV);
    this.edges.set(k, e);
    outV.outE.push(e);
    outV.outN.push(inV);
    outV.outL.push(label);
    inV.inE.push(e);
    inV.inN.push(outV);
    inV.inL.push(label);
    return e;
  }

  setVertexProperty(
    v: GVertex,
    key: string,
    value: unknown,
    card: Cardinality = 'single',
    id?: unknown,
  ): GVertexProperty {
    const list = v.props.get(key) ?? [];
    if (card === 'single') {
      const old = list.splice(0, list.length);
      for (const p of old) this.unindex(v, key, p.value);
    } else if (card === 'set') {
      const existing = list.find((p) => valueKey(p.value) !== null && valueKey(p.value) === valueKey(value));
      if (existing) return existing;
    }
    const vp = new GVertexProperty(id ?? this.nextId('vertexProperty'), key, value, v);
    list.push(vp);
    v.props.set(key, list);
    v.setFirstValue(key, list[0].value);
    this.index(v, key, value);
    return vp;
  }

  removeVertexProperty(vp: GVertexProperty): void {
    const list = vp.vertex.props.get(vp.key);
    if (!list) return;
    const i = list.indexOf(vp);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) vp.vertex.props.delete(vp.key);
    vp.vertex.setFirstValue(vp.key, list.length ? list[0].value : undefined);
    this.unindex(vp.vertex, vp.key, vp.value);
  }

  removeVertex(v: GVertex): void {
    if (v.removed) return;
    for (const e of [...v.outE, ...v.inE]) this.removeEdge(e);
    for (const [key, list] of v.props) {
      for (const p of list) {
        const vk = valueKey(p.value);
        if (vk !== null) this.propIndex.get(key)?.get(vk)?.delete(v);
      }
    }
    this.labelIndex.get(v.label)?.delete(v);
    this.vertices.delete(valueKey(v.id) as string);
    v.removed = true;
    elementRemovals.count++;
  }

  removeEdge(e: GEdge): void {
    if (e.removed) return;
    const out = e.outV.outE.indexOf(e);
    e.outV.outE.splice(out, 1);
    e.outV.outN.splice(out, 1);
    e.outV.outL.splice(out, 1);
    const inward = e.inV.inE.indexOf(e);
    e.inV.inE.splice(inward, 1);
    e.inV.inN.splice(inward, 1);
    e.inV.inL.splice(inward, 1);
    this.edges.delete(valueKey(e.id) as string);
    e.removed = true;
    elementRemovals.count++;
  }

  verticesByLabel(label: string): Iterable<GVertex> {
    return this.labelIndex.get(label) ?? [];
  }

  /** Candidate vertices having `key` equal to `value` (null when the value is not indexable). */
  verticesByProperty(key: string, value: unknown): GVertex[] | null {
    const vk = valueKey(value);
    if (vk === null || value === null) return null;
    const byVal = this.propIndex.get(key)?.get(vk);
    return byVal ? [...byVal] : [];
  }

  private index(v: GVertex, key: string, value: unknown): void {
    const vk = valueKey(value);
    if (vk === null) return;
    let m = this.propIndex.get(key);
    if (!m) {
      m = new Map();
      this.propIndex.set(key, m);
    }
    let s = m.get(vk);
    if (!s) {
      s = new Set();
      m.set(vk, s);
    }
    s.add(v);
  }

  private unindex(v: GVertex, key: string, value: unknown): void {
    const vk = valueKey(value);
    if (vk === null) return;
    const s = this.propIndex.get(key)?.get(vk);
    if (!s) return;
    // another property of the same vertex may still hold the value (list cardinality)
    if ((v.props.get(key) ?? []).some((p) => valueKey(p.value) === vk)) return;
    s.delete(v);
  }

  clear(): void {
    this.vertices.clear();
    this.edges.clear();
    this.labelIndex.clear();
    this.propIndex.clear();
  }

  toJSON(): unknown {
    return {
      counter: this.counter,
      vertices: [...this.vertices.values()].map((v) => ({
        id: toJsonValue(v.id),
        label: v.label,
        props: [...v.props.values()].flat().map((p) => ({
          id: toJsonValue(p.id),
          key: p.key,
          value: toJsonValue(p.value),
          meta: [...p.meta].map(([k, x]) => [k, toJsonValue(x)]),
        })),
      })),
      edges: [...this.edges.values()].map((e) => ({
        id: toJsonValue(e.id),
        label: e.label,
        outV: toJsonValue(e.outV.id),
        inV: toJsonValue(e.inV.id),
        props: [...e.props].map(([k, x]) => [k, toJsonValue(x)]),
      })),
    };
  }

  static fromJSON(json: unknown, options: GraphOptions = {}): TinkerGraphLike {
    const g = new TinkerGraphLike(options);
    g.loadJSON(json);
    return g;
  }

  loadJSON(json: unknown): void {
    const data = json as {
      counter?: number;
      vertices: {
        id: JsonValue;
        label: string;
        props: { id: JsonValue; key: string; value: JsonValue; meta: [string, JsonValue][] }[];
      }[];
      edges: { id: JsonValue; label: string; outV: JsonValue; inV: JsonValue; props: [string, JsonValue][] }[];
    };
    this.clear();
    this.counter = data.counter ?? 0;
    for (const vj of data.vertices) {
      const v = this.addVertex(vj.label, fromJsonValue(vj.id));
      for (const pj of vj.props) {
        const vp = this.setVertexProperty(v, pj.key, fromJsonValue(pj.value), 'list', fromJsonValue(pj.id));
        for (const [k, x] of pj.meta) vp.meta.set(k, fromJsonValue(x));
      }
    }
    for (const ej of data.edges) {
      const o = this.vertex(fromJsonValue(ej.outV));
      const i = this.vertex(fromJsonValue(ej.inV));
      if (!o || !i) continue;
      const e = this.addEdge(ej.label, o, i, fromJsonValue(ej.id));
      for (const [k, x] of ej.props) e.props.set(k, fromJsonValue(x));
    }
  }
}

function toJsonValue(v: unknown): JsonValue {
  if (typeof v === 'bigint') return { t: 'bigint', v: v.toString() };
  if (v instanceof Date) return { t: 'date', v: v.toISOString() };
  if (typeof v === 'number' && !Number.isFinite(v)) return { t: 'num', v: String(v) };
  if (v instanceof Map) return { t: 'map', v: [...v].map(([a, b]) => [toJsonValue(a), toJsonValue(b)]) };
  if (v instanceof Set) return { t: 'set', v: [...v].map(toJsonValue) };
  if (Array.isArray(v)) return { t: 'list', v: v.map(toJsonValue) };
  return { t: 'json', v };
}

function fromJsonValue(j: JsonValue): unknown {
  switch (j.t) {
    case 'bigint':
      return BigInt(j.v as string);
    case 'date':
      return new Date(j.v as string);
    case 'num':
      return Number(j.v);
    case 'map':
      return new Map((j.v as [JsonValue, JsonValue][]).map(([a, b]) => [fromJsonValue(a), fromJsonValue(b)]));
    case 'set':
      return new Set((j.v as JsonValue[]).map(fromJsonValue));
    case 'list':
      return (j.v as JsonValue[]).map(fromJsonValue);
    default:
      return j.v;
  }
}
