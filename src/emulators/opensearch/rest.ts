/** Request/response plumbing of the OpenSearch REST emulator: JSON bodies, errors, filter_path, big integers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SearchEngineError } from '../search-engine/errors.js';
import { errorResponse } from '../search-engine/index.js';
import { parseJson, stringifyJson } from '../search-engine/json.js';

export interface RestRequest {
  method: string;
  path: string;
  segments: string[];
  params: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: Buffer;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  /** Body already serialized (NDJSON/text). */
  text?: string;
  contentType?: string;
}

export function ok(body: unknown, status = 200): RestResponse {
  return { status, body };
}

/** The request body parsed as JSON (the `source` parameter stands in for a body on GET). */
export function jsonBody(req: RestRequest, required = false): Record<string, unknown> | undefined {
  let text = req.rawBody.length > 0 ? req.rawBody.toString('utf8') : undefined;
  if (text === undefined && req.params.has('source')) text = req.params.get('source') ?? undefined;
  if (text === undefined || text.trim() === '') {
    if (required) throw new SearchEngineError(400, 'parse_exception', 'request body is required');
    return undefined;
  }
  try {
    return parseJson(text) as Record<string, unknown>;
  } catch (e) {
    throw new SearchEngineError(400, 'parse_exception', `Failed to parse content to map: ${(e as Error).message}`);
  }
}

export function param(req: RestRequest, name: string): string | undefined {
  const v = req.params.get(name);
  return v === null ? undefined : v;
}

export function boolParam(req: RestRequest, name: string): boolean | undefined {
  const v = req.params.get(name);
  if (v === null) return undefined;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw new SearchEngineError(
    400,
    'illegal_argument_exception',
    `Failed to parse value [${v}] as only [true] or [false] are allowed.`,
  );
}

export function intParam(req: RestRequest, name: string): number | undefined {
  const v = req.params.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) {
    throw new SearchEngineError(
      400,
      'illegal_argument_exception',
      `Failed to parse int parameter [${name}] with value [${v}]`,
    );
  }
  return n;
}

/**
 * The one way an error leaves the OpenSearch emulator: `{error: {root_cause, type, reason, ...}, status}`. An
 * engine error keeps its type and status; anything else is the emulator's own failure, a 500 `exception` (as
 * OpenSearch answers an unexpected exception), never a 4xx.
 */
export function errorResult(e: unknown): RestResponse {
  const err =
    e instanceof SearchEngineError
      ? e
      : new SearchEngineError(500, 'exception', e instanceof Error ? e.message : String(e));
  return { status: err.status, body: errorResponse(err) };
}

/** JSON with exact big integers (bigint source values, Long.MAX_VALUE sort values). */
export function toJson(value: unknown): string {
  return stringifyJson(value);
}

function compilePath(p: string): RegExp[] {
  return p.split('.').map(
    (part) =>
      new RegExp(
        `^${part
          .split('*')
          .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
}

/** Applies `filter_path` (inclusions with `*`/`**`, exclusions with a leading `-`). */
export function applyFilterPath(body: unknown, filterPath: string): unknown {
  const specs = filterPath
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const includes = specs.filter((s) => !s.startsWith('-')).map((s) => s.split('.'));
  const excludes = specs.filter((s) => s.startsWith('-')).map((s) => s.slice(1).split('.'));
  const match = (pattern: string, key: string) => compilePath(pattern)[0].test(key);
  const walk = (v: unknown, inc: string[][], exc: string[][]): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => walk(x, inc, exc)).filter((x) => x !== undefined);
      return items.length > 0 ? items : undefined;
    }
    if (v === null || typeof v !== 'object') return inc.length === 0 || inc.some((p) => p.length === 0) ? v : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
      if (exc.some((p) => p.length === 1 && match(p[0], k))) continue;
      const childExc = exc.filter((p) => p.length > 1 && match(p[0], k)).map((p) => p.slice(1));
      let childInc: string[][];
      if (inc.length === 0 || inc.some((p) => p.length === 0)) childInc = [];
      else {
        childInc = [];
        for (const p of inc) {
          if (p[0] === '**') {
            childInc.push(p);
            if (p.length > 1 && match(p[1], k)) childInc.push(p.slice(2));
          } else if (match(p[0], k)) childInc.push(p.slice(1));
        }
        if (childInc.length === 0) continue;
      }
      const full = childInc.length === 0 || childInc.some((p) => p.length === 0);
      const r = walk(child, full ? [] : childInc, childExc);
      if (r !== undefined) out[k] = r;
    }
    return Object.keys(out).length > 0 || (inc.length === 0 && exc.length === 0) ? out : undefined;
  };
  if (includes.length === 0 && excludes.length === 0) return body;
  return walk(body, includes, excludes) ?? {};
}

export function send(res: ServerResponse, req: Pick<RestRequest, 'method' | 'path' | 'params'>, r: RestResponse): void {
  const headers: Record<string, string> = { 'content-type': r.contentType ?? 'application/json; charset=UTF-8' };
  let text = r.text ?? '';
  if (r.text === undefined && r.body !== undefined) {
    let body: unknown = r.body;
    if (r.status >= 400 || req.path.includes('_bulk') || req.path.includes('_mget')) {
      if (req.params.get('error_trace') === 'true' || req.params.get('error_trace') === '') addStackTraces(body, false);
    }
    const fp = req.params.get('filter_path');
    if (fp) body = applyFilterPath(body, fp);
    text = toJson(body);
    if (req.params.has('pretty')) text = JSON.stringify(JSON.parse(text), null, 2);
  }
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(r.status, headers);
  res.end(req.method === 'HEAD' ? undefined : text);
}

function javaName(type: string): string {
  return type
    .split('_')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('')
    .replace(/Exception$/, 'Exception');
}

/** `error_trace=true`: a Java-style stack_trace on every error object (the emulator has no Java stack to show). */
function addStackTraces(v: unknown, inError: boolean): void {
  if (Array.isArray(v)) {
    for (const x of v) addStackTraces(x, inError);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  if (inError && typeof o.type === 'string' && typeof o.reason === 'string') {
    const where =
      typeof o.index !== 'string'
        ? ''
        : o.shard !== undefined
          ? `[${o.index}/${String(o.index_uuid ?? '_na_')}][[${o.index}][${String(o.shard)}]] `
          : `[${o.index}] `;
    o.stack_trace = `${where}${javaName(o.type)}[${o.reason}]\n\tat org.opensearch.emulator(octember)`;
  }
  for (const [k, child] of Object.entries(o))
    addStackTraces(child, inError || k === 'error' || k === 'root_cause' || k === 'caused_by');
}
