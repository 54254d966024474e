// Mutation steps: addV(), addE() with from/to, property(), drop(), mergeV() and mergeE() with their
// onCreate/onMatch/outV/inV options.
import type { Step } from './compile.js';
import { type Cardinality, GEdge, GProperty, GremlinEngineError, GVertex, GVertexProperty } from './graph.js';
import type { Machine, StepTable } from './machine.js';
import { lookupLoose } from './navigation-steps.js';
import { isBytecode, isEnum } from './structure.js';
import { move, type Trav } from './traverser.js';
import { describe, elementIdOf, gEquals, tokenValue, typeNameOf } from './values.js';

export const MUTATION_STEPS: StepTable = {
  addV,
  addE,
  mergeV,
  mergeE,
  property: (m, s, travs) => {
    for (const t of travs) applyPropertyArgs(m, t, t.o, s.args);
    return travs;
  },
  drop: (m, _s, travs) => {
    const g = m.ctx.graph;
    for (const t of travs) {
      const o = t.o;
      if (o instanceof GVertex) g.removeVertex(o);
      else if (o instanceof GEdge) g.removeEdge(o);
      else if (o instanceof GVertexProperty) g.removeVertexProperty(o);
      else if (o instanceof GProperty) {
        if (o.element instanceof GEdge) o.element.props.delete(o.key);
        else o.element.meta.delete(o.key);
      }
    }
    return [];
  },
};

function addV(m: Machine, s: Step, travs: Trav[], isStart: boolean): Trav[] {
  const make = (t: Trav | null): Trav => {
    let label = 'vertex';
    const a0 = s.args[0];
    if (isBytecode(a0)) {
      const r = t ? m.first(a0, t) : m.first(a0, m.start(null));
      if (!r.ok) throw new GremlinEngineError('The traversal for the addV() label produced no result');
      label = String(r.v);
    } else if (a0 !== undefined && a0 !== null) label = String(a0);
    else if (a0 === null) throw new GremlinEngineError('Label can not be null');
    const base = t ?? m.start(null);
    const { id, label: l2, rest } = foldedProps(m, s, base);
    const v = m.ctx.graph.addVertex(l2 === undefined ? label : String(l2), id);
    for (const p of rest) applyPropertyArgs(m, base, v, p);
    return t ? move(t, v) : m.start(v);
  };
  if (isStart && travs.length === 0) return [make(null)];
  return travs.map((t) => make(t));
}

function resolveVertexArg(m: Machine, x: unknown, t: Trav): GVertex {
  let v: unknown = x;
  if (typeof x === 'string') {
    const r = m.selectLabel(t, x, 'last');
    if (!r.ok) throw new GremlinEngineError(`The step with label ${x} does not exist`);
    v = r.v;
  } else if (isBytecode(x)) {
    const r = m.first(x, t);
    if (!r.ok)
      throw new GremlinEngineError(
        'The traversal given to addE().from/to must resolve to a Vertex or the ID of a Vertex present in the graph',
      );
    v = r.v;
  }
  if (v instanceof GVertex) return v;
  const found = lookupLoose(m.ctx.graph.vertex.bind(m.ctx.graph), elementIdOf(v));
  if (!found)
    throw new GremlinEngineError(
      `The value given to addE(${String(elementIdOf(v))}).from/to must resolve to a Vertex or the ID of a Vertex present in the graph`,
    );
  return found;
}

function addE(m: Machine, s: Step, travs: Trav[], isStart: boolean): Trav[] {
  const make = (t: Trav): Trav => {
    let label = 'edge';
    const a0 = s.args[0];
    if (isBytecode(a0)) {
      const r = m.first(a0, t);
      label = String(r.v);
    } else if (a0 !== undefined) label = String(a0);
    const from = s.fromSet ? resolveVertexArg(m, s.from, t) : t.o;
    const to = s.toSet ? resolveVertexArg(m, s.to, t) : t.o;
    if (!(from instanceof GVertex) || !(to instanceof GVertex)) {
      throw new GremlinEngineError(
        `The ${from instanceof GVertex ? 'to' : 'from'}() of addE() must resolve to a Vertex or the ID of a Vertex present in the graph`,
      );
    }
    const { id, rest } = foldedProps(m, s, t);
    const e = m.ctx.graph.addEdge(label, from, to, id);
    for (const p of rest) applyPropertyArgs(m, t, e, p);
    return move(t, e);
  };
  if (isStart && travs.length === 0) return [make(m.start(null))];
  return travs.map(make);
}

function foldedProps(m: Machine, s: Step, t: Trav): { id: unknown; label: unknown; rest: unknown[][] } {
  let id: unknown;
  let label: unknown;
  const rest: unknown[][] = [];
  for (const p of s.props ?? []) {
    if (isEnum(p[0], 'T') && (p[0].elementName === 'id' || p[0].elementName === 'label')) {
      let v = p[1];
      if (isBytecode(v)) v = m.first(v, t).v;
      if (p[0].elementName === 'id') id = v;
      else label = v;
    } else rest.push(p);
  }
  return { id, label, rest };
}

function applyPropertyArgs(m: Machine, t: Trav, el: unknown, args: unknown[]): void {
  let a = args;
  if (a.length === 1 && (a[0] === null || a[0] === undefined)) return;
  let card: Cardinality | undefined;
  if (isEnum(a[0], 'Cardinality')) {
    card = a[0].elementName as Cardinality;
    a = a.slice(1);
  }
  if (a.length === 1 && (a[0] === null || a[0] === undefined)) return;
  if (a[0] instanceof Map) {
    for (const [k, v] of a[0]) setProp(m, t, el, k, v, card, []);
    return;
  }
  if (isBytecode(a[0])) {
    const k = m.first(a[0], t);
    if (!k.ok) throw new GremlinEngineError('The property() key traversal produced no key');
    a = [k.v, ...a.slice(1)];
  }
  let value = a[1];
  if (isBytecode(value)) {
    const r = m.first(value, t);
    if (!r.ok) throw new GremlinEngineError('The property() value traversal produced no value');
    value = r.v;
  }
  setProp(m, t, el, a[0], value, card, a.slice(2));
}

function setProp(
  m: Machine,
  _t: Trav,
  o: unknown,
  key: unknown,
  value: unknown,
  card: Cardinality | undefined,
  meta: unknown[],
): void {
  const g = m.ctx.graph;
  if (isEnum(key, 'T')) {
    if (key.elementName === 'id') {
      throw new GremlinEngineError('Vertex does not support user supplied identifiers on property()');
    }
    throw new GremlinEngineError(`Property key can not be a hidden key: ${key.elementName}`);
  }
  if (typeof key !== 'string') throw new GremlinEngineError('The key of a property must be a String');
  if (value === null || value === undefined) {
    // TinkerGraph default: setting null removes the property
    if (o instanceof GVertex) for (const p of [...(o.props.get(key) ?? [])]) g.removeVertexProperty(p);
    else if (o instanceof GEdge) o.props.delete(key);
    return;
  }
  if (o instanceof GVertex) {
    const vp = g.setVertexProperty(o, key, value, card ?? 'single');
    for (let i = 0; i + 1 < meta.length; i += 2) vp.meta.set(String(meta[i]), meta[i + 1]);
  } else if (o instanceof GEdge) {
    if (card && card !== 'single') throw new GremlinEngineError(`Edge properties do not support ${card} cardinality`);
    o.props.set(key, value);
  } else if (o instanceof GVertexProperty) {
    o.meta.set(key, value);
  } else throw new GremlinEngineError(`property() requires an element, found ${typeNameOf(o)}`);
}

function mergeOption(s: Step, name: string): [unknown, unknown] | undefined {
  return s.options.find(([k]) => isEnum(k, 'Merge') && k.elementName === name);
}

/** onCreate map, validated against the merge map (it may not change what the merge map says) */
function onCreateMap(
  m: Machine,
  s: Step,
  spec: Map<unknown, unknown>,
  t: Trav,
  what: string,
): Map<unknown, unknown> | null {
  const opt = mergeOption(s, 'onCreate');
  if (!opt) return null;
  const map = mergeMap(m, opt[1], t, 'onCreate');
  if (!map) return null;
  validateMergeMap(map, what);
  for (const [k, v] of map) {
    const hit = findKey(spec, k);
    if (hit && !gEquals(hit[1], v)) {
      throw new GremlinEngineError(
        `option(onCreate) cannot override values from merge() argument: (${mapKeyName(k)}, ${String(v)})`,
      );
    }
  }
  return map;
}

/** option maps given as literals are checked even when the option does not apply */
function validateStaticOptions(s: Step, what: string): void {
  for (const name of ['onCreate', 'onMatch']) {
    const map = mergeOption(s, name)?.[1];
    if (map instanceof Map) validateMergeMap(map, what);
  }
}

function onMatchMap(m: Machine, s: Step, t: Trav, what: string): Map<unknown, unknown> | null {
  const opt = mergeOption(s, 'onMatch');
  if (!opt) return null;
  const map = mergeMap(m, opt[1], t, 'onMatch');
  if (!map) return null;
  validateMergeMap(map, what);
  for (const [k] of map) {
    if (isEnum(k, 'T') || isEnum(k, 'Direction')) {
      throw new GremlinEngineError(`option(onMatch) cannot set ${mapKeyName(k)}: only properties can be updated`);
    }
  }
  return map;
}

function mergeV(m: Machine, s: Step, travs: Trav[], isStart: boolean): Trav[] {
  const run = (t: Trav): Trav[] => {
    const spec = mergeMap(m, s.args[0], t, 'mergeV') ?? new Map();
    validateMergeMap(spec, 'mergeV');
    validateStaticOptions(s, 'mergeV');
    const matchesFirst = findVertices(m, spec);
    const onCreate =
      matchesFirst.length && isBytecode(mergeOption(s, 'onCreate')?.[1]) ? null : onCreateMap(m, s, spec, t, 'mergeV');
    const wrap = (v: GVertex) => (t.o === null && isStart ? m.start(v) : move(t, v));
    const matches = matchesFirst;
    if (matches.length) {
      return matches.map((v) => {
        const map = onMatchMap(m, s, move(t, v), 'mergeV');
        if (map) for (const [k, v2] of map) setMergeProp(m, v, k, v2);
        return wrap(v);
      });
    }
    const create = new Map(spec);
    for (const [k, v2] of onCreate ?? []) create.set(findKey(create, k)?.[0] ?? k, v2);
    const label = findT(create, 'label');
    const v = m.ctx.graph.addVertex(label === undefined ? 'vertex' : String(label), findT(create, 'id'));
    for (const [k, v2] of create) if (!isEnum(k)) setMergeProp(m, v, k, v2);
    return [wrap(v)];
  };
  if (isStart && travs.length === 0) return run(m.start(null));
  return travs.flatMap(run);
}

function setMergeProp(m: Machine, el: GVertex | GEdge, k: unknown, v: unknown): void {
  if (v && typeof v === 'object' && 'cardinality' in v && 'value' in v) {
    const cv = v as { cardinality: { elementName: string }; value: unknown };
    setProp(m, m.start(el), el, k, cv.value, cv.cardinality.elementName as Cardinality, []);
    return;
  }
  setProp(m, m.start(el), el, k, v, 'single', []);
}

function mergeMap(m: Machine, arg: unknown, t: Trav, what: string): Map<unknown, unknown> | null {
  let map = arg;
  if (isBytecode(arg)) {
    const r = m.first(arg, t);
    map = r.ok ? r.v : null;
  }
  if (map === undefined) map = t.o;
  if (map === null) return null;
  if (!(map instanceof Map)) {
    throw new GremlinEngineError(`${what}() requires a Map argument but found ${typeNameOf(map)}`);
  }
  return map;
}

function findVertices(m: Machine, spec: Map<unknown, unknown>): GVertex[] {
  const g = m.ctx.graph;
  const idv = findT(spec, 'id');
  let cands: GVertex[];
  if (idv !== undefined) {
    const v = g.vertex(idv);
    cands = v ? [v] : [];
  } else {
    const label = findT(spec, 'label');
    const firstProp = [...spec].find(([k]) => typeof k === 'string');
    const byProp = firstProp ? g.verticesByProperty(firstProp[0] as string, firstProp[1]) : null;
    cands = byProp ?? (label !== undefined ? [...g.verticesByLabel(String(label))] : [...g.vertices.values()]);
  }
  return cands.filter((v) => {
    for (const [k, val] of spec) {
      if (isEnum(k, 'T')) {
        if (!gEquals(tokenValue(v, k.elementName), val)) return false;
      } else if (!(v.props.get(String(k)) ?? []).some((p) => gEquals(p.value, val))) return false;
    }
    return true;
  });
}

function mergeE(m: Machine, s: Step, travs: Trav[], isStart: boolean): Trav[] {
  const g = m.ctx.graph;
  const run = (t: Trav): Trav[] => {
    const spec = mergeMap(m, s.args[0], t, 'mergeE') ?? new Map();
    validateMergeMap(spec, 'mergeE');
    validateStaticOptions(s, 'mergeE');
    const onCreateArg = mergeOption(s, 'onCreate')?.[1];
    let onCreate = isBytecode(onCreateArg) ? null : onCreateMap(m, s, spec, t, 'mergeE');
    const resolveV = (x: unknown, which: 'outV' | 'inV'): GVertex => {
      let v = x;
      if (isEnum(x, 'Merge')) {
        const opt = mergeOption(s, which);
        if (!opt) throw new GremlinEngineError(`option(${which}) must be specified when Merge.${which} is used`);
        v = isBytecode(opt[1]) ? m.first(opt[1], t).v : opt[1];
        if (v instanceof Map) {
          const found = findVertices(m, v);
          if (!found.length)
            throw new GremlinEngineError(`Vertex id could not be resolved from mergeE: ${describe(v)}`);
          return found[0];
        }
      }
      if (v instanceof GVertex) return v;
      const found = lookupLoose(g.vertex.bind(g), elementIdOf(v));
      if (!found)
        throw new GremlinEngineError(`Vertex id could not be resolved from mergeE: ${String(elementIdOf(v))}`);
      return found;
    };
    const outRaw = findDir(spec, 'OUT');
    const inRaw = findDir(spec, 'IN');
    const outV = outRaw === undefined ? undefined : resolveV(outRaw, 'outV');
    const inV = inRaw === undefined ? undefined : resolveV(inRaw, 'inV');
    const idv = findT(spec, 'id');
    const label = findT(spec, 'label');
    let cands: GEdge[];
    if (idv !== undefined) {
      const e = lookupLoose(g.edge.bind(g), idv);
      cands = e ? [e] : [];
    } else if (outV) cands = outV.outE;
    else if (inV) cands = inV.inE;
    else cands = [...g.edges.values()];
    const matches = cands.filter((e) => {
      if (outV && e.outV !== outV) return false;
      if (inV && e.inV !== inV) return false;
      if (label !== undefined && e.label !== label) return false;
      for (const [k, val] of spec) if (typeof k === 'string' && !gEquals(e.props.get(k), val)) return false;
      return true;
    });
    const wrap = (e: GEdge) => (t.o === null && isStart ? m.start(e) : move(t, e));
    if (matches.length) {
      return matches.map((e) => {
        const map = onMatchMap(m, s, move(t, e), 'mergeE');
        if (map) for (const [k, v2] of map) setProp(m, t, e, k, v2, undefined, []);
        return wrap(e);
      });
    }
    if (isBytecode(onCreateArg)) onCreate = onCreateMap(m, s, spec, t, 'mergeE');
    const create = new Map(spec);
    for (const [k, v2] of onCreate ?? []) create.set(findKey(create, k)?.[0] ?? k, v2);
    const co = findDir(create, 'OUT');
    const ci = findDir(create, 'IN');
    if (co === undefined) throw new GremlinEngineError('Out Vertex not specified');
    if (ci === undefined) throw new GremlinEngineError('In Vertex not specified');
    const ov = co === outRaw && outV ? outV : resolveV(co, 'outV');
    const iv = ci === inRaw && inV ? inV : resolveV(ci, 'inV');
    const e = g.addEdge(String(findT(create, 'label') ?? 'edge'), ov, iv, findT(create, 'id'));
    for (const [k, v2] of create) if (typeof k === 'string') setProp(m, t, e, k, v2, undefined, []);
    return [wrap(e)];
  };
  if (isStart && travs.length === 0) return run(m.start(null));
  return travs.flatMap(run);
}

function findKey(m: Map<unknown, unknown>, k: unknown): [unknown, unknown] | undefined {
  if (m.has(k)) return [k, m.get(k)];
  for (const e of m) if (gEquals(e[0], k)) return e;
  return undefined;
}

function validateMergeMap(m: Map<unknown, unknown> | null, what: string): void {
  if (!m) return;
  for (const [k, v] of m) {
    if (typeof k === 'string' && k.startsWith('~'))
      throw new GremlinEngineError(`Property key can not be a hidden key: ${k}`);
    if (isEnum(k, 'T') && k.elementName === 'label' && typeof v === 'string' && v.startsWith('~')) {
      throw new GremlinEngineError(`Label can not be a hidden key: ${v}`);
    }
    if (isEnum(k, 'T')) {
      if (k.elementName !== 'id' && k.elementName !== 'label') {
        throw new GremlinEngineError(`${what}() only supports T.id and T.label as T keys`);
      }
      if (k.elementName === 'label' && (v === null || v === undefined))
        throw new GremlinEngineError(`${what}() label cannot be null`);
    } else if (isEnum(k, 'Direction')) {
      if (what !== 'mergeE') throw new GremlinEngineError(`${what}() does not allow Direction keys`);
    } else if (typeof k !== 'string') {
      throw new GremlinEngineError(`${what}() keys must be String, T or Direction but found ${typeNameOf(k)}`);
    }
  }
}

function mapKeyName(k: unknown): string {
  return isEnum(k) ? k.elementName : String(k);
}

function findT(m: Map<unknown, unknown>, name: string): unknown {
  for (const [k, v] of m) if (isEnum(k, 'T') && k.elementName === name) return v;
  return undefined;
}
function findDir(m: Map<unknown, unknown>, name: string): unknown {
  for (const [k, v] of m)
    if (
      isEnum(k, 'Direction') &&
      (k.elementName === name ||
        (name === 'OUT' && k.elementName === 'from') ||
        (name === 'IN' && k.elementName === 'to'))
    )
      return v;
  return undefined;
}
