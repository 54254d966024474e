/** Bucket and metric aggregations over the matching documents of one or more indices. */
import { formatDate, parseDate } from './dates.js';
import { parsingError, queryShardError, SearchEngineError } from './errors.js';
import { isObject } from './json.js';
import { type FieldValue, kindOf, type LeafField } from './mapping.js';
import { executeQuery } from './query.js';
import type { QueryContext } from './query-context.js';
import type { IndexShard } from './shard.js';
import type { QueryDsl } from './types.js';

export interface DocRef {
  shard: IndexShard;
  num: number;
  score: number;
}

const METRICS = new Set(['min', 'max', 'avg', 'sum', 'value_count', 'cardinality', 'stats', 'extended_stats']);

function fielddataError(shard: IndexShard, field: string): SearchEngineError {
  return queryShardError(
    shard.name,
    `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
    'illegal_argument_exception',
  );
}

/** Doc values of a field for one document; throws for text fields (no fielddata). */
export function docValues(ref: DocRef, field: string): { leaf?: LeafField; values?: FieldValue[] } {
  const leaf = ref.shard.mappings.field(field);
  if (!leaf) return {};
  if (leaf.kind === 'text' && leaf.mapping.fielddata !== true) throw fielddataError(ref.shard, field);
  if (leaf.kind === 'text') {
    const out: string[] = [];
    const fi = ref.shard.getField(field);
    if (fi) for (const [term, p] of fi.postings) if (p.docs.includes(ref.num)) out.push(term);
    return { leaf, values: out };
  }
  return { leaf, values: ref.shard.getField(field)?.values[ref.num] };
}

export function computeAggregations(
  specs: Record<string, QueryDsl>,
  docs: DocRef[],
  now: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    if (!isObject(spec))
      throw parsingError(`Expected [START_OBJECT] under [${name}], but got a [VALUE_STRING] in [${name}]`);
    const { aggs, aggregations, meta, ...rest } = spec;
    const sub = (aggs ?? aggregations) as Record<string, QueryDsl> | undefined;
    const types = Object.keys(rest);
    if (types.length !== 1)
      throw parsingError(`Expected [START_OBJECT] under [${types[1] ?? name}], but got a [FIELD_NAME] in [${name}]`);
    const type = types[0];
    const body = rest[type] as Record<string, unknown>;
    let result: Record<string, unknown>;
    if (METRICS.has(type)) result = metric(type, body, docs);
    else if (type === 'terms') result = terms(body, docs, sub, now);
    else if (type === 'filter') result = { doc_count: 0, ...single(filterDocs(body, docs, now), sub, now) };
    else if (type === 'filters') result = filters(body, docs, sub, now);
    else if (type === 'global') result = single(docs, sub, now);
    else if (type === 'missing') {
      const field = String(body.field);
      result = single(
        docs.filter((d) => !(docValues(d, field).values?.length ?? 0)),
        sub,
        now,
      );
    } else if (type === 'range') result = range(body, docs, sub, now);
    else if (type === 'histogram') result = histogram(body, docs, sub, now);
    else throw parsingError(`Unknown aggregation type [${type}] did you mean [terms]?`);
    if (meta !== undefined) result.meta = meta;
    out[name] = result;
  }
  return out;
}

function single(docs: DocRef[], sub: Record<string, QueryDsl> | undefined, now: number): Record<string, unknown> {
  return { doc_count: docs.length, ...(sub ? computeAggregations(sub, docs, now) : {}) };
}

function filterDocs(query: QueryDsl, docs: DocRef[], now: number): DocRef[] {
  const perShard = new Map<IndexShard, Set<number>>();
  return docs.filter((d) => {
    let set = perShard.get(d.shard);
    if (!set) {
      const ctx: QueryContext = { shard: d.shard, now };
      set = new Set(executeQuery(query, ctx).keys());
      perShard.set(d.shard, set);
    }
    return set.has(d.num);
  });
}

function filters(
  body: Record<string, unknown>,
  docs: DocRef[],
  sub: Record<string, QueryDsl> | undefined,
  now: number,
) {
  const spec = body.filters;
  if (Array.isArray(spec)) return { buckets: spec.map((q) => single(filterDocs(q, docs, now), sub, now)) };
  const buckets: Record<string, unknown> = {};
  for (const [k, q] of Object.entries(spec as Record<string, QueryDsl>))
    buckets[k] = single(filterDocs(q, docs, now), sub, now);
  return { buckets };
}

function numericValues(ref: DocRef, body: Record<string, unknown>): { leaf?: LeafField; values: number[] } {
  const field = body.field as string | undefined;
  if (field === undefined) {
    if (body.script !== undefined) throw parsingError('scripts are not supported by this emulator');
    throw new SearchEngineError(
      400,
      'illegal_argument_exception',
      'Required one of fields [field, script], but none were specified. ',
    );
  }
  const { leaf, values } = docValues(ref, field);
  if (leaf && leaf.kind === 'keyword') {
    throw queryShardError(
      ref.shard.name,
      `Field [${field}] of type [${leaf.type}] is not supported for aggregation [${String(body.__type)}]`,
      'illegal_argument_exception',
    );
  }
  if (values && values.length > 0) return { leaf, values: values as number[] };
  if (body.missing !== undefined) return { leaf, values: [Number(body.missing)] };
  return { leaf, values: [] };
}

function withString(
  leaf: LeafField | undefined,
  value: number | null,
  body: Record<string, unknown>,
  key = 'value',
): Record<string, unknown> {
  const out: Record<string, unknown> = { [key]: value };
  if (value !== null && Number.isFinite(value) && leaf?.kind === 'date') {
    out[`${key}_as_string`] = formatDate(value, (body.format as string) ?? (leaf.mapping.format as string | undefined));
  } else if (value !== null && body.format !== undefined && leaf?.kind !== 'date')
    out[`${key}_as_string`] = String(value);
  return out;
}

function metric(type: string, body: Record<string, unknown>, docs: DocRef[]): Record<string, unknown> {
  if (type === 'value_count' || type === 'cardinality') {
    const field = requiredField(body);
    let count = 0;
    const distinct = new Set<FieldValue>();
    for (const d of docs) {
      const { values } = docValues(d, field);
      const vs = values && values.length > 0 ? values : body.missing !== undefined ? [body.missing as FieldValue] : [];
      count += vs.length;
      for (const v of vs) distinct.add(v);
    }
    return { value: type === 'value_count' ? count : distinct.size };
  }
  let leaf: LeafField | undefined;
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sumSq = 0;
  for (const d of docs) {
    const r = numericValues(d, { ...body, __type: type });
    leaf ??= r.leaf;
    for (const v of r.values) {
      count++;
      sum += v;
      sumSq += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  switch (type) {
    case 'min':
      return withString(leaf, count ? min : null, body);
    case 'max':
      return withString(leaf, count ? max : null, body);
    case 'avg':
      return withString(leaf, count ? sum / count : null, body);
    case 'sum':
      return withString(leaf, sum, body);
    default: {
      const out: Record<string, unknown> = {
        count,
        min: count ? min : null,
        max: count ? max : null,
        avg: count ? sum / count : null,
        sum,
      };
      if (type === 'extended_stats') {
        const variance = count ? sumSq / count - (sum / count) ** 2 : null;
        Object.assign(out, {
          sum_of_squares: count ? sumSq : null,
          variance,
          std_deviation: variance === null ? null : Math.sqrt(variance),
        });
      }
      if (leaf?.kind === 'date' && count) {
        out.min_as_string = formatDate(min, leaf.mapping.format as string | undefined);
        out.max_as_string = formatDate(max, leaf.mapping.format as string | undefined);
      }
      return out;
    }
  }
}

interface Bucket {
  key: FieldValue;
  docs: DocRef[];
}

function bucketKey(
  leaf: LeafField | undefined,
  key: FieldValue,
  body: Record<string, unknown>,
): Record<string, unknown> {
  if (leaf?.kind === 'date')
    return {
      key,
      key_as_string: formatDate(key as number, (body.format as string) ?? (leaf.mapping.format as string | undefined)),
    };
  if (leaf?.kind === 'boolean') return { key, key_as_string: key === 1 ? 'true' : 'false' };
  if (body.format !== undefined && typeof key === 'number') return { key, key_as_string: String(key) };
  return { key };
}

function terms(body: Record<string, unknown>, docs: DocRef[], sub: Record<string, QueryDsl> | undefined, now: number) {
  const field = requiredField(body);
  const size = body.size === undefined ? 10 : Number(body.size);
  if (!(size > 0))
    throw new SearchEngineError(
      400,
      'illegal_argument_exception',
      `[size] must be greater than 0. Found [${size}] in [${field}]`,
    );
  const minDocCount = body.min_doc_count === undefined ? 1 : Number(body.min_doc_count);
  const groups = new Map<FieldValue, Bucket>();
  let leaf: LeafField | undefined;
  for (const d of docs) {
    leaf = d.shard.mappings.field(field);
    if (leaf) break;
  }
  const valueType = body.value_type as string | undefined;
  if (!leaf && valueType)
    leaf = {
      path: field,
      type: valueType,
      kind: kindOf(valueType === 'string' ? 'keyword' : valueType),
      mapping: {},
      indexed: true,
      docValues: true,
    };
  const asKey = (v: unknown): FieldValue => {
    if (leaf?.kind === 'date') return parseDate(v, leaf.mapping.format as string | undefined) ?? Number.NaN;
    if (leaf?.kind === 'boolean') return v === true || v === 'true' ? 1 : 0;
    if (leaf?.kind === 'integer' || leaf?.kind === 'float') return Number(v);
    return String(v);
  };
  const keyString = (k: FieldValue) => String(k);
  const include = Array.isArray(body.include) ? body.include.map((v) => keyString(asKey(v))) : body.include;
  const exclude = Array.isArray(body.exclude) ? body.exclude.map((v) => keyString(asKey(v))) : body.exclude;
  const partition = isObject(include)
    ? { n: Number(include.partition), of: Number(include.num_partitions) }
    : undefined;
  const allowed = (k: FieldValue) => {
    const s = String(k);
    if (partition) return partitionOf(k, partition.of) === partition.n;
    if (Array.isArray(include) && !include.map(String).includes(s)) return false;
    if (typeof include === 'string' && !new RegExp(`^(?:${include})$`).test(s)) return false;
    if (Array.isArray(exclude) && exclude.map(String).includes(s)) return false;
    if (typeof exclude === 'string' && new RegExp(`^(?:${exclude})$`).test(s)) return false;
    return true;
  };
  for (const d of docs) {
    const r = docValues(d, field);
    leaf ??= r.leaf;
    const values = r.values && r.values.length > 0 ? r.values : body.missing !== undefined ? [asKey(body.missing)] : [];
    for (const v of new Set(values)) {
      if (!allowed(v)) continue;
      let b = groups.get(v);
      if (!b) {
        b = { key: v, docs: [] };
        groups.set(v, b);
      }
      b.docs.push(d);
    }
  }
  if (minDocCount === 0 && leaf && leaf.docValues) {
    for (const shard of new Set(docs.map((d) => d.shard))) {
      const fi = shard.getField(field);
      fi?.values.forEach((vals, num) => {
        if (!vals || !shard.docs[num]) return;
        for (const v of vals) if (!groups.has(v) && allowed(v)) groups.set(v, { key: v, docs: [] });
      });
    }
  }
  const buckets = [...groups.values()].filter((b) => b.docs.length >= minDocCount);
  const withSubs = buckets.map((b) => ({ bucket: b, subs: sub ? computeAggregations(sub, b.docs, now) : {} }));
  const orders = Array.isArray(body.order) ? body.order : body.order ? [body.order] : [];
  const comparators = (orders as Record<string, string>[]).map((o) => {
    const [k, dir] = Object.entries(o)[0];
    const sign = String(dir).toLowerCase() === 'asc' ? 1 : -1;
    return (a: (typeof withSubs)[0], b: (typeof withSubs)[0]) => {
      let va: number | string;
      let vb: number | string;
      if (k === '_count') {
        va = a.bucket.docs.length;
        vb = b.bucket.docs.length;
      } else if (k === '_key' || k === '_term') {
        va = a.bucket.key;
        vb = b.bucket.key;
      } else {
        const [aggName, metricName = 'value'] = k.split(/[.>]/);
        va = (a.subs[aggName] as Record<string, number>)?.[metricName] ?? Number.NEGATIVE_INFINITY;
        vb = (b.subs[aggName] as Record<string, number>)?.[metricName] ?? Number.NEGATIVE_INFINITY;
      }
      return va < vb ? -sign : va > vb ? sign : 0;
    };
  });
  const keyAsc = (a: (typeof withSubs)[0], b: (typeof withSubs)[0]) =>
    a.bucket.key < b.bucket.key ? -1 : a.bucket.key > b.bucket.key ? 1 : 0;
  const countDesc = (a: (typeof withSubs)[0], b: (typeof withSubs)[0]) => b.bucket.docs.length - a.bucket.docs.length;
  if (comparators.length === 0) comparators.push(countDesc);
  withSubs.sort((a, b) => {
    for (const c of comparators) {
      const r = c(a, b);
      if (r !== 0) return r;
    }
    return keyAsc(a, b);
  });
  const top = withSubs.slice(0, size);
  const other = withSubs.slice(size).reduce((n, b) => n + b.bucket.docs.length, 0);
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: other,
    buckets: top.map(({ bucket, subs }) => ({
      ...bucketKey(leaf, bucket.key, body),
      doc_count: bucket.docs.length,
      ...subs,
    })),
  };
}

function range(body: Record<string, unknown>, docs: DocRef[], sub: Record<string, QueryDsl> | undefined, now: number) {
  const field = String(body.field);
  const ranges = (body.ranges ?? []) as Array<{ from?: number; to?: number; key?: string }>;
  const buckets = ranges.map((r) => {
    const inRange = docs.filter((d) =>
      (docValues(d, field).values ?? []).some(
        (v) => (r.from === undefined || (v as number) >= r.from) && (r.to === undefined || (v as number) < r.to),
      ),
    );
    const key = r.key ?? `${r.from === undefined ? '*' : r.from}-${r.to === undefined ? '*' : r.to}`;
    return {
      key,
      ...(r.from !== undefined ? { from: r.from } : {}),
      ...(r.to !== undefined ? { to: r.to } : {}),
      ...single(inRange, sub, now),
    };
  });
  return { buckets };
}

function histogram(
  body: Record<string, unknown>,
  docs: DocRef[],
  sub: Record<string, QueryDsl> | undefined,
  now: number,
) {
  const field = String(body.field);
  const interval = Number(body.interval);
  if (!(interval > 0))
    throw new SearchEngineError(
      400,
      'illegal_argument_exception',
      `[interval] must be >0 for histogram aggregation [${field}]`,
    );
  const groups = new Map<number, DocRef[]>();
  for (const d of docs) {
    for (const v of new Set(
      (docValues(d, field).values ?? []).map((x) => Math.floor((x as number) / interval) * interval),
    )) {
      const list = groups.get(v) ?? [];
      list.push(d);
      groups.set(v, list);
    }
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const minCount = Number(body.min_doc_count ?? 0);
  const filled: number[] = [];
  if (keys.length > 0) for (let k = keys[0]; k <= keys[keys.length - 1]; k += interval) filled.push(k);
  return {
    buckets: filled
      .map((k) => ({ key: k, ...single(groups.get(k) ?? [], sub, now) }))
      .filter((b) => ((b as Record<string, unknown>).doc_count as number) >= minCount),
  };
}

/** Lucene's StringHelper.murmurhash3_x86_32 over UTF-8 bytes with OpenSearch's partition seed (31). */
function murmur3(text: string, seed = 31): number {
  const data = Buffer.from(text, 'utf8');
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h1 = seed | 0;
  const roundedEnd = data.length & ~3;
  for (let i = 0; i < roundedEnd; i += 4) {
    let k1 = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  let k1 = 0;
  const rem = data.length & 3;
  if (rem === 3) k1 = (data[roundedEnd + 2] & 0xff) << 16;
  if (rem >= 2) k1 |= (data[roundedEnd + 1] & 0xff) << 8;
  if (rem >= 1) {
    k1 |= data[roundedEnd] & 0xff;
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }
  h1 ^= data.length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1;
}

/** HPPC's BitMixer.mix64 for numeric terms. */
function mix64(value: number): bigint {
  let z = BigInt.asUintN(64, BigInt(Math.trunc(value)));
  z = BigInt.asUintN(64, (z ^ (z >> 32n)) * 0x4cd6944c5cc20b6dn);
  z = BigInt.asUintN(64, (z ^ (z >> 29n)) * 0xfc12c5b19d3259e9n);
  return BigInt.asIntN(64, z ^ (z >> 32n));
}

/** Math.floorMod(hash(term), numPartitions), as IncludeExclude partitions terms. */
function partitionOf(key: FieldValue, partitions: number): number {
  if (typeof key === 'number') {
    const n = BigInt(partitions);
    return Number(((mix64(key) % n) + n) % n);
  }
  const h = murmur3(key);
  return ((h % partitions) + partitions) % partitions;
}

/** The `field` of an aggregation body; scripts are not supported, so it is required. */
function requiredField(body: Record<string, unknown>): string {
  const field = body.field as string | undefined;
  if (field === undefined)
    throw new SearchEngineError(
      400,
      'illegal_argument_exception',
      'Required one of fields [field, script], but none were specified. ',
    );
  return field;
}
