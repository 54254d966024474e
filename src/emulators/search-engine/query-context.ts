/** What every query of the DSL shares: the per-search context, scores, option parsing and the scoring combinators. */
import { parsingError } from './errors.js';
import { isObject } from './json.js';
import type { IndexShard } from './shard.js';

export type Scores = Map<number, number>;
const f = Math.fround;

export interface QueryContext {
  shard: IndexShard;
  now: number;
  /** Collected for the highlighter: field → matched terms. */
  highlight?: Map<string, Set<string>>;
  /** Source of another document (terms lookup). */
  lookup?: (index: string, id: string) => Record<string, unknown> | undefined;
}

/** `{field: value}` or `{field: {value/query..., options}}` → [field, options]. */
export function fieldSpec(kind: string, body: unknown, valueKey: string): [string, Record<string, unknown>] {
  if (!isObject(body)) throw parsingError(`[${kind}] query malformed, no start_object after query name`);
  const entries = Object.entries(body).filter(([k]) => k !== 'boost' && k !== '_name');
  if (entries.length !== 1) {
    throw parsingError(
      `[${kind}] query doesn't support multiple fields, found [${entries.map(([k]) => k).join('] and [')}]`,
    );
  }
  const [field, spec] = entries[0];
  const opts = isObject(spec) ? { ...spec } : { [valueKey]: spec };
  if (body.boost !== undefined && opts.boost === undefined) opts.boost = body.boost;
  return [field, opts];
}

export function boostOf(opts: Record<string, unknown>, outer: number): number {
  return opts.boost === undefined ? outer : f(outer * Number(opts.boost));
}

export function allDocs(ctx: QueryContext, score: number): Scores {
  const out: Scores = new Map();
  for (const num of ctx.shard.liveDocNums()) out.set(num, score);
  return out;
}

export function constant(nums: Iterable<number>, score: number): Scores {
  const out: Scores = new Map();
  for (const n of nums) out.set(n, score);
  return out;
}

export function noteHighlight(ctx: QueryContext, field: string, term: string): void {
  if (!ctx.highlight) return;
  let set = ctx.highlight.get(field);
  if (!set) {
    set = new Set();
    ctx.highlight.set(field, set);
  }
  set.add(term);
}
// ---------------------------------------------------------------------------- combinators

/** Sum of scores of docs matching at least `required` of the clauses. */
export function combine(clauses: Scores[], required: number): Scores {
  if (clauses.length === 1 && required <= 1) return clauses[0];
  const counts = new Map<number, number>();
  const sums = new Map<number, number>();
  for (const c of clauses) {
    for (const [num, s] of c) {
      counts.set(num, (counts.get(num) ?? 0) + 1);
      sums.set(num, (sums.get(num) ?? 0) + s);
    }
  }
  const out: Scores = new Map();
  for (const [num, count] of counts) if (count >= Math.max(required, 1)) out.set(num, f(sums.get(num) as number));
  return out;
}

export function disMax(clauses: Scores[], tieBreaker: number): Scores {
  if (clauses.length === 1) return clauses[0];
  const max = new Map<number, number>();
  const sum = new Map<number, number>();
  for (const c of clauses) {
    for (const [num, s] of c) {
      max.set(num, Math.max(max.get(num) ?? Number.NEGATIVE_INFINITY, s));
      sum.set(num, (sum.get(num) ?? 0) + s);
    }
  }
  const out: Scores = new Map();
  for (const [num, m] of max) out.set(num, f(m + ((sum.get(num) as number) - m) * tieBreaker));
  return out;
}

export function minimumShouldMatch(spec: unknown, optional: number): number {
  if (spec === undefined || spec === null) return -1;
  const s = String(spec).trim();
  if (s.includes('<')) {
    // "3<90%": up to 3 clauses all required, above that the percentage applies.
    let result = optional;
    for (const part of s.split(/\s+/)) {
      const [limit, rule] = part.split('<');
      if (optional > Number(limit)) result = minimumShouldMatch(rule, optional);
    }
    return result;
  }
  let n: number;
  if (s.endsWith('%')) {
    const pct = Number(s.slice(0, -1));
    n = pct < 0 ? optional + Math.trunc((optional * pct) / 100) : Math.trunc((optional * pct) / 100);
  } else {
    const v = Number(s);
    if (Number.isNaN(v)) throw parsingError(`Failed to parse minimum_should_match [${s}]`);
    n = v < 0 ? optional + v : v;
  }
  return Math.max(0, Math.min(n, optional));
}
