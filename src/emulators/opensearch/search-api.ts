/** _search, _count and _delete_by_query, including URI search (`q=`) and `rest_total_hits_as_int`. */
import { badRequest, SearchEngineError } from '../search-engine/errors.js';
import type { SearchEngine } from '../search-engine/index.js';
import type { OpenSearchSearchBody, QueryDsl } from '../search-engine/types.js';
import { refreshParam } from './documents.js';
import { boolParam, intParam, jsonBody, ok, param, type RestRequest, type RestResponse } from './rest.js';

function uriQuery(req: RestRequest): QueryDsl | undefined {
  const q = param(req, 'q');
  if (q === undefined) return undefined;
  const qs: Record<string, unknown> = { query: q };
  const df = param(req, 'df');
  if (df !== undefined) qs.default_field = df;
  const op = param(req, 'default_operator');
  if (op !== undefined) qs.default_operator = op;
  const analyzer = param(req, 'analyzer');
  if (analyzer !== undefined) qs.analyzer = analyzer;
  const lenient = boolParam(req, 'lenient');
  if (lenient !== undefined) qs.lenient = lenient;
  return { query_string: qs };
}

function resolveOpts(req: RestRequest) {
  return {
    ignoreUnavailable: boolParam(req, 'ignore_unavailable') === true,
    allowNoIndices: boolParam(req, 'allow_no_indices'),
    expandHidden: /\b(all|hidden)\b/.test(param(req, 'expand_wildcards') ?? ''),
  };
}

export function search(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  const body = { ...((jsonBody(req) ?? {}) as OpenSearchSearchBody) };
  const q = uriQuery(req);
  if (q) body.query = q;
  const from = intParam(req, 'from');
  if (from !== undefined) body.from = from;
  const size = intParam(req, 'size');
  if (size !== undefined) body.size = size;
  const sort = param(req, 'sort');
  if (sort !== undefined) body.sort = sort.split(',');
  for (const flag of ['version', 'seq_no_primary_term', 'track_scores'] as const) {
    const v = boolParam(req, flag);
    if (v !== undefined) body[flag] = v;
  }
  const tth = param(req, 'track_total_hits');
  if (tth !== undefined) body.track_total_hits = tth === 'true' ? true : tth === 'false' ? false : Number(tth);
  if (typeof body.track_total_hits === 'number' && body.track_total_hits < -1) {
    throw badRequest(`[track_total_hits] parameter must be positive or equals to -1, got ${body.track_total_hits}`);
  }
  const asInt = boolParam(req, 'rest_total_hits_as_int') === true;
  if (asInt) {
    if (typeof body.track_total_hits === 'number' && body.track_total_hits !== -1) {
      throw badRequest(
        '[rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got ' +
          body.track_total_hits,
      );
    }
    if (body.track_total_hits === undefined) body.track_total_hits = true;
  }
  const scroll = param(req, 'scroll');
  if (scroll !== undefined) {
    const max = 10_000;
    if ((body.size ?? 10) > max) {
      throw badRequest(
        `Batch size is too large, size must be less than or equal to: [${max}] but was [${body.size}]. Scroll batch sizes cost as much memory as result windows so they are controlled by the [index.max_result_window] index level setting.`,
      );
    }
  }
  const dvf = param(req, 'docvalue_fields');
  if (dvf !== undefined) body.docvalue_fields = dvf.split(',');
  const stored = param(req, 'stored_fields');
  if (stored !== undefined) body.stored_fields = stored;
  const result = engine.search(expr ?? '_all', body, {
    ...resolveOpts(req),
    source: param(req, '_source'),
    sourceIncludes: param(req, '_source_includes'),
    sourceExcludes: param(req, '_source_excludes'),
  });
  if (asInt) {
    const hits = result.hits as unknown as Record<string, unknown>;
    hits.total = result.hits.total ? result.hits.total.value : -1;
  }
  if (scroll !== undefined) {
    const id = Buffer.from(`octember-scroll-${++scrollCounter}-${Date.now()}`).toString('base64url');
    scrollsOf(engine).set(id, {
      expr: expr ?? '_all',
      body: { ...body, from: body.from ?? 0, size: body.size ?? 10 },
      asInt,
      expires: Date.now() + keepAliveMs(scroll),
    });
    return ok({ _scroll_id: id, ...result });
  }
  return ok(result);
}

interface ScrollContext {
  expr: string;
  body: OpenSearchSearchBody & { from: number; size: number };
  asInt: boolean;
  expires: number;
}

const scrolls = new WeakMap<SearchEngine, Map<string, ScrollContext>>();
let scrollCounter = 0;

function scrollsOf(engine: SearchEngine): Map<string, ScrollContext> {
  let m = scrolls.get(engine);
  if (!m) {
    m = new Map();
    scrolls.set(engine, m);
  }
  const now = Date.now();
  for (const [id, ctx] of m) if (ctx.expires < now) m.delete(id);
  return m;
}

function keepAliveMs(value: string): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!m)
    throw badRequest(
      `failed to parse setting [scroll] with value [${value}] as a time value: unit is missing or unrecognized`,
    );
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}

/** `_search/scroll`: the next page of a scroll (re-run from the stored request at the next offset). */
export function scrollNext(engine: SearchEngine, req: RestRequest, idInPath: string | undefined): RestResponse {
  const body = (jsonBody(req) ?? {}) as Record<string, unknown>;
  const id = idInPath ?? param(req, 'scroll_id') ?? (body.scroll_id as string | undefined);
  const ctx = id === undefined ? undefined : scrollsOf(engine).get(id);
  if (!ctx || id === undefined) {
    throw new SearchEngineError(
      404,
      'search_context_missing_exception',
      `No search context found for id [${id ?? ''}]`,
    );
  }
  const keepAlive = param(req, 'scroll') ?? (body.scroll as string | undefined);
  if (keepAlive !== undefined) ctx.expires = Date.now() + keepAliveMs(keepAlive);
  ctx.body = { ...ctx.body, from: ctx.body.from + ctx.body.size };
  const result = engine.search(ctx.expr, ctx.body, { scrolling: true, ignoreUnavailable: true });
  if (ctx.asInt || boolParam(req, 'rest_total_hits_as_int') === true) {
    const hits = result.hits as unknown as Record<string, unknown>;
    hits.total = result.hits.total ? result.hits.total.value : -1;
  }
  return ok({ _scroll_id: id, ...result });
}

export function clearScroll(engine: SearchEngine, req: RestRequest, idInPath: string | undefined): RestResponse {
  const body = (jsonBody(req) ?? {}) as Record<string, unknown>;
  const contexts = scrollsOf(engine);
  let ids: string[];
  if (idInPath === '_all') ids = [...contexts.keys()];
  else ids = ([] as unknown[]).concat(idInPath?.split(',') ?? body.scroll_id ?? []).map(String);
  let freed = 0;
  for (const id of ids) if (contexts.delete(id)) freed++;
  return ok({ succeeded: true, num_freed: freed }, freed === 0 && ids.length > 0 ? 404 : 200);
}

export function count(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  const body = (jsonBody(req) ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(body)) {
    if (k !== 'query') throw new SearchEngineError(400, 'parsing_exception', `request does not support [${k}]`);
  }
  const query = uriQuery(req) ?? (body.query as QueryDsl | undefined);
  const names = engine.resolveIndices(expr ?? '_all', resolveOpts(req));
  const n = names.length === 0 ? 0 : engine.count(names, query);
  return ok({ count: n, _shards: { total: names.length, successful: names.length, skipped: 0, failed: 0 } });
}

const tasks = new WeakMap<SearchEngine, Map<string, { task: Record<string, unknown>; response: unknown }>>();
let taskCounter = 0;

export function deleteByQuery(engine: SearchEngine, req: RestRequest, expr: string): RestResponse {
  const body = (jsonBody(req) ?? {}) as Record<string, unknown>;
  const fail = (reason: string) =>
    new SearchEngineError(400, 'action_request_validation_exception', `Validation Failed: 1: ${reason};`);
  const conflicts = param(req, 'conflicts') ?? (body.conflicts as string | undefined);
  if (conflicts !== undefined && conflicts !== 'abort' && conflicts !== 'proceed') {
    throw fail(`conflicts may only be "proceed" or "abort" but was [${conflicts}]`);
  }
  const rps = param(req, 'requests_per_second');
  if (rps !== undefined && rps !== '-1' && !(Number(rps) > 0)) {
    throw badRequest('[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.');
  }
  const slicesParam = param(req, 'slices');
  let slices = 1;
  if (slicesParam !== undefined) {
    if (slicesParam === 'auto')
      slices = Math.max(
        1,
        ...engine
          .resolveIndices(expr, resolveOpts(req))
          .map((n) => Number(engine.shard(n).setting('number_of_shards') ?? 1)),
      );
    else if (!/^\d+$/.test(slicesParam) || Number(slicesParam) < 1)
      throw badRequest('[slices] must be a positive integer or the string "auto"');
    else slices = Number(slicesParam);
  }
  const scrollSize = intParam(req, 'scroll_size');
  const sizeParam = intParam(req, 'size') ?? (body.size as number | undefined);
  const maxDocsParam = intParam(req, 'max_docs') ?? (body.max_docs as number | undefined);
  if (sizeParam !== undefined && maxDocsParam !== undefined && sizeParam !== maxDocsParam) {
    throw badRequest(`[max_docs] set to two different values [${sizeParam}] and [${maxDocsParam}]`);
  }
  const maxDocs = maxDocsParam ?? sizeParam;
  if (maxDocs !== undefined && maxDocs < 0) throw fail(`[max_docs] parameter cannot be negative, found [${maxDocs}]`);
  if (maxDocs !== undefined && maxDocs < slices) throw fail('[max_docs] should be >= [slices]');
  if (body.stored_fields !== undefined) throw fail('stored_fields is not supported in this context');
  const query = uriQuery(req) ?? (body.query as QueryDsl | undefined);
  if (query === undefined) throw fail('query is missing');
  const wsa = param(req, 'wait_for_active_shards');
  const names = engine.resolveIndices(expr, resolveOpts(req));
  if (wsa !== undefined && wsa !== 'all' && Number(wsa) > 1) {
    throw new SearchEngineError(
      503,
      'unavailable_shards_exception',
      `[${names[0]}][0] Not enough active copies to meet shard count of [${wsa}] (have 1, needed ${wsa}). Timeout: [1m]`,
    );
  }
  const r = engine.deleteByQuery(names, query, {
    refresh: refreshParam(req),
    maxDocs,
    conflicts: conflicts as 'abort' | 'proceed' | undefined,
    scrollSize,
    slices,
  });
  if (boolParam(req, 'wait_for_completion') === false) {
    const id = `octember-node:${++taskCounter}`;
    let registry = tasks.get(engine);
    if (!registry) {
      registry = new Map();
      tasks.set(engine, registry);
    }
    registry.set(id, {
      task: {
        node: 'octember-node',
        id: taskCounter,
        type: 'transport',
        action: 'indices:data/write/delete/byquery',
        status: { ...r, took: undefined, failures: undefined },
        cancellable: true,
      },
      response: r,
    });
    return ok({ task: id });
  }
  return ok(r, r.failures.length > 0 ? 409 : 200);
}

export function getTask(engine: SearchEngine, id: string): RestResponse {
  const t = tasks.get(engine)?.get(id);
  if (!t)
    throw new SearchEngineError(
      404,
      'resource_not_found_exception',
      `task [${id}] isn't running and hasn't stored its results`,
    );
  return ok({ completed: true, task: t.task, response: t.response });
}

export function rethrottle(engine: SearchEngine, id: string): RestResponse {
  const t = tasks.get(engine)?.get(id);
  if (!t) throw new SearchEngineError(404, 'resource_not_found_exception', `task [${id}] is missing`);
  return ok({ nodes: {}, task_failures: [], node_failures: [] });
}
