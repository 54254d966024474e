/** Index APIs: create/delete/exists/get, mappings, settings, refresh, cluster health, _cat/indices. */
import { indexNotFound, SearchEngineError } from '../search-engine/errors.js';
import { broadcastShards, type SearchEngine } from '../search-engine/index.js';
import type { CreateIndexBody, IndexMappings } from '../search-engine/types.js';
import { boolParam, jsonBody, ok, param, type RestRequest, type RestResponse } from './rest.js';

function resolveOpts(req: RestRequest) {
  return {
    ignoreUnavailable: boolParam(req, 'ignore_unavailable') === true,
    allowNoIndices: boolParam(req, 'allow_no_indices'),
    expandHidden: /\b(all|hidden)\b/.test(param(req, 'expand_wildcards') ?? ''),
  };
}

export function createIndex(engine: SearchEngine, req: RestRequest, name: string): RestResponse {
  const body = (jsonBody(req) ?? {}) as CreateIndexBody;
  engine.createIndex(name, body);
  return ok({ acknowledged: true, shards_acknowledged: true, index: name });
}

export function deleteIndex(engine: SearchEngine, req: RestRequest, expr: string): RestResponse {
  const names = engine.resolveIndices(expr, { ...resolveOpts(req), concreteOnly: true });
  for (const n of names) engine.deleteIndex(n);
  return ok({ acknowledged: true });
}

export function indexExists(engine: SearchEngine, req: RestRequest, expr: string): RestResponse {
  try {
    const names = engine.resolveIndices(expr, {
      ...resolveOpts(req),
      allowNoIndices: boolParam(req, 'allow_no_indices') ?? false,
    });
    return { status: names.length > 0 || boolParam(req, 'allow_no_indices') === true ? 200 : 404 };
  } catch (e) {
    if (e instanceof SearchEngineError && e.status === 404) return { status: 404 };
    throw e;
  }
}

function settingsJson(engine: SearchEngine, name: string): Record<string, unknown> {
  const info = engine.getIndex(name);
  const index: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(info.settings)) {
    const parts = k.replace(/^index\./, '').split('.');
    let target = index;
    for (const p of parts.slice(0, -1)) {
      target[p] ??= {};
      target = target[p] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = typeof v === 'object' ? v : String(v);
  }
  return {
    index: {
      creation_date: String(info.createdAt),
      number_of_shards: '1',
      number_of_replicas: '1',
      ...index,
      uuid: info.uuid,
      version: { created: '136408027' },
      provided_name: name,
    },
  };
}

export function getIndex(engine: SearchEngine, req: RestRequest, expr: string): RestResponse {
  const out: Record<string, unknown> = {};
  for (const n of engine.resolveIndices(expr, resolveOpts(req))) {
    out[n] = { aliases: engine.getAliases(n), mappings: engine.getMapping(n), settings: settingsJson(engine, n) };
  }
  return ok(out);
}

export function getMapping(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  const out: Record<string, unknown> = {};
  for (const n of engine.resolveIndices(expr, resolveOpts(req))) out[n] = { mappings: engine.getMapping(n) };
  return ok(out);
}

export function putMapping(engine: SearchEngine, req: RestRequest, expr: string): RestResponse {
  const body = jsonBody(req, true) as IndexMappings;
  for (const n of engine.resolveIndices(expr, resolveOpts(req))) engine.putMapping(n, body);
  return ok({ acknowledged: true });
}

export function getSettings(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  const out: Record<string, unknown> = {};
  for (const n of engine.resolveIndices(expr, resolveOpts(req))) out[n] = { settings: settingsJson(engine, n) };
  return ok(out);
}

export function putSettings(engine: SearchEngine, req: RestRequest, expr: string): RestResponse {
  const body = jsonBody(req, true) as Record<string, unknown>;
  const settings = (body.settings as Record<string, unknown> | undefined) ?? body;
  for (const n of engine.resolveIndices(expr, resolveOpts(req))) engine.updateSettings(n, settings);
  return ok({ acknowledged: true });
}

export function refresh(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  const names = engine.resolveIndices(expr, resolveOpts(req));
  for (const n of names) engine.shard(n).refresh();
  return ok({ _shards: broadcastShards(names.map((n) => engine.shard(n))) });
}

export function flush(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  const names = engine.resolveIndices(expr, resolveOpts(req));
  engine.flush();
  return ok({ _shards: broadcastShards(names.map((n) => engine.shard(n))) });
}

export function clusterHealth(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  let names: string[];
  try {
    names = engine.resolveIndices(expr);
  } catch (e) {
    if (e instanceof SearchEngineError && e.status === 404 && param(req, 'wait_for_status')) {
      return ok(
        { cluster_name: 'octember', status: 'red', timed_out: true, number_of_nodes: 1, number_of_data_nodes: 1 },
        408,
      );
    }
    throw e;
  }
  return ok({
    cluster_name: 'octember',
    status: 'green',
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    discovered_master: true,
    discovered_cluster_manager: true,
    active_primary_shards: names.length,
    active_shards: names.length,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100,
  });
}

export function catIndices(engine: SearchEngine, req: RestRequest, expr: string | undefined): RestResponse {
  const rows = engine.resolveIndices(expr, resolveOpts(req)).map((n) => {
    const info = engine.getIndex(n);
    return {
      health: 'green',
      status: 'open',
      index: n,
      uuid: info.uuid,
      pri: '1',
      rep: '0',
      'docs.count': String(info.docCount),
      'docs.deleted': '0',
      'store.size': '0b',
      'pri.store.size': '0b',
    };
  });
  if (param(req, 'format') === 'json') return ok(rows);
  const text = rows.map((r) => Object.values(r).join(' ')).join('\n');
  return { status: 200, text: text ? `${text}\n` : '', contentType: 'text/plain; charset=UTF-8' };
}

export function requireIndex(engine: SearchEngine, name: string): void {
  if (!engine.hasIndex(name)) throw indexNotFound(name);
}
