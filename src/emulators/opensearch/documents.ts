/** Document APIs: index/_create/_doc get/head/delete, _update, _source, _mget. */
import { badRequest, SearchEngineError } from '../search-engine/errors.js';
import { errorBody, errorResponse, type GetOptions, type SearchEngine } from '../search-engine/index.js';
import type { RefreshPolicy, UpdateBody, WriteOptions } from '../search-engine/types.js';
import { boolParam, intParam, jsonBody, ok, param, type RestRequest, type RestResponse } from './rest.js';

export function refreshParam(req: RestRequest): RefreshPolicy | undefined {
  const v = param(req, 'refresh');
  if (v === undefined) return undefined;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  if (v === 'wait_for') return 'wait_for';
  throw badRequest(`Unknown value for refresh: [${v}].`);
}

export function writeOptions(req: RestRequest): WriteOptions {
  const versionType = param(req, 'version_type') as WriteOptions['versionType'] | undefined;
  if (versionType !== undefined && !['internal', 'external', 'external_gte', 'force'].includes(versionType)) {
    throw badRequest(`No version type match [${versionType}]`);
  }
  const opType = param(req, 'op_type');
  if (opType !== undefined && opType !== 'index' && opType !== 'create') {
    throw badRequest(`opType must be 'create' or 'index', found: [${opType}]`);
  }
  return {
    opType: opType as WriteOptions['opType'],
    refresh: refreshParam(req),
    routing: param(req, 'routing'),
    version: intParam(req, 'version'),
    versionType,
    ifSeqNo: intParam(req, 'if_seq_no'),
    ifPrimaryTerm: intParam(req, 'if_primary_term'),
    requireAlias: boolParam(req, 'require_alias') === true,
  };
}

function getOptions(req: RestRequest): GetOptions {
  return {
    realtime: boolParam(req, 'realtime'),
    refresh: boolParam(req, 'refresh'),
    routing: param(req, 'routing'),
    version: intParam(req, 'version'),
    versionType: param(req, 'version_type'),
    source: param(req, '_source'),
    sourceIncludes: param(req, '_source_includes') ?? param(req, '_source_include'),
    sourceExcludes: param(req, '_source_excludes') ?? param(req, '_source_exclude'),
    storedFields: param(req, 'stored_fields'),
  };
}

export function indexDoc(
  engine: SearchEngine,
  req: RestRequest,
  index: string,
  id: string | undefined,
  create: boolean,
): RestResponse {
  const body = jsonBody(req, true) as Record<string, unknown>;
  const opts = writeOptions(req);
  if (create) opts.opType = 'create';
  if (opts.opType === 'create' && opts.versionType && opts.versionType !== 'internal') {
    throw new SearchEngineError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: create operations only support internal versioning. use index instead;',
    );
  }
  const r = engine.index(index, id, body, opts);
  return ok(r, r.result === 'created' ? 201 : 200);
}

export function getDoc(
  engine: SearchEngine,
  req: RestRequest,
  index: string,
  id: string,
  sourceOnly: boolean,
): RestResponse {
  const opts = getOptions(req);
  if (sourceOnly) opts.storedFields = undefined;
  const r = engine.get(index, id, opts);
  if (!r.found) return ok(sourceOnly ? errorDocMissing(index, id) : r, 404);
  if (sourceOnly) return ok(r._source ?? {});
  return ok(r);
}

function errorDocMissing(index: string, id: string) {
  return errorResponse(
    new SearchEngineError(404, 'resource_not_found_exception', `Document not found [${index}]/[${id}]`),
  );
}

export function deleteDoc(engine: SearchEngine, req: RestRequest, index: string, id: string): RestResponse {
  const r = engine.delete(index, id, writeOptions(req));
  return ok(r, r.result === 'not_found' ? 404 : 200);
}

export function updateDoc(engine: SearchEngine, req: RestRequest, index: string, id: string): RestResponse {
  const body = jsonBody(req, true) as UpdateBody;
  const r = engine.update(index, id, body, {
    ...writeOptions(req),
    source: param(req, '_source'),
    sourceIncludes: param(req, '_source_includes'),
    sourceExcludes: param(req, '_source_excludes'),
  });
  return ok(r, r.result === 'created' ? 201 : 200);
}

export function mget(engine: SearchEngine, req: RestRequest, defaultIndex: string | undefined): RestResponse {
  const body = jsonBody(req, true) as Record<string, unknown>;
  const base = getOptions(req);
  let specs: Array<Record<string, unknown>>;
  if (Array.isArray(body.docs)) specs = body.docs as Array<Record<string, unknown>>;
  else if (Array.isArray(body.ids)) specs = (body.ids as unknown[]).map((id) => ({ _id: id }));
  else
    throw new SearchEngineError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: no documents to get;',
    );
  if (specs.length === 0)
    throw new SearchEngineError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: no documents to get;',
    );
  const allowedKeys = new Set([
    '_index',
    '_id',
    'routing',
    '_source',
    'stored_fields',
    'version',
    'version_type',
    '_type',
  ]);
  for (const s of specs) {
    for (const k of Object.keys(s)) {
      if (!allowedKeys.has(k))
        throw new SearchEngineError(400, 'parsing_exception', `Unknown key for a VALUE_STRING in [${k}].`);
    }
  }
  const problems: string[] = [];
  specs.forEach((s, i) => {
    if ((s._index ?? defaultIndex) === undefined)
      problems.push(`${problems.length + 1}: index is missing for doc ${i};`);
    if (s._id === undefined || s._id === null) problems.push(`${problems.length + 1}: id is missing for doc ${i};`);
  });
  if (problems.length > 0)
    throw new SearchEngineError(400, 'action_request_validation_exception', `Validation Failed: ${problems.join('')}`);
  const docs = specs.map((s) => {
    const index = String(s._index ?? defaultIndex);
    const id = String(s._id);
    try {
      const opts: GetOptions = { ...base };
      if (s._source !== undefined) {
        opts.source = s._source;
        opts.sourceIncludes = undefined;
        opts.sourceExcludes = undefined;
      }
      if (s.routing !== undefined) opts.routing = String(s.routing);
      if (s.stored_fields !== undefined) opts.storedFields = s.stored_fields;
      return engine.get(index, id, opts);
    } catch (e) {
      if (!(e instanceof SearchEngineError)) throw e;
      return { _index: index, _id: id, error: { root_cause: [errorBody(e)], ...errorBody(e) } };
    }
  });
  return ok({ docs });
}
