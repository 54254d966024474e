/** Public types of the search engine: OpenSearch mapping, query DSL and response JSON. */

export interface FieldMapping {
  type?: string;
  properties?: Record<string, FieldMapping>;
  fields?: Record<string, FieldMapping>;
  analyzer?: string;
  search_analyzer?: string;
  ignore_above?: number;
  format?: string;
  index?: boolean;
  doc_values?: boolean;
  null_value?: unknown;
  scaling_factor?: number;
  enabled?: boolean;
  dynamic?: boolean | string;
  [key: string]: unknown;
}

export interface IndexMappings {
  dynamic?: boolean | string;
  properties?: Record<string, FieldMapping>;
  [key: string]: unknown;
}

export interface CreateIndexBody {
  settings?: Record<string, unknown>;
  mappings?: IndexMappings;
  aliases?: Record<string, unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: query DSL is free-form JSON
export type QueryDsl = Record<string, any>;

export type SortSpec = string | Record<string, unknown> | Array<string | Record<string, unknown>>;

export interface OpenSearchSearchBody {
  query?: QueryDsl;
  from?: number;
  size?: number;
  sort?: SortSpec;
  _source?:
    | boolean
    | string
    | string[]
    | {
        includes?: string | string[];
        excludes?: string | string[];
        include?: string | string[];
        exclude?: string | string[];
      };
  track_total_hits?: boolean | number;
  track_scores?: boolean;
  highlight?: Record<string, unknown>;
  aggs?: Record<string, QueryDsl>;
  aggregations?: Record<string, QueryDsl>;
  search_after?: unknown[];
  min_score?: number;
  post_filter?: QueryDsl;
  version?: boolean;
  seq_no_primary_term?: boolean;
  stored_fields?: string | string[];
  docvalue_fields?: unknown[];
  timeout?: string;
  terminate_after?: number;
  explain?: boolean;
  [key: string]: unknown;
}

/** A document as a get or a search hit shows it: metadata, `_source` and requested fields. */
export interface DocumentView {
  _index: string;
  _id: string;
  _version?: number;
  _seq_no?: number;
  _primary_term?: number;
  _routing?: string;
  _source?: Record<string, unknown>;
  fields?: Record<string, unknown[]>;
}

export interface SearchHit extends DocumentView {
  _score: number | null;
  highlight?: Record<string, string[]>;
  sort?: unknown[];
}

export interface OpenSearchSearchResponse {
  took: number;
  timed_out: boolean;
  _shards: { total: number; successful: number; skipped: number; failed: number };
  hits: {
    total?: { value: number; relation: 'eq' | 'gte' };
    max_score: number | null;
    hits: SearchHit[];
  };
  aggregations?: Record<string, unknown>;
}

export interface WriteResult {
  _index: string;
  _id: string;
  _version: number;
  result: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';
  _seq_no: number;
  _primary_term: number;
  _shards: { total: number; successful: number; failed: number };
  forced_refresh?: boolean;
}

export interface GetResult extends DocumentView {
  found: boolean;
}

export type RefreshPolicy = boolean | 'true' | 'false' | 'wait_for' | '';

export interface WriteOptions {
  opType?: 'index' | 'create';
  refresh?: RefreshPolicy;
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  version?: number;
  versionType?: 'internal' | 'external' | 'external_gte';
  routing?: string;
  requireAlias?: boolean;
}

export interface UpdateBody {
  doc?: Record<string, unknown>;
  doc_as_upsert?: boolean;
  upsert?: Record<string, unknown>;
  detect_noop?: boolean;
  scripted_upsert?: boolean;
  script?: unknown;
  _source?: unknown;
}

export type BulkOperation =
  | { action: 'index' | 'create'; index: string; id?: string; source: Record<string, unknown>; opts?: WriteOptions }
  | { action: 'update'; index: string; id: string; body: UpdateBody; opts?: WriteOptions }
  | { action: 'delete'; index: string; id: string; opts?: WriteOptions };

export interface BulkItemResult {
  [action: string]: Record<string, unknown>;
}
