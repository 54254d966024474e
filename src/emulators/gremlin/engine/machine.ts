// The traversal machine: compiles Bytecode into steps and runs them breadth-first over arrays of traversers.

import { LIST_STEPS, listStep } from './collection-steps.js';
import { buildFastChain, buildVertexChain, type FastChain, NO_VALUE, type VertexChain } from './fast-chain.js';
import {
  type Cardinality,
  GEdge,
  GProperty,
  GremlinEngineError,
  GVertex,
  GVertexProperty,
  TinkerGraphLike,
  valueKey,
} from './graph.js';
import { evalMath } from './math.js';
import { Bytecode, type BytecodeLike, isBytecode, isEnum, isP, type PC } from './structure.js';
import {
  type ExecContext,
  labelTrav,
  move,
  pathLabelled,
  pathNodes,
  replace,
  startTrav,
  type Trav,
} from './traverser.js';
import {
  elementIdOf,
  gCompare,
  gEquals,
  isElement,
  isNum,
  PathValue,
  predicateTester,
  testPredicate,
  typeNameOf,
} from './values.js';

const MAX_TRAVERSERS = 500_000;

/** steps that handle traversers with bulk > 1 themselves (all others see expanded traversers) */
const BULK_AWARE = new Set([
  'out',
  'in',
  'both',
  'outE',
  'inE',
  'bothE',
  'outV',
  'inV',
  'bothV',
  'has',
  'hasLabel',
  'hasId',
  'hasKey',
  'hasValue',
  'hasNot',
  'is',
  'not',
  'and',
  'or',
  'filter',
  'values',
  'id',
  'label',
  'key',
  'value',
  'constant',
  'identity',
  'count',
  'repeat',
  'properties',
  'barrier',
  'groupCount',
  'group',
  'union',
  'choose',
  'optional',
  'coalesce',
  'local',
  'dedup',
  'cap',
]);

/** Thrown when ExecuteOptions.timeoutMs elapses (Gremlin Server answers 598). */
export class TraversalTimeoutError extends GremlinEngineError {
  constructor() {
    super('A timeout occurred during traversal evaluation');
    this.name = 'TraversalTimeoutError';
  }
}

function single(t: Trav): Trav {
  return (t.bulk ?? 1) === 1 ? t : { ...t, bulk: 1 };
}

export class MapEntry {
  constructor(
    readonly key: unknown,
    readonly value: unknown,
  ) {}
}

export interface Step {
  name: string;
  args: unknown[];
  by: unknown[][];
  options: [unknown, unknown][];
  withs: [unknown, unknown][];
  times?: number;
  until?: unknown;
  emit?: unknown;
  emitSet?: boolean;
  untilFirst?: boolean;
  emitFirst?: boolean;
  timesFirst?: boolean;
  from?: unknown;
  to?: unknown;
  fromSet?: boolean;
  toSet?: boolean;
  /** property() steps folded into addV/addE (so that T.id/T.label may be set, as TinkerGraph allows) */
  props?: unknown[][];
}

const fastChains = new WeakMap<object, FastChain | null>();
const fastChainOps = { columnValue, firstValue: firstPropValue, tokenValue };

/** by()/where() child traversals that are plain 1:1 maps, compiled once into a direct function (null: run it) */
function fastChainOf(bc: BytecodeLike): FastChain | null {
  let f = fastChains.get(bc);
  if (f === undefined) {
    f = buildFastChain(compile(bc), fastChainOps, (b) => compile(b as BytecodeLike));
    fastChains.set(bc, f);
  }
  return f;
}

const vertexChains = new WeakMap<object, VertexChain | null>();

/** flatMap() children that only walk to adjacent vertices (and dedup), compiled once (null: run it) */
function vertexChainOf(bc: BytecodeLike): VertexChain | null {
  let f = vertexChains.get(bc);
  if (f === undefined) {
    f = buildVertexChain(compile(bc), adjacentV);
    vertexChains.set(bc, f);
  }
  return f;
}

const MODULATORS = new Set(['by', 'option', 'times', 'until', 'emit', 'with', 'from', 'to', 'read', 'write']);
const compiled = new WeakMap<object, Step[]>();

const START_STEPS = new Set(['V', 'E', 'inject', 'addV', 'addE', 'mergeV', 'mergeE']);

/** Infix connectives (`a.b.and().c.d`) become and()/or() filter steps over the surrounding step sequences. */
function rewriteConnectives(ins: unknown[][]): unknown[][] {
  const isConn = (i: unknown[]) => (i[0] === 'and' || i[0] === 'or') && i.length === 1;
  if (!ins.some(isConn)) return ins;
  const head = ins.length && START_STEPS.has(ins[0][0] as string) ? [ins[0]] : [];
  while (ins[head.length]?.[0] === 'as') head.push(ins[head.length]);
  const rest = ins.slice(head.length);
  const segments: unknown[][][] = [[]];
  const ops: string[] = [];
  for (const i of rest) {
    if (isConn(i)) {
      ops.push(i[0] as string);
      segments.push([]);
    } else segments[segments.length - 1].push(i);
  }
  const toBc = (instrs: unknown[][]) => {
    const b = new Bytecode();
    b.stepInstructions = instrs;
    return b;
  };
  const orGroups: unknown[][][][] = [[segments[0]]];
  ops.forEach((op, i) => {
    if (op === 'and') orGroups[orGroups.length - 1].push(segments[i + 1]);
    else orGroups.push([segments[i + 1]]);
  });
  const andOf = (g: unknown[][][]) => (g.length === 1 ? toBc(g[0]) : toBc([['and', ...g.map(toBc)]]));
  const filter = orGroups.length === 1 ? ['and', ...orGroups[0].map(toBc)] : ['or', ...orGroups.map(andOf)];
  return [...head, filter];
}

export function compile(bc: BytecodeLike): Step[] {
  const hit = compiled.get(bc);
  if (hit) return hit;
  const steps: Step[] = [];
  let pending: Partial<Step> = {};
  for (const ins of rewriteConnectives(bc.stepInstructions)) {
    const name = ins[0] as string;
    const args = ins.slice(1);
    const prev = steps[steps.length - 1];
    if (MODULATORS.has(name) && !(name === 'to' || name === 'from' ? isEnum(args[0], 'Direction') : false)) {
      if ((name === 'until' || name === 'emit' || name === 'times') && prev?.name !== 'repeat') {
        if (prev?.name !== 'repeat') {
          if (name === 'until') {
            pending.until = args[0];
            pending.untilFirst = true;
          } else if (name === 'emit') {
            pending.emit = args[0];
            pending.emitSet = true;
            pending.emitFirst = true;
          } else {
            pending.times = Number(args[0]);
            pending.timesFirst = true;
          }
          continue;
        }
      }
      if (!prev) throw new GremlinEngineError(`The ${name}() modulator has no step to modulate`);
      switch (name) {
        case 'by':
          prev.by.push(args);
          break;
        case 'option':
          prev.options.push(args.length === 1 ? [undefined, args[0]] : [args[0], args[1]]);
          break;
        case 'times':
          prev.times = Number(args[0]);
          break;
        case 'until':
          prev.until = args[0];
          prev.untilFirst = prev.untilFirst ?? false;
          break;
        case 'emit':
          prev.emit = args[0];
          prev.emitSet = true;
          prev.emitFirst = prev.emitFirst ?? false;
          break;
        case 'with':
          prev.withs.push([args[0], args.length > 1 ? args[1] : true]);
          break;
        case 'from':
          prev.from = args[0];
          prev.fromSet = true;
          break;
        case 'to':
          prev.to = args[0];
          prev.toSet = true;
          break;
        default:
          break;
      }
      continue;
    }
    if (name === 'property' && prev && (prev.name === 'addV' || prev.name === 'addE') && prev.props) {
      prev.props.push(args);
      continue;
    }
    const step: Step = { name, args, by: [], options: [], withs: [], ...pending };
    if (name === 'addV' || name === 'addE') step.props = [];
    if (name !== 'repeat') {
      if (Object.keys(pending).length)
        throw new GremlinEngineError(`${Object.keys(pending)[0]}() must modulate repeat()`);
    }
    pending = {};
    steps.push(step);
  }
  if (Object.keys(pending).length) throw new GremlinEngineError('The repeat()-traversal was not defined');
  compiled.set(bc, steps);
  return steps;
}

// ---------------------------------------------------------------------------------------------------------------

export class Machine {
  /** dedup() steps directly inside a repeat() body keep what they saw across the iterations */
  readonly dedupStates = new Map<Step, { seen: unknown[]; keys: Set<unknown> }>();

  /** n when the order() step being run is directly followed by a global limit(n) */
  private orderLimit: number | undefined;

  constructor(readonly ctx: ExecContext) {}

  run(steps: Step[], travs: Trav[]): Trav[] {
    let cur = travs;
    for (let i = 0; i < steps.length; i++) {
      const cands = this.indexedCandidates(steps, i);
      if (cands) {
        const startOf = (v: GVertex) => this.start(v);
        cur = i === 0 && travs.length === 0 ? cands.map(startOf) : this.flatMapChecked(cur, () => cands);
      } else {
        this.orderLimit = steps[i].name === 'order' ? limitAfter(steps[i], steps[i + 1]) : undefined;
        cur = this.step(steps[i], cur, i === 0 && travs.length === 0);
      }
      if (cur.length > MAX_TRAVERSERS) {
        throw new GremlinEngineError(
          `The traversal produced more than ${MAX_TRAVERSERS} traversers at ${steps[i].name}()`,
        );
      }
      if (this.ctx.deadline !== undefined && Date.now() > this.ctx.deadline) throw new TraversalTimeoutError();
    }
    return cur;
  }

  /** V().has(...)/hasLabel(...) answered from the label and property indexes (the has steps still filter) */
  indexedCandidates(steps: Step[], i: number): GVertex[] | null {
    if (steps[i].name !== 'V' || steps[i].args.length) return null;
    const g = this.ctx.graph;
    for (let j = i + 1; j < steps.length; j++) {
      const st = steps[j];
      if (st.name === 'has' && (st.args.length === 2 || st.args.length === 3)) {
        const key = st.args[st.args.length - 2];
        const val = st.args[st.args.length - 1];
        if (typeof key === 'string' && !isP(val) && !isBytecode(val)) {
          const hit = g.verticesByProperty(key, val);
          if (hit) return hit;
        }
        if (st.args.length === 3 && typeof st.args[0] === 'string') return [...g.verticesByLabel(st.args[0])];
      } else if (st.name === 'hasLabel' && st.args.length && st.args.every((x) => typeof x === 'string')) {
        return (st.args as string[]).flatMap((l) => [...g.verticesByLabel(l)]);
      } else if (st.name !== 'has' && st.name !== 'hasLabel') return null;
    }
    return null;
  }

  runChild(bc: unknown, t: Trav): Trav[] {
    if (!isBytecode(bc)) throw new GremlinEngineError('Expected a traversal argument');
    return this.run(compile(bc), [t]);
  }

  /** First result of a child traversal (for by(), where(), etc.) */
  first(bc: unknown, t: Trav): { ok: boolean; v?: unknown } {
    const r = this.runChild(bc, single(t));
    return r.length ? { ok: true, v: r[0].o } : { ok: false };
  }

  test(arg: unknown, t: Trav): boolean {
    if (isBytecode(arg)) return this.patternTest(compile(arg), single(t));
    if (isP(arg)) return testPredicate(arg, t.o);
    if (typeof arg === 'boolean') return arg;
    return gEquals(t.o, arg);
  }

  /** A filter traversal; as() at its start/end binds it to path labels (where()/match() pattern semantics). */
  patternTest(steps: Step[], t: Trav): boolean {
    const startLabel = steps[0]?.name === 'as' ? String(steps[0].args[0]) : undefined;
    const last = steps[steps.length - 1];
    const endLabel = steps.length > 1 && last?.name === 'as' ? String(last.args[0]) : undefined;
    if (startLabel === undefined && endLabel === undefined) return this.run(steps, [t]).length > 0;
    let start = t;
    let body = steps;
    if (startLabel !== undefined) {
      const v = this.selectLabel(t, startLabel, 'last');
      if (!v.ok) return false;
      start = replace(t, v.v);
      body = steps.slice(1);
    }
    if (endLabel !== undefined) {
      const want = this.selectLabel(t, endLabel, 'last');
      body = body.slice(0, -1);
      if (!want.ok) return false;
      return this.run(body, [start]).some((x) => gEquals(x.o, want.v));
    }
    return this.run(body, [start]).length > 0;
  }

  /** by() modulation value for a traverser; ok=false when the modulator produced nothing */
  byValue(by: unknown[] | undefined, t: Trav, obj: unknown = t.o): { ok: boolean; v?: unknown } {
    if (!by || by.length === 0) return { ok: true, v: obj };
    const b = by[0];
    if (b === undefined || b === null || isEnum(b, 'Order')) return { ok: true, v: obj };
    if (typeof b === 'string') {
      const v = propValue(obj, b);
      if (v === undefined) {
        if (!isElement(obj) && !(obj instanceof Map)) {
          throw new GremlinEngineError(
            `The provided traverser does not map to a value: ${describe(obj)}[${typeNameOf(obj)}]->[PropertiesStep([${b}],value)]`,
          );
        }
        return this.ctx.productiveBy ? { ok: true, v: null } : { ok: false };
      }
      return { ok: true, v };
    }
    if (isEnum(b, 'T')) return { ok: true, v: tokenValue(obj, b.elementName) };
    if (isEnum(b, 'Column')) return { ok: true, v: columnValue(obj, b.elementName) };
    if (isBytecode(b)) {
      const fast = fastChainOf(b);
      if (fast) {
        const v = fast(obj);
        if (v === NO_VALUE) return this.ctx.productiveBy ? { ok: true, v: null } : { ok: false };
        return { ok: true, v };
      }
      const r = this.runChild(b, single(obj === t.o ? t : replace(t, obj)));
      if (!r.length) return this.ctx.productiveBy ? { ok: true, v: null } : { ok: false };
      return { ok: true, v: r[0].o };
    }
    throw new GremlinEngineError(`Unsupported by() modulator: ${String(b)}`);
  }

  // -------------------------------------------------------------------------------------------------------------

  /** Traversers with a bulk become that many single traversers (for steps that do not understand bulks). */
  expand(travs: Trav[]): Trav[] {
    if (!travs.some((t) => (t.bulk ?? 1) !== 1)) return travs;
    const out: Trav[] = [];
    for (const t of travs) {
      const n = t.bulk ?? 1;
      if (out.length + n > MAX_TRAVERSERS) {
        throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers`);
      }
      for (let i = 0; i < n; i++) out.push({ ...t, bulk: 1 });
    }
    return out;
  }

  /** Merges equal traversers (same object, loops and sack) into one with the summed bulk. */
  merge(travs: Trav[]): Trav[] {
    if (!this.ctx.pathless || travs.length < 2) return travs;
    const byKey = new Map<string, Trav>();
    const out: Trav[] = [];
    for (const t of travs) {
      const ok = primitiveKey(t.o);
      if (ok === null || t.sack !== undefined) {
        out.push(t);
        continue;
      }
      const key = `${ok}|${t.loops.map((l) => `${l.name ?? ''}:${l.n}`).join(',')}`;
      const hit = byKey.get(key);
      if (hit) hit.bulk = (hit.bulk ?? 1) + (t.bulk ?? 1);
      else {
        const c = { ...t, bulk: t.bulk ?? 1 };
        byKey.set(key, c);
        out.push(c);
      }
    }
    return out;
  }

  step(s: Step, travs: Trav[], isStart: boolean): Trav[] {
    if (!BULK_AWARE.has(s.name)) travs = this.expand(travs);
    const g = this.ctx.graph;
    const a = s.args;
    switch (s.name) {
      case 'V':
      case 'E': {
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
          return elems.map((e) => (t ? move(t, e) : this.start(e)));
        };
        if (isStart && travs.length === 0) return pick(null);
        return travs.flatMap((t) => pick(t));
      }
      case 'statements': {
        // a multi-statement script: every statement runs, the last one's traversers are the result
        let last: Trav[] = [];
        for (const b of a) last = this.run(compile(b as BytecodeLike), []);
        return last;
      }
      case 'inject': {
        const items = a.map((x) => this.start(x));
        return [...travs, ...items];
      }
      case 'addV':
        return this.addV(s, travs, isStart);
      case 'addE':
        return this.addE(s, travs, isStart);
      case 'mergeV':
        return this.mergeV(s, travs, isStart);
      case 'mergeE':
        return this.mergeE(s, travs, isStart);
      case 'property':
        return this.property(s, travs);
      case 'drop': {
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
      }
      // ---- navigation
      case 'out':
      case 'in':
      case 'both':
        return this.flatMapChecked(travs, (t) => adjacentV(t.o, s.name, a as string[]));
      case 'outE':
      case 'inE':
      case 'bothE':
        return this.flatMapChecked(travs, (t) => incidentE(t.o, s.name, a as string[]));
      case 'to':
      case 'from': {
        const dir = (a[0] as { elementName: string }).elementName;
        const name = dir === 'OUT' ? 'out' : dir === 'IN' ? 'in' : 'both';
        return travs.flatMap((t) => adjacentV(t.o, name, a.slice(1) as string[]).map((v) => move(t, v)));
      }
      case 'toE': {
        const dir = (a[0] as { elementName: string }).elementName;
        const name = dir === 'OUT' ? 'outE' : dir === 'IN' ? 'inE' : 'bothE';
        return travs.flatMap((t) => incidentE(t.o, name, a.slice(1) as string[]).map((e) => move(t, e)));
      }
      case 'outV':
        return travs.flatMap((t) => (t.o instanceof GEdge ? [move(t, t.o.outV)] : []));
      case 'inV':
        return travs.flatMap((t) => (t.o instanceof GEdge ? [move(t, t.o.inV)] : []));
      case 'bothV':
        return travs.flatMap((t) => (t.o instanceof GEdge ? [move(t, t.o.outV), move(t, t.o.inV)] : []));
      case 'otherV':
        return travs.flatMap((t) => {
          if (!(t.o instanceof GEdge)) return [];
          const prev = t.p?.prev?.obj;
          const e = t.o;
          const other =
            prev instanceof GVertex && prev === e.outV
              ? e.inV
              : prev instanceof GVertex && prev === e.inV
                ? e.outV
                : e.inV;
          return [move(t, other)];
        });
      case 'element':
        return travs.flatMap((t) =>
          t.o instanceof GVertexProperty
            ? [move(t, t.o.vertex)]
            : t.o instanceof GProperty
              ? [move(t, t.o.element)]
              : [],
        );
      // ---- filters
      case 'has':
        return travs.filter((t) => this.hasTest(t, a));
      case 'hasLabel': {
        const labels = a.flat();
        return travs.filter((t) => {
          const l = labelOf(t.o);
          return labels.some((x) => (isP(x) ? testPredicate(x, l) : x === l));
        });
      }
      case 'hasId': {
        const ids = a.flat();
        return travs.filter(
          (t) =>
            isElement(t.o) &&
            ids.some((x) =>
              isP(x) ? testPredicate(x, (t.o as GVertex).id) : idEquals((t.o as GVertex).id, elementIdOf(x)),
            ),
        );
      }
      case 'hasKey':
        return travs.filter((t) => {
          const k = t.o instanceof GVertexProperty || t.o instanceof GProperty ? t.o.key : undefined;
          return a.some((x) => (isP(x) ? testPredicate(x, k) : x === k));
        });
      case 'hasValue':
        return travs.filter((t) => {
          const v = t.o instanceof GVertexProperty || t.o instanceof GProperty ? t.o.value : undefined;
          return a.flat().some((x) => (isP(x) ? testPredicate(x, v) : gEquals(v, x)));
        });
      case 'hasNot':
        return travs.filter((t) => propValue(t.o, a[0] as string) === undefined);
      case 'is':
        return travs.filter((t) => (isP(a[0]) ? testPredicate(a[0], t.o) : gEquals(t.o, a[0])));
      case 'filter':
        return travs.filter((t) => this.test(a[0], t));
      case 'not':
        return travs.filter((t) => !this.test(a[0], t));
      case 'and':
        return travs.filter((t) => a.every((x) => this.test(x, t)));
      case 'or':
        return travs.filter((t) => a.some((x) => this.test(x, t)));
      case 'where':
        return this.where(s, travs);
      case 'dedup':
        return this.dedup(s, travs);
      case 'simplePath':
      case 'cyclicPath':
        return travs.filter((t) => {
          let objs = this.pathSection(s, t);
          if (s.by.length) {
            const mapped: unknown[] = [];
            for (let i = 0; i < objs.length; i++) {
              const r = this.byValue(s.by[i % s.by.length], t, objs[i]);
              if (!r.ok) return false;
              mapped.push(r.v);
            }
            objs = mapped;
          }
          const unique = objs.every((o, i) => objs.findIndex((x) => sameObj(x, o)) === i);
          return s.name === 'simplePath' ? unique : !unique;
        });
      case 'range':
      case 'limit':
      case 'skip':
      case 'tail':
        return this.range(s, travs);
      case 'coin': {
        const p = Number(a[0]);
        return travs.filter(() => Math.random() < p);
      }
      case 'sample': {
        if (s.by.length > 1) throw new GremlinEngineError('Sample step can only have one by modulator');
        if (isEnum(a[0], 'Scope') && a[0].elementName === 'local') {
          const n = Number(a[1]);
          return travs.map((t) =>
            isCollection(t.o) || t.o instanceof Map ? replace(t, shuffle(toList(t.o)).slice(0, n)) : t,
          );
        }
        return shuffle([...travs]).slice(0, Number(a[0]));
      }
      case 'timeLimit':
      case 'barrier':
        return this.barrier(a, travs);
      case 'identity':
      case 'withComputer':
        return travs;
      case 'none':
      case 'discard':
        if (s.name === 'none' && a.length) return listStep('none', s, travs, this);
        return [];
      // ---- maps
      case 'id':
        return travs.map((t) => move(t, tokenValue(t.o, 'id')));
      case 'label':
        return travs.map((t) => move(t, tokenValue(t.o, 'label')));
      case 'key':
        return travs.map((t) => move(t, tokenValue(t.o, 'key')));
      case 'value':
        return travs.map((t) => move(t, tokenValue(t.o, 'value')));
      case 'constant':
        return travs.map((t) => move(t, a[0]));
      case 'values':
        return travs.flatMap((t) => propsOf(t.o, a as string[]).map((p) => move(t, p.value)));
      case 'properties':
        return travs.flatMap((t) => propsOf(t.o, a as string[]).map((p) => move(t, p)));
      case 'valueMap':
      case 'propertyMap':
      case 'elementMap':
        return this.mapOfProps(s, travs);
      case 'path':
        return travs.flatMap((t) => {
          const p = this.pathValue(s, t);
          return p ? [move(t, p)] : [];
        });
      case 'select':
        return this.select(s, travs);
      case 'project': {
        const out: Trav[] = [];
        for (const t of travs) {
          const m = new Map<unknown, unknown>();
          const ok = true;
          a.forEach((k, i) => {
            const r = this.byValue(s.by.length ? s.by[i % s.by.length] : undefined, t);
            if (r.ok) m.set(k, r.v);
          });
          if (ok) out.push(move(t, m));
        }
        return out;
      }
      case 'map':
        return travs.flatMap((t) => {
          const r = this.first(a[0], t);
          return r.ok ? [move(t, r.v)] : [];
        });
      case 'flatMap': {
        const chain = isBytecode(a[0]) ? vertexChainOf(a[0]) : null;
        if (chain) return this.flatMapChecked(travs, (t) => chain(t.o));
        return travs.flatMap((t) => this.runChild(a[0], t).map((r) => move(t, r.o)));
      }
      case 'unfold':
        return travs.flatMap((t) => unfoldValue(t.o).map((x) => move(t, x)));
      case 'fold': {
        if (a.length >= 2) {
          let acc = a[0];
          for (const t of travs) acc = applyOperator(a[1], acc, t.o);
          return [this.start(acc)];
        }
        return [this.start(travs.map((t) => t.o))];
      }
      case 'count':
      case 'sum':
      case 'max':
      case 'min':
      case 'mean':
        return this.reduce(s, travs);
      case 'order':
        return this.order(s, travs);
      case 'group':
      case 'groupCount':
        return this.group(s, travs);
      case 'math':
        return travs.flatMap((t) => {
          const v = evalMath(String(a[0]), t, s.by, this);
          return v === undefined ? [] : [move(t, v)];
        });
      case 'index': {
        const asMap = s.withs.some(([k, v]) => k === '~tinkerpop.index.indexer' && v === 1);
        return travs.map((t) => {
          const items = toList(t.o);
          return move(t, asMap ? new Map(items.map((x, i) => [i, x])) : items.map((x, i) => [x, i]));
        });
      }
      case 'loops': {
        return travs.map((t) => {
          const name = a[0] as string | undefined;
          const f = name ? [...t.loops].reverse().find((l) => l.name === name) : t.loops[t.loops.length - 1];
          return move(t, f ? f.n : 0);
        });
      }
      case 'as':
        return travs.map((t) => labelTrav(t, a as string[]));
      // ---- branches
      case 'union': {
        if (isStart && travs.length === 0) {
          // a start union: children that begin with a start step spawn their own traversers
          return a.flatMap((b) => {
            const steps = compile(b as BytecodeLike);
            const first = steps[0]?.name ?? '';
            return this.run(steps, START_STEPS.has(first) || first === 'union' ? [] : [this.start(null)]);
          });
        }
        const out: Trav[] = [];
        for (const b of a) out.push(...this.run(compile(b as BytecodeLike), travs));
        return out;
      }
      case 'coalesce':
        return travs.flatMap((t) => {
          for (const b of a) {
            const r = this.runChild(b, t);
            if (r.length) return r;
          }
          return [];
        });
      case 'optional':
        return travs.flatMap((t) => {
          const r = this.runChild(a[0], t);
          return r.length ? r : [t];
        });
      case 'local':
        return travs.flatMap((t) => this.runChild(a[0], t));
      case 'choose':
      case 'branch':
        return this.choose(s, travs);
      case 'repeat':
        return this.repeat(s, travs);
      // ---- side effects
      case 'sideEffect':
        for (const t of travs) this.runChild(a[0], t);
        return travs;
      case 'aggregate':
      case 'store': {
        const local = isEnum(a[0], 'Scope');
        const key = String(local ? a[1] : a[0]);
        if (s.by.length > 1) throw new GremlinEngineError('Aggregate step can only have one by modulator');
        const op = this.ctx.sideEffectOps.get(key);
        if (op !== undefined && isEnum(op) && op.elementName === 'assign') {
          const vals: unknown[] = [];
          for (const t of travs) {
            const r = this.byValue(s.by[0], t);
            if (r.ok) vals.push(r.v);
          }
          this.ctx.sideEffects.set(key, vals);
          return travs;
        }
        if (op !== undefined) {
          let acc = this.ctx.sideEffects.get(key);
          for (const t of travs) {
            const r = this.byValue(s.by[0], t);
            if (r.ok) acc = applyOperator(op, acc, r.v);
          }
          this.ctx.sideEffects.set(key, acc);
          return travs;
        }
        const list = this.sideEffectList(key);
        for (const t of travs) {
          const r = this.byValue(s.by[0], t);
          if (r.ok) list.push(r.v);
        }
        return travs;
      }
      case 'cap': {
        const vals = a.map((k) => this.capValue(String(k)));
        if (a.length === 1) return [this.start(vals[0])];
        return [this.start(new Map(a.map((k, i) => [k, vals[i]])))];
      }
      case 'sack':
        return this.sackStep(s, travs);
      case 'subgraph':
        return this.subgraph(String(a[0]), travs);
      case 'tree':
        return this.tree(s, travs);
      case 'fail':
        if (travs.length) throw new GremlinEngineError(a.length ? String(a[0]) : 'fail() step triggered');
        return travs;
      case 'hasNext':
        return [this.start(travs.length > 0)];
      case 'match':
        return this.match(s, travs);
      default:
        if (LIST_STEPS.has(s.name)) return listStep(s.name, s, travs, this);
        throw new GremlinEngineError(`Unsupported step: ${s.name}()`);
    }
  }

  /** flatMap for fan-out steps, bounded by MAX_TRAVERSERS and the deadline */
  flatMapChecked(travs: Trav[], fn: (t: Trav) => unknown[]): Trav[] {
    const out: Trav[] = [];
    let next = 50_000;
    for (const t of travs) {
      for (const o of fn(t)) out.push(move(t, o));
      if (out.length > next) {
        if (out.length > MAX_TRAVERSERS)
          throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers`);
        if (this.ctx.deadline !== undefined && Date.now() > this.ctx.deadline) throw new TraversalTimeoutError();
        next += 50_000;
      }
    }
    return out;
  }

  start(o: unknown): Trav {
    return startTrav(o, this.ctx.sack ? this.ctx.sack.init() : undefined);
  }

  sideEffectList(key: string): unknown[] {
    let cur = this.ctx.sideEffects.get(key);
    if (cur === undefined) {
      cur = [];
      this.ctx.sideEffects.set(key, cur);
    }
    if (Array.isArray(cur)) return cur;
    if (cur instanceof Set) {
      const proxy = { push: (x: unknown) => (cur as Set<unknown>).add(x) } as unknown as unknown[];
      return proxy;
    }
    throw new GremlinEngineError(`The side effect ${key} is not a collection`);
  }

  capValue(key: string): unknown {
    const v = this.ctx.sideEffects.get(key);
    if (v === undefined) throw new GremlinEngineError(`The side-effect key does not exist in the side-effects: ${key}`);
    if (v instanceof GroupAcc) return v.result(this);
    if (v instanceof TreeAcc) return v.result();
    return v;
  }

  // ---- has -------------------------------------------------------------------------------------------------------
  hasTest(t: Trav, a: unknown[]): boolean {
    const o = t.o;
    if (a.length === 1) {
      if (isEnum(a[0], 'T')) return tokenValue(o, a[0].elementName) !== undefined;
      return propsOf(o, [a[0] as string]).length > 0;
    }
    let key = a[0];
    let pred = a[1];
    if (a.length === 3) {
      if (!(isElement(o) && labelOf(o) === a[0])) {
        if (!isElement(o)) return false;
        const l = labelOf(o);
        if (!(isP(a[0]) ? testPredicate(a[0], l) : l === a[0])) return false;
      }
      key = a[1];
      pred = a[2];
    }
    if (isEnum(key, 'T')) {
      const v = tokenValue(o, key.elementName);
      if (isP(pred)) {
        if (key.elementName === 'id' && typeof v === 'number' && isP(pred))
          return testPredicate(pred, v) || testPredicate(pred, String(v));
        return testPredicate(pred, v);
      }
      return key.elementName === 'id' ? idEquals(v, elementIdOf(pred)) : gEquals(v, pred);
    }
    if (isBytecode(pred)) {
      return propsOf(o, [key as string]).some((p) => this.runChild(pred, replace(t, p.value)).length > 0);
    }
    const props = propsOf(o, [key as string]);
    if (pred === null && !isP(pred)) return false;
    return props.some((p) => (isP(pred) ? testPredicate(pred as PC, p.value) : gEquals(p.value, pred)));
  }

  // ---- where -----------------------------------------------------------------------------------------------------
  where(s: Step, travs: Trav[]): Trav[] {
    const a = s.args;
    if (isBytecode(a[0])) return travs.filter((t) => this.test(a[0], t));
    let startKey: string | undefined;
    let pred: PC;
    if (typeof a[0] === 'string') {
      startKey = a[0];
      pred = a[1] as PC;
    } else pred = a[0] as PC;
    const byFor = (i: number) => (s.by.length ? s.by[i % s.by.length] : undefined);
    const labels = this.ctx.pathLabels;
    if (startKey === undefined && s.by.length === 0 && labels && !predicateNamesAny(pred, labels)) {
      // No path carries the predicate's labels: they name side effects (or keys of Map traversers), so the
      // resolved predicate is the same for every non-Map traverser of this step.
      let shared: ((value: unknown) => boolean) | null | undefined;
      return travs.filter((t) => {
        if (t.o instanceof Map) {
          const own = this.resolvePredicate(pred, t, () => undefined);
          return own !== null && testPredicate(own, t.o);
        }
        if (shared === undefined) {
          const resolved = this.resolvePredicate(pred, t, () => undefined);
          shared = resolved === null ? null : predicateTester(resolved);
        }
        return shared ? shared(t.o) : false;
      });
    }
    return travs.filter((t) => {
      let left: unknown = t.o;
      if (startKey !== undefined) {
        const r = this.selectLabel(t, startKey, 'last');
        if (!r.ok) return false;
        left = r.v;
      }
      const lb = this.byValue(byFor(0), t, left);
      if (!lb.ok) return false;
      let byIdx = 1;
      const resolved = this.resolvePredicate(pred, t, () => byFor(byIdx++));
      if (resolved === null) return false;
      return testPredicate(resolved, lb.v);
    });
  }

  /** Replaces label references in a where() predicate with the labelled (by-modulated) values. */
  resolvePredicate(p: PC, t: Trav, by: () => unknown[] | undefined): PC | null {
    if (p.operator === 'and' || p.operator === 'or') {
      const x = this.resolvePredicate(p.value as PC, t, by);
      const y = this.resolvePredicate(p.other as PC, t, by);
      if (!x || !y) return null;
      return { operator: p.operator, value: x, other: y };
    }
    if (p.operator === 'not') {
      const x = this.resolvePredicate(p.value as PC, t, by);
      return x && { operator: 'not', value: x, other: null };
    }
    const resolveOne = (v: unknown): { ok: boolean; v?: unknown } => {
      if (typeof v !== 'string') return { ok: true, v };
      const r = this.selectLabel(t, v, 'last');
      if (!r.ok) return r;
      return this.byValue(by(), t, r.v);
    };
    if (p.operator === 'typeOf') return p;
    if (Array.isArray(p.value)) {
      const collection = p.operator === 'within' || p.operator === 'without';
      if (collection && p.value.length === 1 && typeof p.value[0] === 'string') {
        // within('x')/without('x') on one label: use the labelled collection itself (its key set is cached)
        const r = resolveOne(p.value[0]);
        if (!r.ok) return { operator: p.operator, value: [], other: p.other };
        if (Array.isArray(r.v)) return { operator: p.operator, value: r.v, other: p.other };
      }
      const vals: unknown[] = [];
      for (const v of p.value) {
        const r = resolveOne(v);
        if (!r.ok) {
          if (collection) continue;
          return null;
        }
        if (collection && (Array.isArray(r.v) || r.v instanceof Set)) vals.push(...r.v);
        else vals.push(r.v);
      }
      return { operator: p.operator, value: vals, other: p.other };
    }
    const r = resolveOne(p.value);
    if (!r.ok) return null;
    return { operator: p.operator, value: r.v, other: p.other };
  }

  // ---- select ----------------------------------------------------------------------------------------------------
  selectLabel(t: Trav, key: unknown, pop: string): { ok: boolean; v?: unknown } {
    if (isEnum(key, 'Column')) return { ok: true, v: columnValue(t.o, key.elementName) };
    const k = String(key);
    if (pop === 'last') {
      // the newest labelled object: found walking back from the traverser's end, without collecting the rest
      for (let n = t.p; n; n = n.prev) if (n.labels.includes(k)) return { ok: true, v: n.obj };
    }
    const fromPath = pop === 'last' ? [] : pathLabelled(t.p, k);
    if (fromPath.length) {
      if (pop === 'all') return { ok: true, v: fromPath };
      if (pop === 'first') return { ok: true, v: fromPath[0] };
      if (pop === 'mixed') return { ok: true, v: fromPath.length === 1 ? fromPath[0] : fromPath };
      return { ok: true, v: fromPath[fromPath.length - 1] };
    }
    if (t.o instanceof Map && t.o.has(k)) return { ok: true, v: t.o.get(k) };
    if (this.ctx.sideEffects.has(k)) return { ok: true, v: this.capValue(k) };
    return { ok: false };
  }

  select(s: Step, travs: Trav[]): Trav[] {
    let a = s.args;
    let pop = 'last';
    if (isEnum(a[0], 'Pop')) {
      pop = a[0].elementName;
      a = a.slice(1);
    }
    if (isEnum(a[0], 'Column')) {
      const col = a[0].elementName;
      return travs.map((t) => move(t, columnValue(t.o, col)));
    }
    if (isBytecode(a[0])) {
      // select(traversal): the traversal yields the key
      return travs.flatMap((t) => {
        const k = this.first(a[0], t);
        if (!k.ok) return [];
        if (t.o instanceof Map) {
          for (const [mk, mv] of t.o) {
            if (!gEquals(mk, k.v)) continue;
            const b = this.byValue(s.by[0], t, mv);
            return b.ok ? [move(t, b.v)] : [];
          }
          return [];
        }
        if (typeof k.v !== 'string') return [];
        const r = this.selectLabel(t, k.v, pop);
        return r.ok ? [move(t, r.v)] : [];
      });
    }
    const out: Trav[] = [];
    for (const t of travs) {
      if (a.length === 1) {
        const r = this.selectLabel(t, a[0], pop);
        if (!r.ok) continue;
        const b = this.byValue(s.by[0], t, r.v);
        if (b.ok) out.push(move(t, b.v));
        continue;
      }
      const m = new Map<unknown, unknown>();
      let ok = true;
      a.forEach((k, i) => {
        if (!ok) return;
        const r = this.selectLabel(t, k, pop);
        if (!r.ok) {
          ok = false;
          return;
        }
        const b = this.byValue(s.by.length ? s.by[i % s.by.length] : undefined, t, r.v);
        if (!b.ok) ok = false;
        else m.set(k, b.v);
      });
      if (ok) out.push(move(t, m));
    }
    return out;
  }

  // ---- path ------------------------------------------------------------------------------------------------------
  pathSection(s: Step, t: Trav): unknown[] {
    const nodes = pathNodes(t.p);
    let from = 0;
    let to = nodes.length - 1;
    if (s.fromSet) {
      from = nodes.findIndex((n) => n.labels.includes(String(s.from)));
      if (from < 0) from = 0;
    }
    if (s.toSet) {
      for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i].labels.includes(String(s.to))) to = i;
      const idx = nodes.findIndex((n, i) => i >= from && n.labels.includes(String(s.to)));
      if (idx >= 0) to = idx;
    }
    return nodes.slice(from, to + 1).map((n) => n.obj);
  }

  /** the path (from/to section, by-modulated); null when a by() modulator is unproductive */
  pathValue(s: Step, t: Trav): PathValue | null {
    const nodes = pathNodes(t.p);
    let from = 0;
    let to = nodes.length - 1;
    if (s.fromSet) {
      const i = nodes.findIndex((n) => n.labels.includes(String(s.from)));
      if (i >= 0) from = i;
    }
    if (s.toSet) {
      const i = nodes.findIndex((n, j) => j >= from && n.labels.includes(String(s.to)));
      if (i >= 0) to = i;
    }
    const sel = nodes.slice(from, to + 1);
    const objs: unknown[] = [];
    for (let i = 0; i < sel.length; i++) {
      const n = sel[i];
      if (s.by.length) {
        const r = this.byValue(s.by[i % s.by.length], t, n.obj);
        if (!r.ok) return null;
        objs.push(r.v);
      } else objs.push(n.obj);
    }
    return new PathValue(
      sel.map((n) => [...n.labels]),
      objs,
    );
  }

  // ---- dedup / range -----------------------------------------------------------------------------------------------
  dedup(s: Step, travs: Trav[]): Trav[] {
    if (s.by.length > 1) throw new GremlinEngineError('Dedup step can only have one by modulator');
    let a = s.args;
    if (isEnum(a[0], 'Scope') && a[0].elementName === 'local') {
      return travs.map((t) => {
        const items = toList(t.o);
        const out: unknown[] = [];
        for (const x of items) if (!out.some((y) => gEquals(x, y))) out.push(x);
        return replace(t, t.o instanceof Set ? new Set(out) : out);
      });
    }
    if (isEnum(a[0], 'Scope')) a = a.slice(1);
    const shared = this.dedupStates.get(s);
    const seen: unknown[] = shared?.seen ?? [];
    const seenKeys = shared?.keys ?? new Set<unknown>();
    const out: Trav[] = [];
    for (const t of travs) {
      let key: unknown;
      if (a.length) {
        const vals: unknown[] = [];
        let ok = true;
        for (const l of a) {
          const r = this.selectLabel(t, l, 'last');
          if (!r.ok) ok = false;
          const b = r.ok ? this.byValue(s.by[0], t, r.v) : { ok: false };
          if (!b.ok) ok = false;
          vals.push(b.v);
        }
        if (!ok) continue;
        key = vals;
      } else {
        const r = this.byValue(s.by[0], t);
        if (!r.ok) continue;
        key = r.v;
      }
      const vk = identityKey(key);
      if (vk !== null) {
        if (seenKeys.has(vk)) continue;
        seenKeys.add(vk);
      } else {
        if (seen.some((x) => gEquals(x, key))) continue;
        seen.push(key);
      }
      out.push((t.bulk ?? 1) === 1 ? t : { ...t, bulk: 1 });
    }
    return out;
  }

  range(s: Step, travs: Trav[]): Trav[] {
    let a = s.args;
    let local = false;
    if (isEnum(a[0], 'Scope')) {
      local = a[0].elementName === 'local';
      a = a.slice(1);
    }
    const n = (x: unknown) => Number(x);
    let lo = 0;
    let hi = -1;
    let tail = false;
    switch (s.name) {
      case 'range':
        lo = n(a[0]);
        hi = n(a[1]);
        break;
      case 'limit':
        hi = n(a[0]);
        break;
      case 'skip':
        lo = n(a[0]);
        break;
      case 'tail':
        tail = true;
        hi = a.length ? n(a[0]) : 1;
        break;
    }
    if (!tail && hi !== -1 && lo > hi) throw new GremlinEngineError(`Not a legal range: [${lo}, ${hi}]`);
    const slice = <T>(xs: T[]): T[] =>
      tail ? (hi <= 0 ? [] : xs.slice(Math.max(0, xs.length - hi))) : xs.slice(lo, hi === -1 ? undefined : hi);
    if (!local) return slice(travs);
    return travs.flatMap((t) => {
      const o = t.o;
      if (o instanceof Map) return [replace(t, new Map(slice([...o])))];
      if (Array.isArray(o) || o instanceof Set || o instanceof PathValue) {
        const items = o instanceof PathValue ? o.objects : [...o];
        return [replace(t, slice(items))];
      }
      return [t];
    });
  }

  // ---- reducers ----------------------------------------------------------------------------------------------------
  reduce(s: Step, travs: Trav[]): Trav[] {
    const local = isEnum(s.args[0], 'Scope') && s.args[0].elementName === 'local';
    if (local) {
      return travs.flatMap((t): Trav[] => {
        const o = t.o;
        if (o instanceof TreeValue && s.name === 'count') return [replace(t, o.entries.length)];
        const items =
          o instanceof Map ? (s.name === 'count' ? [...o] : [...o.values()]) : isCollection(o) ? toList(o) : [o];
        const r = reduceValues(s.name, items);
        return r === undefined ? [] : [replace(t, r)];
      });
    }
    if (s.name === 'count') return [this.start(travs.reduce((n, t) => n + (t.bulk ?? 1), 0))];
    const r = reduceValues(
      s.name,
      travs.map((t) => t.o),
    );
    if (r === undefined) return [];
    return [this.start(r)];
  }

  // ---- order -------------------------------------------------------------------------------------------------------
  comparators(
    s: Step,
  ): { by: unknown[] | undefined; desc: boolean; shuffle: boolean; fn?: (x: unknown, y: unknown) => number }[] {
    if (!s.by.length) return [{ by: undefined, desc: false, shuffle: false }];
    return s.by.map((b) => {
      const ord = b.find((x) => isEnum(x, 'Order')) as { elementName: string } | undefined;
      const spec = b.filter((x) => !isEnum(x, 'Order'));
      return {
        by: spec.length ? spec : undefined,
        desc: ord?.elementName === 'desc',
        shuffle: ord?.elementName === 'shuffle',
      };
    });
  }

  sortValues<T>(items: T[], s: Step, keyOf: (x: T) => { t: Trav; o: unknown }, limit?: number): T[] {
    const comps = this.comparators(s);
    if (comps.some((c) => c.shuffle)) return shuffle([...items]);
    // by(Column) and plain-chain by(traversal) keys computed directly (NO_VALUE: unproductive)
    const direct = comps.map((c): FastChain | null => {
      const b = c.by?.[0];
      if (this.ctx.productiveBy || !c.by || c.by.length !== 1) return null;
      if (isEnum(b, 'Column')) {
        const col = b.elementName;
        return (o) => columnValue(o, col);
      }
      return isBytecode(b) ? fastChainOf(b) : null;
    });
    if (comps.length > 1 && direct.every((f) => f !== null)) {
      return this.topByLeadingKey(items, comps, direct as FastChain[], keyOf, limit ?? Number.POSITIVE_INFINITY);
    }
    return this.sortKeyed(items, comps, direct, keyOf, limit);
  }

  /**
   * order().by(k1).by(k2)...[limit(n)] with side-effect-free keys: items are ranked by k1 first; the later keys are
   * computed only for the k1-groups that reach the first n (the same result as sorting everything).
   */
  topByLeadingKey<T>(
    items: T[],
    comps: ReturnType<Machine['comparators']>,
    direct: FastChain[],
    keyOf: (x: T) => { t: Trav; o: unknown },
    limit: number,
  ): T[] {
    const groups = this.groupsByLeadingKey(items, comps, direct, keyOf);
    const out: T[] = [];
    for (let g = 0; g < groups.length && out.length < limit; g++) {
      const group = groups[g];
      const restComps = comps.slice(1);
      const rest = direct.slice(1);
      if (group.length === 1) {
        // alone in its group: the later keys only have to be productive
        const { o } = keyOf(group[0]);
        if (rest.every((f) => f(o) !== NO_VALUE)) out.push(group[0]);
      } else {
        const remaining = limit - out.length;
        out.push(...this.sortKeyed(group, restComps, rest, keyOf, Number.isFinite(remaining) ? remaining : undefined));
      }
    }
    return out;
  }

  /**
   * The items (unproductive leading key left out) in groups of equal leading key, groups in key order and items in
   * their own order within a group. Keys that are all strings or all non-NaN numbers are bucketed by value (equal
   * values are equal keys) and only the distinct keys sorted; other keys go through the general sort.
   */
  groupsByLeadingKey<T>(
    items: T[],
    comps: ReturnType<Machine['comparators']>,
    direct: FastChain[],
    keyOf: (x: T) => { t: Trav; o: unknown },
  ): T[][] {
    const sign = comps[0].desc ? -1 : 1;
    const keyFn = direct[0];
    const buckets = new Map<unknown, T[]>();
    let kind: string | undefined;
    for (const item of items) {
      const v = keyFn(keyOf(item).o);
      if (v === NO_VALUE) continue;
      const k = typeof v === 'string' ? 'string' : typeof v === 'number' && !Number.isNaN(v) ? 'number' : 'other';
      if (kind === undefined) kind = k;
      if (k === 'other' || k !== kind) {
        kind = 'other';
        break;
      }
      const bucket = buckets.get(v);
      if (bucket) bucket.push(item);
      else buckets.set(v, [item]);
    }
    if (kind !== 'other') {
      const keys = [...buckets.keys()];
      keys.sort(
        kind === 'number'
          ? (x, y) => sign * ((x as number) - (y as number))
          : (x, y) => ((x as string) < (y as string) ? -sign : (x as string) > (y as string) ? sign : 0),
      );
      return keys.map((k) => buckets.get(k) as T[]);
    }
    const leading = this.sortWithKeys(items, comps.slice(0, 1), direct.slice(0, 1), keyOf);
    const groups: T[][] = [];
    for (let i = 0; i < leading.length; ) {
      let j = i + 1;
      while (j < leading.length && sign * gCompare(leading[i].keys[0], leading[j].keys[0]) === 0) j++;
      groups.push(leading.slice(i, j).map((k) => k.item));
      i = j;
    }
    return groups;
  }

  /**
   * Items by the comparators' keys (items with an unproductive key left out). With `limit`, only a prefix that
   * holds the first `limit` items in their sorted order is returned (for an order() followed by limit()).
   */
  sortKeyed<T>(
    items: T[],
    comps: ReturnType<Machine['comparators']>,
    direct: (FastChain | null)[],
    keyOf: (x: T) => { t: Trav; o: unknown },
    limit?: number,
  ): T[] {
    return this.sortWithKeys(items, comps, direct, keyOf, limit).map((k) => k.item);
  }

  sortWithKeys<T>(
    items: T[],
    comps: ReturnType<Machine['comparators']>,
    direct: (FastChain | null)[],
    keyOf: (x: T) => { t: Trav; o: unknown },
    limit?: number,
  ): { item: T; keys: unknown[] }[] {
    const keyed: { item: T; keys: unknown[] }[] = [];
    for (const item of items) {
      const { t, o } = keyOf(item);
      const keys: unknown[] = [];
      let ok = true;
      for (let i = 0; i < comps.length; i++) {
        const f = direct[i];
        if (f) {
          const v = f(o);
          if (v === NO_VALUE) {
            ok = false;
            break;
          }
          keys.push(v);
          continue;
        }
        const r = this.byValue(comps[i].by, t, o);
        if (!r.ok) {
          ok = false;
          break;
        }
        keys.push(r.v);
      }
      if (!ok) continue;
      keyed.push({ item, keys });
    }
    // a comparator whose keys are all strings (or all non-NaN numbers) compares them directly
    const cmps = comps.map((c, i) => {
      const sign = c.desc ? -1 : 1;
      if (keyed.every((k) => typeof k.keys[i] === 'string')) {
        return (x: unknown, y: unknown) =>
          (x as string) < (y as string) ? -sign : (x as string) > (y as string) ? sign : 0;
      }
      if (keyed.every((k) => typeof k.keys[i] === 'number' && !Number.isNaN(k.keys[i]))) {
        return (x: unknown, y: unknown) => sign * ((x as number) - (y as number));
      }
      return (x: unknown, y: unknown) => sign * gCompare(x, y);
    });
    const compare = (x: { keys: unknown[] }, y: { keys: unknown[] }) => {
      for (let i = 0; i < cmps.length; i++) {
        const c = cmps[i](x.keys[i], y.keys[i]);
        if (c) return c;
      }
      return 0;
    };
    if (limit !== undefined && limit > 0 && limit * 4 < keyed.length) {
      // only the items up to the limit-th smallest (ties included) are sorted; their stable order is the prefix
      // of the whole stable order
      const best: { keys: unknown[] }[] = [];
      for (const k of keyed) {
        if (best.length === limit && compare(k, best[limit - 1]) >= 0) continue;
        let at = best.length;
        while (at > 0 && compare(k, best[at - 1]) < 0) at--;
        best.splice(at, 0, k);
        if (best.length > limit) best.pop();
      }
      const cut = best[limit - 1];
      return keyed.filter((k) => compare(k, cut) <= 0).sort(compare);
    }
    return keyed.sort(compare);
  }

  order(s: Step, travs: Trav[]): Trav[] {
    const local = isEnum(s.args[0], 'Scope') && s.args[0].elementName === 'local';
    if (!local) {
      for (const c of this.comparators(s)) {
        if (c.by && typeof c.by[0] === 'string') {
          for (const t of travs) {
            if (!isElement(t.o) && !(t.o instanceof Map)) this.byValue(c.by, t);
          }
        }
      }
      return this.sortValues(travs, s, (t) => ({ t, o: t.o }), this.orderLimit);
    }
    // order(local) then limit(local, n): each collection needs only its first n in order
    const limit = this.orderLimit;
    return travs.map((t) => {
      const o = t.o;
      if (o instanceof Map) {
        const entries = unfoldValue(o) as MapEntry[];
        const sorted = this.sortValues(entries, s, (e) => ({ t, o: e }), limit);
        return replace(t, new Map(sorted.map((e) => [e.key, e.value])));
      }
      if (isCollection(o)) {
        const sorted = this.sortValues(toList(o), s, (x) => ({ t, o: x }), limit);
        return replace(t, sorted);
      }
      return t;
    });
  }

  // ---- group ---------------------------------------------------------------------------------------------------
  group(s: Step, travs: Trav[]): Trav[] {
    if (s.name === 'groupCount' && s.by.length > 1)
      throw new GremlinEngineError('GroupCount step can only have one by modulator');
    const sideKey = s.args.find((x) => typeof x === 'string') as string | undefined;
    let acc: GroupAcc;
    if (sideKey !== undefined) {
      const cur = this.ctx.sideEffects.get(sideKey);
      if (cur instanceof GroupAcc) acc = cur;
      else {
        acc = new GroupAcc(s, s.name === 'groupCount');
        this.ctx.sideEffects.set(sideKey, acc);
      }
    } else acc = new GroupAcc(s, s.name === 'groupCount');
    for (const t of travs) acc.add(t, this, s);
    if (sideKey !== undefined) return travs;
    return [this.start(acc.result(this))];
  }

  // ---- choose / repeat -------------------------------------------------------------------------------------------
  choose(s: Step, travs: Trav[]): Trav[] {
    const a = s.args;
    // branches run over all the traversers that chose them (global semantics, as TinkerPop's BranchStep)
    const groups = new Map<unknown, Trav[]>();
    const passThrough: Trav[] = [];
    const add = (branch: unknown, t: Trav) => {
      let g = groups.get(branch);
      if (!g) {
        g = [];
        groups.set(branch, g);
      }
      g.push(t);
    };
    if (a.length >= 2) {
      for (const t of travs) {
        if (this.test(a[0], t)) add(a[1], t);
        else if (a.length > 2) add(a[2], t);
        else passThrough.push(t);
      }
    } else {
      if (s.name === 'choose') {
        for (const [k] of s.options) {
          if (isBytecode(k))
            throw new GremlinEngineError('Traversal is not allowed as a Pick token for choose().option()');
        }
      }
      const pick = (name: string) =>
        s.options.filter(([k]) => isEnum(k, 'Pick') && k.elementName === name).map(([, b]) => b);
      for (const t of travs) {
        let r: { ok: boolean; v?: unknown };
        if (isBytecode(a[0])) r = this.first(a[0], t);
        else if (isP(a[0])) r = { ok: true, v: testPredicate(a[0], t.o) };
        else if (isEnum(a[0], 'T')) r = { ok: true, v: tokenValue(t.o, a[0].elementName) };
        else if (typeof a[0] === 'string') {
          const v = propValue(t.o, a[0]);
          r = v === undefined ? { ok: false } : { ok: true, v };
        } else r = { ok: true, v: t.o };
        for (const b of pick('any')) add(b, t);
        if (!r.ok) {
          const up = pick('unproductive');
          if (up.length) add(up[0], t);
          else if (s.name === 'choose') passThrough.push(t);
          continue;
        }
        let matched = false;
        for (const [k, branch] of s.options) {
          if (isEnum(k, 'Pick')) continue;
          const hit = isP(k)
            ? testPredicate(k, r.v)
            : isBytecode(k)
              ? this.runChild(k, replace(single(t), r.v)).length > 0
              : gEquals(r.v, k);
          if (hit) {
            matched = true;
            add(branch, t);
            if (s.name === 'choose') break;
          }
        }
        if (!matched) {
          const none = pick('none');
          if (none.length) add(none[0], t);
          else if (s.name === 'choose' && !pick('any').length) passThrough.push(t);
        }
      }
    }
    const out: Trav[] = [...passThrough];
    for (const [branch, ts] of groups) out.push(...this.run(compile(branch as BytecodeLike), ts));
    return out;
  }

  repeat(s: Step, travs: Trav[]): Trav[] {
    const name = typeof s.args[0] === 'string' ? s.args[0] : undefined;
    const body = compile((name === undefined ? s.args[0] : s.args[1]) as BytecodeLike);
    if (body.some((st) => st.name === 'inject'))
      throw new GremlinEngineError('The parent of inject()-step can not be repeat()-step');
    for (const st of body)
      if (st.name === 'dedup' && !st.args.length) this.dedupStates.set(st, { seen: [], keys: new Set() });
    const out: Trav[] = [];
    const shouldEmit = (t: Trav) => s.emitSet && (s.emit === undefined || s.emit === true || this.test(s.emit, t));
    const shouldStop = (t: Trav, n: number) => {
      if (s.until !== undefined && this.test(s.until, t)) return true;
      if (s.times !== undefined && n >= s.times) return true;
      return false;
    };
    const withFrame = (t: Trav): Trav => ({ ...t, loops: [...t.loops, { name, n: 0 }] });
    const setN = (t: Trav, n: number): Trav => ({ ...t, loops: [...t.loops.slice(0, -1), { name, n }] });
    const pop = (t: Trav): Trav => ({ ...t, loops: t.loops.slice(0, -1) });
    let cur: Trav[] = [];
    for (const t0 of travs) {
      const t = withFrame(t0);
      if (s.untilFirst && shouldStop(t, 0)) {
        out.push(pop(t));
        continue;
      }
      if (s.times !== undefined && s.times <= 0 && s.timesFirst) {
        out.push(pop(t));
        continue;
      }
      if (s.emitFirst && shouldEmit(t)) out.push(pop(t));
      cur.push(t);
    }
    let guard = 0;
    while (cur.length) {
      if (++guard > 10000) throw new GremlinEngineError('repeat() exceeded 10000 iterations');
      if (out.length + cur.length > MAX_TRAVERSERS) {
        throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers in repeat()`);
      }
      if (this.ctx.deadline !== undefined && Date.now() > this.ctx.deadline) throw new TraversalTimeoutError();
      const next = this.run(body, this.merge(cur)).map((t) => {
        const f = t.loops[t.loops.length - 1];
        return setN(t, (f?.n ?? 0) + 1);
      });
      cur = [];
      for (const t of next) {
        const n = t.loops[t.loops.length - 1].n;
        if (shouldStop(t, n) || (s.until === undefined && s.times === undefined && false)) {
          out.push(pop(t));
          continue;
        }
        if (s.until === undefined && s.times === undefined && !s.emitSet) {
          // no stop condition: runs until the body produces nothing
        }
        if (!s.emitFirst && shouldEmit(t)) out.push(pop(t));
        else if (s.emitFirst && shouldEmit(t)) out.push(pop(t));
        cur.push(t);
      }
    }
    return out;
  }

  // ---- sack ------------------------------------------------------------------------------------------------------
  sackStep(s: Step, travs: Trav[]): Trav[] {
    if (s.by.length > 1) throw new GremlinEngineError('Sack step can only have one by modulator');
    if (s.args.length === 0) return travs.map((t) => move(t, t.sack));
    const op = s.args[0];
    return travs.flatMap((t) => {
      const r = this.byValue(s.by[0], t);
      if (!r.ok) return [];
      return [{ ...t, sack: applyOperator(op, t.sack, r.v) }];
    });
  }

  /** barrier(): with a sack merge operator equal traversers merge (sacks combined); normSack normalises sacks */
  barrier(a: unknown[], travs: Trav[]): Trav[] {
    if (isEnum(a[0], 'Barrier') && a[0].elementName === 'normSack') {
      const total = travs.reduce((n, t) => n + Number(t.sack ?? 0) * (t.bulk ?? 1), 0);
      return travs.map((t) => ({ ...t, sack: total ? Number(t.sack ?? 0) / total : t.sack }));
    }
    const merge = this.ctx.sack?.merge;
    if (merge === undefined) return travs;
    const groups = new Map<string, Trav>();
    const out: Trav[] = [];
    for (const t of this.expand(travs)) {
      const k = primitiveKey(t.o);
      const hit = k === null ? undefined : groups.get(k);
      if (hit) {
        hit.sack = applyOperator(merge, hit.sack, t.sack);
        if (this.ctx.withBulk) hit.bulk = (hit.bulk ?? 1) + 1;
        continue;
      }
      const c = { ...t, bulk: 1 };
      if (k !== null) groups.set(k, c);
      out.push(c);
    }
    return out;
  }

  /** subgraph('key'): the traversed edges and their vertices, copied into a graph kept as a side effect */
  subgraph(key: string, travs: Trav[]): Trav[] {
    let sg = this.ctx.sideEffects.get(key);
    if (!(sg instanceof TinkerGraphLike)) {
      sg = new TinkerGraphLike();
      this.ctx.sideEffects.set(key, sg);
    }
    const sub = sg as TinkerGraphLike;
    const copyV = (v: GVertex): GVertex => {
      const hit = sub.vertex(v.id);
      if (hit) return hit;
      const nv = sub.addVertex(v.label, v.id);
      for (const list of v.props.values())
        for (const p of list) sub.setVertexProperty(nv, p.key, p.value, 'list', p.id);
      return nv;
    };
    for (const t of travs) {
      if (!(t.o instanceof GEdge) || sub.edge(t.o.id)) continue;
      const e = sub.addEdge(t.o.label, copyV(t.o.outV), copyV(t.o.inV), t.o.id);
      for (const [k, v] of t.o.props) e.props.set(k, v);
    }
    return travs;
  }

  // ---- tree ------------------------------------------------------------------------------------------------------
  tree(s: Step, travs: Trav[]): Trav[] {
    const key = typeof s.args[0] === 'string' ? s.args[0] : undefined;
    let acc: TreeAcc;
    if (key) {
      const cur = this.ctx.sideEffects.get(key);
      acc = cur instanceof TreeAcc ? cur : new TreeAcc();
      this.ctx.sideEffects.set(key, acc);
    } else acc = new TreeAcc();
    for (const t of travs) {
      const objs: unknown[] = [];
      pathNodes(t.p).forEach((n, i) => {
        if (!s.by.length) objs.push(n.obj);
        else {
          const r = this.byValue(s.by[i % s.by.length], t, n.obj);
          if (r.ok) objs.push(r.v);
        }
      });
      acc.add(objs);
    }
    return key ? travs : [this.start(acc.result())];
  }

  // ---- match (declarative patterns, solved greedily in order of readiness) --------------------------------------
  match(s: Step, travs: Trav[]): Trav[] {
    interface Pattern {
      steps: Step[];
      start?: string;
      end?: string;
      labels: string[];
    }
    const patterns: Pattern[] = [];
    const addPattern = (bc: unknown) => {
      const steps = compile(bc as BytecodeLike);
      if (steps.length === 1 && steps[0].name === 'and' && steps[0].args.every(isBytecode)) {
        for (const x of steps[0].args) addPattern(x);
        return;
      }
      const start = steps[0]?.name === 'as' ? String(steps[0].args[0]) : undefined;
      const last = steps[steps.length - 1];
      const end = steps.length > 1 && last?.name === 'as' ? String(last.args[0]) : undefined;
      patterns.push({ steps, start, end, labels: [...new Set(collectLabels(steps))] });
    };
    for (const a of s.args) addPattern(a);
    const ends = new Set(patterns.map((p) => p.end).filter((x) => x !== undefined));
    const starts = patterns.map((p) => p.start).filter((x): x is string => x !== undefined);
    const startLabel = starts.find((l) => !ends.has(l)) ?? starts[0];
    const allLabels: string[] = [];
    for (const p of patterns) {
      for (const l of [p.start, p.end]) if (l !== undefined && !allLabels.includes(l)) allLabels.push(l);
    }
    const bound = (t: Trav, l: string) => pathLabelled(t.p, l).length > 0 || (t.o instanceof Map && false);
    const out: Trav[] = [];
    for (const t0 of travs) {
      let t = t0;
      if (startLabel !== undefined && !bound(t, startLabel)) t = labelTrav(t, [startLabel]);
      let cur: Trav[] = [t];
      const remaining = [...patterns];
      while (remaining.length && cur.length) {
        const probe = cur[0];
        let idx = remaining.findIndex(
          (p) =>
            (p.start === undefined || bound(probe, p.start)) && p.labels.every((l) => l === p.end || bound(probe, l)),
        );
        if (idx < 0) idx = remaining.findIndex((p) => p.start === undefined || bound(probe, p.start));
        if (idx < 0) throw new GremlinEngineError('The provided match pattern is unsolvable');
        const [p] = remaining.splice(idx, 1);
        cur = cur.flatMap((x) => this.runMatchPattern(p.steps, p.start, p.end, x));
      }
      for (const x of cur) {
        const m = new Map<unknown, unknown>();
        for (const l of allLabels) {
          const v = pathLabelled(x.p, l);
          if (v.length) m.set(l, v[v.length - 1]);
        }
        out.push(move(x, m));
      }
    }
    return out;
  }

  runMatchPattern(steps: Step[], start: string | undefined, end: string | undefined, t: Trav): Trav[] {
    if (start === undefined) return this.run(steps, [t]).length ? [t] : [];
    let body = steps.slice(1);
    if (end !== undefined) body = body.slice(0, -1);
    const startVal = pathLabelled(t.p, start).at(-1);
    const results = this.run(body, [move(t, startVal)]);
    if (end === undefined) return results.length ? [t] : [];
    const already = pathLabelled(t.p, end);
    const out: Trav[] = [];
    for (const r of results) {
      if (already.length) {
        if (gEquals(already[already.length - 1], r.o)) out.push(t);
      } else out.push(labelTrav(move(t, r.o), [end]));
    }
    return out;
  }

  // ---- property maps -----------------------------------------------------------------------------------------------
  mapOfProps(s: Step, travs: Trav[]): Trav[] {
    if (s.by.length > 1) throw new GremlinEngineError(`${s.name}() step can only have one by modulator`);
    let a = s.args;
    let tokens = false;
    if (typeof a[0] === 'boolean') {
      tokens = a[0];
      a = a.slice(1);
    }
    let tokenMask = tokens ? 15 : 0;
    for (const [k, v] of s.withs) if (k === '~tinkerpop.valueMap.tokens') tokenMask = typeof v === 'number' ? v : 15;
    const keys = a as string[];
    return travs.map((t) => {
      const o = t.o;
      const m = new Map<unknown, unknown>();
      if (s.name === 'elementMap') {
        m.set(tEnum('id'), tokenValue(o, 'id'));
        m.set(tEnum('label'), tokenValue(o, 'label'));
        if (o instanceof GEdge) {
          m.set(
            dirEnum('IN'),
            new Map<unknown, unknown>([
              [tEnum('id'), o.inV.id],
              [tEnum('label'), o.inV.label],
            ]),
          );
          m.set(
            dirEnum('OUT'),
            new Map<unknown, unknown>([
              [tEnum('id'), o.outV.id],
              [tEnum('label'), o.outV.label],
            ]),
          );
        }
        if (o instanceof GVertex && keys.length) {
          // each key's first value, read from the vertex's first-value copies (one object instead of map → list →
          // property for every key)
          for (const k of keys) {
            if (m.has(k)) continue;
            const v = o.firstValue(k);
            if (v !== undefined) m.set(k, v);
            else {
              const list = o.props.get(k);
              if (list?.length) m.set(k, list[0].value);
            }
          }
          return move(t, m);
        }
        for (const p of propsOf(o, keys)) if (!m.has(p.key)) m.set(p.key, p.value);
        return move(t, m);
      }
      if (tokenMask & 1) m.set(tEnum('id'), tokenValue(o, 'id'));
      if (tokenMask & 2) m.set(tEnum('label'), tokenValue(o, 'label'));
      if (o instanceof GVertexProperty) {
        if (tokenMask & 4) m.set(tEnum('key'), o.key);
        if (tokenMask & 8) m.set(tEnum('value'), o.value);
      }
      for (const p of propsOf(o, keys)) {
        const multi = o instanceof GVertex;
        const v = s.name === 'propertyMap' ? p : p.value;
        if (multi) {
          const list = (m.get(p.key) as unknown[]) ?? [];
          list.push(v);
          m.set(p.key, list);
        } else m.set(p.key, s.name === 'propertyMap' ? [v] : v);
      }
      if (s.by.length) {
        for (const [k, v] of m) {
          if (isEnum(k, 'T')) continue;
          const r = this.byValue(s.by[0], t, v);
          if (r.ok) m.set(k, r.v);
        }
      }
      return move(t, m);
    });
  }

  // ---- mutations ---------------------------------------------------------------------------------------------------
  addV(s: Step, travs: Trav[], isStart: boolean): Trav[] {
    const make = (t: Trav | null): Trav => {
      let label = 'vertex';
      const a0 = s.args[0];
      if (isBytecode(a0)) {
        const r = t ? this.first(a0, t) : this.first(a0, this.start(null));
        if (!r.ok) throw new GremlinEngineError('The traversal for the addV() label produced no result');
        label = String(r.v);
      } else if (a0 !== undefined && a0 !== null) label = String(a0);
      else if (a0 === null) throw new GremlinEngineError('Label can not be null');
      const base = t ?? this.start(null);
      const { id, label: l2, rest } = this.foldedProps(s, base);
      const v = this.ctx.graph.addVertex(l2 === undefined ? label : String(l2), id);
      for (const p of rest) this.applyPropertyArgs(base, v, p);
      return t ? move(t, v) : this.start(v);
    };
    if (isStart && travs.length === 0) return [make(null)];
    return travs.map((t) => make(t));
  }

  resolveVertexArg(x: unknown, t: Trav): GVertex {
    let v: unknown = x;
    if (typeof x === 'string') {
      const r = this.selectLabel(t, x, 'last');
      if (!r.ok) throw new GremlinEngineError(`The step with label ${x} does not exist`);
      v = r.v;
    } else if (isBytecode(x)) {
      const r = this.first(x, t);
      if (!r.ok)
        throw new GremlinEngineError(
          'The traversal given to addE().from/to must resolve to a Vertex or the ID of a Vertex present in the graph',
        );
      v = r.v;
    }
    if (v instanceof GVertex) return v;
    const found = lookupLoose(this.ctx.graph.vertex.bind(this.ctx.graph), elementIdOf(v));
    if (!found)
      throw new GremlinEngineError(
        `The value given to addE(${String(elementIdOf(v))}).from/to must resolve to a Vertex or the ID of a Vertex present in the graph`,
      );
    return found;
  }

  addE(s: Step, travs: Trav[], isStart: boolean): Trav[] {
    const make = (t: Trav): Trav => {
      let label = 'edge';
      const a0 = s.args[0];
      if (isBytecode(a0)) {
        const r = this.first(a0, t);
        label = String(r.v);
      } else if (a0 !== undefined) label = String(a0);
      const from = s.fromSet ? this.resolveVertexArg(s.from, t) : t.o;
      const to = s.toSet ? this.resolveVertexArg(s.to, t) : t.o;
      if (!(from instanceof GVertex) || !(to instanceof GVertex)) {
        throw new GremlinEngineError(
          `The ${from instanceof GVertex ? 'to' : 'from'}() of addE() must resolve to a Vertex or the ID of a Vertex present in the graph`,
        );
      }
      const { id, rest } = this.foldedProps(s, t);
      const e = this.ctx.graph.addEdge(label, from, to, id);
      for (const p of rest) this.applyPropertyArgs(t, e, p);
      return move(t, e);
    };
    if (isStart && travs.length === 0) return [make(this.start(null))];
    return travs.map(make);
  }

  foldedProps(s: Step, t: Trav): { id: unknown; label: unknown; rest: unknown[][] } {
    let id: unknown;
    let label: unknown;
    const rest: unknown[][] = [];
    for (const p of s.props ?? []) {
      if (isEnum(p[0], 'T') && (p[0].elementName === 'id' || p[0].elementName === 'label')) {
        let v = p[1];
        if (isBytecode(v)) v = this.first(v, t).v;
        if (p[0].elementName === 'id') id = v;
        else label = v;
      } else rest.push(p);
    }
    return { id, label, rest };
  }

  applyPropertyArgs(t: Trav, el: unknown, args: unknown[]): void {
    let a = args;
    if (a.length === 1 && (a[0] === null || a[0] === undefined)) return;
    let card: Cardinality | undefined;
    if (isEnum(a[0], 'Cardinality')) {
      card = a[0].elementName as Cardinality;
      a = a.slice(1);
    }
    if (a.length === 1 && (a[0] === null || a[0] === undefined)) return;
    if (a[0] instanceof Map) {
      for (const [k, v] of a[0]) this.setProp(t, el, k, v, card, []);
      return;
    }
    if (isBytecode(a[0])) {
      const k = this.first(a[0], t);
      if (!k.ok) throw new GremlinEngineError('The property() key traversal produced no key');
      a = [k.v, ...a.slice(1)];
    }
    let value = a[1];
    if (isBytecode(value)) {
      const r = this.first(value, t);
      if (!r.ok) throw new GremlinEngineError('The property() value traversal produced no value');
      value = r.v;
    }
    this.setProp(t, el, a[0], value, card, a.slice(2));
  }

  property(s: Step, travs: Trav[]): Trav[] {
    for (const t of travs) this.applyPropertyArgs(t, t.o, s.args);
    return travs;
  }

  setProp(_t: Trav, o: unknown, key: unknown, value: unknown, card: Cardinality | undefined, meta: unknown[]): void {
    const g = this.ctx.graph;
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

  mergeOption(s: Step, name: string): [unknown, unknown] | undefined {
    return s.options.find(([k]) => isEnum(k, 'Merge') && k.elementName === name);
  }

  /** onCreate map, validated against the merge map (it may not change what the merge map says) */
  onCreateMap(s: Step, spec: Map<unknown, unknown>, t: Trav, what: string): Map<unknown, unknown> | null {
    const opt = this.mergeOption(s, 'onCreate');
    if (!opt) return null;
    const m = this.mergeMap(opt[1], t, 'onCreate');
    if (!m) return null;
    validateMergeMap(m, what);
    for (const [k, v] of m) {
      const hit = findKey(spec, k);
      if (hit && !gEquals(hit[1], v)) {
        throw new GremlinEngineError(
          `option(onCreate) cannot override values from merge() argument: (${mapKeyName(k)}, ${String(v)})`,
        );
      }
    }
    return m;
  }

  /** option maps given as literals are checked even when the option does not apply */
  validateStaticOptions(s: Step, what: string): void {
    for (const name of ['onCreate', 'onMatch']) {
      const m = this.mergeOption(s, name)?.[1];
      if (m instanceof Map) validateMergeMap(m, what);
    }
  }

  onMatchMap(s: Step, t: Trav, what: string): Map<unknown, unknown> | null {
    const opt = this.mergeOption(s, 'onMatch');
    if (!opt) return null;
    const m = this.mergeMap(opt[1], t, 'onMatch');
    if (!m) return null;
    validateMergeMap(m, what);
    for (const [k] of m) {
      if (isEnum(k, 'T') || isEnum(k, 'Direction')) {
        throw new GremlinEngineError(`option(onMatch) cannot set ${mapKeyName(k)}: only properties can be updated`);
      }
    }
    return m;
  }

  mergeV(s: Step, travs: Trav[], isStart: boolean): Trav[] {
    const run = (t: Trav): Trav[] => {
      const spec = this.mergeMap(s.args[0], t, 'mergeV') ?? new Map();
      validateMergeMap(spec, 'mergeV');
      this.validateStaticOptions(s, 'mergeV');
      const matchesFirst = this.findVertices(spec);
      const onCreate =
        matchesFirst.length && isBytecode(this.mergeOption(s, 'onCreate')?.[1])
          ? null
          : this.onCreateMap(s, spec, t, 'mergeV');
      const wrap = (v: GVertex) => (t.o === null && isStart ? this.start(v) : move(t, v));
      const matches = matchesFirst;
      if (matches.length) {
        return matches.map((v) => {
          const m = this.onMatchMap(s, move(t, v), 'mergeV');
          if (m) for (const [k, v2] of m) this.setMergeProp(v, k, v2);
          return wrap(v);
        });
      }
      const create = new Map(spec);
      for (const [k, v2] of onCreate ?? []) create.set(findKey(create, k)?.[0] ?? k, v2);
      const label = findT(create, 'label');
      const v = this.ctx.graph.addVertex(label === undefined ? 'vertex' : String(label), findT(create, 'id'));
      for (const [k, v2] of create) if (!isEnum(k)) this.setMergeProp(v, k, v2);
      return [wrap(v)];
    };
    if (isStart && travs.length === 0) return run(this.start(null));
    return travs.flatMap(run);
  }

  setMergeProp(el: GVertex | GEdge, k: unknown, v: unknown): void {
    if (v && typeof v === 'object' && 'cardinality' in v && 'value' in v) {
      const cv = v as { cardinality: { elementName: string }; value: unknown };
      this.setProp(this.start(el), el, k, cv.value, cv.cardinality.elementName as Cardinality, []);
      return;
    }
    this.setProp(this.start(el), el, k, v, 'single', []);
  }

  mergeMap(arg: unknown, t: Trav, what: string): Map<unknown, unknown> | null {
    let m = arg;
    if (isBytecode(arg)) {
      const r = this.first(arg, t);
      m = r.ok ? r.v : null;
    }
    if (m === undefined) m = t.o;
    if (m === null) return null;
    if (!(m instanceof Map)) {
      throw new GremlinEngineError(`${what}() requires a Map argument but found ${typeNameOf(m)}`);
    }
    return m;
  }

  findVertices(spec: Map<unknown, unknown>): GVertex[] {
    const g = this.ctx.graph;
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

  mergeE(s: Step, travs: Trav[], isStart: boolean): Trav[] {
    const g = this.ctx.graph;
    const run = (t: Trav): Trav[] => {
      const spec = this.mergeMap(s.args[0], t, 'mergeE') ?? new Map();
      validateMergeMap(spec, 'mergeE');
      this.validateStaticOptions(s, 'mergeE');
      const onCreateArg = this.mergeOption(s, 'onCreate')?.[1];
      let onCreate = isBytecode(onCreateArg) ? null : this.onCreateMap(s, spec, t, 'mergeE');
      const resolveV = (x: unknown, which: 'outV' | 'inV'): GVertex => {
        let v = x;
        if (isEnum(x, 'Merge')) {
          const opt = this.mergeOption(s, which);
          if (!opt) throw new GremlinEngineError(`option(${which}) must be specified when Merge.${which} is used`);
          v = isBytecode(opt[1]) ? this.first(opt[1], t).v : opt[1];
          if (v instanceof Map) {
            const found = this.findVertices(v);
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
      const wrap = (e: GEdge) => (t.o === null && isStart ? this.start(e) : move(t, e));
      if (matches.length) {
        return matches.map((e) => {
          const m = this.onMatchMap(s, move(t, e), 'mergeE');
          if (m) for (const [k, v2] of m) this.setProp(t, e, k, v2, undefined, []);
          return wrap(e);
        });
      }
      if (isBytecode(onCreateArg)) onCreate = this.onCreateMap(s, spec, t, 'mergeE');
      const create = new Map(spec);
      for (const [k, v2] of onCreate ?? []) create.set(findKey(create, k)?.[0] ?? k, v2);
      const co = findDir(create, 'OUT');
      const ci = findDir(create, 'IN');
      if (co === undefined) throw new GremlinEngineError('Out Vertex not specified');
      if (ci === undefined) throw new GremlinEngineError('In Vertex not specified');
      const ov = co === outRaw && outV ? outV : resolveV(co, 'outV');
      const iv = ci === inRaw && inV ? inV : resolveV(ci, 'inV');
      const e = g.addEdge(String(findT(create, 'label') ?? 'edge'), ov, iv, findT(create, 'id'));
      for (const [k, v2] of create) if (typeof k === 'string') this.setProp(t, e, k, v2, undefined, []);
      return [wrap(e)];
    };
    if (isStart && travs.length === 0) return run(this.start(null));
    return travs.flatMap(run);
  }
}

// ---------------------------------------------------------------------------------------------------------------

const NO_ITEMS: Trav[] = [];

export class GroupAcc {
  private readonly groups = new Map<unknown, { key: unknown; items: Trav[]; count: number }>();
  private readonly order: unknown[] = [];
  constructor(
    private readonly s: Step,
    private readonly count: boolean,
  ) {}
  add(t: Trav, m: Machine, step: Step = this.s): void {
    let key: unknown = t.o;
    if (step.by.length) {
      const k = m.byValue(step.by[0], t);
      if (!k.ok) return;
      key = k.v;
    }
    const ik = identityKey(key);
    const pk = ik ?? `obj:${this.order.length}`;
    let found = this.groups.get(pk);
    if (!found && ik === null) {
      for (const [kk, g] of this.groups) {
        if (gEquals(g.key, key)) {
          found = g;
          void kk;
          break;
        }
      }
    }
    if (!found) {
      // groupCount() only counts: its groups share one (never filled) item list
      found = { key, items: this.count ? NO_ITEMS : [], count: 0 };
      this.groups.set(pk, found);
      this.order.push(pk);
    }
    if (!this.count) found.items.push(t);
    found.count += t.bulk ?? 1;
  }
  result(m: Machine): Map<unknown, unknown> {
    const out = new Map<unknown, unknown>();
    for (const { key, items: bulked, count } of this.groups.values()) {
      if (this.count) {
        out.set(key, count);
        continue;
      }
      const items = bulked;
      const vb = this.s.by[1];
      if (!vb?.length) {
        out.set(
          key,
          m.expand(items).map((t) => t.o),
        );
        continue;
      }
      const b = vb[0];
      if (isBytecode(b)) {
        const steps = compile(b);
        const r = m.run(
          steps,
          items.map((t) => ({ ...t })),
        );
        const reducing = steps.some((st) => REDUCERS.has(st.name));
        if (reducing) {
          if (r.length) out.set(key, r[0].o);
        } else if (r.length) out.set(key, r[0].o);
        continue;
      }
      const vals: unknown[] = [];
      for (const t of m.expand(items)) {
        const r = m.byValue(vb, t);
        if (r.ok) vals.push(r.v);
      }
      out.set(key, vals);
    }
    return out;
  }
}

const REDUCERS = new Set(['count', 'sum', 'max', 'min', 'mean', 'fold', 'groupCount', 'group', 'tree', 'cap']);

export class TreeAcc {
  private readonly root: { key: unknown; children: unknown[] }[] = [];
  add(objs: unknown[]): void {
    let level = this.root;
    for (const o of objs) {
      let node = level.find((n) => gEquals(n.key, o));
      if (!node) {
        node = { key: o, children: [] };
        level.push(node);
      }
      level = node.children as { key: unknown; children: unknown[] }[];
    }
  }
  result(): TreeValue {
    const build = (nodes: { key: unknown; children: unknown[] }[]): TreeValue =>
      new TreeValue(nodes.map((n) => [n.key, build(n.children as { key: unknown; children: unknown[] }[])]));
    return build(this.root);
  }
}

export class TreeValue {
  constructor(readonly entries: [unknown, TreeValue][]) {}
}

// ---------------------------------------------------------------------------------------------------------------

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

const tEnums = new Map<string, unknown>();
export function tEnum(name: string): unknown {
  let e = tEnums.get(name);
  if (!e) {
    e = { typeName: 'T', elementName: name };
    tEnums.set(name, e);
  }
  return e;
}
export function dirEnum(name: string): unknown {
  return { typeName: 'Direction', elementName: name };
}

/** TinkerGraph's default id manager: numeric ids also match their string form */
export function idEquals(a: unknown, b: unknown): boolean {
  if (gEquals(a, b)) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  return false;
}

function lookupLoose<T>(get: (id: unknown) => T | undefined, id: unknown): T | undefined {
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

export function labelOf(o: unknown): unknown {
  if (o instanceof GVertex || o instanceof GEdge) return o.label;
  if (o instanceof GVertexProperty) return o.key;
  return undefined;
}

export function tokenValue(o: unknown, name: string): unknown {
  switch (name) {
    case 'id':
      if (o instanceof GVertex || o instanceof GEdge || o instanceof GVertexProperty) return o.id;
      break;
    case 'label':
      if (o instanceof GVertex || o instanceof GEdge) return o.label;
      if (o instanceof GVertexProperty) return o.key;
      break;
    case 'key':
      if (o instanceof GVertexProperty || o instanceof GProperty) return o.key;
      if (o instanceof MapEntry) return o.key;
      break;
    case 'value':
      if (o instanceof GVertexProperty || o instanceof GProperty) return o.value;
      if (o instanceof MapEntry) return o.value;
      break;
  }
  throw new GremlinEngineError(`The T.${name} token cannot be applied to ${typeNameOf(o)}: ${describe(o)}`);
}

export function columnValue(o: unknown, col: string): unknown {
  if (o instanceof Map) return col === 'keys' ? new Set(o.keys()) : [...o.values()];
  if (o instanceof MapEntry) return col === 'keys' ? o.key : o.value;
  if (o instanceof PathValue) return col === 'keys' ? o.labels.map((l) => new Set(l)) : o.objects;
  if (Array.isArray(o)) return o.map((x) => columnValue(x, col));
  throw new GremlinEngineError(`Column.${col} cannot be applied to ${typeNameOf(o)}`);
}

export function propsOf(o: unknown, keys: string[]): (GVertexProperty | GProperty)[] {
  const out: (GVertexProperty | GProperty)[] = [];
  if (o instanceof GVertex) {
    if (keys.length === 0) for (const list of o.props.values()) out.push(...list);
    else for (const k of keys) out.push(...(o.props.get(k) ?? []));
  } else if (o instanceof GEdge) {
    if (keys.length === 0) for (const [k, v] of o.props) out.push(new GProperty(k, v, o));
    else for (const k of keys) if (o.props.has(k)) out.push(new GProperty(k, o.props.get(k), o));
  } else if (o instanceof GVertexProperty) {
    if (keys.length === 0) for (const [k, v] of o.meta) out.push(new GProperty(k, v, o));
    else for (const k of keys) if (o.meta.has(k)) out.push(new GProperty(k, o.meta.get(k), o));
  } else if (o instanceof Map) {
    for (const k of keys.length ? keys : [...o.keys()])
      if (o.has(k)) out.push(new GProperty(String(k), o.get(k), null as unknown as GEdge));
  }
  return out;
}

export function propValue(o: unknown, key: string): unknown {
  if (o instanceof Map) return o.get(key);
  if (o instanceof GVertex) {
    const v = o.firstValue(key);
    return v !== undefined ? v : o.props.get(key)?.[0]?.value;
  }
  if (o instanceof GEdge) return o.props.get(key);
  const p = propsOf(o, [key]);
  return p.length ? p[0].value : undefined;
}

/** the first value values(key) yields for o, NO_VALUE when it yields none */
function firstPropValue(o: unknown, key: string): unknown {
  if (o instanceof GVertex) {
    const v = o.firstValue(key);
    if (v !== undefined) return v;
    const list = o.props.get(key);
    return list?.length ? list[0].value : NO_VALUE;
  }
  const p = propsOf(o, [key]);
  return p.length ? p[0].value : NO_VALUE;
}

function adjacentV(o: unknown, dir: string, labels: string[]): GVertex[] {
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

function collectLabels(steps: Step[]): string[] {
  const out: string[] = [];
  for (const st of steps) {
    if (st.name === 'as') out.push(...(st.args as string[]));
    if (st.name === 'where' && typeof st.args[0] === 'string') out.push(st.args[0]);
    if (st.name === 'where' && isP(st.args[st.args.length - 1])) {
      const p = st.args[st.args.length - 1] as PC;
      if (typeof p.value === 'string') out.push(p.value);
    }
    for (const a of st.args) if (isBytecode(a)) out.push(...collectLabels(compile(a)));
  }
  return out;
}

/** n when an order() step is followed by a limit(n) of the same scope (undefined for anything else) */
function limitAfter(order: Step, next: Step | undefined): number | undefined {
  if (next?.name !== 'limit') return undefined;
  const local = (st: Step) => isEnum(st.args[0], 'Scope') && st.args[0].elementName === 'local';
  const args = isEnum(next.args[0], 'Scope') ? next.args.slice(1) : next.args;
  if (local(order) !== local(next) || args.length !== 1) return undefined;
  const n = Number(args[0]);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** whether a where() predicate refers to one of the labels (strings in its values, through and/or/not) */
function predicateNamesAny(p: PC, labels: ReadonlySet<string>): boolean {
  if (p.operator === 'and' || p.operator === 'or') {
    return predicateNamesAny(p.value as PC, labels) || predicateNamesAny(p.other as PC, labels);
  }
  if (p.operator === 'not') return predicateNamesAny(p.value as PC, labels);
  const vals = Array.isArray(p.value) ? p.value : [p.value];
  return vals.some((v) => typeof v === 'string' && labels.has(v));
}

function sameObj(a: unknown, b: unknown): boolean {
  return a === b || gEquals(a, b);
}

export function isCollection(x: unknown): boolean {
  return Array.isArray(x) || x instanceof Set || x instanceof PathValue;
}

export function toList(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  if (x instanceof Map) return [...x].map(([k, v]) => new MapEntry(k, v));
  if (x === null || x === undefined) return [];
  return [x];
}

export function unfoldValue(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  if (x instanceof Map) {
    const entries: MapEntry[] = [];
    x.forEach((v, k) => {
      entries.push(new MapEntry(k, v));
    });
    return entries;
  }
  return [x];
}

/** primitiveKey, except that graph elements (one object per element) are their own key: no string building */
function identityKey(x: unknown): unknown {
  if (x instanceof GVertex || x instanceof GEdge) return x;
  return primitiveKey(x);
}

function primitiveKey(x: unknown): string | null {
  if (x instanceof GVertex) return `v:${valueKey(x.id)}`;
  if (x instanceof GEdge) return `e:${valueKey(x.id)}`;
  if (typeof x === 'number' && Number.isNaN(x)) return 'NaN';
  const k = valueKey(x);
  return k;
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

export function describe(o: unknown): string {
  if (o instanceof GVertex) return `v[${String(o.id)}]`;
  if (o instanceof GEdge) return `e[${String(o.id)}][${String(o.outV.id)}-${o.label}->${String(o.inV.id)}]`;
  if (o instanceof GVertexProperty) return `vp[${o.key}->${String(o.value)}]`;
  if (Array.isArray(o)) return `[${o.map(describe).join(', ')}]`;
  return String(o);
}

function addNums(x: unknown, y: unknown): unknown {
  if (typeof x === 'bigint' || typeof y === 'bigint') return BigInt(x as number) + BigInt(y as number);
  return (x as number) + (y as number);
}

export function reduceValues(name: string, items: unknown[]): unknown {
  switch (name) {
    case 'count':
      return items.length;
    case 'sum': {
      const nums = items.filter((x) => x !== null);
      for (const x of nums)
        if (!isNum(x)) throw new GremlinEngineError(`The sum() step only works on numbers but found ${typeNameOf(x)}`);
      if (!nums.length) return items.length ? null : undefined;
      return nums.reduce<unknown>((acc, x) => addNums(acc, x), nums.shift());
    }
    case 'mean': {
      const nums = items.filter((x) => x !== null);
      for (const x of nums)
        if (!isNum(x)) throw new GremlinEngineError(`The mean() step only works on numbers but found ${typeNameOf(x)}`);
      if (!nums.length) return items.length ? null : undefined;
      return nums.reduce((acc: number, x) => acc + Number(x), 0) / nums.length;
    }
    case 'max':
    case 'min': {
      const vals = items.filter((x) => x !== null && x !== undefined);
      if (!vals.length) return items.length ? null : undefined;
      for (const x of vals) {
        if (!(isNum(x) || typeof x === 'string' || x instanceof Date || typeof x === 'boolean')) {
          throw new GremlinEngineError(`The ${name}() step cannot compare ${typeNameOf(x)}`);
        }
      }
      let best = vals[0];
      for (const x of vals.slice(1)) {
        const c = gCompare(x, best);
        if (name === 'max' ? c > 0 : c < 0) best = x;
      }
      return best;
    }
    default:
      throw new GremlinEngineError(`Unknown reducer ${name}`);
  }
}

export function applyOperator(op: unknown, a: unknown, b: unknown): unknown {
  const name = isEnum(op) ? op.elementName : String(op);
  switch (name) {
    case 'sum':
    case 'sumLong':
      return addNums(a ?? 0, b ?? 0);
    case 'minus':
      return (a as number) - (b as number);
    case 'mult':
      return typeof a === 'bigint' || typeof b === 'bigint'
        ? BigInt(a as number) * BigInt(b as number)
        : (a as number) * (b as number);
    case 'div':
      if (Number.isInteger(a) && Number.isInteger(b)) {
        if (b === 0) throw new GremlinEngineError('/ by zero');
        return Math.trunc((a as number) / (b as number));
      }
      return (a as number) / (b as number);
    case 'min':
      return gCompare(a, b) <= 0 ? a : b;
    case 'max':
      return gCompare(a, b) >= 0 ? a : b;
    case 'assign':
      return b;
    case 'and':
      return Boolean(a) && Boolean(b);
    case 'or':
      return Boolean(a) || Boolean(b);
    case 'addAll': {
      if (a instanceof Map && b instanceof Map) return new Map([...a, ...b]);
      if (a instanceof Set) return new Set([...a, ...toList(b)]);
      return [...toList(a), ...toList(b)];
    }
    default:
      throw new GremlinEngineError(`Unsupported operator ${name}`);
  }
}
