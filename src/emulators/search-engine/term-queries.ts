/** Term-level queries: exact terms (BM25 scored on text, constant elsewhere), numeric/date values, ranges, and the
 * term-dictionary scans behind prefix, wildcard and regexp. */
import { parseDateMath } from './dates.js';
import { parsingError, queryShardError } from './errors.js';
import { isObject } from './json.js';
import type { LeafField } from './mapping.js';
import { boostOf, constant, fieldSpec, noteHighlight, type QueryContext, type Scores } from './query-context.js';
import type { FieldIndex } from './shard.js';
import { Bm25Scorer, idf } from './similarity.js';

const f = Math.fround;

// ---- term-level primitives

export function termScores(ctx: QueryContext, fi: FieldIndex | undefined, term: string, boost: number): Scores {
  const out: Scores = new Map();
  if (!fi) return out;
  const p = fi.postings.get(term);
  if (!p || p.df <= 0) return out;
  noteHighlight(ctx, fi.leaf.path, term);
  const scorer = new Bm25Scorer(boost, idf(p.df, fi.docCount), fi.docCount, fi.sumTotalTermFreq);
  const docs = ctx.shard.docs;
  const withNorms = fi.leaf.kind === 'text';
  for (let i = 0; i < p.docs.length; i++) {
    const num = p.docs[i];
    if (!docs[num]) continue;
    out.set(num, scorer.score(p.freqs[i], withNorms ? (fi.lengths[num] ?? 1) : null));
  }
  return out;
}

/** Matching docs of a term on a keyword/text field, constant scored (terms/prefix/wildcard semantics). */
export function termDocs(ctx: QueryContext, fi: FieldIndex, term: string, into: Set<number>): void {
  const p = fi.postings.get(term);
  if (!p || p.df <= 0) return;
  noteHighlight(ctx, fi.leaf.path, term);
  for (const num of p.docs) if (ctx.shard.docs[num]) into.add(num);
}

export function numericValue(ctx: QueryContext, leaf: LeafField, value: unknown, roundUp = false): number {
  let n: number | undefined;
  if (leaf.kind === 'date') n = parseDateMath(value, leaf.mapping.format as string | undefined, roundUp, ctx.now);
  else if (leaf.kind === 'boolean')
    n = value === true || value === 'true' ? 1 : value === false || value === 'false' ? 0 : undefined;
  else if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) n = Number(value);
  if (n === undefined) {
    const reason =
      leaf.kind === 'date'
        ? `failed to parse date field [${String(value)}] with format [${leaf.mapping.format ?? 'strict_date_optional_time||epoch_millis'}]`
        : leaf.kind === 'boolean'
          ? `Can't parse boolean value [${String(value)}], expected [true] or [false]`
          : `For input string: "${String(value)}"`;
    throw queryShardError(ctx.shard.name, `failed to create query: ${reason}`);
  }
  if (leaf.kind === 'integer' && !Number.isInteger(n)) return Number.NaN; // a long field never holds 1.5
  if (leaf.type === 'float' || leaf.type === 'half_float') return f(n);
  return n;
}

export function scanValues(
  ctx: QueryContext,
  fi: FieldIndex | undefined,
  pred: (v: number | string) => boolean,
): Set<number> {
  const out = new Set<number>();
  if (!fi) return out;
  const docs = ctx.shard.docs;
  fi.values.forEach((vals, num) => {
    if (vals && docs[num] && vals.some(pred)) out.add(num);
  });
  return out;
}

export function termQueryOn(
  ctx: QueryContext,
  leaf: LeafField,
  value: unknown,
  boost: number,
  caseInsensitive = false,
): Scores {
  const fi = ctx.shard.getField(leaf.path);
  if (leaf.kind === 'text' || leaf.kind === 'keyword') {
    let term = typeof value === 'boolean' || typeof value === 'number' ? String(value) : String(value ?? '');
    const normalize = leaf.kind === 'keyword' ? ctx.shard.analyzers.normalizer(leaf.mapping.normalizer) : undefined;
    if (normalize) term = normalize(term);
    if (caseInsensitive && fi) {
      const lower = term.toLowerCase();
      const set = new Set<number>();
      for (const t of fi.postings.keys()) if (t.toLowerCase() === lower) termDocs(ctx, fi, t, set);
      return constant(set, boost);
    }
    return termScores(ctx, fi, term, boost);
  }
  if (leaf.kind === 'unindexed') return new Map();
  if (isObject(value)) throw parsingError(`[term] query does not support [${leaf.path}]`);
  const n = numericValue(ctx, leaf, value);
  if (Number.isNaN(n)) return new Map();
  if (leaf.kind === 'date' && typeof value === 'string' && value.includes('/')) {
    // rounded date math matches the whole unit
    const lo = numericValue(ctx, leaf, value, false);
    const hi = numericValue(ctx, leaf, value, true);
    return constant(
      scanValues(ctx, fi, (v) => (v as number) >= lo && (v as number) <= hi),
      boost,
    );
  }
  return constant(
    scanValues(ctx, fi, (v) => v === n),
    boost,
  );
}

// ---- range / prefix / wildcard

export function rangeQuery(ctx: QueryContext, body: unknown, boost: number): Scores {
  const [field, opts] = fieldSpec('range', body, 'gte');
  const leaf = ctx.shard.mappings.field(field);
  const b = boostOf(opts, boost);
  if (!leaf) return new Map();
  let lower = opts.gte ?? opts.gt ?? opts.from;
  let upper = opts.lte ?? opts.lt ?? opts.to;
  let includeLower = opts.gt === undefined && opts.include_lower !== false && opts.include_lower !== 'false';
  let includeUpper = opts.lt === undefined && opts.include_upper !== false && opts.include_upper !== 'false';
  if (opts.gt !== undefined) {
    lower = opts.gt;
    includeLower = false;
  }
  if (opts.lt !== undefined) {
    upper = opts.lt;
    includeUpper = false;
  }
  const fi = ctx.shard.getField(leaf.path);
  if (leaf.kind === 'keyword' || leaf.kind === 'text') {
    const lo = lower === undefined || lower === null ? undefined : String(lower);
    const hi = upper === undefined || upper === null ? undefined : String(upper);
    const set = new Set<number>();
    if (fi) {
      for (const term of fi.postings.keys()) {
        if (lo !== undefined && (includeLower ? term < lo : term <= lo)) continue;
        if (hi !== undefined && (includeUpper ? term > hi : term >= hi)) continue;
        termDocs(ctx, fi, term, set);
      }
    }
    return constant(set, b);
  }
  const withFormat = opts.format ? { ...leaf, mapping: { ...leaf.mapping, format: opts.format } } : leaf;
  const lo =
    lower === undefined || lower === null
      ? Number.NEGATIVE_INFINITY
      : numericValue(ctx, withFormat as LeafField, lower, !includeLower);
  const hi =
    upper === undefined || upper === null
      ? Number.POSITIVE_INFINITY
      : numericValue(ctx, withFormat as LeafField, upper, includeUpper);
  return constant(
    scanValues(ctx, fi, (v) => {
      const n = v as number;
      return (includeLower ? n >= lo : n > lo) && (includeUpper ? n <= hi : n < hi);
    }),
    b,
  );
}

export function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's');
}

export function termsMatching(
  ctx: QueryContext,
  field: string,
  pred: (term: string) => boolean,
  boost: number,
): Scores {
  const set = new Set<number>();
  const leaf = ctx.shard.mappings.field(field);
  const fi = leaf ? ctx.shard.getField(leaf.path) : undefined;
  if (fi) for (const term of fi.postings.keys()) if (pred(term)) termDocs(ctx, fi, term, set);
  return constant(set, boost);
}
