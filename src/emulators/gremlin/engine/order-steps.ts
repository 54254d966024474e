// order(): sorting by by()-modulated keys, shuffle, and the shortcuts for order().by(...).limit(n).
import type { Step } from './compile.js';
import { type FastChain, fastChainOf, NO_VALUE } from './fast-chain.js';
import type { Machine, StepTable } from './machine.js';
import { isBytecode, isEnum } from './structure.js';
import { move, replace, type Trav } from './traverser.js';
import { columnValue, gCompare, isCollection, isElement, MapEntry, shuffle, toList, unfoldValue } from './values.js';

export const ORDER_STEPS: StepTable = { order };

interface Comparator {
  by: unknown[] | undefined;
  desc: boolean;
  shuffle: boolean;
}

function comparators(s: Step): Comparator[] {
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

/** by(Column) and plain-chain by(traversal) keys computed directly (NO_VALUE: unproductive); null: run the by() */
function directKeys(m: Machine, comps: Comparator[]): (FastChain | null)[] {
  return comps.map((c): FastChain | null => {
    const b = c.by?.[0];
    if (m.ctx.productiveBy || !c.by || c.by.length !== 1) return null;
    if (isEnum(b, 'Column')) {
      const col = b.elementName;
      return (o) => columnValue(o, col);
    }
    return isBytecode(b) ? fastChainOf(b) : null;
  });
}

function sortValues<T>(m: Machine, items: T[], s: Step, keyOf: (x: T) => { t: Trav; o: unknown }, limit?: number): T[] {
  const comps = comparators(s);
  if (comps.some((c) => c.shuffle)) return shuffle([...items]);
  const direct = directKeys(m, comps);
  if (limit !== undefined && limit <= MAX_TOP_K && direct.every((f) => f !== null)) {
    return topK(eachOf(items), comps, direct as FastChain[], (x) => keyOf(x).o, limit);
  }
  if (comps.length > 1 && direct.every((f) => f !== null)) {
    return topByLeadingKey(m, items, comps, direct as FastChain[], keyOf, limit ?? Number.POSITIVE_INFINITY);
  }
  return sortWithKeys(m, items, comps, direct, keyOf, limit).map((k) => k.item);
}

/** the largest limit() that topK() handles (it inserts into a sorted list of that many) */
const MAX_TOP_K = 64;

/** one key pair compared as gCompare does, strings and numbers directly */
function compareKey(x: unknown, y: unknown): number {
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'number' && typeof y === 'number' && !Number.isNaN(x) && !Number.isNaN(y))
    return x < y ? -1 : x > y ? 1 : 0;
  return gCompare(x, y);
}

/**
 * The first `limit` items of the stable sort by side-effect-free keys (items with an unproductive key left out), in
 * one pass: an item is compared with the last of the best so far key by key, so its later keys are computed only
 * when the earlier ones tie, and all of them only when it joins the best. `forEach` visits the items in order;
 * `keep(item, keys)` gives what is kept of an item that joins the best (an item visited in a reused object is copied
 * there, and its keys that are that object itself replaced by the copy).
 */
function topK<T>(
  forEach: (visit: (item: T) => void) => void,
  comps: Comparator[],
  direct: FastChain[],
  objOf: (x: T) => unknown,
  limit: number,
  keep: (item: T, keys: unknown[]) => T = (item) => item,
): T[] {
  const signs = comps.map((c) => (c.desc ? -1 : 1));
  const n = direct.length;
  const best: { item: T; keys: unknown[] }[] = [];
  if (limit <= 0) return [];
  const compare = (a: unknown[], b: unknown[]) => {
    for (let i = 0; i < n; i++) {
      const c = compareKey(a[i], b[i]);
      if (c) return signs[i] * c;
    }
    return 0;
  };
  // an item's keys are computed into one reused list (its first `have` slots; never emptied, which would drop its
  // storage), copied only when the item joins the best
  const keys: unknown[] = new Array(n).fill(undefined);
  forEach((item) => {
    const o = objOf(item);
    let have = 0;
    if (best.length === limit) {
      // better than the last of the best? (ties keep the earlier item: a stable sort)
      const last = best[limit - 1].keys;
      let c = 0;
      for (; have < n && c === 0; have++) {
        const v = direct[have](o);
        if (v === NO_VALUE) return;
        keys[have] = v;
        c = signs[have] * compareKey(v, last[have]);
      }
      if (c >= 0) return;
    }
    for (; have < n; have++) {
      const v = direct[have](o);
      if (v === NO_VALUE) return;
      keys[have] = v;
    }
    let at = best.length;
    while (at > 0 && compare(keys, best[at - 1].keys) < 0) at--;
    const kept = keys.slice();
    best.splice(at, 0, { item: keep(item, kept), keys: kept });
    if (best.length > limit) best.pop();
  });
  return best.map((b) => b.item);
}

const eachOf =
  <T>(items: T[]) =>
  (visit: (item: T) => void) => {
    for (const item of items) visit(item);
  };

/** topK() over the entries of a map (what unfold() gives, as `forEachEntry` visits them), in one reused entry */
function topKEntries(
  forEachEntry: (visit: (key: unknown, value: unknown) => void) => void,
  comps: Comparator[],
  direct: FastChain[],
  limit: number,
): MapEntry[] {
  const visited = new MapEntry(undefined, undefined) as { key: unknown; value: unknown };
  return topK<MapEntry>(
    (visit) =>
      forEachEntry((key, value) => {
        visited.key = key;
        visited.value = value;
        visit(visited as MapEntry);
      }),
    comps,
    direct,
    (o) => o,
    limit,
    (entry, keys) => {
      const copy = new MapEntry(entry.key, entry.value);
      for (let i = 0; i < keys.length; i++) if (keys[i] === entry) keys[i] = copy;
      return copy;
    },
  );
}

/** the order() step's comparators when all its keys are computed directly (null: the step has to run) */
function directOrder(m: Machine, orderStep: Step): { comps: Comparator[]; direct: FastChain[] } | null {
  if (orderStep.args.length) return null;
  const comps = comparators(orderStep);
  if (comps.some((c) => c.shuffle)) return null;
  const direct = directKeys(m, comps);
  return direct.every((f) => f !== null) ? { comps, direct: direct as FastChain[] } : null;
}

/**
 * groupCount().unfold().order().by(...).limit(n) (global) over counts that are not in a map yet: `forEachCount`
 * visits each counted object and its count in the map's order. The first n entries, each a traverser moved from
 * `t` (what the map's traverser would give), or null when the steps have to run.
 */
export function orderCounts(
  m: Machine,
  orderStep: Step,
  forEachCount: (visit: (key: unknown, count: number) => void) => void,
  limit: number,
  t: Trav,
): Trav[] | null {
  const order = limit <= MAX_TOP_K ? directOrder(m, orderStep) : null;
  if (!order) return null;
  const lead = order.comps[0];
  const byCount = lead.by?.length === 1 && isEnum(lead.by[0], 'Column') && lead.by[0].elementName === 'values';
  const visited = byCount ? countsThatCanRank(forEachCount, limit, lead.desc) : forEachCount;
  return topKEntries(visited, order.comps, order.direct, limit).map((o) => move(t, o));
}

/**
 * The counts ranked first (`desc`) or last that can reach the first `limit` places: those at least as good as the
 * `limit`-th best count. The later keys (a name, an id) are then computed for the few tied at that count, not for
 * every count met.
 */
function countsThatCanRank(
  forEachCount: (visit: (key: unknown, count: number) => void) => void,
  limit: number,
  desc: boolean,
): (visit: (key: unknown, count: number) => void) => void {
  const better = (a: number, b: number) => (desc ? a > b : a < b);
  // the best `limit` counts met, best first, and whether a count met ranks below them all
  const best: number[] = [];
  let worse = false;
  forEachCount((_, count) => {
    if (best.length === limit && !better(count, best[limit - 1])) {
      worse ||= count !== best[limit - 1];
      return;
    }
    let at = best.length;
    while (at > 0 && better(count, best[at - 1])) at--;
    best.splice(at, 0, count);
    if (best.length > limit) worse ||= best.pop() !== best[limit - 1];
  });
  if (!worse) return forEachCount;
  const threshold = best[limit - 1];
  return (visit) =>
    forEachCount((key, count) => {
      if (desc ? count >= threshold : count <= threshold) visit(key, count);
    });
}

/**
 * order().by(k1).by(k2)...[limit(n)] with side-effect-free keys: items are ranked by k1 first; the later keys are
 * computed only for the k1-groups that reach the first n (the same result as sorting everything).
 */
function topByLeadingKey<T>(
  m: Machine,
  items: T[],
  comps: Comparator[],
  direct: FastChain[],
  keyOf: (x: T) => { t: Trav; o: unknown },
  limit: number,
): T[] {
  const groups = groupsByLeadingKey(m, items, comps, direct, keyOf);
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
      const sorted = sortWithKeys(m, group, restComps, rest, keyOf, Number.isFinite(remaining) ? remaining : undefined);
      for (const k of sorted) out.push(k.item);
    }
  }
  return out;
}

/**
 * The items (unproductive leading key left out) in groups of equal leading key, groups in key order and items in
 * their own order within a group. Keys that are all strings or all non-NaN numbers are bucketed by value (equal
 * values are equal keys) and only the distinct keys sorted; other keys go through the general sort.
 */
function groupsByLeadingKey<T>(
  m: Machine,
  items: T[],
  comps: Comparator[],
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
  const leading = sortWithKeys(m, items, comps.slice(0, 1), direct.slice(0, 1), keyOf);
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
 * Items by the comparators' keys (items with an unproductive key left out), each with its keys. With `limit`, only a
 * prefix that holds the first `limit` items in their sorted order is returned (for an order() followed by limit()).
 */
function sortWithKeys<T>(
  m: Machine,
  items: T[],
  comps: Comparator[],
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
      const r = m.byValue(comps[i].by, t, o);
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

/**
 * unfold().order().by(...)...limit(n) (global) whose keys are all computed directly (they read neither paths nor
 * side effects): the unfolded items are ranked without a traverser each, and only the first n become traversers
 * (what unfold() then order() would give). null when the shape does not apply (then each step runs).
 */
export function orderUnfolded(
  m: Machine,
  orderStep: Step,
  travs: Trav[],
  limit: number,
  maxItems: number,
): Trav[] | null {
  const order = directOrder(m, orderStep);
  if (!order) return null;
  const { comps, direct } = order;
  if (limit <= MAX_TOP_K && travs.length === 1 && (travs[0].bulk ?? 1) === 1) {
    // one collection unfolded (a groupCount() map): its items are ranked as they are
    const t = travs[0];
    const map = t.o;
    if (map instanceof Map) {
      if (map.size > maxItems) return null;
      const forEachEntry = (visit: (key: unknown, value: unknown) => void) => {
        for (const [k, v] of map) visit(k, v);
      };
      return topKEntries(forEachEntry, comps, direct, limit).map((o) => move(t, o));
    }
    const unfolded = unfoldValue(t.o);
    if (unfolded.length > maxItems) return null;
    return topK(eachOf(unfolded), comps, direct as FastChain[], (o) => o, limit).map((o) => move(t, o));
  }
  const items: { t: Trav; o: unknown }[] = [];
  for (const t of travs) {
    if ((t.bulk ?? 1) !== 1) return null;
    for (const o of unfoldValue(t.o)) items.push({ t, o });
    if (items.length > maxItems) return null;
  }
  const keyOf = (x: { t: Trav; o: unknown }) => x;
  const sorted =
    limit <= MAX_TOP_K
      ? topK(eachOf(items), comps, direct as FastChain[], (x) => x.o, limit)
      : comps.length > 1
        ? topByLeadingKey(m, items, comps, direct as FastChain[], keyOf, limit)
        : sortWithKeys(m, items, comps, direct, keyOf, limit).map((k) => k.item);
  return sorted.map((x) => move(x.t, x.o));
}

function order(m: Machine, s: Step, travs: Trav[]): Trav[] {
  const local = isEnum(s.args[0], 'Scope') && s.args[0].elementName === 'local';
  if (!local) {
    for (const c of comparators(s)) {
      if (c.by && typeof c.by[0] === 'string') {
        for (const t of travs) {
          if (!isElement(t.o) && !(t.o instanceof Map)) m.byValue(c.by, t);
        }
      }
    }
    return sortValues(m, travs, s, (t) => ({ t, o: t.o }), m.orderLimit);
  }
  // order(local) then limit(local, n): each collection needs only its first n in order
  const limit = m.orderLimit;
  return travs.map((t) => {
    const o = t.o;
    if (o instanceof Map) {
      const entries = unfoldValue(o) as MapEntry[];
      const sorted = sortValues(m, entries, s, (e) => ({ t, o: e }), limit);
      return replace(t, new Map(sorted.map((e) => [e.key, e.value])));
    }
    if (isCollection(o)) {
      const sorted = sortValues(m, toList(o), s, (x) => ({ t, o: x }), limit);
      return replace(t, sorted);
    }
    return t;
  });
}

/** n when an order() step is followed by a limit(n) of the same scope (undefined for anything else) */
export function limitAfter(order: Step, next: Step | undefined): number | undefined {
  if (next?.name !== 'limit') return undefined;
  const local = (st: Step) => isEnum(st.args[0], 'Scope') && st.args[0].elementName === 'local';
  const args = isEnum(next.args[0], 'Scope') ? next.args.slice(1) : next.args;
  if (local(order) !== local(next) || args.length !== 1) return undefined;
  const n = Number(args[0]);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
