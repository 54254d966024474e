/** `_bulk`: NDJSON action/source pairs → engine bulk operations → OpenSearch's per-item response. */
import { SearchEngineError } from '../search-engine/errors.js';
import type { SearchEngine } from '../search-engine/index.js';
import { parseJson } from '../search-engine/json.js';
import type { BulkOperation, WriteOptions } from '../search-engine/types.js';
import { refreshParam } from './documents.js';
import { boolParam, ok, param, type RestRequest, type RestResponse } from './rest.js';

const ACTIONS = new Set(['index', 'create', 'update', 'delete']);
const META_KEYS = new Set([
  '_index',
  '_id',
  'routing',
  '_routing',
  'version',
  'version_type',
  'if_seq_no',
  'if_primary_term',
  'retry_on_conflict',
  'require_alias',
  'pipeline',
  '_source',
  'op_type',
  'dynamic_templates',
]);

function malformed(line: number, reason: string): SearchEngineError {
  return new SearchEngineError(
    400,
    'illegal_argument_exception',
    `Malformed action/metadata line [${line}], ${reason}`,
  );
}

function parseLine(text: string, line: number): unknown {
  try {
    return parseJson(text);
  } catch {
    throw new SearchEngineError(400, 'x_content_parse_exception', `[${line}:1] Unexpected character in bulk line`);
  }
}

export function bulk(engine: SearchEngine, req: RestRequest, defaultIndex: string | undefined): RestResponse {
  const text = req.rawBody.toString('utf8');
  if (text.trim() === '')
    throw new SearchEngineError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  const lines = text.split('\n');
  const ops: BulkOperation[] = [];
  const errors: Array<{ position: number; item: Record<string, Record<string, unknown>> }> = [];
  const requireAliasDefault = boolParam(req, 'require_alias') === true;
  const defaultRouting = param(req, 'routing');
  const includes = param(req, '_source_includes');
  const excludes = param(req, '_source_excludes');
  const sourceParam: unknown =
    includes !== undefined || excludes !== undefined
      ? { includes: includes?.split(',') ?? [], excludes: excludes?.split(',') ?? [] }
      : param(req, '_source');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const lineNo = i + 1;
    const action = parseLine(raw, lineNo);
    if (typeof action !== 'object' || action === null || Array.isArray(action)) {
      throw malformed(lineNo, 'expected START_OBJECT or END_OBJECT but found [VALUE_STRING]');
    }
    const keys = Object.keys(action);
    if (keys.length === 0) throw malformed(lineNo, 'expected FIELD_NAME but found [END_OBJECT]');
    let name = keys[0];
    if (!ACTIONS.has(name)) {
      throw new SearchEngineError(
        400,
        'illegal_argument_exception',
        `Malformed action/metadata line [${lineNo}], expected one of [create, delete, index, update] but found [${name}]`,
      );
    }
    const meta = (action as Record<string, Record<string, unknown>>)[name] ?? {};
    for (const k of Object.keys(meta)) {
      if (!META_KEYS.has(k))
        throw new SearchEngineError(
          400,
          'illegal_argument_exception',
          `Action/metadata line [${lineNo}] contains an unknown parameter [${k}]`,
        );
    }
    if (name === 'index' && meta.op_type === 'create') name = 'create';
    const index = (meta._index as string | undefined) ?? defaultIndex;
    const id = meta._id === undefined || meta._id === null ? undefined : String(meta._id);
    const opts: WriteOptions = {
      routing: (meta.routing ?? meta._routing ?? defaultRouting) as string | undefined,
      version: meta.version === undefined ? undefined : Number(meta.version),
      versionType: meta.version_type as WriteOptions['versionType'],
      ifSeqNo: meta.if_seq_no === undefined ? undefined : Number(meta.if_seq_no),
      ifPrimaryTerm: meta.if_primary_term === undefined ? undefined : Number(meta.if_primary_term),
      requireAlias: meta.require_alias === undefined ? requireAliasDefault : meta.require_alias === true,
    };
    let source: Record<string, unknown> | undefined;
    if (name !== 'delete') {
      i++;
      while (i < lines.length && lines[i].trim() === '' && i < lines.length - 1) i++;
      if (i >= lines.length || lines[i].trim() === '') {
        throw new SearchEngineError(
          400,
          'action_request_validation_exception',
          `Validation Failed: 1: ${name === 'update' ? 'script or doc is missing' : 'source is missing'};`,
        );
      }
      source = parseLine(lines[i], i + 1) as Record<string, unknown>;
    }
    const position = ops.length + errors.length;
    const pipeline = (meta.pipeline as string | undefined) ?? param(req, 'pipeline');
    if (pipeline !== undefined && pipeline !== '_none') {
      errors.push({
        position,
        item: {
          [name]: {
            _index: index ?? null,
            _id: id ?? null,
            status: 400,
            error: { type: 'illegal_argument_exception', reason: `pipeline with id [${pipeline}] does not exist` },
          },
        },
      });
      continue;
    }
    if (index === undefined) {
      errors.push({
        position,
        item: {
          [name]: {
            _index: null,
            _id: id ?? null,
            status: 400,
            error: { type: 'action_request_validation_exception', reason: 'Validation Failed: 1: index is missing;' },
          },
        },
      });
      continue;
    }
    if (name === 'delete') ops.push({ action: 'delete', index, id: id ?? '', opts });
    else if (name === 'update') {
      const body = { ...(source as Record<string, unknown>) };
      if (body._source === undefined) body._source = meta._source ?? sourceParam;
      ops.push({ action: 'update', index, id: id ?? '', body, opts });
    } else ops.push({ action: name as 'index' | 'create', index, id, source: source as Record<string, unknown>, opts });
  }
  const result = engine.bulk(ops, { refresh: refreshParam(req) });
  for (const e of errors) result.items.splice(e.position, 0, e.item);
  if (errors.length > 0) result.errors = true;
  return ok(result);
}
