// Filter and predicate steps: has*(), is(), filter/not/and/or, where() with label predicates, dedup(),
// simplePath()/cyclicPath(), range/limit/skip/tail, coin(), sample(), none()/discard(), fail().
import { listStep } from './collection-steps.js';
import type { Step } from './compile.js';
import { GProperty, GremlinEngineError, type GVertex, GVertexProperty } from './graph.js';
import type { Machine, StepTable } from './machine.js';
import { isBytecode, isEnum, isP, type PC } from './structure.js';
import { pathNodes, replace, type Trav } from './traverser.js';
import {
  elementIdOf,
  gEquals,
  idEquals,
  identityKey,
  isCollection,
  isElement,
  labelOf,
  PathValue,
  predicateTester,
  propsOf,
  propValue,
  shuffle,
  testPredicate,
  tokenValue,
  toList,
} from './values.js';

export const FILTER_STEPS: StepTable = {
  has: (m, s, travs) => travs.filter((t) => hasTest(m, t, s.args)),
  hasLabel: (_m, s, travs) => {
    const labels = s.args.flat();
    return travs.filter((t) => {
      const l = labelOf(t.o);
      return labels.some((x) => (isP(x) ? testPredicate(x, l) : x === l));
    });
  },
  hasId: (_m, s, travs) => {
    const ids = s.args.flat();
    return travs.filter(
      (t) =>
        isElement(t.o) &&
        ids.some((x) =>
          isP(x) ? testPredicate(x, (t.o as GVertex).id) : idEquals((t.o as GVertex).id, elementIdOf(x)),
        ),
    );
  },
  hasKey: (_m, s, travs) =>
    travs.filter((t) => {
      const k = t.o instanceof GVertexProperty || t.o instanceof GProperty ? t.o.key : undefined;
      return s.args.some((x) => (isP(x) ? testPredicate(x, k) : x === k));
    }),
  hasValue: (_m, s, travs) =>
    travs.filter((t) => {
      const v = t.o instanceof GVertexProperty || t.o instanceof GProperty ? t.o.value : undefined;
      return s.args.flat().some((x) => (isP(x) ? testPredicate(x, v) : gEquals(v, x)));
    }),
  hasNot: (_m, s, travs) => travs.filter((t) => propValue(t.o, s.args[0] as string) === undefined),
  is: (_m, s, travs) => {
    const a = s.args;
    return travs.filter((t) => (isP(a[0]) ? testPredicate(a[0], t.o) : gEquals(t.o, a[0])));
  },
  filter: (m, s, travs) => travs.filter((t) => m.test(s.args[0], t)),
  not: (m, s, travs) => travs.filter((t) => !m.test(s.args[0], t)),
  and: (m, s, travs) => travs.filter((t) => s.args.every((x) => m.test(x, t))),
  or: (m, s, travs) => travs.filter((t) => s.args.some((x) => m.test(x, t))),
  where,
  dedup,
  simplePath: pathShape,
  cyclicPath: pathShape,
  range,
  limit: range,
  skip: range,
  tail: range,
  coin: (_m, s, travs) => {
    const p = Number(s.args[0]);
    return travs.filter(() => Math.random() < p);
  },
  sample: (_m, s, travs) => {
    const a = s.args;
    if (s.by.length > 1) throw new GremlinEngineError('Sample step can only have one by modulator');
    if (isEnum(a[0], 'Scope') && a[0].elementName === 'local') {
      const n = Number(a[1]);
      return travs.map((t) =>
        isCollection(t.o) || t.o instanceof Map ? replace(t, shuffle(toList(t.o)).slice(0, n)) : t,
      );
    }
    return shuffle([...travs]).slice(0, Number(a[0]));
  },
  identity: (_m, _s, travs) => travs,
  withComputer: (_m, _s, travs) => travs,
  none: (m, s, travs) => (s.args.length ? listStep('none', s, travs, m) : []),
  discard: () => [],
  fail: (_m, s, travs) => {
    if (travs.length) throw new GremlinEngineError(s.args.length ? String(s.args[0]) : 'fail() step triggered');
    return travs;
  },
};

/** simplePath() / cyclicPath(): whether the (from/to section of the, by-modulated) path repeats an object */
function pathShape(m: Machine, s: Step, travs: Trav[]): Trav[] {
  return travs.filter((t) => {
    let objs = pathSection(s, t);
    if (s.by.length) {
      const mapped: unknown[] = [];
      for (let i = 0; i < objs.length; i++) {
        const r = m.byValue(s.by[i % s.by.length], t, objs[i]);
        if (!r.ok) return false;
        mapped.push(r.v);
      }
      objs = mapped;
    }
    const unique = objs.every((o, i) => objs.findIndex((x) => sameObj(x, o)) === i);
    return s.name === 'simplePath' ? unique : !unique;
  });
}

function hasTest(m: Machine, t: Trav, a: unknown[]): boolean {
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
    return propsOf(o, [key as string]).some((p) => m.runChild(pred, replace(t, p.value)).length > 0);
  }
  const props = propsOf(o, [key as string]);
  if (pred === null && !isP(pred)) return false;
  return props.some((p) => (isP(pred) ? testPredicate(pred as PC, p.value) : gEquals(p.value, pred)));
}

function where(m: Machine, s: Step, travs: Trav[]): Trav[] {
  const a = s.args;
  if (isBytecode(a[0])) return travs.filter((t) => m.test(a[0], t));
  let startKey: string | undefined;
  let pred: PC;
  if (typeof a[0] === 'string') {
    startKey = a[0];
    pred = a[1] as PC;
  } else pred = a[0] as PC;
  const byFor = (i: number) => (s.by.length ? s.by[i % s.by.length] : undefined);
  const labels = m.ctx.pathLabels;
  if (startKey === undefined && s.by.length === 0 && labels && !predicateNamesAny(pred, labels)) {
    // No path carries the predicate's labels: they name side effects (or keys of Map traversers), so the
    // resolved predicate is the same for every non-Map traverser of this step.
    let shared: ((value: unknown) => boolean) | null | undefined;
    return travs.filter((t) => {
      if (t.o instanceof Map) {
        const own = resolvePredicate(m, pred, t, () => undefined);
        return own !== null && testPredicate(own, t.o);
      }
      if (shared === undefined) {
        const resolved = resolvePredicate(m, pred, t, () => undefined);
        shared = resolved === null ? null : predicateTester(resolved);
      }
      return shared ? shared(t.o) : false;
    });
  }
  return travs.filter((t) => {
    let left: unknown = t.o;
    if (startKey !== undefined) {
      const r = m.selectLabel(t, startKey, 'last');
      if (!r.ok) return false;
      left = r.v;
    }
    const lb = m.byValue(byFor(0), t, left);
    if (!lb.ok) return false;
    let byIdx = 1;
    const resolved = resolvePredicate(m, pred, t, () => byFor(byIdx++));
    if (resolved === null) return false;
    return testPredicate(resolved, lb.v);
  });
}

/**
 * where(P) over labels no path carries (see where()): a test of one non-Map object, the predicate resolved once, on
 * the traverser `at()` gives for the first object tested. undefined when the step is not of that kind.
 */
export function sharedWhereTest(m: Machine, s: Step): ((o: unknown, at: () => Trav) => boolean) | undefined {
  const a = s.args;
  const labels = m.ctx.pathLabels;
  if (s.name !== 'where' || a.length !== 1 || !isP(a[0]) || s.by.length || !labels) return undefined;
  const pred = a[0] as PC;
  if (predicateNamesAny(pred, labels)) return undefined;
  let shared: ((value: unknown) => boolean) | null | undefined;
  return (o, at) => {
    if (shared === undefined) {
      const resolved = resolvePredicate(m, pred, at(), () => undefined);
      shared = resolved === null ? null : predicateTester(resolved);
    }
    return shared ? shared(o) : false;
  };
}

/** Replaces label references in a where() predicate with the labelled (by-modulated) values. */
function resolvePredicate(m: Machine, p: PC, t: Trav, by: () => unknown[] | undefined): PC | null {
  if (p.operator === 'and' || p.operator === 'or') {
    const x = resolvePredicate(m, p.value as PC, t, by);
    const y = resolvePredicate(m, p.other as PC, t, by);
    if (!x || !y) return null;
    return { operator: p.operator, value: x, other: y };
  }
  if (p.operator === 'not') {
    const x = resolvePredicate(m, p.value as PC, t, by);
    return x && { operator: 'not', value: x, other: null };
  }
  const resolveOne = (v: unknown): { ok: boolean; v?: unknown } => {
    if (typeof v !== 'string') return { ok: true, v };
    const r = m.selectLabel(t, v, 'last');
    if (!r.ok) return r;
    return m.byValue(by(), t, r.v);
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

function pathSection(s: Step, t: Trav): unknown[] {
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

function dedup(m: Machine, s: Step, travs: Trav[]): Trav[] {
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
  const shared = m.dedupStates.get(s);
  const seen: unknown[] = shared?.seen ?? [];
  const seenKeys = shared?.keys ?? new Set<unknown>();
  const out: Trav[] = [];
  for (const t of travs) {
    let key: unknown;
    if (a.length) {
      const vals: unknown[] = [];
      let ok = true;
      for (const l of a) {
        const r = m.selectLabel(t, l, 'last');
        if (!r.ok) ok = false;
        const b = r.ok ? m.byValue(s.by[0], t, r.v) : { ok: false };
        if (!b.ok) ok = false;
        vals.push(b.v);
      }
      if (!ok) continue;
      key = vals;
    } else {
      const r = m.byValue(s.by[0], t);
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

function range(_m: Machine, s: Step, travs: Trav[]): Trav[] {
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
