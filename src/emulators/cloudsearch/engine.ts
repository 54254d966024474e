import type {
  BulkOperation,
  CreateIndexBody,
  IndexMappings,
  OpenSearchSearchBody,
  OpenSearchSearchResponse,
} from '../search-engine/types.js';

/**
 * The part of the shared search engine (src/emulators/search-engine) the CloudSearch emulator uses.
 * Written structurally so sync and async engine methods both fit.
 */
export interface CloudSearchEngine {
  hasIndex(name: string): boolean | Promise<boolean>;
  createIndex(name: string, body?: CreateIndexBody): unknown;
  deleteIndex(name: string): unknown;
  putMapping?(name: string, mappings: IndexMappings): unknown;
  bulk(ops: BulkOperation[]): unknown;
  refresh(name: string): unknown;
  search(name: string, body: OpenSearchSearchBody): OpenSearchSearchResponse | Promise<OpenSearchSearchResponse>;
}

/** Engine index that holds one CloudSearch domain's documents (dot-prefixed: hidden from OpenSearch listings). */
export function domainIndexName(domainName: string): string {
  return `.cloudsearch-${domainName}`;
}
