/** Query DSL execution against one index: every query yields a map docNum → score (Lucene-style BM25 for scoring
 * queries). This module dispatches on the query kind and combines bool clauses; the families live beside it. */
import { parsingError, queryShardError, SearchEngineError } from './errors.js';
import { sourceValues } from './fields.js';
import { expandFields, fuzzyTermScores, matchQueryOn, multiMatch, phraseQueryOn } from './full-text-queries.js';
import { isObject } from './json.js';
import { metaFieldOf, metaQuery } from './meta-queries.js';
import {
  allDocs,
  boostOf,
  constant,
  disMax,
  fieldSpec,
  minimumShouldMatch,
  type QueryContext,
  type Scores,
} from './query-context.js';
import { parseQueryString } from './query-string.js';
import { numericValue, rangeQuery, termQueryOn, termsMatching, wildcardToRegExp } from './term-queries.js';
import type { QueryDsl } from './types.js';

const f = Math.fround;

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
