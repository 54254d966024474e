// Source and navigation steps: V(), E(), inject(), multi-statement scripts, and the walks between vertices, edges
// and properties (out/in/both, outE/inE/bothE, outV/inV/bothV/otherV, to/from/toE, element).
import { compile, type Step } from './compile.js';
import { GEdge, GProperty, GVertex, GVertexProperty } from './graph.js';
import type { Machine, StepTable } from './machine.js';
import type { BytecodeLike } from './structure.js';
import { move, type Trav } from './traverser.js';
import { elementIdOf } from './values.js';

export const NAVIGATION_STEPS: StepTable = {
  V: elementsStep,
  E: elementsStep,
  statements: (m, s) => {
    // a multi-statement script: every statement runs, the last one's traversers are the result
    let last: Trav[] = [];
    for (const b of s.args) last = m.run(compile(b as BytecodeLike), []);
    return last;
  },
  inject: (m, s, travs) => {
    const items = s.args.map((x) => m.start(x));
    return [...travs, ...items];
  },
  out: adjacentStep,
  in: adjacentStep,
  both: adjacentStep,
  outE: incidentStep,
  inE: incidentStep,
  bothE: incidentStep,
  to: directedStep,
  from: directedStep,
  toE: (_m, s, travs) => {
    const a = s.args;
    const dir = (a[0] as { elementName: string }).elementName;
    const name = dir === 'OUT' ? 'outE' : dir === 'IN' ? 'inE' : 'bothE';
    return travs.flatMap((t) => incidentE(t.o, name, a.slice(1) as string[]).map((e) => move(t, e)));
  },
  outV: (_m, _s, travs) => travs.flatMap((t) => (t.o instanceof GEdge ? [move(t, t.o.outV)] : [])),
  inV: (_m, _s, travs) => travs.flatMap((t) => (t.o instanceof GEdge ? [move(t, t.o.inV)] : [])),
  bothV: (_m, _s, travs) => travs.flatMap((t) => (t.o instanceof GEdge ? [move(t, t.o.outV), move(t, t.o.inV)] : [])),
  otherV: (_m, _s, travs) =>
    travs.flatMap((t) => {
      if (!(t.o instanceof GEdge)) return [];
      const prev = t.p?.prev?.obj;
      const e = t.o;
      const other =
        prev instanceof GVertex && prev === e.outV ? e.inV : prev instanceof GVertex && prev === e.inV ? e.outV : e.inV;
      return [move(t, other)];
    }),
  element: (_m, _s, travs) =>
    travs.flatMap((t) =>
      t.o instanceof GVertexProperty ? [move(t, t.o.vertex)] : t.o instanceof GProperty ? [move(t, t.o.element)] : [],
    ),
};

function elementsStep(m: Machine, s: Step, travs: Trav[], isStart: boolean): Trav[] {
  const g = m.ctx.graph;
  const a = s.args;
  const ids = flattenIds(a);
  const pick = (t: Trav | null): Trav[] => {
    let elems: (GVertex | GEdge)[];
    if (a.length > 0 && ids.length === 0) elems = [];
    else if (ids.length === 0) elems = s.name === 'V' ? [...g.vertices.values()] : [...g.edges.values()];
    else {
      elems = [];
      for (const id of ids) {
        const el =
          s.name === 'V'
            ? lookupLoose(g.vertex.bind(g), elementIdOf(id))
            : lookupLoose(g.edge.bind(g), elementIdOf(id));
        if (el) elems.push(el);
      }
    }
    return elems.map((e) => (t ? move(t, e) : m.start(e)));
  };
  if (isStart && travs.length === 0) return pick(null);
  return travs.flatMap((t) => pick(t));
}

function adjacentStep(m: Machine, s: Step, travs: Trav[]): Trav[] {
  return m.flatMapChecked(travs, (t) => adjacentV(t.o, s.name, s.args as string[]));
}

function incidentStep(m: Machine, s: Step, travs: Trav[]): Trav[] {
  return m.flatMapChecked(travs, (t) => incidentE(t.o, s.name, s.args as string[]));
}

/** to(Direction, labels...) / from(Direction, labels...) used as steps (not as modulators) */
function directedStep(_m: Machine, s: Step, travs: Trav[]): Trav[] {
  const a = s.args;
  const dir = (a[0] as { elementName: string }).elementName;
  const name = dir === 'OUT' ? 'out' : dir === 'IN' ? 'in' : 'both';
  return travs.flatMap((t) => adjacentV(t.o, name, a.slice(1) as string[]).map((v) => move(t, v)));
}

export function lookupLoose<T>(get: (id: unknown) => T | undefined, id: unknown): T | undefined {
  const hit = get(id);
  if (hit !== undefined) return hit;
  if (typeof id === 'string' && /^-?\d+$/.test(id)) return get(Number(id));
  if (typeof id === 'number') return get(String(id));
  return undefined;
}

function flattenIds(a: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of a) {
    if (Array.isArray(x)) out.push(...x);
    else if (x instanceof Set) out.push(...x);
    else if (x !== null && x !== undefined) out.push(x);
    else out.push(x);
  }
  return out.filter((x) => x !== null && x !== undefined);
}

export function adjacentV(o: unknown, dir: string, labels: string[]): GVertex[] {
  if (!(o instanceof GVertex)) return [];
  const out: GVertex[] = [];
  if (dir !== 'in') pushAdjacent(o.outN, o.outL, labels, out);
  if (dir !== 'out') pushAdjacent(o.inN, o.inL, labels, out);
  return out;
}

function pushAdjacent(vertices: GVertex[], edgeLabels: string[], labels: string[], out: GVertex[]): void {
  if (labels.length === 0) {
    for (const v of vertices) out.push(v);
    return;
  }
  const only = labels.length === 1 ? labels[0] : undefined;
  for (let i = 0; i < vertices.length; i++) {
    if (only !== undefined ? edgeLabels[i] === only : labels.includes(edgeLabels[i])) out.push(vertices[i]);
  }
}

function incidentE(o: unknown, dir: string, labels: string[]): GEdge[] {
  if (!(o instanceof GVertex)) return [];
  const ok = (e: GEdge) => labels.length === 0 || labels.includes(e.label);
  const out: GEdge[] = [];
  if (dir !== 'inE') for (const e of o.outE) if (ok(e)) out.push(e);
  if (dir !== 'outE') for (const e of o.inE) if (ok(e)) out.push(e);
  return out;
}
