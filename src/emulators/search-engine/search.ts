/** The search pipeline: query → hits (sorted, paged, filtered, highlighted) + aggregations, across indices. */
import { computeAggregations, type DocRef, docValues } from './aggregations.js';
import { formatDate } from './dates.js';
import { badRequest, parsingError, queryShardError, SearchEngineError } from './errors.js';
import { docValueFields, fetchFields, fieldList, storedFields } from './fields.js';
import { type HighlightSpec, highlightHit } from './highlight.js';
import { executeQuery } from './query.js';
import { allDocs, type QueryContext, type Scores } from './query-context.js';
import type { IndexShard } from './shard.js';
import { applySourceFilter, parseSourceFilter } from './source-filter.js';
import type { OpenSearchSearchBody, OpenSearchSearchResponse, QueryDsl, SearchHit } from './types.js';

const BODY_KEYS = new Set([
  'query',
  'from',
  'size',
  'sort',
  '_source',
  'track_total_hits',
  'track_scores',
  'highlight',
  'aggs',
  'aggregations',
  'search_after',
  'min_score',
  'post_filter',
  'version',
  'seq_no_primary_term',
  'stored_fields',
  'docvalue_fields',
  'timeout',
  'terminate_after',
  'explain',
  'fields',
  'script_fields',
  'indices_boost',
  'profile',
  'collapse',
  'rescore',
  'suggest',
  'ext',
  'slice',
  'stats',
  'pit',
  'include_named_queries_score',
  'verbose_pipeline',
]);

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

interface SortField {
  field: string;
  order: 1 | -1;
  missing: unknown;
  mode?: string;
  unmappedType?: string;
  format?: string;
}

export interface SearchOptions {
  /** Extra request-level `_source`, `_source_includes`, `_source_excludes` (URI parameters). */
  source?: unknown;
  sourceIncludes?: unknown;
  sourceExcludes?: unknown;
  now?: number;
  /** A scroll continuation: from + size may pass index.max_result_window. */
  scrolling?: boolean;
  /** Source of a document in any index (terms lookup). */
  lookup?: (index: string, id: string) => Record<string, unknown> | undefined;
}

function parseSort(spec: unknown): SortField[] {
  if (spec === undefined || spec === null) return [];
  const list = Array.isArray(spec) ? spec : [spec];
  return list.flatMap((item): SortField[] => {
    if (typeof item === 'string') {
      return item.split(',').map((part) => {
        const [field, dir] = part.split(':');
        return { field, order: (dir ?? (field === '_score' ? 'desc' : 'asc')) === 'desc' ? -1 : 1, missing: '_last' };
      });
    }
    if (typeof item !== 'object') throw parsingError(`[sort] malformed: ${JSON.stringify(item)}`);
    return Object.entries(item as Record<string, unknown>).map(([field, v]) => {
      const defaultOrder = field === '_score' ? 'desc' : 'asc';
      if (typeof v === 'string') {
        if (v !== 'asc' && v !== 'desc') throw badRequest(`Unknown SortOrder [${v}]`);
        return { field, order: v === 'desc' ? -1 : 1, missing: '_last' };
      }
      const o = (v ?? {}) as Record<string, unknown>;
      const order = String(o.order ?? defaultOrder).toLowerCase();
      if (order !== 'asc' && order !== 'desc') throw badRequest(`Unknown SortOrder [${order}]`);
      return {
        field,
        order: order === 'desc' ? -1 : 1,
        missing: o.missing ?? '_last',
        mode: o.mode as string | undefined,
        unmappedType: o.unmapped_type as string | undefined,
        format: o.format as string | undefined,
      };
    });
  });
}

type SortValue = number | string | bigint | null;

function pickValue(values: Array<number | string>, sort: SortField): number | string {
  const mode = sort.mode ?? (sort.order === 1 ? 'min' : 'max');
  if (typeof values[0] === 'string') {
    const sorted = [...(values as string[])].sort();
    return mode === 'max' ? sorted[sorted.length - 1] : sorted[0];
  }
  const nums = [...(values as number[])].sort((a, b) => a - b);
  switch (mode) {
    case 'max':
      return Math.max(...nums);
    case 'sum':
      return nums.reduce((a, b) => a + b, 0);
    case 'avg':
      return nums.reduce((a, b) => a + b, 0) / nums.length;
    case 'median': {
      const s = [...nums].sort((a, b) => a - b);
      const mid = Math.floor(s.length / 2);
      return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    }
    default:
      return Math.min(...nums);
  }
}

interface Candidate extends DocRef {
  shardIndex: number;
  keys: SortValue[];
}

function sortKeys(ref: DocRef, sorts: SortField[]): SortValue[] {
  return sorts.map((s) => {
    if (s.field === '_score') return ref.score;
    if (s.field === '_doc') return ref.num;
    const leaf = ref.shard.mappings.field(s.field);
    if (!leaf) {
      if (s.unmappedType === undefined)
        throw queryShardError(ref.shard.name, `No mapping found for [${s.field}] in order to sort on`);
      return missingValue(s, s.unmappedType);
    }
    const { values } = docValues(ref, s.field);
    if (!values || values.length === 0) return missingValue(s, leaf.type);
    return pickValue(values as Array<number | string>, s);
  });
}

function missingValue(s: SortField, type: string): SortValue {
  const numeric = !['keyword', 'text', 'constant_keyword', 'ip', 'wildcard'].includes(type);
  const last = s.missing === '_last' || s.missing === undefined;
  const first = s.missing === '_first';
  if (!last && !first) return numeric ? Number(s.missing) : String(s.missing);
  const high = (last && s.order === 1) || (first && s.order === -1);
  if (!numeric) return high ? '\uffff\uffff__missing_high' : null;
  if (type === 'double' || type === 'float' || type === 'half_float' || type === 'scaled_float') {
    return high ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }
  return high ? LONG_MAX : LONG_MIN;
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null || a === '\uffff\uffff__missing_high')
    return b === '\uffff\uffff__missing_high' ? -1 : a === null ? -1 : 1;
  if (b === null) return 1;
  if (b === '\uffff\uffff__missing_high') return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function outputSortValue(v: SortValue, ref: DocRef, sort: SortField): unknown {
  if (v === '\uffff\uffff__missing_high') return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (sort.format && typeof v === 'number' && ref.shard.mappings.field(sort.field)?.kind === 'date')
    return formatDate(v, sort.format);
  return v;
}

function totalHitsThreshold(track: unknown): number {
  if (track === undefined || track === null) return 10_000;
  if (track === true || track === 'true') return Number.POSITIVE_INFINITY;
  if (track === false || track === 'false') return -1;
  const n = Number(track);
  if (!Number.isInteger(n) || n < -1)
    throw badRequest(`[track_total_hits] parameter must be positive or equals to -1, got ${String(track)}`);
  return n;
}

export function runSearch(
  shards: IndexShard[],
  body: OpenSearchSearchBody,
  opts: SearchOptions = {},
): OpenSearchSearchResponse {
  const started = Date.now();
  const now = opts.now ?? started;
  for (const key of Object.keys(body)) {
    if (!BODY_KEYS.has(key)) {
      const v = (body as Record<string, unknown>)[key];
      if (v !== null && typeof v === 'object') throw parsingError(`Unknown key for a START_OBJECT in [${key}].`);
      throw parsingError(`Unknown key for a VALUE_STRING in [${key}].`);
    }
  }
  const from = body.from === undefined ? 0 : Number(body.from);
  const size = body.size === undefined ? 10 : Number(body.size);
  for (const v of [size, from]) {
    if (v > 2147483647)
      throw new SearchEngineError(
        400,
        'input_coercion_exception',
        `Numeric value (${v}) out of range of int (-2147483648 - 2147483647)`,
      );
  }
  if (from < 0) throw badRequest(`[from] parameter cannot be negative, found [${from}]`);
  if (size < 0) throw badRequest(`[size] parameter cannot be negative, found [${size}]`);
  if (Array.isArray(body.docvalue_fields)) {
    for (const shard of shards) {
      const max = Number(shard.setting('max_docvalue_fields_search') ?? 100);
      if (body.docvalue_fields.length > max) {
        throw queryShardError(
          shard.name,
          `Trying to retrieve too many docvalue_fields. Must be less than or equal to: [${max}] but was [${body.docvalue_fields.length}]. This limit can be set by changing the [index.max_docvalue_fields_search] index level setting.`,
          'illegal_argument_exception',
        );
      }
    }
  }
  if (body.script_fields && typeof body.script_fields === 'object') {
    const count = Object.keys(body.script_fields).length;
    for (const shard of shards) {
      const max = Number(shard.setting('max_script_fields') ?? 32);
      if (count > max) {
        throw queryShardError(
          shard.name,
          `Trying to retrieve too many script_fields. Must be less than or equal to: [${max}] but was [${count}]. This limit can be set by changing the [index.max_script_fields] index level setting.`,
          'illegal_argument_exception',
        );
      }
    }
  }
  for (const shard of opts.scrolling ? [] : shards) {
    const max = Number(shard.setting('max_result_window') ?? 10_000);
    if (from + size > max) {
      throw queryShardError(
        shard.name,
        `Result window is too large, from + size must be less than or equal to: [${max}] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`,
        'illegal_argument_exception',
      );
    }
  }
  const rescores = Array.isArray(body.rescore) ? body.rescore : body.rescore ? [body.rescore] : [];
  for (const r of rescores as Array<Record<string, unknown>>) {
    const window = Number(r.window_size ?? 10);
    for (const shard of shards) {
      const max = Number(shard.setting('max_rescore_window') ?? shard.setting('max_result_window') ?? 10_000);
      if (window > max) {
        throw queryShardError(
          shard.name,
          `Rescore window [${window}] is too large. It must be less than [${max}]. This prevents allocating massive heaps for storing the results to be rescored. This limit can be set by changing the [index.max_rescore_window] index level setting.`,
          'illegal_argument_exception',
        );
      }
    }
  }
  const sorts = parseSort(body.sort);
  const sortByScore = sorts.length === 0 || sorts.some((s) => s.field === '_score');
  const trackScores = sortByScore || body.track_scores === true;
  const threshold = totalHitsThreshold(body.track_total_hits);
  const aggSpecs = (body.aggs ?? body.aggregations) as Record<string, QueryDsl> | undefined;
  const highlightSpec = body.highlight as HighlightSpec | undefined;

  const candidates: Candidate[] = [];
  const aggDocs: DocRef[] = [];
  const highlightTerms = new Map<IndexShard, Map<string, Set<string>>>();
  shards.forEach((shard, shardIndex) => {
    shard.maybeAutoRefresh(now);
    const ctx: QueryContext = { shard, now, highlight: highlightSpec ? new Map() : undefined, lookup: opts.lookup };
    let scores: Scores = body.query === undefined ? allDocs(ctx, 1) : executeQuery(body.query, ctx);
    if (highlightSpec?.highlight_query) {
      const hctx: QueryContext = { shard, now, highlight: new Map() };
      executeQuery(highlightSpec.highlight_query, hctx);
      ctx.highlight = hctx.highlight;
    }
    if (ctx.highlight) highlightTerms.set(shard, ctx.highlight);
    if (body.min_score !== undefined) {
      const min = Number(body.min_score);
      scores = new Map([...scores].filter(([, s]) => s >= min));
    }
    if (aggSpecs) for (const [num, score] of scores) aggDocs.push({ shard, num, score });
    let postFilter: Set<number> | undefined;
    if (body.post_filter) postFilter = new Set(executeQuery(body.post_filter, { shard, now }).keys());
    for (const [num, score] of scores) {
      if (postFilter && !postFilter.has(num)) continue;
      candidates.push({ shard, num, score, shardIndex, keys: [] });
    }
  });

  const effectiveSorts: SortField[] = sorts.length > 0 ? sorts : [{ field: '_score', order: -1, missing: '_last' }];
  if (sorts.length > 0 || body.search_after) for (const c of candidates) c.keys = sortKeys(c, effectiveSorts);
  else for (const c of candidates) c.keys = [c.score];
  const cmp = (a: Candidate, b: Candidate) => {
    for (let i = 0; i < effectiveSorts.length; i++) {
      const r = compareValues(a.keys[i], b.keys[i]) * effectiveSorts[i].order;
      if (r !== 0) return r;
    }
    return a.shardIndex - b.shardIndex || a.num - b.num;
  };

  let pool = candidates;
  if (Array.isArray(body.search_after)) {
    const after = body.search_after;
    if (after.length !== effectiveSorts.length) {
      throw badRequest(`search_after has ${after.length} value(s) but sort has ${effectiveSorts.length}.`);
    }
    pool = candidates.filter((c) => {
      for (let i = 0; i < effectiveSorts.length; i++) {
        const r = compareValues(c.keys[i], after[i] as SortValue) * effectiveSorts[i].order;
        if (r !== 0) return r > 0;
      }
      return false;
    });
  }
  const wanted = from + size;
  let top: Candidate[];
  if (wanted === 0) top = [];
  else if (pool.length > 4 * wanted && wanted < 1000) top = selectTop(pool, wanted, cmp);
  else top = pool.sort(cmp).slice(0, wanted);
  const page = top.slice(from);

  const sourceFilter = parseSourceFilter(opts.source ?? body._source, opts.sourceIncludes, opts.sourceExcludes);
  let maxScore: number | null = null;
  if (trackScores && candidates.length > 0) {
    maxScore = Number.NEGATIVE_INFINITY;
    for (const c of candidates) if (c.score > maxScore) maxScore = c.score;
  }
  const hits: SearchHit[] = page.map((c) => {
    const live = c.shard.docs[c.num];
    if (!live) throw new SearchEngineError(500, 'illegal_state_exception', 'document vanished during search');
    const doc = live.doc;
    const hit: SearchHit = { _index: c.shard.name, _id: doc.id, _score: null };
    if (body.version === true) hit._version = doc.version;
    if (body.seq_no_primary_term === true) {
      hit._seq_no = doc.seqNo;
      hit._primary_term = doc.primaryTerm;
    }
    hit._score = trackScores ? c.score : null;
    if (doc.routing !== undefined) hit._routing = doc.routing;
    const stored = body.stored_fields === undefined ? undefined : fieldList(body.stored_fields);
    const sourceWanted = stored === undefined || stored.includes('_source') || body._source !== undefined;
    const src = sourceWanted ? applySourceFilter(doc.source, sourceFilter) : undefined;
    if (src !== undefined) hit._source = src;
    const fields = {
      ...(stored ? storedFields(c.shard, doc.source, stored) : {}),
      ...(Array.isArray(body.docvalue_fields) ? docValueFields(c.shard, c.num, body.docvalue_fields) : {}),
      ...(Array.isArray(body.fields) ? fetchFields(c.shard, doc.source, body.fields) : {}),
    };
    if (Object.keys(fields).length > 0) hit.fields = fields;
    if (highlightSpec) {
      const hl = highlightHit(c.shard, doc.source, highlightSpec, highlightTerms.get(c.shard) ?? new Map());
      if (hl) hit.highlight = hl;
    }
    if (sorts.length > 0) hit.sort = c.keys.map((k, i) => outputSortValue(k, c, effectiveSorts[i]));
    return hit;
  });

  const total = candidates.length;
  const response: OpenSearchSearchResponse = {
    took: Date.now() - started,
    timed_out: false,
    _shards: { total: shards.length, successful: shards.length, skipped: 0, failed: 0 },
    hits: {
      ...(threshold >= 0
        ? {
            total:
              total > threshold
                ? { value: threshold, relation: 'gte' as const }
                : { value: total, relation: 'eq' as const },
          }
        : {}),
      max_score: maxScore,
      hits,
    },
  };
  if (aggSpecs) response.aggregations = computeAggregations(aggSpecs, aggDocs, now);
  return response;
}

/** Partial selection of the best `k` candidates without sorting the whole pool. */
function selectTop<T>(pool: T[], k: number, cmp: (a: T, b: T) => number): T[] {
  const top: T[] = [];
  for (const c of pool) {
    if (top.length < k) {
      top.push(c);
      if (top.length === k) top.sort(cmp);
      continue;
    }
    if (cmp(c, top[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(c, top[mid]) < 0) hi = mid;
      else lo = mid + 1;
    }
    top.splice(lo, 0, c);
    top.pop();
  }
  if (top.length < k) top.sort(cmp);
  return top;
}

/** Matching doc numbers of a query (count, delete_by_query). */
export function matchingDocs(shard: IndexShard, query: QueryDsl | undefined, now = Date.now()): Scores {
  const ctx: QueryContext = { shard, now };
  return query === undefined ? allDocs(ctx, 1) : executeQuery(query, ctx);
}
