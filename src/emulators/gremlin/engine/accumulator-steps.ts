// Accumulating steps: reducing barriers (fold, count, sum, min, max, mean, group, groupCount, tree), side effects
// kept under a key (aggregate/store, cap, sideEffect, subgraph), sacks and barrier().
import { compile, type Step } from './compile.js';
import { GEdge, GremlinEngineError, type GVertex, TinkerGraphLike } from './graph.js';
import type { Machine, StepTable } from './machine.js';
import { isBytecode, isEnum } from './structure.js';
import { move, pathNodes, replace, type Trav } from './traverser.js';
import {
  applyOperator,
  gEquals,
  identityKey,
  isCollection,
  primitiveKey,
  reduceValues,
  TreeValue,
  toList,
} from './values.js';

export const ACCUMULATOR_STEPS: StepTable = {
  fold: (m, s, travs) => {
    const a = s.args;
    if (a.length >= 2) {
      let acc = a[0];
      for (const t of travs) acc = applyOperator(a[1], acc, t.o);
      return [m.start(acc)];
    }
    return [m.start(travs.map((t) => t.o))];
  },
  count: reduce,
  sum: reduce,
  max: reduce,
  min: reduce,
  mean: reduce,
  group,
  groupCount: group,
  tree,
  aggregate,
  store: aggregate,
  cap: (m, s) => {
    const a = s.args;
    const vals = a.map((k) => m.capValue(String(k)));
    if (a.length === 1) return [m.start(vals[0])];
    return [m.start(new Map(a.map((k, i) => [k, vals[i]])))];
  },
  sideEffect: (m, s, travs) => {
    for (const t of travs) m.runChild(s.args[0], t);
    return travs;
  },
  subgraph: (m, s, travs) => subgraph(m, String(s.args[0]), travs),
  sack: sackStep,
  barrier: (m, s, travs) => barrier(m, s.args, travs),
  timeLimit: (m, s, travs) => barrier(m, s.args, travs),
  hasNext: (m, _s, travs) => [m.start(travs.length > 0)],
};

function aggregate(m: Machine, s: Step, travs: Trav[]): Trav[] {
  const a = s.args;
  const local = isEnum(a[0], 'Scope');
  const key = String(local ? a[1] : a[0]);
  if (s.by.length > 1) throw new GremlinEngineError('Aggregate step can only have one by modulator');
  const op = m.ctx.sideEffectOps.get(key);
  if (op !== undefined && isEnum(op) && op.elementName === 'assign') {
    const vals: unknown[] = [];
    for (const t of travs) {
      const r = m.byValue(s.by[0], t);
      if (r.ok) vals.push(r.v);
    }
    m.ctx.sideEffects.set(key, vals);
    return travs;
  }
  if (op !== undefined) {
    let acc = m.ctx.sideEffects.get(key);
    for (const t of travs) {
      const r = m.byValue(s.by[0], t);
      if (r.ok) acc = applyOperator(op, acc, r.v);
    }
    m.ctx.sideEffects.set(key, acc);
    return travs;
  }
  const list = m.sideEffectList(key);
  for (const t of travs) {
    const r = m.byValue(s.by[0], t);
    if (r.ok) list.push(r.v);
  }
  return travs;
}

function reduce(m: Machine, s: Step, travs: Trav[]): Trav[] {
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
  if (s.name === 'count') return [m.start(travs.reduce((n, t) => n + (t.bulk ?? 1), 0))];
  const r = reduceValues(
    s.name,
    travs.map((t) => t.o),
  );
  if (r === undefined) return [];
  return [m.start(r)];
}

function group(m: Machine, s: Step, travs: Trav[]): Trav[] {
  if (s.name === 'groupCount' && s.by.length > 1)
    throw new GremlinEngineError('GroupCount step can only have one by modulator');
  const sideKey = s.args.find((x) => typeof x === 'string') as string | undefined;
  let acc: GroupAcc;
  if (sideKey !== undefined) {
    const cur = m.ctx.sideEffects.get(sideKey);
    if (cur instanceof GroupAcc) acc = cur;
    else {
      acc = new GroupAcc(s, s.name === 'groupCount');
      m.ctx.sideEffects.set(sideKey, acc);
    }
  } else acc = new GroupAcc(s, s.name === 'groupCount');
  for (const t of travs) acc.add(t, m, s);
  if (sideKey !== undefined) return travs;
  return [m.start(acc.result(m))];
}

function sackStep(m: Machine, s: Step, travs: Trav[]): Trav[] {
  if (s.by.length > 1) throw new GremlinEngineError('Sack step can only have one by modulator');
  if (s.args.length === 0) return travs.map((t) => move(t, t.sack));
  const op = s.args[0];
  return travs.flatMap((t) => {
    const r = m.byValue(s.by[0], t);
    if (!r.ok) return [];
    return [{ ...t, sack: applyOperator(op, t.sack, r.v) }];
  });
}

/** barrier(): with a sack merge operator equal traversers merge (sacks combined); normSack normalises sacks */
function barrier(m: Machine, a: unknown[], travs: Trav[]): Trav[] {
  if (isEnum(a[0], 'Barrier') && a[0].elementName === 'normSack') {
    const total = travs.reduce((n, t) => n + Number(t.sack ?? 0) * (t.bulk ?? 1), 0);
    return travs.map((t) => ({ ...t, sack: total ? Number(t.sack ?? 0) / total : t.sack }));
  }
  const merge = m.ctx.sack?.merge;
  if (merge === undefined) return travs;
  const groups = new Map<string, Trav>();
  const out: Trav[] = [];
  for (const t of m.expand(travs)) {
    const k = primitiveKey(t.o);
    const hit = k === null ? undefined : groups.get(k);
    if (hit) {
      hit.sack = applyOperator(merge, hit.sack, t.sack);
      if (m.ctx.withBulk) hit.bulk = (hit.bulk ?? 1) + 1;
      continue;
    }
    const c = { ...t, bulk: 1 };
    if (k !== null) groups.set(k, c);
    out.push(c);
  }
  return out;
}

/** subgraph('key'): the traversed edges and their vertices, copied into a graph kept as a side effect */
function subgraph(m: Machine, key: string, travs: Trav[]): Trav[] {
  let sg = m.ctx.sideEffects.get(key);
  if (!(sg instanceof TinkerGraphLike)) {
    sg = new TinkerGraphLike();
    m.ctx.sideEffects.set(key, sg);
  }
  const sub = sg as TinkerGraphLike;
  const copyV = (v: GVertex): GVertex => {
    const hit = sub.vertex(v.id);
    if (hit) return hit;
    const nv = sub.addVertex(v.label, v.id);
    for (const list of v.props.values()) for (const p of list) sub.setVertexProperty(nv, p.key, p.value, 'list', p.id);
    return nv;
  };
  for (const t of travs) {
    if (!(t.o instanceof GEdge) || sub.edge(t.o.id)) continue;
    const e = sub.addEdge(t.o.label, copyV(t.o.outV), copyV(t.o.inV), t.o.id);
    for (const [k, v] of t.o.props) e.props.set(k, v);
  }
  return travs;
}

function tree(m: Machine, s: Step, travs: Trav[]): Trav[] {
  const key = typeof s.args[0] === 'string' ? s.args[0] : undefined;
  let acc: TreeAcc;
  if (key) {
    const cur = m.ctx.sideEffects.get(key);
    acc = cur instanceof TreeAcc ? cur : new TreeAcc();
    m.ctx.sideEffects.set(key, acc);
  } else acc = new TreeAcc();
  for (const t of travs) {
    const objs: unknown[] = [];
    pathNodes(t.p).forEach((n, i) => {
      if (!s.by.length) objs.push(n.obj);
      else {
        const r = m.byValue(s.by[i % s.by.length], t, n.obj);
        if (r.ok) objs.push(r.v);
      }
    });
    acc.add(objs);
  }
  return key ? travs : [m.start(acc.result())];
}

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
  /** counts `bulk` more of an object that is its own identity key (a graph element), for groupCount() */
  addElement(o: GVertex | GEdge, bulk: number): void {
    let found = this.groups.get(o);
    if (!found) {
      found = { key: o, items: NO_ITEMS, count: 0 };
      this.groups.set(o, found);
      this.order.push(o);
    }
    found.count += bulk;
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
