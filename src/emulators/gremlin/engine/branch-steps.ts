// Branching steps: union(), coalesce(), optional(), local(), choose()/branch() with option(), repeat() with
// times/until/emit, and match() patterns.
import { compile, START_STEPS, type Step } from './compile.js';
import { GremlinEngineError } from './graph.js';
import { checkDeadline, MAX_TRAVERSERS } from './limits.js';
import type { Machine, StepTable } from './machine.js';
import { type BytecodeLike, isBytecode, isEnum, isP, type PC } from './structure.js';
import { labelTrav, move, pathLabelled, replace, single, type Trav } from './traverser.js';
import { gEquals, propValue, testPredicate, tokenValue } from './values.js';

export const BRANCH_STEPS: StepTable = {
  union: (m, s, travs, isStart) => {
    const a = s.args;
    if (isStart && travs.length === 0) {
      // a start union: children that begin with a start step spawn their own traversers
      return a.flatMap((b) => {
        const steps = compile(b as BytecodeLike);
        const first = steps[0]?.name ?? '';
        return m.run(steps, START_STEPS.has(first) || first === 'union' ? [] : [m.start(null)]);
      });
    }
    const out: Trav[] = [];
    for (const b of a) out.push(...m.run(compile(b as BytecodeLike), travs));
    return out;
  },
  coalesce: (m, s, travs) =>
    travs.flatMap((t) => {
      for (const b of s.args) {
        const r = m.runChild(b, t);
        if (r.length) return r;
      }
      return [];
    }),
  optional: (m, s, travs) =>
    travs.flatMap((t) => {
      const r = m.runChild(s.args[0], t);
      return r.length ? r : [t];
    }),
  local: (m, s, travs) => travs.flatMap((t) => m.runChild(s.args[0], t)),
  choose,
  branch: choose,
  repeat,
  match,
};

function choose(m: Machine, s: Step, travs: Trav[]): Trav[] {
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
      if (m.test(a[0], t)) add(a[1], t);
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
      if (isBytecode(a[0])) r = m.first(a[0], t);
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
            ? m.runChild(k, replace(single(t), r.v)).length > 0
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
  for (const [branch, ts] of groups) out.push(...m.run(compile(branch as BytecodeLike), ts));
  return out;
}

function repeat(m: Machine, s: Step, travs: Trav[]): Trav[] {
  const name = typeof s.args[0] === 'string' ? s.args[0] : undefined;
  const body = compile((name === undefined ? s.args[0] : s.args[1]) as BytecodeLike);
  if (body.some((st) => st.name === 'inject'))
    throw new GremlinEngineError('The parent of inject()-step can not be repeat()-step');
  for (const st of body)
    if (st.name === 'dedup' && !st.args.length) m.dedupStates.set(st, { seen: [], keys: new Set() });
  const out: Trav[] = [];
  const shouldEmit = (t: Trav) => s.emitSet && (s.emit === undefined || s.emit === true || m.test(s.emit, t));
  const shouldStop = (t: Trav, n: number) => {
    if (s.until !== undefined && m.test(s.until, t)) return true;
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
    checkDeadline(m.ctx);
    const next = m.run(body, m.merge(cur)).map((t) => {
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

function match(m: Machine, s: Step, travs: Trav[]): Trav[] {
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
      cur = cur.flatMap((x) => runMatchPattern(m, p.steps, p.start, p.end, x));
    }
    for (const x of cur) {
      const map = new Map<unknown, unknown>();
      for (const l of allLabels) {
        const v = pathLabelled(x.p, l);
        if (v.length) map.set(l, v[v.length - 1]);
      }
      out.push(move(x, map));
    }
  }
  return out;
}

function runMatchPattern(
  m: Machine,
  steps: Step[],
  start: string | undefined,
  end: string | undefined,
  t: Trav,
): Trav[] {
  if (start === undefined) return m.run(steps, [t]).length ? [t] : [];
  let body = steps.slice(1);
  if (end !== undefined) body = body.slice(0, -1);
  const startVal = pathLabelled(t.p, start).at(-1);
  const results = m.run(body, [move(t, startVal)]);
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
