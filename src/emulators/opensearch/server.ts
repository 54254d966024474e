/** OpenSearch REST emulator on top of the shared SearchEngine (default port 9200; a taken port → the next free one). */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../../lib/http.js';
import { listenOnFreePort } from '../../lib/listen.js';
import { logger } from '../../lib/logger.js';
import { admit, answerPreflight, type RequestGate, setCorsHeaders, sharedRequestGate } from '../../lib/request-gate.js';
import { type Chaos, sharedChaos } from '../chaos/chaos.js';
import { badRequest, SearchEngineError } from '../search-engine/errors.js';
import type { SearchEngine } from '../search-engine/index.js';
import * as aliases from './aliases.js';
import { bulk } from './bulk.js';
import { deleteDoc, getDoc, indexDoc, mget, updateDoc } from './documents.js';
import * as indices from './indices.js';
import { errorResult, ok, type RestRequest, type RestResponse, send } from './rest.js';
import { clearScroll, count, deleteByQuery, getTask, rethrottle, scrollNext, search } from './search-api.js';

export const OPENSEARCH_VERSION = '2.19.0';
/** OpenSearch's default http.max_content_length. */
const MAX_CONTENT_LENGTH = 100 * 1024 * 1024;

export interface OpenSearchServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface StartOpenSearchOptions {
  port?: number;
  host?: string;
  engine: SearchEngine;
  /** Try the next ports when the requested one is taken (default true). */
  fallbackToNextPort?: boolean;
  /** Host / Origin checks (default: the process's shared gate). */
  gate?: RequestGate;
  /** Fault injection (service `opensearch`; default: the process's shared configuration). */
  chaos?: Chaos;
}

function rootInfo(): RestResponse {
  return ok({
    name: 'octember-node',
    cluster_name: 'octember',
    cluster_uuid: 'octember-local-cluster',
    version: {
      distribution: 'opensearch',
      number: OPENSEARCH_VERSION,
      build_type: 'tar',
      build_hash: 'octember',
      build_date: '2025-02-01T00:00:00.000Z',
      build_snapshot: false,
      lucene_version: '9.12.1',
      minimum_wire_compatibility_version: '7.10.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'The OpenSearch Project: https://opensearch.org/',
  });
}

function methodNotAllowed(req: RestRequest, allowed: string[]): RestResponse {
  return {
    status: 405,
    body: {
      error: `Incorrect HTTP method for uri [${req.path}] and method [${req.method}], allowed: [${allowed.join(', ')}]`,
      status: 405,
    },
  };
}

function noHandler(req: RestRequest): RestResponse {
  return errorResult(badRequest(`no handler found for uri [${req.path}] and method [${req.method}]`));
}

/** Routes one request; every branch checks the method so a wrong one gets 405. */
export function route(engine: SearchEngine, req: RestRequest): RestResponse {
  const [a, b, c] = req.segments;
  const m = req.method === 'HEAD' ? 'HEAD' : req.method;
  const is = (...methods: string[]) => methods.includes(m);
  const n = req.segments.length;

  if (n === 0) return is('GET', 'HEAD') ? rootInfo() : methodNotAllowed(req, ['GET', 'HEAD']);
  if (a === '_cluster' && b === 'health') return indices.clusterHealth(engine, req, c);
  if (a === '_cat' && b === 'indices') return indices.catIndices(engine, req, c);
  if (a === '_tasks' && n === 2) return is('GET') ? getTask(engine, b) : methodNotAllowed(req, ['GET']);
  if ((a === '_reindex' || a === '_delete_by_query') && n === 3 && c === '_rethrottle') return rethrottle(engine, b);

  if (a === '_alias' || a === '_aliases') {
    if (a === '_aliases' && n === 1 && is('POST')) return aliases.updateAliases(engine, req);
    if (is('GET')) return aliases.getAliases(engine, undefined, b);
    if (is('HEAD')) return { status: aliases.getAliases(engine, undefined, b).status };
    return methodNotAllowed(req, ['GET', 'HEAD']);
  }
  if (b === '_alias' || b === '_aliases') {
    if (is('PUT', 'POST')) return aliases.putAlias(engine, req, a, c);
    if (is('DELETE') && c !== undefined) return aliases.deleteAlias(engine, a, c);
    if (is('GET')) return aliases.getAliases(engine, a, c);
    if (is('HEAD')) return { status: aliases.getAliases(engine, a, c).status };
    return methodNotAllowed(req, ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
  }
  if (a === '_search' && b === 'scroll') {
    if (is('GET', 'POST')) return scrollNext(engine, req, c);
    if (is('DELETE')) return clearScroll(engine, req, c);
    return methodNotAllowed(req, ['GET', 'POST', 'DELETE']);
  }
  if (a.startsWith('_') && a !== '_all') {
    if (n !== 1) return noHandler(req);
    switch (a) {
      case '_bulk':
        return is('POST', 'PUT') ? bulk(engine, req, undefined) : methodNotAllowed(req, ['POST', 'PUT']);
      case '_mget':
        return is('GET', 'POST') ? mget(engine, req, undefined) : methodNotAllowed(req, ['GET', 'POST']);
      case '_search':
        return is('GET', 'POST') ? search(engine, req, undefined) : methodNotAllowed(req, ['GET', 'POST']);
      case '_count':
        return is('GET', 'POST') ? count(engine, req, undefined) : methodNotAllowed(req, ['GET', 'POST']);
      case '_refresh':
        return is('GET', 'POST') ? indices.refresh(engine, req, undefined) : methodNotAllowed(req, ['GET', 'POST']);
      case '_flush':
        return is('GET', 'POST') ? indices.flush(engine, req, undefined) : methodNotAllowed(req, ['GET', 'POST']);
      case '_mapping':
        return is('GET') ? indices.getMapping(engine, req, undefined) : methodNotAllowed(req, ['GET']);
      case '_settings':
        return is('GET') ? indices.getSettings(engine, req, undefined) : methodNotAllowed(req, ['GET']);
      default:
        return noHandler(req);
    }
  }

  const index = a;
  if (n === 1) {
    if (is('PUT')) return indices.createIndex(engine, req, index);
    if (is('DELETE')) return indices.deleteIndex(engine, req, index);
    if (is('HEAD')) return indices.indexExists(engine, req, index);
    if (is('GET')) return indices.getIndex(engine, req, index);
    return methodNotAllowed(req, ['GET', 'HEAD', 'PUT', 'DELETE']);
  }
  if (n === 2) {
    switch (b) {
      case '_doc':
        return is('POST') ? indexDoc(engine, req, index, undefined, false) : methodNotAllowed(req, ['POST']);
      case '_bulk':
        return is('POST', 'PUT') ? bulk(engine, req, index) : methodNotAllowed(req, ['POST', 'PUT']);
      case '_mget':
        return is('GET', 'POST') ? mget(engine, req, index) : methodNotAllowed(req, ['GET', 'POST']);
      case '_search':
        return is('GET', 'POST') ? search(engine, req, index) : methodNotAllowed(req, ['GET', 'POST']);
      case '_count':
        return is('GET', 'POST') ? count(engine, req, index) : methodNotAllowed(req, ['GET', 'POST']);
      case '_refresh':
        return is('GET', 'POST') ? indices.refresh(engine, req, index) : methodNotAllowed(req, ['GET', 'POST']);
      case '_flush':
        return is('GET', 'POST') ? indices.flush(engine, req, index) : methodNotAllowed(req, ['GET', 'POST']);
      case '_delete_by_query':
        return is('POST') ? deleteByQuery(engine, req, index) : methodNotAllowed(req, ['POST']);
      case '_mapping':
      case '_mappings':
        if (is('GET')) return indices.getMapping(engine, req, index);
        if (is('PUT', 'POST')) return indices.putMapping(engine, req, index);
        return methodNotAllowed(req, ['GET', 'PUT', 'POST']);
      case '_settings':
        if (is('GET')) return indices.getSettings(engine, req, index);
        if (is('PUT')) return indices.putSettings(engine, req, index);
        return methodNotAllowed(req, ['GET', 'PUT']);
      default:
        return noHandler(req);
    }
  }
  if (n === 3) {
    const id = c;
    switch (b) {
      case '_doc':
        if (is('PUT', 'POST')) return indexDoc(engine, req, index, id, false);
        if (is('GET', 'HEAD')) return getDoc(engine, req, index, id, false);
        if (is('DELETE')) return deleteDoc(engine, req, index, id);
        return methodNotAllowed(req, ['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);
      case '_create':
        return is('PUT', 'POST') ? indexDoc(engine, req, index, id, true) : methodNotAllowed(req, ['PUT', 'POST']);
      case '_update':
        return is('POST') ? updateDoc(engine, req, index, id) : methodNotAllowed(req, ['POST']);
      case '_source':
        return is('GET', 'HEAD') ? getDoc(engine, req, index, id, true) : methodNotAllowed(req, ['GET', 'HEAD']);
      case '_mapping':
        if (is('GET')) return indices.getMapping(engine, req, index);
        return methodNotAllowed(req, ['GET']);
      default:
        return noHandler(req);
    }
  }
  return noHandler(req);
}

async function handle(engine: SearchEngine, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  // Parse path and query by hand: `//_refresh` must stay a path, not become a host.
  const rawUrl = raw.url ?? '/';
  const q = rawUrl.indexOf('?');
  const url = {
    pathname: q >= 0 ? rawUrl.slice(0, q) : rawUrl,
    searchParams: new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : ''),
  };
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  let req: RestRequest = {
    method: (raw.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    segments,
    params: url.searchParams,
    headers: raw.headers,
    rawBody: Buffer.alloc(0),
  };
  let result: RestResponse;
  try {
    req = { ...req, rawBody: await readBody(raw, MAX_CONTENT_LENGTH) };
    result = route(engine, req);
  } catch (e) {
    result = errorResult(
      e instanceof BodyTooLargeError
        ? new SearchEngineError(413, 'content_too_long_exception', 'request body is too large')
        : e,
    );
    if (!(e instanceof SearchEngineError)) logger.error({ err: e, url: raw.url }, 'opensearch: internal error');
  }
  if (process.env.OCTEMBER_OPENSEARCH_DEBUG) {
    console.error(
      `[opensearch] ${req.method} ${raw.url} ${req.rawBody.toString('utf8').slice(0, 300)} → ${result.status} ${JSON.stringify(result.body ?? '').slice(0, 300)}`,
    );
  }
  send(res, req, result);
}

export async function startOpenSearch(opts: StartOpenSearchOptions): Promise<OpenSearchServer> {
  const host = opts.host ?? '127.0.0.1';
  const gate = opts.gate ?? sharedRequestGate();
  const chaos = opts.chaos ?? sharedChaos();
  const server = createServer((req, res) => {
    const verdict = admit(gate, req, res);
    if (!verdict) return;
    if (verdict.corsOrigin) {
      setCorsHeaders(res, verdict.corsOrigin);
      if (answerPreflight(req, res, 'HEAD,GET,PUT,POST,DELETE')) return;
    }
    if (chaos.active) void withChaos(chaos, req, res, () => handle(opts.engine, req, res));
    else void handle(opts.engine, req, res);
  });
  server.keepAliveTimeout = 65_000;
  const port = await listenOnFreePort(server, opts.port ?? 9200, host, opts.fallbackToNextPort === false ? 1 : 100);
  const displayHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    port,
    url: `http://${displayHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Latency, an OpenSearch-shaped error (e.g. 429 es_rejected_execution_exception) or a dropped connection. */
async function withChaos(chaos: Chaos, req: IncomingMessage, res: ServerResponse, next: () => Promise<void>) {
  await chaos.delay();
  const fault = chaos.faultFor({ service: 'opensearch', operation: openSearchOperation(req) });
  if (!fault) return next();
  req.resume();
  if (fault.drop) {
    req.socket.destroy();
    return;
  }
  const [path, query = ''] = (req.url ?? '/').split('?');
  send(
    res,
    { method: (req.method ?? 'GET').toUpperCase(), path, params: new URLSearchParams(query) },
    errorResult(new SearchEngineError(fault.statusCode, fault.code, fault.message)),
  );
}

/** The endpoint a request calls, as chaos rules name it: bulk, search, index, get, update, delete, refresh, ... */
export function openSearchOperation(req: IncomingMessage): string {
  const segments = (req.url ?? '/').split('?')[0].split('/').filter(Boolean);
  const method = (req.method ?? 'GET').toUpperCase();
  const endpoint = segments.find((s) => s.startsWith('_') && s !== '_all');
  if (endpoint === '_doc' || endpoint === '_create') {
    if (method === 'GET' || method === 'HEAD') return 'get';
    return method === 'DELETE' ? 'delete' : 'index';
  }
  if (endpoint) return endpoint.slice(1);
  if (segments.length === 0) return 'info';
  return method === 'PUT' ? 'create_index' : method === 'DELETE' ? 'delete_index' : 'get_index';
}
