/** Single-document operations (index, get, delete, update with upsert and noop detection) and the bulk loop, as
 * OpenSearch answers them; aliases resolve to their write or read index. */
import { randomBytes } from 'node:crypto';
import { aliasIndices, readIndex, writeIndex } from './aliases.js';
import { badRequest, errorBody, SearchEngineError } from './errors.js';
import { fieldList, storedFields } from './fields.js';
import { isObject } from './json.js';
import type { LogRecord } from './persistence.js';
import { type IndexShard, PRIMARY_TERM, type StoredDoc, type WriteOutcome } from './shard.js';
import { applySourceFilter, parseSourceFilter } from './source-filter.js';
import type {
  BulkItemResult,
  BulkOperation,
  GetResult,
  RefreshPolicy,
  UpdateBody,
  WriteOptions,
  WriteResult,
} from './types.js';

/** What document operations need from the engine. */
export interface DocumentHost {
  readonly indices: ReadonlyMap<string, IndexShard>;
  /** The shard of an existing index (throws index_not_found_exception). */
  shard(name: string): IndexShard;
  /** The shard of an index, created with defaults when it does not exist (auto-create on first write). */
  ensureIndex(name: string): IndexShard;
  /** Appends a write to the durable log (no-op without a data directory). */
  log(record: LogRecord): void;
}

export interface GetOptions {
  realtime?: boolean;
  refresh?: boolean;
  routing?: string;
  version?: number;
  versionType?: string;
  source?: unknown;
  sourceIncludes?: unknown;
  sourceExcludes?: unknown;
  storedFields?: unknown;
}

export interface UpdateOptions extends WriteOptions {
  /** `_source` to return the updated document under `get`. */
  source?: unknown;
  sourceIncludes?: unknown;
  sourceExcludes?: unknown;
}

export interface UpdateResult extends WriteResult {
  get?: { _seq_no: number; _primary_term: number; found: boolean; _source?: Record<string, unknown> };
}

export interface BulkResponse {
  took: number;
  errors: boolean;
  items: BulkItemResult[];
}

/** `_shards` of a write: the primary succeeded, replicas cannot be allocated on a single node. */
export function shardsHeader(shard: IndexShard): { total: number; successful: number; failed: number } {
  return { total: 1 + Number(shard.setting('number_of_replicas') ?? 1), successful: 1, failed: 0 };
}

/** Whether a write's `refresh` parameter makes its changes searchable before it answers. */
export function wantsRefresh(p: RefreshPolicy | undefined): boolean {
  return p === true || p === 'true' || p === '' || p === 'wait_for';
}

export function indexDocument(
  host: DocumentHost,
  name: string,
  id: string | undefined,
  source: Record<string, unknown>,
  opts: WriteOptions,
): WriteResult {
  if (!isObject(source)) throw badRequest('document source must be a JSON object', 'mapper_parsing_exception');
  if (id !== undefined && id.length > 512) {
    throw new SearchEngineError(
      400,
      'action_request_validation_exception',
      `Validation Failed: 1: id [${id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(id)};`,
    );
  }
  if (id === '') throw badRequest('if _id is specified it must not be empty');
  const isAlias = !host.indices.has(name) && aliasIndices(host.indices, name).length > 0;
  if (isAlias) name = writeIndex(host.indices, name);
  else if (opts.requireAlias && !host.indices.has(name)) {
    throw new SearchEngineError(
      404,
      'index_not_found_exception',
      `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`,
      {
        index: name,
        index_uuid: '_na_',
        'resource.type': 'index_expression',
        'resource.id': name,
      },
    );
  } else if (opts.requireAlias) {
    // require_alias on a concrete index
    throw new SearchEngineError(
      404,
      'index_not_found_exception',
      `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`,
      { index: name, index_uuid: '_na_' },
    );
  }
  const shard = host.ensureIndex(name);
  if (id !== undefined && String(shard.setting('append_only.enabled')) === 'true') {
    throw new SearchEngineError(
      400,
      'validation_exception',
      `Validation Failed: 1: Operation [INDEX] is not allowed with a custom document id ${id} as setting \`index.append_only.enabled\` is enabled for this index: ${name};`,
    );
  }
  const docId = id ?? autoId();
  const out = shard.write(docId, source, opts);
  host.log({ op: 'doc', index: name, doc: out.doc });
  if (wantsRefresh(opts.refresh)) shard.refresh();
  return writeResult(name, docId, out, shard, opts);
}

export function getDocument(host: DocumentHost, name: string, id: string, opts: GetOptions): GetResult {
  name = readIndex(host.indices, name);
  const shard = host.shard(name);
  if (opts.refresh) shard.refresh();
  let doc: StoredDoc | undefined;
  if (opts.realtime === false) {
    shard.maybeAutoRefresh();
    const num = shard.docNumOf(id);
    doc = num === undefined ? undefined : shard.docs[num]?.doc;
  } else doc = shard.getLive(id);
  if (doc && !routingMatches(shard, doc, opts.routing)) doc = undefined;
  if (!doc) return { _index: name, _id: id, found: false };
  if (opts.version !== undefined && opts.versionType !== 'force' && doc.version !== opts.version) {
    throw new SearchEngineError(
      409,
      'version_conflict_engine_exception',
      `[${id}]: version conflict, current version [${doc.version}] is different than the one provided [${opts.version}]`,
      {
        index: name,
        shard: '0',
        index_uuid: shard.uuid,
      },
    );
  }
  const result: GetResult = {
    _index: name,
    _id: id,
    _version: doc.version,
    _seq_no: doc.seqNo,
    _primary_term: doc.primaryTerm,
    found: true,
  };
  if (doc.routing !== undefined) result._routing = doc.routing;
  const stored = opts.storedFields === undefined ? undefined : fieldList(opts.storedFields);
  const wantSource =
    stored === undefined ||
    stored.includes('_source') ||
    opts.source !== undefined ||
    opts.sourceIncludes !== undefined ||
    opts.sourceExcludes !== undefined;
  const source = wantSource
    ? applySourceFilter(doc.source, parseSourceFilter(opts.source, opts.sourceIncludes, opts.sourceExcludes))
    : undefined;
  if (source !== undefined) result._source = source;
  const fields = stored ? storedFields(shard, doc.source, stored) : undefined;
  if (fields) result.fields = fields;
  return result;
}

export function deleteDocument(host: DocumentHost, name: string, id: string, opts: WriteOptions): WriteResult {
  name = writeIndex(host.indices, name);
  const shard = host.shard(name);
  const existing = shard.getLive(id);
  if (existing && !routingMatches(shard, existing, opts.routing)) {
    return {
      _index: name,
      _id: id,
      _version: 1,
      result: 'not_found',
      _shards: shardsHeader(shard),
      _seq_no: shard.maxSeqNo,
      _primary_term: PRIMARY_TERM,
    };
  }
  const out = shard.remove(id, opts);
  host.log({ op: 'doc', index: name, doc: out.doc });
  if (wantsRefresh(opts.refresh)) shard.refresh();
  return writeResult(name, id, out, shard, opts);
}

const UPDATE_FIELDS = [
  'doc',
  'upsert',
  'doc_as_upsert',
  'detect_noop',
  'scripted_upsert',
  'script',
  '_source',
  'if_seq_no',
  'if_primary_term',
  'lang',
];

export function updateDocument(
  host: DocumentHost,
  name: string,
  id: string,
  body: UpdateBody,
  opts: UpdateOptions,
): UpdateResult {
  if (!isObject(body)) throw badRequest('update body must be an object', 'parse_exception');
  if (body.script !== undefined) {
    throw new SearchEngineError(
      400,
      'illegal_argument_exception',
      'scripted updates are not supported by this emulator',
    );
  }
  for (const key of Object.keys(body)) {
    if (!UPDATE_FIELDS.includes(key)) {
      const guess = UPDATE_FIELDS.find(
        (k) => k.length === key.length && [...k].filter((ch, i) => key[i] !== ch).length <= 2,
      );
      throw new SearchEngineError(
        400,
        'x_content_parse_exception',
        `[1:2] [UpdateRequest] unknown field [${key}]${guess ? ` did you mean [${guess}]?` : ''}`,
      );
    }
  }
  if (body.doc === undefined && body.upsert === undefined) {
    throw new SearchEngineError(
      400,
      'action_request_validation_exception',
      'Validation Failed: 1: script or doc is missing;',
    );
  }
  if (opts.requireAlias && aliasIndices(host.indices, name).length === 0) {
    throw new SearchEngineError(
      404,
      'index_not_found_exception',
      `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`,
      { index: name, index_uuid: '_na_' },
    );
  }
  name = writeIndex(host.indices, name);
  const shard = host.ensureIndex(name);
  const existing = shard.getLive(id);
  const sourceSpec = opts.source ?? body._source;
  let result: WriteResult;
  let finalSource: Record<string, unknown>;
  if (!existing || !routingMatches(shard, existing, opts.routing)) {
    const upsert = body.doc_as_upsert === true ? body.doc : body.upsert;
    if (!upsert) {
      throw new SearchEngineError(404, 'document_missing_exception', `[${id}]: document missing`, {
        index: name,
        shard: '0',
        index_uuid: shard.uuid,
      });
    }
    finalSource = upsert as Record<string, unknown>;
    result = indexDocument(host, name, id, finalSource, { ...opts, opType: 'create', requireAlias: false });
  } else {
    const merged = body.doc ? deepMerge(existing.source, body.doc as Record<string, unknown>) : existing.source;
    if (opts.ifSeqNo !== undefined || opts.ifPrimaryTerm !== undefined) {
      if (existing.seqNo !== opts.ifSeqNo || existing.primaryTerm !== opts.ifPrimaryTerm) shard.write(id, merged, opts); // throws the version conflict
    }
    if (body.detect_noop !== false && deepEqual(merged, existing.source)) {
      result = {
        _index: name,
        _id: id,
        _version: existing.version,
        result: 'noop',
        _shards: { total: 0, successful: 0, failed: 0 },
        _seq_no: existing.seqNo,
        _primary_term: existing.primaryTerm,
      };
      if (wantsRefresh(opts.refresh)) shard.refresh();
    } else
      result = indexDocument(host, name, id, merged, {
        ...opts,
        opType: 'index',
        ifSeqNo: undefined,
        ifPrimaryTerm: undefined,
        requireAlias: false,
        routing: opts.routing ?? existing.routing,
      });
    finalSource = merged;
  }
  const out: UpdateResult = { ...result };
  const filter =
    sourceSpec === undefined && opts.sourceIncludes === undefined && opts.sourceExcludes === undefined
      ? undefined
      : parseSourceFilter(sourceSpec, opts.sourceIncludes, opts.sourceExcludes);
  if (filter?.enabled) {
    out.get = {
      _seq_no: result._seq_no,
      _primary_term: result._primary_term,
      found: true,
      _source: applySourceFilter(finalSource, filter),
    };
  }
  return out;
}

/** Runs every operation; a failing item is answered in place (`errors: true`), the others still apply. */
export function bulkDocuments(
  host: DocumentHost,
  ops: BulkOperation[],
): { errors: boolean; items: BulkItemResult[]; touched: Set<string> } {
  const items: BulkItemResult[] = [];
  let errors = false;
  const touched = new Set<string>();
  for (const op of ops) {
    const itemOpts = { ...op.opts, refresh: false };
    try {
      let r: Record<string, unknown>;
      if (op.action === 'index' || op.action === 'create') {
        r = {
          ...indexDocument(host, op.index, op.id, op.source, {
            ...itemOpts,
            opType: op.action === 'create' ? 'create' : itemOpts.opType,
          }),
        };
      } else if (op.action === 'delete') r = { ...deleteDocument(host, op.index, op.id, itemOpts) };
      else if (op.action === 'update') r = { ...updateDocument(host, op.index, op.id, op.body, itemOpts) };
      else throw badRequest(`Malformed action/metadata line, unknown action`);
      touched.add(op.index);
      const status = r.result === 'created' ? 201 : r.result === 'not_found' ? 404 : 200;
      items.push({ [op.action]: { ...r, status } });
    } catch (e) {
      if (!(e instanceof SearchEngineError)) throw e;
      errors = true;
      items.push({ [op.action]: { _index: op.index, _id: op.id ?? null, status: e.status, error: errorBody(e) } });
    }
  }
  return { errors, items, touched };
}

/** With more than one primary shard a document is only found under the routing it was written with. */
function routingMatches(shard: IndexShard, doc: StoredDoc, routing: string | undefined): boolean {
  const shards = Number(shard.setting('number_of_shards') ?? 1);
  if (shards <= 1) return true;
  return (routing ?? undefined) === (doc.routing ?? undefined);
}

/** The response of one document write, as OpenSearch shapes it. */
function writeResult(index: string, id: string, out: WriteOutcome, shard: IndexShard, opts: WriteOptions): WriteResult {
  return {
    _index: index,
    _id: id,
    _version: out.doc.version,
    result: out.result,
    _shards: shardsHeader(shard),
    ...(opts.refresh === true || opts.refresh === 'true' || opts.refresh === '' ? { forced_refresh: true } : {}),
    _seq_no: out.doc.seqNo,
    _primary_term: out.doc.primaryTerm,
  };
}

function autoId(): string {
  return randomBytes(15).toString('base64url');
}

function deepMerge(target: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
