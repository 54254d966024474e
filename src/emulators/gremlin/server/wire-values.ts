// Engine results → values the (de)serializers write the way Gremlin Server does; and request-only value kinds.
import { Edge, Property, Vertex, VertexProperty } from '../engine/structure.js';

/** A lambda sent by a client (`Lambda` in bytecode or `g:Lambda` in GraphSON). */
export class GremlinLambda {
  constructor(
    readonly script: string,
    readonly language: string,
    readonly argumentCount: number,
  ) {}
}

/** A collection that must be written as a Set (the 3.7 serializers only see arrays). */
export class WireSet {
  constructor(readonly items: unknown[]) {}
}

/** A Gremlin Tree: ordered (key, subtree) entries. */
export class WireTree {
  constructor(readonly entries: [unknown, WireTree][]) {}
}

/** A 64-bit integer (engine bigint) that must be written as Long rather than BigInteger. */
export class WireLong {
  constructor(readonly value: bigint) {}
}

/** Looks up the stored properties of elements the engine returned as references (id + label only). */
export interface PropertyResolver {
  vertexProperties(id: unknown): unknown[] | undefined;
  edgeProperties(id: unknown): unknown[] | undefined;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function vertexProperties(properties: unknown, materialize: boolean): unknown[] | null {
  if (!materialize) return null;
  if (Array.isArray(properties)) return properties.map((p) => toWireValue(p, true));
  if (!isObject(properties)) return [];
  const out: unknown[] = [];
  for (const [key, values] of Object.entries(properties)) {
    for (const vp of Array.isArray(values) ? values : [values]) {
      out.push(
        vp instanceof VertexProperty ? toWireValue(vp, true) : new VertexProperty(null, key, toWireValue(vp, true)),
      );
    }
  }
  return out;
}

function edgeProperties(properties: unknown, materialize: boolean): unknown[] | null {
  if (!materialize) return null;
  if (Array.isArray(properties)) return properties.map((p) => toWireValue(p, true));
  if (!isObject(properties)) return [];
  return Object.entries(properties).map(([key, value]) =>
    value instanceof Property ? toWireValue(value, true) : new Property(key, toWireValue(value, true)),
  );
}

/**
 * Normalizes a result value for serialization: JS Sets become WireSets, bigints WireLongs, and elements carry their
 * properties as lists (`materializeProperties=all`, Gremlin Server's default) or none (`tokens`).
 */
export function toWireValue(value: unknown, materialize: boolean, resolver?: PropertyResolver): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') {
      return value >= -(2n ** 63n) && value < 2n ** 63n ? new WireLong(value) : value;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => toWireValue(v, materialize, resolver));
  if (value instanceof Set) return new WireSet([...value].map((v) => toWireValue(v, materialize, resolver)));
  if (value instanceof Map) {
    const out = new Map();
    for (const [k, v] of value) out.set(toWireValue(k, materialize, resolver), toWireValue(v, materialize, resolver));
    return out;
  }
  if (value instanceof Vertex) {
    const props = value.properties ?? (materialize ? resolver?.vertexProperties(value.id) : undefined);
    return new Vertex(value.id, value.label, vertexProperties(props, materialize));
  }
  if (value instanceof Edge) {
    const outV = new Vertex(value.outV?.id, value.outV?.label ?? 'vertex', null);
    const inV = new Vertex(value.inV?.id, value.inV?.label ?? 'vertex', null);
    const edge = new Edge(value.id, outV, value.label, inV, null);
    // the 3.7 Edge constructor turns a properties list into an object, so set the list afterwards
    const props = value.properties ?? (materialize ? resolver?.edgeProperties(value.id) : undefined);
    edge.properties = edgeProperties(props, materialize);
    return edge;
  }
  if (value instanceof VertexProperty) {
    const vp = new VertexProperty(value.id, value.label, toWireValue(value.value, materialize, resolver), null);
    vp.properties = materialize ? edgeProperties(value.properties, true) : null;
    return vp;
  }
  if (value instanceof Property) return new Property(value.key, toWireValue(value.value, materialize, resolver));
  const path = value as { objects?: unknown; labels?: unknown; constructor?: { name?: string } };
  if (path.constructor?.name === 'Path' && Array.isArray(path.objects)) {
    return Object.assign(Object.create(Object.getPrototypeOf(value)), {
      labels: (path.labels as unknown[]).map((l) => new WireSet(Array.isArray(l) ? l : [...(l as Iterable<unknown>)])),
      objects: path.objects.map((o) => toWireValue(o, materialize, resolver)),
    });
  }
  const tree = value as { entries?: unknown; constructor?: { name?: string } };
  if (tree.constructor?.name === 'Tree' && Array.isArray(tree.entries)) {
    return new WireTree(
      (tree.entries as [unknown, unknown][]).map(([k, sub]) => [
        toWireValue(k, materialize, resolver),
        toWireValue(sub, materialize, resolver) as WireTree,
      ]),
    );
  }
  const traverser = value as { bulk?: unknown; object?: unknown; constructor?: { name?: string } };
  if (traverser.constructor?.name === 'Traverser') {
    return Object.assign(Object.create(Object.getPrototypeOf(value)), {
      object: toWireValue(traverser.object, materialize, resolver),
      bulk: traverser.bulk,
    });
  }
  return value;
}
