/** Query DSL execution against one index: every query yields a map docNum → score (Lucene-style BM25 for scoring queries). */
import type { Token } from './analysis.js';
import { parseDate, parseDateMath } from './dates.js';
import { parsingError, queryShardError, SearchEngineError } from './errors.js';
import { sourceValues } from './fields.js';
import type { LeafField } from './mapping.js';
import { parseQueryString } from './query-string.js';
import type { FieldIndex, IndexShard } from './shard.js';
import { Bm25Scorer, idf } from './similarity.js';
import type { QueryDsl } from './types.js';

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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{field: value}` or `{field: {value/query..., options}}` → [field, options]. */
function fieldSpec(kind: string, body: unknown, valueKey: string): [string, Record<string, unknown>] {
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

function boostOf(opts: Record<string, unknown>, outer: number): number {
  return opts.boost === undefined ? outer : f(outer * Number(opts.boost));
}

export function allDocs(ctx: QueryContext, score: number): Scores {
  const out: Scores = new Map();
  for (const num of ctx.shard.liveDocNums()) out.set(num, score);
  return out;
}

function constant(nums: Iterable<number>, score: number): Scores {
  const out: Scores = new Map();
  for (const n of nums) out.set(n, score);
  return out;
}

function noteHighlight(ctx: QueryContext, field: string, term: string): void {
  if (!ctx.highlight) return;
  let set = ctx.highlight.get(field);
  if (!set) {
    set = new Set();
    ctx.highlight.set(field, set);
  }
  set.add(term);
}

// ---------------------------------------------------------------------------- term-level primitives

function termScores(ctx: QueryContext, fi: FieldIndex | undefined, term: string, boost: number): Scores {
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
function termDocs(ctx: QueryContext, fi: FieldIndex, term: string, into: Set<number>): void {
  const p = fi.postings.get(term);
  if (!p || p.df <= 0) return;
  noteHighlight(ctx, fi.leaf.path, term);
  for (const num of p.docs) if (ctx.shard.docs[num]) into.add(num);
}

function numericValue(ctx: QueryContext, leaf: LeafField, value: unknown, roundUp = false): number {
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

function scanValues(ctx: QueryContext, fi: FieldIndex | undefined, pred: (v: number | string) => boolean): Set<number> {
  const out = new Set<number>();
  if (!fi) return out;
  const docs = ctx.shard.docs;
  fi.values.forEach((vals, num) => {
    if (vals && docs[num] && vals.some(pred)) out.add(num);
  });
  return out;
}

function termQueryOn(
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

// ---------------------------------------------------------------------------- combinators

/** Sum of scores of docs matching at least `required` of the clauses. */
function combine(clauses: Scores[], required: number): Scores {
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

function disMax(clauses: Scores[], tieBreaker: number): Scores {
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

// ---------------------------------------------------------------------------- full-text

function searchAnalyzer(ctx: QueryContext, leaf: LeafField, override?: unknown) {
  const name = (override ?? leaf.mapping.search_analyzer ?? leaf.mapping.analyzer) as string | undefined;
  return ctx.shard.analyzers.get(name);
}

function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let prevPrev: number[] = [];
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length];
}

function fuzzyDistance(fuzziness: unknown, term: string): number {
  const s = String(fuzziness).toUpperCase();
  if (s.startsWith('AUTO')) {
    const [lo, hi] = s.includes(':') ? s.slice(5).split(',').map(Number) : [3, 6];
    return term.length < lo ? 0 : term.length < hi ? 1 : 2;
  }
  return Math.min(2, Math.max(0, Math.trunc(Number(s)) || 0));
}

function fuzzyTermScores(
  ctx: QueryContext,
  fi: FieldIndex | undefined,
  term: string,
  boost: number,
  fuzziness: unknown,
  prefixLength = 0,
): Scores {
  if (!fi) return new Map();
  const max = fuzzyDistance(fuzziness, term);
  if (max === 0) return termScores(ctx, fi, term, boost);
  const clauses: Scores[] = [];
  const prefix = term.slice(0, prefixLength);
  for (const candidate of fi.postings.keys()) {
    if (!candidate.startsWith(prefix)) continue;
    const d = levenshtein(term, candidate, max);
    if (d <= max)
      clauses.push(
        termScores(ctx, fi, candidate, f(boost * (d === 0 ? 1 : 1 - d / Math.min(term.length, candidate.length)))),
      );
  }
  return disMax(clauses, 0);
}

function matchQueryOn(
  ctx: QueryContext,
  leaf: LeafField,
  opts: Record<string, unknown>,
  boost: number,
  lenient: boolean,
): Scores {
  const query = opts.query;
  if (query === undefined) throw parsingError('No text specified for text query');
  if (leaf.kind !== 'text') {
    if (leaf.kind === 'keyword') {
      const analyzer = leaf.mapping.normalizer ? ctx.shard.analyzers.get('keyword') : undefined;
      return termQueryOn(ctx, leaf, analyzer ? String(query) : query, boost);
    }
    try {
      return termQueryOn(ctx, leaf, query, boost);
    } catch (e) {
      if (lenient || opts.lenient === true) return new Map();
      throw e;
    }
  }
  const fi = ctx.shard.getField(leaf.path);
  const tokens = searchAnalyzer(ctx, leaf, opts.analyzer)(String(query));
  if (tokens.length === 0) return opts.zero_terms_query === 'all' ? allDocs(ctx, boost) : new Map();
  const fuzziness = opts.fuzziness;
  const clauses = tokens.map((t) =>
    fuzziness !== undefined
      ? fuzzyTermScores(ctx, fi, t.term, boost, fuzziness, Number(opts.prefix_length ?? 0))
      : termScores(ctx, fi, t.term, boost),
  );
  const and = String(opts.operator ?? 'or').toLowerCase() === 'and';
  let required = and ? clauses.length : 1;
  const msm = minimumShouldMatch(opts.minimum_should_match, clauses.length);
  if (!and && msm >= 0) required = msm;
  return combine(clauses, required);
}

/** Phrase matching with positions; `slop` allows moved terms, `prefixLast` makes the last term a prefix. */
function phraseQueryOn(
  ctx: QueryContext,
  leaf: LeafField,
  opts: Record<string, unknown>,
  boost: number,
  prefixLast: boolean,
  lenient: boolean,
): Scores {
  if (leaf.kind !== 'text') return matchQueryOn(ctx, leaf, { ...opts }, boost, lenient);
  const fi = ctx.shard.getField(leaf.path);
  const tokens: Token[] = searchAnalyzer(ctx, leaf, opts.analyzer)(String(opts.query ?? ''));
  if (tokens.length === 0) return opts.zero_terms_query === 'all' ? allDocs(ctx, boost) : new Map();
  if (!fi) return new Map();
  if (tokens.length === 1 && !prefixLast) return termScores(ctx, fi, tokens[0].term, boost);
  const slop = Number(opts.slop ?? 0);
  const termSets: string[][] = tokens.map((t, i) => {
    if (prefixLast && i === tokens.length - 1) {
      const maxExp = Number(opts.max_expansions ?? 50);
      const out: string[] = [];
      for (const term of [...fi.postings.keys()].sort()) {
        if (term.startsWith(t.term) && (fi.postings.get(term)?.df ?? 0) > 0) out.push(term);
        if (out.length >= maxExp) break;
      }
      return out;
    }
    return [t.term];
  });
  if (termSets.some((s) => s.length === 0)) return new Map();
  for (let i = 0; i < termSets.length; i++) for (const t of termSets[i]) noteHighlight(ctx, leaf.path, t);
  // Per doc: positions of each phrase slot.
  const perSlot: Array<Map<number, number[]>> = termSets.map((terms) => {
    const m = new Map<number, number[]>();
    for (const term of terms) {
      const p = fi.postings.get(term);
      if (!p?.positions) continue;
      for (let i = 0; i < p.docs.length; i++) {
        const num = p.docs[i];
        if (!ctx.shard.docs[num]) continue;
        const list = m.get(num);
        if (list) list.push(...p.positions[i]);
        else m.set(num, [...p.positions[i]]);
      }
    }
    return m;
  });
  let idfSum = 0;
  for (const terms of termSets) {
    const p = fi.postings.get(terms[0]);
    idfSum += idf(p?.df ?? 0, fi.docCount);
  }
  const scorer = new Bm25Scorer(boost, f(idfSum), fi.docCount, fi.sumTotalTermFreq);
  const offsets = tokens.map((t) => t.position - tokens[0].position);
  const out: Scores = new Map();
  const smallest = perSlot.reduce((a, b) => (a.size <= b.size ? a : b));
  for (const num of smallest.keys()) {
    if (!perSlot.every((m) => m.has(num))) continue;
    const slots = perSlot.map((m) => new Set(m.get(num)));
    let freq = 0;
    for (const start of slots[0]) {
      if (slop === 0) {
        if (offsets.every((off, i) => slots[i].has(start + off))) freq++;
        continue;
      }
      // sloppy: every slot has a position within `slop` of where the phrase expects it
      let distance = 0;
      let ok = true;
      for (let i = 1; i < slots.length && ok; i++) {
        let best = Number.POSITIVE_INFINITY;
        for (const pos of slots[i]) best = Math.min(best, Math.abs(pos - (start + offsets[i])));
        distance += best;
        ok = distance <= slop;
      }
      if (ok) freq += 1 / (1 + distance);
    }
    if (freq > 0) out.set(num, scorer.score(freq, fi.lengths[num] ?? 1));
  }
  return out;
}

/** Expands `name^3`, `*`, `title.*` into leaf fields with boosts. */
export function expandFields(ctx: QueryContext, fields: unknown): Array<[LeafField, number]> {
  const list: string[] = Array.isArray(fields)
    ? fields.map(String)
    : typeof fields === 'string'
      ? [fields]
      : [].concat((ctx.shard.setting('query.default_field') as never) ?? ['*']).map(String);
  const out: Array<[LeafField, number]> = [];
  for (const spec of list) {
    const [name, boostText] = spec.split('^');
    const boost = boostText === undefined ? 1 : Number(boostText);
    const matches = ctx.shard.mappings.matchFields(name).filter((l) => l.indexed);
    for (const leaf of matches) {
      if (name.includes('*') && leaf.kind === 'unindexed') continue;
      out.push([leaf, boost]);
    }
  }
  return out;
}

function multiMatch(ctx: QueryContext, opts: Record<string, unknown>, boost: number): Scores {
  if (opts.query === undefined) throw parsingError('[multi_match] requires query value');
  const fields = expandFields(ctx, opts.fields);
  const lenient = opts.lenient === true || opts.fields === undefined || JSON.stringify(opts.fields).includes('*');
  const type = String(opts.type ?? 'best_fields');
  const per = fields.map(([leaf, fb]) => {
    const b = f(boost * fb);
    if (type === 'phrase') return phraseQueryOn(ctx, leaf, opts, b, false, lenient);
    if (type === 'phrase_prefix') return phraseQueryOn(ctx, leaf, opts, b, true, lenient);
    return matchQueryOn(ctx, leaf, opts, b, lenient);
  });
  if (type === 'most_fields') return combine(per, 1);
  const tie = Number(opts.tie_breaker ?? (type === 'cross_fields' ? 0 : 0));
  return disMax(per, tie);
}

// ---------------------------------------------------------------------------- range / prefix / wildcard

function rangeQuery(ctx: QueryContext, body: unknown, boost: number): Scores {
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

function wildcardToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let re = '';
  for (const ch of pattern) re += ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's');
}

function termsMatching(ctx: QueryContext, field: string, pred: (term: string) => boolean, boost: number): Scores {
  const set = new Set<number>();
  const leaf = ctx.shard.mappings.field(field);
  const fi = leaf ? ctx.shard.getField(leaf.path) : undefined;
  if (fi) for (const term of fi.postings.keys()) if (pred(term)) termDocs(ctx, fi, term, set);
  return constant(set, boost);
}

// ---------------------------------------------------------------------------- metadata fields

const META_FIELDS = new Set([
  '_id',
  '_index',
  '_routing',
  '_seq_no',
  '_version',
  '_primary_term',
  '_source',
  '_field_names',
  '_ignored',
]);

/** Queries on `_id`, `_index`, `_routing`, ... evaluated against document metadata (constant score). */
function metaQuery(
  ctx: QueryContext,
  kind: string,
  field: string,
  opts: Record<string, unknown>,
  boost: number,
): Scores {
  if (field === '_source' || field === '_field_names' || field === '_ignored') {
    throw queryShardError(ctx.shard.name, `Field [${field}] of type [${field}] does not support ${kind} queries`);
  }
  const metaValue = (num: number): string | number | undefined => {
    const doc = ctx.shard.docs[num]?.doc;
    if (!doc) return undefined;
    switch (field) {
      case '_id':
        return doc.id;
      case '_index':
        return ctx.shard.name;
      case '_routing':
        return doc.routing;
      case '_seq_no':
        return doc.seqNo;
      case '_version':
        return doc.version;
      default:
        return doc.primaryTerm;
    }
  };
  let pred: (v: string | number) => boolean;
  switch (kind) {
    case 'exists':
      pred = () => true;
      break;
    case 'term':
    case 'match':
    case 'match_phrase': {
      const want = String(opts.value ?? opts.query);
      pred = (v) => String(v) === want;
      break;
    }
    case 'terms': {
      const set = new Set((opts.values as unknown[]).map(String));
      pred = (v) => set.has(String(v));
      break;
    }
    case 'prefix': {
      const want = String(opts.value);
      pred = (v) => String(v).startsWith(want);
      break;
    }
    case 'wildcard': {
      const re = wildcardToRegExp(String(opts.value ?? opts.wildcard), opts.case_insensitive === true);
      pred = (v) => re.test(String(v));
      break;
    }
    case 'range': {
      const cmp = (v: string | number, bound: unknown) =>
        typeof v === 'number' ? v - Number(bound) : String(v) < String(bound) ? -1 : String(v) > String(bound) ? 1 : 0;
      pred = (v) =>
        (opts.gt === undefined || cmp(v, opts.gt) > 0) &&
        (opts.gte === undefined || cmp(v, opts.gte) >= 0) &&
        (opts.lt === undefined || cmp(v, opts.lt) < 0) &&
        (opts.lte === undefined || cmp(v, opts.lte) <= 0);
      break;
    }
    default:
      throw queryShardError(ctx.shard.name, `Field [${field}] does not support [${kind}] queries`);
  }
  const out: Scores = new Map();
  for (const num of ctx.shard.liveDocNums()) {
    const v = metaValue(num);
    if (v !== undefined && pred(v)) out.set(num, boost);
  }
  return out;
}

function metaFieldOf(kind: string, body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  if (kind === 'exists') return META_FIELDS.has(String(body.field)) ? String(body.field) : undefined;
  const field = Object.keys(body).find((k) => k !== 'boost' && k !== '_name');
  return field !== undefined && META_FIELDS.has(field) ? field : undefined;
}

// ---------------------------------------------------------------------------- dispatcher

export function executeQuery(query: unknown, ctx: QueryContext, boost = 1): Scores {
  if (!isObject(query)) throw parsingError('query malformed, must start with start_object');
  const keys = Object.keys(query);
  if (keys.length === 0) return allDocs(ctx, boost);
  if (keys.length > 1) throw parsingError(`[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const kind = keys[0];
  const body = query[kind] as QueryDsl;
  const meta = ['term', 'terms', 'match', 'match_phrase', 'prefix', 'wildcard', 'range', 'exists'].includes(kind)
    ? metaFieldOf(kind, body)
    : undefined;
  if (meta !== undefined) {
    if (kind === 'exists') return metaQuery(ctx, kind, meta, {}, boostOf(body, boost));
    if (kind === 'terms') return metaQuery(ctx, kind, meta, { values: body[meta] }, boostOf(body, boost));
    const [, opts] = fieldSpec(kind, body, kind === 'match' || kind === 'match_phrase' ? 'query' : 'value');
    return metaQuery(ctx, kind, meta, opts, boostOf(opts, boost));
  }
  switch (kind) {
    case 'match_all':
      return allDocs(ctx, boostOf(isObject(body) ? body : {}, boost));
    case 'match_none':
      return new Map();
    case 'match':
    case 'match_bool_prefix': {
      const [field, opts] = fieldSpec(kind, body, 'query');
      const fields = expandFields(ctx, field);
      return disMax(
        fields.map(([leaf]) => matchQueryOn(ctx, leaf, opts, boostOf(opts, boost), field.includes('*'))),
        0,
      );
    }
    case 'match_phrase':
    case 'match_phrase_prefix': {
      const [field, opts] = fieldSpec(kind, body, 'query');
      const fields = expandFields(ctx, field);
      return disMax(
        fields.map(([leaf]) =>
          phraseQueryOn(ctx, leaf, opts, boostOf(opts, boost), kind === 'match_phrase_prefix', field.includes('*')),
        ),
        0,
      );
    }
    case 'multi_match':
      return multiMatch(ctx, body, boostOf(body, boost));
    case 'term': {
      const [field, opts] = fieldSpec(kind, body, 'value');
      if (isObject(opts.value) || Array.isArray(opts.value))
        throw parsingError('[term] query does not support array of values');
      const leaf = ctx.shard.mappings.field(field);
      return leaf
        ? termQueryOn(ctx, leaf, opts.value, boostOf(opts, boost), opts.case_insensitive === true)
        : new Map();
    }
    case 'terms': {
      if (!isObject(body)) throw parsingError('[terms] query malformed');
      const entries = Object.entries(body).filter(([k]) => k !== 'boost' && k !== '_name');
      if (entries.length !== 1) throw parsingError('[terms] query does not support multiple fields');
      const [field, values] = entries[0];
      if (isObject(values) && 'id' in values && 'path' in values) {
        const source = ctx.lookup?.(String(values.index ?? ctx.shard.name), String(values.id));
        const looked = source
          ? sourceValues(source, String(values.path)).filter((v) => v !== null && typeof v !== 'object')
          : [];
        return executeQuery(
          { terms: { [field]: looked, ...(body.boost !== undefined ? { boost: body.boost } : {}) } },
          ctx,
          boost,
        );
      }
      if (!Array.isArray(values)) throw parsingError(`[terms] query does not support [${field}]`);
      const maxTerms = Number(ctx.shard.setting('max_terms_count') ?? 65536);
      if (values.length > maxTerms) {
        throw queryShardError(
          ctx.shard.name,
          `The number of terms [${values.length}] used in the Terms Query request has exceeded the allowed maximum of [${maxTerms}]. This maximum can be set by changing the [index.max_terms_count] index level setting.`,
          'illegal_argument_exception',
        );
      }
      const leaf = ctx.shard.mappings.field(field);
      const b = boostOf(body, boost);
      if (!leaf) return new Map();
      const set = new Set<number>();
      for (const v of values) for (const num of termQueryOn(ctx, leaf, v, 1).keys()) set.add(num);
      return constant(set, b);
    }
    case 'range':
      return rangeQuery(ctx, body, boost);
    case 'prefix': {
      const [field, opts] = fieldSpec(kind, body, 'value');
      const value = String(opts.value ?? opts.prefix ?? '');
      const ci = opts.case_insensitive === true;
      const lower = value.toLowerCase();
      return termsMatching(
        ctx,
        field,
        (t) => (ci ? t.toLowerCase().startsWith(lower) : t.startsWith(value)),
        boostOf(opts, boost),
      );
    }
    case 'wildcard': {
      const [field, opts] = fieldSpec(kind, body, 'value');
      const re = wildcardToRegExp(String(opts.value ?? opts.wildcard ?? ''), opts.case_insensitive === true);
      return termsMatching(ctx, field, (t) => re.test(t), boostOf(opts, boost));
    }
    case 'regexp': {
      const [field, opts] = fieldSpec(kind, body, 'value');
      const maxLength = Number(ctx.shard.setting('max_regex_length') ?? 1000);
      if (String(opts.value).length > maxLength) {
        throw queryShardError(
          ctx.shard.name,
          `The length of regex [${String(opts.value).length}] used in the Regexp Query request has exceeded the allowed maximum of [${maxLength}]. This maximum can be set by changing the [index.max_regex_length] index level setting.`,
          'illegal_argument_exception',
        );
      }
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${String(opts.value)})$`, opts.case_insensitive === true ? 'i' : '');
      } catch {
        throw queryShardError(
          ctx.shard.name,
          `failed to create query: invalid regular expression [${String(opts.value)}]`,
        );
      }
      return termsMatching(ctx, field, (t) => re.test(t), boostOf(opts, boost));
    }
    case 'fuzzy': {
      const [field, opts] = fieldSpec(kind, body, 'value');
      const leaf = ctx.shard.mappings.field(field);
      const fi = leaf ? ctx.shard.getField(leaf.path) : undefined;
      return fuzzyTermScores(
        ctx,
        fi,
        String(opts.value ?? ''),
        boostOf(opts, boost),
        opts.fuzziness ?? 'AUTO',
        Number(opts.prefix_length ?? 0),
      );
    }
    case 'exists': {
      const field = body?.field;
      if (typeof field !== 'string') throw parsingError('[exists] must be provided with a [field]');
      const b = boostOf(body, boost);
      const set = new Set<number>();
      const paths = ctx.shard.mappings.isObject(field)
        ? ctx.shard.mappings.matchFields(`${field}.*`)
        : ctx.shard.mappings.matchFields(field);
      for (const leaf of paths) {
        const fi = ctx.shard.getField(leaf.path);
        if (!fi) continue;
        fi.lengths.forEach((len, num) => {
          if (len !== undefined && ctx.shard.docs[num]) set.add(num);
        });
      }
      return constant(set, b);
    }
    case 'ids': {
      const values = body?.values;
      if (!Array.isArray(values)) throw parsingError('[ids] query malformed, no values');
      const set = new Set<number>();
      for (const id of values) {
        const num = ctx.shard.docNumOf(String(id));
        if (num !== undefined) set.add(num);
      }
      return constant(set, boostOf(body, boost));
    }
    case 'bool':
      return boolQuery(ctx, body, boost);
    case 'constant_score': {
      if (!body?.filter) throw parsingError("[constant_score] requires a 'filter' element");
      return constant(executeQuery(body.filter, ctx, 1).keys(), boostOf(body, boost));
    }
    case 'dis_max': {
      const queries = Array.isArray(body?.queries) ? body.queries : [];
      const b = boostOf(body, boost);
      return disMax(
        queries.map((q: unknown) => executeQuery(q, ctx, b)),
        Number(body?.tie_breaker ?? 0),
      );
    }
    case 'boosting': {
      const positive = executeQuery(body.positive, ctx, boostOf(body, boost));
      const negative = executeQuery(body.negative, ctx, 1);
      const factor = Number(body.negative_boost ?? 1);
      for (const num of negative.keys()) {
        const s = positive.get(num);
        if (s !== undefined) positive.set(num, f(s * factor));
      }
      return positive;
    }
    case 'query_string':
    case 'simple_query_string': {
      const opts = typeof body === 'string' ? { query: body } : body;
      if (opts?.query === undefined) throw parsingError(`[${kind}] must be provided with a [query]`);
      if (Array.isArray(opts.fields) && opts.fields.some((f: unknown) => f === null))
        throw parsingError(`[${kind}] field name in [fields] cannot be null`);
      const parsed = parseQueryString(String(opts.query), opts, kind === 'simple_query_string');
      return executeQuery(parsed, ctx, boostOf(opts, boost));
    }
    case 'nested':
      return executeQuery(body.query, ctx, boostOf(body, boost));
    case 'wrapper':
      return executeQuery(JSON.parse(Buffer.from(String(body.query), 'base64').toString('utf8')), ctx, boost);
    default:
      throw new SearchEngineError(
        400,
        'parsing_exception',
        `unknown query [${kind}]`,
        {},
        {
          type: 'named_object_not_found_exception',
          reason: `[1:${kind.length + 12}] unknown field [${kind}]`,
        },
      );
  }
}

function clauseList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/**
 * A per-document test for simple filters (term/terms/range/exists on doc values), so a bool query with scoring clauses
 * checks its few candidates instead of materializing every document matching a broad filter.
 */
function filterPredicate(query: unknown, ctx: QueryContext): ((num: number) => boolean) | undefined {
  if (!isObject(query)) return undefined;
  const keys = Object.keys(query);
  if (keys.length !== 1) return undefined;
  const kind = keys[0];
  const body = query[kind];
  if (!isObject(body) || metaFieldOf(kind, body) !== undefined) return undefined;
  if (kind === 'term' || kind === 'terms') {
    const field = Object.keys(body).find((k) => k !== 'boost' && k !== '_name');
    if (field === undefined) return undefined;
    const leaf = ctx.shard.mappings.field(field);
    if (!leaf?.docValues || leaf.kind === 'text') return undefined;
    const raw = body[field];
    let wanted: unknown[];
    if (kind === 'terms') {
      if (!Array.isArray(raw)) return undefined;
      wanted = raw;
    } else {
      const v = isObject(raw) ? raw.value : raw;
      if (
        isObject(raw) &&
        (raw.case_insensitive === true || Object.keys(raw).some((k) => !['value', 'boost', '_name'].includes(k)))
      )
        return undefined;
      if (Array.isArray(v) || isObject(v)) return undefined;
      wanted = [v];
    }
    if (leaf.kind === 'date' && wanted.some((w) => typeof w === 'string' && w.includes('/'))) return undefined;
    const normalize = leaf.kind === 'keyword' ? ctx.shard.analyzers.normalizer(leaf.mapping.normalizer) : undefined;
    const values = new Set<string | number>(
      wanted
        .map((w) =>
          leaf.kind === 'keyword' ? (normalize ? normalize(String(w)) : String(w)) : numericValue(ctx, leaf, w),
        )
        .filter((w) => !(typeof w === 'number' && Number.isNaN(w))),
    );
    const fi = ctx.shard.getField(leaf.path);
    if (!fi) return () => false;
    return (num) => {
      const vals = fi.values[num];
      if (!vals) return false;
      for (const v of vals) if (values.has(v)) return true;
      return false;
    };
  }
  return undefined;
}

function boolQuery(ctx: QueryContext, body: QueryDsl, outer: number): Scores {
  if (!isObject(body)) throw parsingError('[bool] query malformed');
  for (const k of Object.keys(body)) {
    if (
      ![
        'must',
        'filter',
        'should',
        'must_not',
        'minimum_should_match',
        'boost',
        '_name',
        'adjust_pure_negative',
      ].includes(k)
    ) {
      throw parsingError(`[bool] query does not support [${k}]`);
    }
  }
  const boost = boostOf(body, outer);
  const must = clauseList(body.must).map((q) => executeQuery(q, ctx, boost));
  const should = clauseList(body.should).map((q) => executeQuery(q, ctx, boost));
  const filterClauses = clauseList(body.filter);
  const predicates: Array<(num: number) => boolean> = [];
  let filter: Scores[];
  if (must.length > 0) {
    filter = [];
    for (const q of filterClauses) {
      const p = filterPredicate(q, ctx);
      if (p) predicates.push(p);
      else filter.push(executeQuery(q, ctx, 1));
    }
  } else filter = filterClauses.map((q) => executeQuery(q, ctx, 1));
  const mustNot = clauseList(body.must_not).map((q) => executeQuery(q, ctx, 1));
  const required = must.length + filter.length;
  let msm = minimumShouldMatch(body.minimum_should_match, should.length);
  if (msm < 0) msm = required === 0 && should.length > 0 ? 1 : 0;
  if (required === 0 && should.length === 0) {
    const all = allDocs(ctx, mustNot.length > 0 ? 0 : boost);
    for (const m of mustNot) for (const num of m.keys()) all.delete(num);
    return all;
  }
  let candidates: Scores;
  if (required > 0) {
    const sets = [...must, ...filter].sort((a, b) => a.size - b.size);
    candidates = new Map();
    const first = sets[0];
    nextDoc: for (const num of first.keys()) {
      for (let i = 1; i < sets.length; i++) if (!sets[i].has(num)) continue nextDoc;
      for (const p of predicates) if (!p(num)) continue nextDoc;
      let s = 0;
      for (const m of must) s += m.get(num) as number;
      candidates.set(num, s);
    }
  } else {
    candidates = new Map();
    for (const c of should) for (const num of c.keys()) candidates.set(num, 0);
  }
  const out: Scores = new Map();
  for (const [num, base] of candidates) {
    let matched = 0;
    let s = base;
    for (const c of should) {
      const v = c.get(num);
      if (v !== undefined) {
        matched++;
        s += v;
      }
    }
    if (matched < msm) continue;
    let excluded = false;
    for (const m of mustNot) if (m.has(num)) excluded = true;
    if (!excluded) out.set(num, f(s));
  }
  return out;
}

export function parseDateForQuery(value: unknown, format?: string): number | undefined {
  return parseDate(value, format);
}
