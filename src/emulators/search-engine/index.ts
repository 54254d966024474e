/**
 * The kit's in-process search engine, shared by the OpenSearch REST emulator and the CloudSearch emulator.
 * Requests and responses use OpenSearch's JSON (query DSL in, search response out); failures throw SearchEngineError.
 */
import { randomBytes } from 'node:crypto';
import { badRequest, indexNotFound, SearchEngineError } from './errors.js';
import { fieldList, storedFields } from './fields.js';
import { type IndexSnapshot, Persistence } from './persistence.js';
import { matchingDocs, runSearch, type SearchOptions } from './search.js';
import { IndexShard, normalizeSettings, PRIMARY_TERM, type StoredDoc, type WriteOutcome } from './shard.js';
import { applySourceFilter, parseSourceFilter } from './source-filter.js';
import type {
  BulkItemResult,
  BulkOperation,
  CreateIndexBody,
  GetResult,
  IndexMappings,
  OpenSearchSearchBody,
  OpenSearchSearchResponse,
  QueryDsl,
  RefreshPolicy,
  UpdateBody,
  WriteOptions,
  WriteResult,
} from './types.js';

export { SearchEngineError } from './errors.js';
export type { SearchOptions } from './search.js';
export type * from './types.js';

/** `_shards` of a write: the primary succeeded, replicas cannot be allocated on a single node. */
export function shardsHeader(shard: IndexShard): { total: number; successful: number; failed: number } {
  return { total: 1 + Number(shard.setting('number_of_replicas') ?? 1), successful: 1, failed: 0 };
}

/** `_shards` of a broadcast action (refresh, flush) over some indices. */
export function broadcastShards(shards: IndexShard[]): { total: number; successful: number; failed: number } {
  let total = 0;
  let successful = 0;
  for (const s of shards) {
    const primaries = Number(s.setting('number_of_shards') ?? 1);
    total += primaries * (1 + Number(s.setting('number_of_replicas') ?? 1));
    successful += primaries;
  }
  return { total, successful, failed: 0 };
}

export interface IndexInfo {
  name: string;
  uuid: string;
  createdAt: number;
  settings: Record<string, unknown>;
  mappings: IndexMappings;
  docCount: number;
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

export interface DeleteByQueryResult {
  took: number;
  timed_out: boolean;
  total: number;
  deleted: number;
  batches: number;
  version_conflicts: number;
  noops: number;
  retries: { bulk: number; search: number };
  throttled_millis: number;
  requests_per_second: number;
  throttled_until_millis: number;
  failures: unknown[];
  slices?: unknown[];
}

export interface ResolveOptions {
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
  /** Aliases are not expanded: a concrete alias name is an error (delete index). */
  concreteOnly?: boolean;
  /** Wildcards and `_all` also match hidden (dot-prefixed) indices: `expand_wildcards=all|hidden`. */
  expandHidden?: boolean;
}

const INVALID_NAME_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'];

function validateIndexName(name: string): void {
  const invalid = (reason: string) =>
    new SearchEngineError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${reason}`, {
      index: name,
      index_uuid: '_na_',
    });
  if (name !== name.toLowerCase()) throw invalid('must be lowercase');
  for (const ch of INVALID_NAME_CHARS)
    if (name.includes(ch)) throw invalid(`must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]`);
  if (/^[_\-+]/.test(name)) throw invalid("must not start with '_', '-', or '+'");
  if (name === '.' || name === '..') throw invalid("must not be '.' or '..'");
  if (Buffer.byteLength(name) > 255) throw invalid('index name is too long');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
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

function wantsRefresh(p: RefreshPolicy | undefined): boolean {
  return p === true || p === 'true' || p === '' || p === 'wait_for';
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

export class SearchEngine {
  private readonly indices = new Map<string, IndexShard>();
  private readonly persistence?: Persistence;

  constructor(opts: { dataDir?: string } = {}) {
    if (opts.dataDir) {
      this.persistence = new Persistence(opts.dataDir);
      this.restore();
    }
  }

  // ------------------------------------------------------------------------ indices

  createIndex(name: string, body: CreateIndexBody = {}): void {
    validateIndexName(name);
    if (this.indices.has(name)) {
      const existing = this.indices.get(name) as IndexShard;
      throw new SearchEngineError(
        400,
        'resource_already_exists_exception',
        `index [${name}/${existing.uuid}] already exists`,
        {
          index_uuid: existing.uuid,
          index: name,
        },
      );
    }
    if (body !== null && !isObject(body)) throw badRequest('request body must be an object', 'parse_exception');
    for (const key of Object.keys(body ?? {})) {
      if (!['settings', 'mappings', 'aliases'].includes(key)) {
        throw new SearchEngineError(400, 'parse_exception', `unknown key [${key}] for create index`);
      }
    }
    const mappings = body?.mappings;
    if (
      mappings &&
      isObject(mappings) &&
      !('properties' in mappings) &&
      Object.values(mappings).some((v) => isObject(v) && 'properties' in v)
    ) {
      throw new SearchEngineError(
        400,
        'mapper_parsing_exception',
        'Root mapping definition has unsupported parameters',
      );
    }
    if (this.aliasIndices(name).length > 0) {
      throw new SearchEngineError(
        400,
        'invalid_index_name_exception',
        `Invalid index name [${name}], an alias with the same name already exists`,
        { index: name, index_uuid: '_na_' },
      );
    }
    const shard = new IndexShard(name, body ?? {});
    for (const [alias, opts] of Object.entries((body?.aliases ?? {}) as Record<string, Record<string, unknown>>))
      shard.aliases.set(alias, aliasOptions(opts ?? {}));
    if (
      String(shard.setting('bulk.adaptive_shard_selection.enabled')) === 'true' &&
      String(shard.setting('append_only.enabled')) !== 'true'
    ) {
      throw badRequest(
        `index [${name}] is not append-only index, bulk adaptive shard selection is enabled, which is not supported. Please disable bulk adaptive shard selection or set index to append-only index.`,
      );
    }
    this.indices.set(name, shard);
    this.persistence?.record({
      op: 'create',
      index: name,
      uuid: shard.uuid,
      createdAt: shard.createdAt,
      body: body ?? {},
    });
    this.commit();
  }

  deleteIndex(name: string): void {
    if (!this.indices.delete(name)) throw indexNotFound(name);
    this.persistence?.record({ op: 'drop', index: name });
    this.commit();
  }

  hasIndex(name: string): boolean {
    return this.indices.has(name);
  }

  listIndices(): string[] {
    return [...this.indices.keys()].sort();
  }

  getIndex(name: string): IndexInfo {
    const shard = this.shard(name);
    return {
      name,
      uuid: shard.uuid,
      createdAt: shard.createdAt,
      settings: shard.settings,
      mappings: shard.mappings.toJSON(),
      docCount: shard.docCount,
    };
  }

  /** Expands comma lists, `_all`, `*` wildcards and `-exclusions` into existing index names. */
  resolveIndices(expr: string | string[] | undefined, opts: ResolveOptions = {}): string[] {
    const parts = (Array.isArray(expr) ? expr : String(expr ?? '_all').split(','))
      .map((p) => p.trim())
      .filter((p) => p !== '');
    // Dot-prefixed indices (e.g. the CloudSearch emulator's) are hidden: only `.`-patterns or expand_wildcards=all/hidden reach them.
    const all = this.listIndices().filter((n) => opts.expandHidden || !n.startsWith('.'));
    if (parts.length === 0 || (parts.length === 1 && (parts[0] === '_all' || parts[0] === '*'))) return all;
    const out = new Set<string>();
    for (const part of parts) {
      if (part.startsWith('-') && out.size > 0) {
        const re = wildcard(part.slice(1));
        for (const n of [...out]) if (re.test(n)) out.delete(n);
        continue;
      }
      if (part === '_all') {
        for (const n of all) out.add(n);
      } else if (part.includes('*')) {
        const re = wildcard(part);
        const before = out.size;
        for (const n of part.startsWith('.') ? this.listIndices() : all) if (re.test(n)) out.add(n);
        if (opts.concreteOnly && out.size === before && opts.allowNoIndices === false) throw indexNotFound(part);
        if (!opts.concreteOnly)
          for (const alias of this.aliasNames())
            if (re.test(alias)) for (const n of this.aliasIndices(alias)) out.add(n);
      } else if (this.indices.has(part)) out.add(part);
      else if (this.aliasIndices(part).length > 0) {
        if (opts.concreteOnly) {
          if (opts.ignoreUnavailable) continue;
          throw badRequest(
            `The provided expression [${part}] matches an alias, specify the corresponding concrete indices instead.`,
          );
        }
        for (const n of this.aliasIndices(part)) out.add(n);
      } else if (!opts.ignoreUnavailable) throw indexNotFound(part);
    }
    if (out.size === 0 && opts.allowNoIndices === false) throw indexNotFound(parts.join(','));
    return [...out];
  }

  // ------------------------------------------------------------------------ aliases

  aliasNames(): string[] {
    const out = new Set<string>();
    for (const s of this.indices.values()) for (const a of s.aliases.keys()) out.add(a);
    return [...out].sort();
  }

  aliasIndices(alias: string): string[] {
    return [...this.indices.values()]
      .filter((s) => s.aliases.has(alias))
      .map((s) => s.name)
      .sort();
  }

  /** Aliases per index: `{index: {alias: options}}`. */
  getAliases(index: string): Record<string, Record<string, unknown>> {
    return Object.fromEntries(this.shard(index).aliases);
  }

  putAlias(index: string, alias: string, opts: Record<string, unknown> = {}): void {
    validateIndexName(alias);
    if (this.indices.has(alias)) {
      throw new SearchEngineError(
        400,
        'invalid_alias_name_exception',
        `Invalid alias name [${alias}]: an index or data stream exists with the same name as the alias`,
        { index: alias, index_uuid: '_na_' },
      );
    }
    this.shard(index).aliases.set(alias, aliasOptions(opts));
    this.persistence?.record({ op: 'alias', index, alias, opts });
    this.commit();
  }

  deleteAlias(index: string, alias: string): void {
    const shard = this.shard(index);
    if (!shard.aliases.delete(alias)) {
      throw new SearchEngineError(404, 'aliases_not_found_exception', `aliases [${alias}] missing`, {
        'resource.type': 'aliases',
        'resource.id': alias,
      });
    }
    this.persistence?.record({ op: 'alias', index, alias, opts: null });
    this.commit();
  }

  /** The index a single-document operation on `name` (index or alias) goes to. */
  writeIndex(name: string): string {
    if (this.indices.has(name)) return name;
    const targets = this.aliasIndices(name);
    if (targets.length === 0) return name;
    const explicit = targets.filter((t) => this.indices.get(t)?.aliases.get(name)?.is_write_index === true);
    if (explicit.length === 1) return explicit[0];
    if (targets.length === 1 && this.indices.get(targets[0])?.aliases.get(name)?.is_write_index !== false)
      return targets[0];
    throw badRequest(
      `no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`,
    );
  }

  /** The index a get on `name` reads from (an alias must point at exactly one index). */
  readIndex(name: string): string {
    if (this.indices.has(name)) return name;
    const targets = this.aliasIndices(name);
    if (targets.length === 0) return name;
    if (targets.length > 1) {
      throw badRequest(
        `alias [${name}] has more than one index associated with it [${targets.join(', ')}], can't execute a single index op`,
      );
    }
    return targets[0];
  }

  putMapping(name: string, mappings: IndexMappings): void {
    if (!isObject(mappings)) throw badRequest('mapping source must be an object', 'mapper_parsing_exception');
    this.shard(name).putMapping(mappings);
    this.persistence?.record({ op: 'mapping', index: name, mappings });
    this.commit();
  }

  /** Dynamic index settings (refresh_interval, max_result_window, ...); static ones cannot change on an open index. */
  updateSettings(name: string, settings: Record<string, unknown>): void {
    const shard = this.shard(name);
    const flat = normalizeSettings(settings);
    for (const key of Object.keys(flat)) {
      if (['index.number_of_shards', 'index.analysis'].includes(key) || key.startsWith('index.analysis.')) {
        throw badRequest(`Can't update non dynamic settings [[${key}]] for open indices [[${name}/${shard.uuid}]]`);
      }
    }
    Object.assign(shard.settings, flat);
    this.persistence?.record({ op: 'settings', index: name, settings: flat });
    this.commit();
  }

  getMapping(name: string): IndexMappings {
    return this.shard(name).mappings.toJSON();
  }

  // ------------------------------------------------------------------------ documents

  index(name: string, id: string | undefined, source: Record<string, unknown>, opts: WriteOptions = {}): WriteResult {
    try {
      return this.indexOne(name, id, source, opts);
    } finally {
      this.commit();
    }
  }

  get(name: string, id: string, opts: GetOptions = {}): GetResult {
    name = this.readIndex(name);
    const shard = this.shard(name);
    if (opts.refresh) shard.refresh();
    let doc: StoredDoc | undefined;
    if (opts.realtime === false) {
      shard.maybeAutoRefresh();
      const num = shard.docNumOf(id);
      doc = num === undefined ? undefined : shard.docs[num]?.doc;
    } else doc = shard.getLive(id);
    if (doc && !this.routingMatches(shard, doc, opts.routing)) doc = undefined;
    if (!doc) return { _index: name, _id: id, found: false };
    if (opts.version !== undefined && opts.versionType !== 'force') {
      const vt = opts.versionType ?? 'internal';
      if (doc.version !== opts.version && vt !== 'force') {
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

  delete(name: string, id: string, opts: WriteOptions = {}): WriteResult {
    try {
      return this.deleteOne(name, id, opts);
    } finally {
      this.commit();
    }
  }

  update(name: string, id: string, body: UpdateBody, opts: UpdateOptions = {}): UpdateResult {
    try {
      return this.updateOne(name, id, body, opts);
    } finally {
      this.commit();
    }
  }

  bulk(ops: BulkOperation[], opts: { refresh?: RefreshPolicy } = {}): BulkResponse {
    const started = Date.now();
    const items: BulkItemResult[] = [];
    let errors = false;
    const touched = new Set<string>();
    try {
      for (const op of ops) {
        const itemOpts = { ...op.opts, refresh: false };
        try {
          let r: Record<string, unknown>;
          if (op.action === 'index' || op.action === 'create') {
            r = {
              ...this.indexOne(op.index, op.id, op.source, {
                ...itemOpts,
                opType: op.action === 'create' ? 'create' : itemOpts.opType,
              }),
            };
          } else if (op.action === 'delete') r = { ...this.deleteOne(op.index, op.id, itemOpts) };
          else if (op.action === 'update') r = { ...this.updateOne(op.index, op.id, op.body, itemOpts) };
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
    } finally {
      this.commit();
    }
    if (wantsRefresh(opts.refresh)) for (const name of touched) this.indices.get(name)?.refresh();
    return { took: Date.now() - started, errors, items };
  }

  refresh(name?: string | string[]): { total: number; successful: number; failed: number } {
    const names = name === undefined ? this.listIndices() : this.resolveIndices(name);
    for (const n of names) this.shard(n).refresh();
    return broadcastShards(names.map((n) => this.shard(n)));
  }

  count(name: string | string[], query?: QueryDsl): number {
    let total = 0;
    for (const n of this.resolveIndices(name)) {
      const shard = this.shard(n);
      shard.maybeAutoRefresh();
      total += matchingDocs(shard, query).size;
    }
    return total;
  }

  search(
    name: string | string[],
    body: OpenSearchSearchBody = {},
    opts: SearchOptions & ResolveOptions = {},
  ): OpenSearchSearchResponse {
    const shards = this.resolveIndices(name, opts).map((n) => this.shard(n));
    const lookup = (index: string, id: string) => this.indices.get(index)?.getLive(id)?.source;
    return runSearch(shards, body ?? {}, { lookup, ...opts });
  }

  deleteByQuery(
    name: string | string[],
    query: QueryDsl | undefined,
    opts: {
      refresh?: RefreshPolicy;
      maxDocs?: number;
      conflicts?: 'abort' | 'proceed';
      scrollSize?: number;
      slices?: number;
    } = {},
  ): DeleteByQueryResult {
    const started = Date.now();
    if (query === undefined)
      throw new SearchEngineError(
        400,
        'action_request_validation_exception',
        'Validation Failed: 1: query is missing;',
      );
    const scrollSize = opts.scrollSize ?? 1000;
    const slices = Math.max(1, opts.slices ?? 1);
    const sliceStats = Array.from({ length: slices }, (_, i) => ({
      slice_id: i,
      total: 0,
      deleted: 0,
      batches: 0,
      version_conflicts: 0,
    }));
    const failures: unknown[] = [];
    let total = 0;
    let aborted = false;
    try {
      for (const n of this.resolveIndices(name)) {
        if (aborted) break;
        const shard = this.shard(n);
        shard.maybeAutoRefresh();
        let nums = [...matchingDocs(shard, query).keys()].sort((a, b) => a - b);
        if (opts.maxDocs !== undefined) nums = nums.slice(0, Math.max(0, opts.maxDocs - total));
        const seen = nums.map((num) => shard.docs[num]?.doc).filter((d): d is StoredDoc => d !== undefined);
        seen.forEach((doc, i) => {
          if (aborted) return;
          const stats = sliceStats[i % slices];
          stats.total++;
          total++;
          try {
            const out = shard.remove(doc.id, { ifSeqNo: doc.seqNo, ifPrimaryTerm: doc.primaryTerm });
            this.persistence?.record({ op: 'doc', index: n, doc: out.doc });
            stats.deleted++;
          } catch (e) {
            if (!(e instanceof SearchEngineError) || e.status !== 409) throw e;
            stats.version_conflicts++;
            if (opts.conflicts !== 'proceed') {
              failures.push({
                index: n,
                id: doc.id,
                cause: { type: e.type, reason: e.reason, index_uuid: shard.uuid, shard: '0', index: n },
                status: 409,
              });
              aborted = true;
            }
          }
        });
        if (wantsRefresh(opts.refresh)) shard.refresh();
      }
    } finally {
      this.commit();
    }
    for (const s of sliceStats) s.batches = Math.max(1, Math.ceil(s.total / scrollSize));
    const sum = (k: 'deleted' | 'version_conflicts') => sliceStats.reduce((a, s) => a + s[k], 0);
    const detail = (s: { total: number; deleted: number; batches: number; version_conflicts: number }) => ({
      total: s.total,
      deleted: s.deleted,
      batches: s.batches,
      version_conflicts: s.version_conflicts,
      noops: 0,
      retries: { bulk: 0, search: 0 },
      throttled_millis: 0,
      requests_per_second: -1,
      throttled_until_millis: 0,
    });
    const result: DeleteByQueryResult = {
      took: Date.now() - started,
      timed_out: false,
      ...detail({
        total,
        deleted: sum('deleted'),
        batches: sliceStats.reduce((a, s) => a + s.batches, 0),
        version_conflicts: sum('version_conflicts'),
      }),
      failures,
    };
    if (slices > 1) result.slices = sliceStats.map((s) => ({ slice_id: s.slice_id, ...detail(s) }));
    return result;
  }

  /** Writes a snapshot of every index and truncates the write log. */
  flush(): void {
    if (!this.persistence) return;
    const indices: IndexSnapshot[] = [...this.indices.values()].map((s) => ({
      name: s.name,
      uuid: s.uuid,
      createdAt: s.createdAt,
      settings: s.settings,
      mappings: s.mappings.toJSON(),
      aliases: Object.fromEntries(s.aliases),
      docs: [...s.store.values()].filter((d): d is StoredDoc => !d.deleted),
    }));
    this.persistence.writeSnapshot(indices);
  }

  close(): void {
    this.flush();
    this.persistence?.close();
  }

  // ------------------------------------------------------------------------ internals

  /** The shard of an existing index (throws index_not_found_exception). */
  shard(name: string): IndexShard {
    const s = this.indices.get(name);
    if (!s) throw indexNotFound(name);
    return s;
  }

  private ensureIndex(name: string): IndexShard {
    const s = this.indices.get(name);
    if (s) return s;
    this.createIndex(name);
    return this.indices.get(name) as IndexShard;
  }

  private routingMatches(shard: IndexShard, doc: StoredDoc, routing: string | undefined): boolean {
    const shards = Number(shard.setting('number_of_shards') ?? 1);
    if (shards <= 1) return true;
    return (routing ?? undefined) === (doc.routing ?? undefined);
  }

  private indexOne(
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
    const isAlias = !this.indices.has(name) && this.aliasIndices(name).length > 0;
    if (isAlias) name = this.writeIndex(name);
    else if (opts.requireAlias && !this.indices.has(name)) {
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
    const shard = this.ensureIndex(name);
    if (id !== undefined && String(shard.setting('append_only.enabled')) === 'true') {
      throw new SearchEngineError(
        400,
        'validation_exception',
        `Validation Failed: 1: Operation [INDEX] is not allowed with a custom document id ${id} as setting \`index.append_only.enabled\` is enabled for this index: ${name};`,
      );
    }
    const docId = id ?? autoId();
    const out = shard.write(docId, source, opts);
    this.persistence?.record({ op: 'doc', index: name, doc: out.doc });
    const forced = wantsRefresh(opts.refresh);
    if (forced) shard.refresh();
    return writeResult(name, docId, out, shard, opts);
  }

  private deleteOne(name: string, id: string, opts: WriteOptions): WriteResult {
    name = this.writeIndex(name);
    const shard = this.shard(name);
    const existing = shard.getLive(id);
    if (existing && !this.routingMatches(shard, existing, opts.routing)) {
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
    this.persistence?.record({ op: 'doc', index: name, doc: out.doc });
    if (wantsRefresh(opts.refresh)) shard.refresh();
    return writeResult(name, id, out, shard, opts);
  }

  private updateOne(name: string, id: string, body: UpdateBody, opts: UpdateOptions): UpdateResult {
    if (!isObject(body)) throw badRequest('update body must be an object', 'parse_exception');
    if (body.script !== undefined) {
      throw new SearchEngineError(
        400,
        'illegal_argument_exception',
        'scripted updates are not supported by this emulator',
      );
    }
    const known = [
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
    for (const key of Object.keys(body)) {
      if (!known.includes(key)) {
        const guess = known.find((k) => k.length === key.length && [...k].filter((ch, i) => key[i] !== ch).length <= 2);
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
    if (opts.requireAlias && this.aliasIndices(name).length === 0) {
      throw new SearchEngineError(
        404,
        'index_not_found_exception',
        `no such index [${name}] and [require_alias] request flag is [true] and [${name}] is not an alias`,
        { index: name, index_uuid: '_na_' },
      );
    }
    name = this.writeIndex(name);
    const shard = this.ensureIndexForUpdate(name, body);
    const existing = shard.getLive(id);
    const sourceSpec = opts.source ?? body._source;
    let result: WriteResult;
    let finalSource: Record<string, unknown>;
    if (!existing || !this.routingMatches(shard, existing, opts.routing)) {
      const upsert = body.doc_as_upsert === true ? body.doc : body.upsert;
      if (!upsert) {
        throw new SearchEngineError(404, 'document_missing_exception', `[${id}]: document missing`, {
          index: name,
          shard: '0',
          index_uuid: shard.uuid,
        });
      }
      finalSource = upsert as Record<string, unknown>;
      result = this.indexOne(name, id, finalSource, { ...opts, opType: 'create', requireAlias: false });
    } else {
      const merged = body.doc ? deepMerge(existing.source, body.doc as Record<string, unknown>) : existing.source;
      if (opts.ifSeqNo !== undefined || opts.ifPrimaryTerm !== undefined) {
        if (existing.seqNo !== opts.ifSeqNo || existing.primaryTerm !== opts.ifPrimaryTerm)
          shard.write(id, merged, opts); // throws
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
        result = this.indexOne(name, id, merged, {
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

  private ensureIndexForUpdate(name: string, body: UpdateBody): IndexShard {
    void body;
    return this.ensureIndex(name);
  }

  private commit(): void {
    if (!this.persistence) return;
    this.persistence.commit();
    if (this.persistence.logRecords > LOG_RECORDS_BEFORE_SNAPSHOT) this.flush();
  }

  private restore(): void {
    if (!this.persistence) return;
    const { snapshot, log } = this.persistence.load();
    for (const s of snapshot) {
      const shard = new IndexShard(
        s.name,
        { settings: s.settings, mappings: s.mappings as never },
        { uuid: s.uuid, createdAt: s.createdAt },
      );
      for (const [alias, opts] of Object.entries(s.aliases ?? {})) shard.aliases.set(alias, opts);
      for (const doc of s.docs) shard.restore(doc);
      this.indices.set(s.name, shard);
    }
    for (const rec of log) {
      switch (rec.op) {
        case 'create':
          this.indices.set(
            rec.index,
            new IndexShard(rec.index, rec.body, { uuid: rec.uuid, createdAt: rec.createdAt }),
          );
          break;
        case 'drop':
          this.indices.delete(rec.index);
          break;
        case 'mapping':
          this.indices.get(rec.index)?.putMapping(rec.mappings);
          break;
        case 'doc':
          this.indices.get(rec.index)?.restore(rec.doc);
          break;
        case 'settings':
          Object.assign(this.indices.get(rec.index)?.settings ?? {}, rec.settings);
          break;
        case 'alias':
          if (rec.opts === null) this.indices.get(rec.index)?.aliases.delete(rec.alias);
          else this.indices.get(rec.index)?.aliases.set(rec.alias, rec.opts);
          break;
      }
    }
    for (const shard of this.indices.values()) shard.refresh();
  }
}

/** Past this many logged writes the engine writes a snapshot, so the log (and restart replay) stays bounded. */
const LOG_RECORDS_BEFORE_SNAPSHOT = 200_000;

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

/** OpenSearch's error object (without status) for an engine error. */
export function errorBody(e: SearchEngineError): Record<string, unknown> {
  const body: Record<string, unknown> = { type: e.type, reason: e.reason, ...e.extra };
  if (e.causedBy) body.caused_by = e.causedBy;
  return body;
}

/** OpenSearch's full error response `{error: {root_cause, type, reason, ...}, status}`. */
export function errorResponse(e: SearchEngineError): { error: Record<string, unknown>; status: number } {
  const { failed_shards: _f, phase: _p, grouped: _g, ...rootExtra } = e.extra;
  const rootCause = e.rootCauses ?? [{ type: e.type, reason: e.reason, ...rootExtra }];
  return { error: { root_cause: rootCause, ...errorBody(e) }, status: e.status };
}

/** `routing` on an alias sets both index_routing and search_routing. */
function aliasOptions(opts: Record<string, unknown>): Record<string, unknown> {
  const { routing, ...rest } = opts;
  if (routing === undefined) return rest;
  return {
    ...rest,
    index_routing: rest.index_routing ?? String(routing),
    search_routing: rest.search_routing ?? String(routing),
  };
}
