/**
 * The kit's in-process search engine, shared by the OpenSearch REST emulator and the CloudSearch emulator.
 * Requests and responses use OpenSearch's JSON (query DSL in, search response out); failures throw SearchEngineError.
 * This class holds the indices and their durability; the operations live beside it: aliases.ts (index expressions),
 * documents.ts (document CRUD, update, bulk), by-query.ts (delete by query), search.ts, restore.ts.
 */
import { aliasIndices, aliasOptions, type ResolveOptions, resolveIndices, validateIndexName } from './aliases.js';
import { type DeleteByQueryOptions, type DeleteByQueryResult, deleteByQuery } from './by-query.js';
import {
  type BulkResponse,
  bulkDocuments,
  type DocumentHost,
  deleteDocument,
  type GetOptions,
  getDocument,
  indexDocument,
  type UpdateOptions,
  type UpdateResult,
  updateDocument,
  wantsRefresh,
} from './documents.js';
import { badRequest, indexNotFound, SearchEngineError } from './errors.js';
import { isObject } from './json.js';
import { Persistence } from './persistence.js';
import { restoreIndices, snapshotIndices } from './restore.js';
import { matchingDocs, runSearch, type SearchOptions } from './search.js';
import { IndexShard, normalizeSettings } from './shard.js';
import type {
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

export type { GetOptions } from './documents.js';
export { errorBody, errorResponse, SearchEngineError } from './errors.js';
export type { SearchOptions } from './search.js';
export type * from './types.js';

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

/** Past this many logged writes the engine writes a snapshot, so the log (and restart replay) stays bounded. */
const LOG_RECORDS_BEFORE_SNAPSHOT = 200_000;

export class SearchEngine {
  private readonly indices = new Map<string, IndexShard>();
  private readonly persistence?: Persistence;
  private readonly host: DocumentHost = {
    indices: this.indices,
    shard: (name) => this.shard(name),
    ensureIndex: (name) => this.ensureIndex(name),
    log: (record) => this.persistence?.record(record),
  };

  constructor(opts: { dataDir?: string } = {}) {
    if (opts.dataDir) {
      this.persistence = new Persistence(opts.dataDir);
      restoreIndices(this.persistence, this.indices);
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
    if (aliasIndices(this.indices, name).length > 0) {
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
    return resolveIndices(this.indices, expr, opts);
  }

  // ------------------------------------------------------------------------ aliases

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
      return indexDocument(this.host, name, id, source, opts);
    } finally {
      this.commit();
    }
  }

  get(name: string, id: string, opts: GetOptions = {}): GetResult {
    return getDocument(this.host, name, id, opts);
  }

  delete(name: string, id: string, opts: WriteOptions = {}): WriteResult {
    try {
      return deleteDocument(this.host, name, id, opts);
    } finally {
      this.commit();
    }
  }

  update(name: string, id: string, body: UpdateBody, opts: UpdateOptions = {}): UpdateResult {
    try {
      return updateDocument(this.host, name, id, body, opts);
    } finally {
      this.commit();
    }
  }

  bulk(ops: BulkOperation[], opts: { refresh?: RefreshPolicy } = {}): BulkResponse {
    const started = Date.now();
    let outcome: ReturnType<typeof bulkDocuments>;
    try {
      outcome = bulkDocuments(this.host, ops);
    } finally {
      this.commit();
    }
    if (wantsRefresh(opts.refresh)) for (const name of outcome.touched) this.indices.get(name)?.refresh();
    return { took: Date.now() - started, errors: outcome.errors, items: outcome.items };
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
    opts: DeleteByQueryOptions = {},
  ): DeleteByQueryResult {
    try {
      return deleteByQuery(this.host, name, query, opts);
    } finally {
      this.commit();
    }
  }

  /** Writes a snapshot of every index and truncates the write log. */
  flush(): void {
    this.persistence?.writeSnapshot(snapshotIndices(this.indices.values()));
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

  private commit(): void {
    if (!this.persistence) return;
    this.persistence.commit();
    if (this.persistence.logRecords > LOG_RECORDS_BEFORE_SNAPSHOT) this.flush();
  }
}
