// The traversal machine: runs compiled steps breadth-first over arrays of traversers. The steps themselves live in
// one module per family (navigation, filter, map, order, branch, mutation, accumulator, collection); this module
// holds what every family calls back into: running child traversals, by() modulation, labels, bulks and bounds.

import { ACCUMULATOR_STEPS, GroupAcc, TreeAcc } from './accumulator-steps.js';
import { BRANCH_STEPS } from './branch-steps.js';
import { LIST_STEPS, listStep } from './collection-steps.js';
import { compile, type Step } from './compile.js';
import { type AdjacentStep, adjacentStepOf, fastChainOf, NO_VALUE, vertexChainOf } from './fast-chain.js';
import { FILTER_STEPS, sharedWhereTest } from './filter-steps.js';
import { GremlinEngineError, GVertex } from './graph.js';
import { checkDeadline, MAX_TRAVERSERS } from './limits.js';
import { MAP_STEPS } from './map-steps.js';
import { MUTATION_STEPS } from './mutation-steps.js';
import { NAVIGATION_STEPS } from './navigation-steps.js';
import { limitAfter, ORDER_STEPS, orderCounts, orderUnfolded } from './order-steps.js';
import { isBytecode, isEnum, isP } from './structure.js';
import {
  type ExecContext,
  move,
  pathLabelled,
  replace,
  single,
  startTrav,
  type Trav,
  tracksPaths,
} from './traverser.js';
import {
  columnValue,
  describe,
  gEquals,
  isElement,
  primitiveKey,
  propValue,
  testPredicate,
  tokenValue,
  typeNameOf,
} from './values.js';

/** One step's implementation: the traversers after the step (isStart: the step opens the traversal). */
export type StepHandler = (m: Machine, s: Step, travs: Trav[], isStart: boolean) => Trav[];
export type StepTable = Record<string, StepHandler>;

const STEPS = new Map<string, StepHandler>();
for (const table of [
  NAVIGATION_STEPS,
  FILTER_STEPS,
  MAP_STEPS,
  ORDER_STEPS,
  BRANCH_STEPS,
  MUTATION_STEPS,
  ACCUMULATOR_STEPS,
]) {
  for (const [name, handler] of Object.entries(table)) {
    if (STEPS.has(name)) throw new Error(`step ${name}() is implemented twice`);
    STEPS.set(name, handler);
  }
}
for (const name of LIST_STEPS) {
  if (!STEPS.has(name)) STEPS.set(name, (m, s, travs) => listStep(s.name, s, travs, m));
}

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

/** set while countAdjacentVertices() runs (its scratch lives in the vertices: one run at a time) */
let counting = false;

export class Machine {
  /** dedup() steps directly inside a repeat() body keep what they saw across the iterations */
  readonly dedupStates = new Map<Step, { seen: unknown[]; keys: Set<unknown> }>();

  /** n when the order() step being run is directly followed by a global limit(n) */
  orderLimit: number | undefined;

  constructor(readonly ctx: ExecContext) {}

  run(steps: Step[], travs: Trav[]): Trav[] {
    let cur = travs;
    for (let i = 0; i < steps.length; i++) {
      const cands = this.indexedCandidates(steps, i);
      const counted = cands ? null : this.countAdjacent(steps, i, cur);
      const fused = cands || counted ? null : this.unfoldThenOrder(steps, i, cur);
      if (counted) {
        // flatMap(), its where() filters and groupCount() ran as one step
        cur = counted.travs;
        i = counted.last;
      } else if (fused) {
        // unfold() and the order() after it ran as one step
        cur = fused;
        i++;
      } else if (cands) {
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
      checkDeadline(this.ctx);
    }
    return cur;
  }

  /**
   * flatMap(<adjacent vertices>).where(P)...groupCount(): the adjacent vertices counted as they are found, without a
   * traverser each (the same map as running the steps one by one). null when the steps are not of that shape.
   */
  countAdjacent(steps: Step[], i: number, travs: Trav[]): { travs: Trav[]; last: number } | null {
    const s = steps[i];
    if (s.name !== 'flatMap' || s.args.length !== 1 || !isBytecode(s.args[0]) || s.by.length) return null;
    const tests: ((o: unknown, at: () => Trav) => boolean)[] = [];
    let j = i + 1;
    for (; steps[j]?.name === 'where'; j++) {
      const test = sharedWhereTest(this, steps[j]);
      if (!test) return null;
      tests.push(test);
    }
    const count = steps[j];
    if (count?.name !== 'groupCount' || count.args.length || count.by.length) return null;
    const adjacent = counting ? null : adjacentStepOf(s.args[0]);
    if (adjacent) {
      const counted = this.countAdjacentVertices(this.expand(travs), adjacent, tests);
      const ranked = this.rankCounts(steps, j, counted);
      if (ranked) return { travs: ranked, last: j + 2 };
      const out = new Map<unknown, number>();
      for (const o of counted) out.set(o, o.metCount);
      return { travs: [this.start(out)], last: j };
    }
    const chain = vertexChainOf(s.args[0]);
    if (!chain) return null;
    const acc = new GroupAcc(count, true);
    let produced = 0;
    let next = 50_000;
    for (const t of this.expand(travs)) {
      const found = chain(t.o);
      produced += found.length;
      for (const o of found) {
        if (tests.every((test) => test(o, () => move(t, o)))) acc.addElement(o as GVertex, t.bulk ?? 1);
      }
      if (produced > next) {
        if (produced > MAX_TRAVERSERS)
          throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers`);
        checkDeadline(this.ctx);
        next += 50_000;
      }
    }
    return { travs: [this.start(acc.result(this))], last: j };
  }

  /**
   * The counted vertices followed by unfold().order().by(...).limit(n): the first n entries of the groupCount()
   * map, ranked without building the map (when no path is recorded: the map would be in the entries' paths).
   */
  private rankCounts(steps: Step[], j: number, counted: GVertex[]): Trav[] | null {
    const [unfold, order, limit] = [steps[j + 1], steps[j + 2], steps[j + 3]];
    if (unfold?.name !== 'unfold' || unfold.args.length || order?.name !== 'order' || tracksPaths()) return null;
    const n = limitAfter(order, limit);
    if (n === undefined || counted.length > MAX_TRAVERSERS) return null;
    const forEachCount = (visit: (key: unknown, count: number) => void) => {
      for (const o of counted) visit(o, o.metCount);
    };
    return orderCounts(this, order, forEachCount, n, this.start(null));
  }

  /**
   * countAdjacent() for a child of one adjacent-vertex step (and dedup()): the vertices are walked in place, each
   * vertex met is tested once (the where() tests here do not depend on the traverser) and counted in its own scratch
   * fields; dedup() is per traverser, by the index of the traverser that last met the vertex. The vertices counted,
   * in the order first met; each one's count is in its `metCount` until the next count.
   */
  private countAdjacentVertices(
    travs: Trav[],
    adjacent: AdjacentStep,
    tests: ((o: unknown, at: () => Trav) => boolean)[],
  ): GVertex[] {
    const run = this.ctx.graph.newCountRun();
    counting = true;
    try {
      const counted: GVertex[] = [];
      const { dir, labels, dedup } = adjacent;
      const only = labels.length === 1 ? labels[0] : undefined;
      let produced = 0;
      let next = 50_000;
      for (let ti = 0; ti < travs.length; ti++) {
        const t = travs[ti];
        const v = t.o;
        if (!(v instanceof GVertex)) continue;
        const bulk = t.bulk ?? 1;
        // the traverser a test may ask for: at the vertex being tested
        let tested = v;
        const at = () => move(t, tested);
        for (let side = 0; side < 2; side++) {
          if (side === 0 ? dir === 'in' : dir === 'out') continue;
          const ns = side === 0 ? v.outN : v.inN;
          const ls = side === 0 ? v.outL : v.inL;
          produced += ns.length;
          for (let k = 0; k < ns.length; k++) {
            if (only !== undefined ? ls[k] !== only : labels.length > 0 && !labels.includes(ls[k])) continue;
            const o = ns[k];
            if (o.metRun !== run) {
              o.metRun = run;
              o.metCount = 0;
              let pass = true;
              tested = o;
              for (let i = 0; i < tests.length && pass; i++) pass = tests[i](o, at);
              o.metPass = pass;
              if (pass) counted.push(o);
            } else if (dedup && o.metLast === ti) continue;
            o.metLast = ti;
            if (o.metPass) o.metCount += bulk;
          }
        }
        if (produced > next) {
          if (produced > MAX_TRAVERSERS)
            throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers`);
          checkDeadline(this.ctx);
          next += 50_000;
        }
      }
      return counted;
    } finally {
      counting = false;
    }
  }

  /** unfold().order()...limit(n) ranked without a traverser per unfolded item (null: run the steps one by one) */
  unfoldThenOrder(steps: Step[], i: number, travs: Trav[]): Trav[] | null {
    const s = steps[i];
    if (s.name !== 'unfold' || s.args.length || steps[i + 1]?.name !== 'order') return null;
    const limit = limitAfter(steps[i + 1], steps[i + 2]);
    if (limit === undefined) return null;
    const input = BULK_AWARE.has('unfold') ? travs : this.expand(travs);
    return orderUnfolded(this, steps[i + 1], input, limit, MAX_TRAVERSERS);
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
    const input = BULK_AWARE.has(s.name) ? travs : this.expand(travs);
    const handler = STEPS.get(s.name);
    if (!handler) throw new GremlinEngineError(`Unsupported step: ${s.name}()`);
    return handler(this, s, input, isStart);
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
        checkDeadline(this.ctx);
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
}
