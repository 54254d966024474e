import { randomBytes } from 'node:crypto';
import { MAX_START_PLUS_SIZE } from '../../domain/cloudsearch-limits.js';
import type { DomainSchema } from '../../domain/cloudsearch-schema.js';
import type { OpenSearchSearchBody, SearchHit } from '../search-engine/types.js';
import { renderFields } from './batch.js';
import { type Dsl, parseWeightedFields, type TranslateOptions, toDsl } from './dsl.js';
import { type CloudSearchEngine, domainIndexName } from './engine.js';
import { searchError } from './errors.js';
import { sortShadowField } from './mappings.js';
import { type DefaultOperator, parseQuery, parseStructured, type QueryParserName } from './query-parser.js';
import { parseRelaxedJson } from './relaxed-json.js';

export interface CloudSearchHit {
  id: string;
  fields?: Record<string, string[]>;
  highlights?: Record<string, string>;
}

interface HighlightRequest {
  field: string;
  pre: string;
  post: string;
  maxPhrases: number;
}

/** `highlight={"title":{...}}` (SDK) or `highlight.title={format:'text', max_phrases:2, pre_tag:'[', post_tag:']'}`. */
function parseHighlights(schema: DomainSchema, params: URLSearchParams): HighlightRequest[] {
  const specs: Array<[string, unknown]> = [];
  const combined = params.get('highlight');
  if (combined) specs.push(...Object.entries(jsonParam('highlight', combined)));
  for (const [key, value] of params) {
    if (key.startsWith('highlight.'))
      specs.push([key.slice('highlight.'.length), value === '' ? {} : jsonParam(key, value)]);
  }
  return specs.map(([name, spec]) => {
    const field = schema.fields.get(name);
    if (!field) throw searchError(`Unknown field '${name}' in highlight`);
    if (!field.highlight) throw searchError(`Field '${name}' is not highlight enabled`);
    const o = (spec ?? {}) as { format?: unknown; max_phrases?: unknown; pre_tag?: unknown; post_tag?: unknown };
    const format = o.format === undefined ? 'html' : String(o.format);
    if (format !== 'html' && format !== 'text') throw searchError(`highlight.${name}: format must be 'html' or 'text'`);
    const maxPhrases = o.max_phrases === undefined ? 1 : Number(o.max_phrases);
    if (!Number.isInteger(maxPhrases) || maxPhrases < 1 || maxPhrases > 5) {
      throw searchError(`highlight.${name}: max_phrases must be between 1 and 5`);
    }
    const defaultTag = format === 'html' ? ['<em>', '</em>'] : ['*', '*'];
    return {
      field: name,
      pre: o.pre_tag === undefined ? defaultTag[0] : String(o.pre_tag),
      post: o.post_tag === undefined ? defaultTag[1] : String(o.post_tag),
      maxPhrases,
    };
  });
}

export interface CloudSearchResponse {
  status: { rid: string; 'time-ms'?: number; timems?: number };
  hits: { found: number; start: number; cursor?: string; hit: CloudSearchHit[] };
  facets?: Record<string, { buckets: { value: string; count: number }[] }>;
  stats?: Record<string, FieldStats>;
}

export interface FieldStats {
  min: string | null;
  max: string | null;
  count: number;
  missing: number;
  sum: number;
  sumOfSquares: number;
  mean: string | null;
  stddev: number;
}

/** `stats={"price":{}}` (SDK) or `stats.price={}`: numeric and date fields that are facet enabled. */
function parseStats(schema: DomainSchema, params: URLSearchParams): string[] {
  const names: string[] = [];
  const combined = params.get('stats');
  if (combined) names.push(...Object.keys(jsonParam('stats', combined)));
  for (const [key] of params) if (key.startsWith('stats.')) names.push(key.slice('stats.'.length));
  for (const name of names) {
    const field = schema.fields.get(name);
    if (!field) throw searchError(`Unknown field '${name}' in stats`);
    if (!field.facet || !['int', 'double', 'date'].includes(field.base)) {
      throw searchError(`Field '${name}' must be a facet-enabled int, double or date field for stats`);
    }
  }
  return [...new Set(names)];
}

function renderStat(base: string, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (base === 'date') return new Date(Number(value)).toISOString().replace('.000Z', 'Z');
  return String(value);
}

const MAX_SIZE = 10_000;
const DEFAULT_FACET_SIZE = 10;
/** Accepted q.options keys; only fields and defaultOperator change results here (the rest tune scoring). */
const Q_OPTIONS = new Set([
  'fields',
  'defaultOperator',
  'operators',
  'phraseFields',
  'phraseSlop',
  'explicitPhraseSlop',
  'tieBreaker',
]);
const PARSERS = new Set<QueryParserName>(['simple', 'structured', 'lucene', 'dismax']);

interface FacetRequest {
  field: string;
  sort: 'count' | 'bucket';
  size: number;
  buckets?: string[];
}

function jsonParam(name: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseRelaxedJson(text);
  } catch (err) {
    throw searchError(`Invalid JSON in ${name}: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw searchError(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw searchError(`Invalid value '${raw}' for ${name}: expected a non-negative integer`);
  const n = Number(raw);
  if (n < min || n > max) throw searchError(`${name} must be between ${min} and ${max}`);
  return n;
}

function translateOptions(schema: DomainSchema, params: URLSearchParams): TranslateOptions {
  const raw = params.get('q.options');
  let defaultOperator: DefaultOperator = 'and';
  let defaultFields = schema.defaultSearchFields.map((name) => ({ name, boost: 1 }));
  if (raw) {
    const options = jsonParam('q.options', raw);
    for (const key of Object.keys(options)) {
      if (!Q_OPTIONS.has(key)) throw searchError(`Unknown q.options key '${key}'`);
    }
    if (options.fields !== undefined) {
      if (!Array.isArray(options.fields) || !options.fields.every((f) => typeof f === 'string')) {
        throw searchError('q.options fields must be an array of field names');
      }
      defaultFields = parseWeightedFields(schema, options.fields as string[]);
    }
    if (options.defaultOperator !== undefined) {
      const op = String(options.defaultOperator).toLowerCase();
      if (op !== 'and' && op !== 'or')
        throw searchError(`Invalid defaultOperator '${String(options.defaultOperator)}'`);
      defaultOperator = op;
    }
  }
  return { defaultFields, defaultOperator };
}

function parseSort(schema: DomainSchema, raw: string | null): Array<Record<string, unknown>> {
  if (!raw) return [{ _score: { order: 'desc' } }];
  return raw.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s+(asc|desc)\s*$/.exec(part);
    if (!m) throw searchError(`Invalid sort '${part.trim()}': expected 'field asc' or 'field desc'`);
    const [, name, order] = m;
    if (name === '_score') return { _score: { order } };
    const field = schema.fields.get(name);
    if (!field) throw searchError(`Unknown field '${name}' in sort`);
    if (!field.sort) throw searchError(`Field '${name}' is not sort enabled`);
    const engineField = field.base === 'text' ? sortShadowField(name) : name;
    return { [engineField]: { order } };
  });
}

function parseFacets(schema: DomainSchema, params: URLSearchParams): FacetRequest[] {
  const specs: Array<[string, unknown]> = [];
  const combined = params.get('facet');
  if (combined) specs.push(...Object.entries(jsonParam('facet', combined)));
  for (const [key, value] of params) {
    if (key.startsWith('facet.')) specs.push([key.slice('facet.'.length), value === '' ? {} : jsonParam(key, value)]);
  }
  return specs.map(([name, spec]) => {
    const field = schema.fields.get(name);
    if (!field) throw searchError(`Unknown field '${name}' in facet`);
    if (!field.facet) throw searchError(`Field '${name}' is not facet enabled`);
    const opts = (spec ?? {}) as { sort?: unknown; size?: unknown; buckets?: unknown };
    if (opts.buckets !== undefined) {
      if (opts.sort !== undefined || opts.size !== undefined) {
        throw searchError(`facet.${name}: sort and size are not valid with buckets`);
      }
      if (!Array.isArray(opts.buckets)) throw searchError(`facet.${name}: buckets must be an array`);
      return { field: name, sort: 'count', size: 0, buckets: opts.buckets.map((b) => String(b)) };
    }
    const sort = opts.sort === undefined ? 'count' : String(opts.sort);
    if (sort !== 'count' && sort !== 'bucket') throw searchError(`facet.${name}: sort must be 'count' or 'bucket'`);
    const size = opts.size === undefined ? DEFAULT_FACET_SIZE : Number(opts.size);
    if (!Number.isInteger(size) || size < 0) throw searchError(`facet.${name}: size must be a non-negative integer`);
    return { field: name, sort, size };
  });
}

function parseReturn(schema: DomainSchema, raw: string | null): { fields: string[]; score: boolean } {
  const returnable = [...schema.fields.values()].filter((f) => f.return).map((f) => f.name);
  if (raw === null || raw.trim() === '' || raw.trim() === '_all_fields') return { fields: returnable, score: false };
  const fields = new Set<string>();
  let score = false;
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (part === '_score') score = true;
    else if (part === '_all_fields') for (const f of returnable) fields.add(f);
    else if (part === '_no_fields') continue;
    else {
      const field = schema.fields.get(part);
      if (!field) throw searchError(`Unknown field '${part}' in return`);
      // Fields that are not return enabled are left out of hits, as CloudSearch does.
      if (field.return) fields.add(part);
    }
  }
  return { fields: [...fields], score };
}

function decodeCursor(cursor: string): number {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    if (typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0) return value.o;
  } catch {
    // fall through
  }
  throw searchError(`Invalid cursor '${cursor}'`);
}

function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** Parses the structured syntax of fq and of facet buckets into a non-scoring filter. */
function structuredFilter(schema: DomainSchema, text: string, opts: TranslateOptions): Dsl {
  return toDsl(schema, parseStructured(text), opts);
}

function bucketFilter(schema: DomainSchema, field: string, bucket: string, opts: TranslateOptions): Dsl {
  const trimmed = bucket.trim();
  const body = /^[[{]/.test(trimmed) ? trimmed : `'${trimmed.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return structuredFilter(schema, `${field}:${body}`, opts);
}

function facetValue(bucket: { key: unknown; key_as_string?: string }, base: string): string {
  if (base === 'date') {
    if (typeof bucket.key === 'number') return new Date(bucket.key).toISOString().replace('.000Z', 'Z');
    return bucket.key_as_string ?? String(bucket.key);
  }
  return String(bucket.key);
}

/** Runs a search request (the query string of GET /2013-01-01/search) against a domain's engine index. */
export async function runSearch(
  engine: CloudSearchEngine,
  schema: DomainSchema,
  params: URLSearchParams,
): Promise<CloudSearchResponse> {
  const started = performance.now();
  const q = params.get('q');
  if (q === null || q.trim() === '') throw searchError('Search requests must include a q parameter');
  const parserName = (params.get('q.parser') ?? 'simple').toLowerCase() as QueryParserName;
  if (!PARSERS.has(parserName)) throw searchError(`Invalid q.parser '${parserName}'`);
  if (params.get('expr') !== null || [...params.keys()].some((k) => k.startsWith('expr.'))) {
    throw searchError('Expressions (expr) are not supported by the local CloudSearch emulator');
  }
  const opts = translateOptions(schema, params);
  const main = toDsl(schema, parseQuery(q, parserName, opts.defaultOperator), opts);
  const fq = params.get('fq');
  const filters = fq ? [structuredFilter(schema, fq, opts)] : [];
  const query: Dsl = filters.length > 0 ? { bool: { must: [main], filter: filters } } : main;

  const cursorParam = params.get('cursor');
  if (cursorParam !== null && params.get('start') !== null) {
    throw searchError('cursor and start are mutually exclusive');
  }
  const size = intParam(params, 'size', 10, 0, MAX_SIZE);
  const start =
    cursorParam === null
      ? intParam(params, 'start', 0, 0, Number.MAX_SAFE_INTEGER)
      : cursorParam === 'initial'
        ? 0
        : decodeCursor(cursorParam);
  if (cursorParam === null && start + size > MAX_START_PLUS_SIZE) {
    throw searchError(
      `start + size must be at most ${MAX_START_PLUS_SIZE} (got ${start + size}): use a cursor to page deeper`,
    );
  }
  const sort = parseSort(schema, params.get('sort'));
  const facets = parseFacets(schema, params);
  const returned = parseReturn(schema, params.get('return'));
  const highlights = parseHighlights(schema, params);
  const stats = parseStats(schema, params);

  const aggs: Record<string, Dsl> = {};
  for (const facet of facets) {
    if (facet.buckets) continue;
    // Bucket order is applied here, so ask for every value when sorting by value.
    aggs[`facet_${facet.field}`] = {
      terms: { field: facet.field, size: facet.sort === 'bucket' ? MAX_SIZE : Math.max(facet.size, 1) },
    };
  }
  for (const field of stats) {
    aggs[`stats_${field}`] = { extended_stats: { field } };
    aggs[`present_${field}`] = { filter: { exists: { field } } };
  }
  const indexName = domainIndexName(schema.domainName);
  const body: OpenSearchSearchBody = {
    query,
    from: start,
    size,
    sort,
    track_total_hits: true,
    track_scores: true,
    ...(Object.keys(aggs).length > 0 ? { aggs } : {}),
    ...(highlights.length > 0
      ? {
          highlight: {
            fields: Object.fromEntries(
              highlights.map((h) => [
                h.field,
                { pre_tags: [h.pre], post_tags: [h.post], number_of_fragments: h.maxPhrases },
              ]),
            ),
          },
        }
      : {}),
  };
  const result = await engine.search(indexName, body);

  const response: CloudSearchResponse = {
    status: { rid: randomBytes(9).toString('base64') },
    hits: {
      found: result.hits.total?.value ?? result.hits.hits.length,
      start,
      ...(cursorParam !== null ? { cursor: encodeCursor(start + size) } : {}),
      hit: result.hits.hits.map((h) => renderHit(schema, h, returned, highlights)),
    },
  };

  if (facets.length > 0) {
    response.facets = {};
    for (const facet of facets) {
      const base = schema.fields.get(facet.field)?.base ?? 'literal';
      if (facet.buckets) {
        const buckets = [];
        for (const bucket of facet.buckets) {
          const counted = await engine.search(indexName, {
            query: { bool: { must: [query], filter: [bucketFilter(schema, facet.field, bucket, opts)] } },
            size: 0,
            track_total_hits: true,
          });
          buckets.push({ value: bucket, count: counted.hits.total?.value ?? 0 });
        }
        response.facets[facet.field] = { buckets };
        continue;
      }
      const agg = result.aggregations?.[`facet_${facet.field}`] as
        | { buckets: { key: unknown; key_as_string?: string; doc_count: number }[] }
        | undefined;
      let buckets = (agg?.buckets ?? []).map((b) => ({ value: facetValue(b, base), count: b.doc_count }));
      if (facet.sort === 'bucket') buckets.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      buckets = buckets.slice(0, facet.size);
      response.facets[facet.field] = { buckets };
    }
  }
  if (stats.length > 0) {
    response.stats = {};
    for (const field of stats) {
      const base = schema.fields.get(field)?.base ?? 'double';
      const a = (result.aggregations?.[`stats_${field}`] ?? {}) as Record<string, number | null>;
      const present = (result.aggregations?.[`present_${field}`] as { doc_count?: number } | undefined)?.doc_count ?? 0;
      response.stats[field] = {
        min: renderStat(base, a.min),
        max: renderStat(base, a.max),
        count: a.count ?? 0,
        missing: response.hits.found - present,
        sum: a.sum ?? 0,
        sumOfSquares: a.sum_of_squares ?? 0,
        mean: renderStat(base, a.avg),
        stddev: a.std_deviation ?? 0,
      };
    }
  }
  const elapsed = Math.round(performance.now() - started);
  if (params.get('format') === 'sdk') response.status.timems = elapsed;
  else response.status['time-ms'] = elapsed;
  return response;
}

function renderHit(
  schema: DomainSchema,
  hit: SearchHit,
  returned: { fields: string[]; score: boolean },
  highlights: HighlightRequest[],
): CloudSearchHit {
  const fields = renderFields(schema, hit._source ?? {}, returned.fields);
  if (returned.score) fields._score = [String(hit._score ?? 0)];
  const out: CloudSearchHit =
    Object.keys(fields).length > 0 || returned.fields.length > 0 ? { id: hit._id, fields } : { id: hit._id };
  if (highlights.length > 0) {
    out.highlights = {};
    for (const h of highlights) {
      const fragments = hit.highlight?.[h.field];
      // A field without a match is returned as is (CloudSearch returns the start of the field).
      const fallback = renderFields(schema, hit._source ?? {}, [h.field])[h.field]?.[0];
      const text = fragments && fragments.length > 0 ? fragments.join(' ... ') : fallback;
      if (text !== undefined) out.highlights[h.field] = text;
    }
  }
  return out;
}
