/** Queries on metadata fields (`_id`, `_index`, `_routing`, `_seq_no`, ...), evaluated against each live document. */
import { queryShardError } from './errors.js';
import { isObject } from './json.js';
import type { QueryContext, Scores } from './query-context.js';
import { wildcardToRegExp } from './term-queries.js';

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
export function metaQuery(
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

export function metaFieldOf(kind: string, body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  if (kind === 'exists') return META_FIELDS.has(String(body.field)) ? String(body.field) : undefined;
  const field = Object.keys(body).find((k) => k !== 'boost' && k !== '_name');
  return field !== undefined && META_FIELDS.has(field) ? field : undefined;
}
