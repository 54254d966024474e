import type { IndexFieldDefinition } from '../domain/cloudsearch-schema.js';

/** The item catalogue's search domain (CloudSearch on every target: the emulator locally, the real service in AWS). */
export interface CatalogueIndex {
  /** Sends one JSON document batch (an array of add/delete operations, at most 5 MB). */
  uploadDocuments(batch: string): Promise<{ adds: number; deletes: number; warnings: string[] }>;
  search(request: CatalogueSearchRequest): Promise<CatalogueSearchResult>;
  /**
   * The domain's index fields as the domain itself describes them (DescribeIndexFields), so documents are built
   * for the schema the domain really has, whichever schema file it was created from. Optional: without it the
   * indexer uses the kit's default schema.
   */
  describeIndexFields?(): Promise<{ domainName: string; indexFields: IndexFieldDefinition[] }>;
}

export interface CatalogueSearchRequest {
  q: string;
  parser?: 'simple' | 'structured' | 'lucene' | 'dismax';
  /** Structured-syntax filter that does not affect scores. */
  fq?: string;
  size?: number;
  start?: number;
  /** e.g. `price asc,_score desc` */
  sort?: string;
  /** Comma-separated return fields (`_all_fields`, `_no_fields`, `_score` ...). */
  return?: string;
  /** q.options JSON, e.g. `{"fields":["title^2","description"]}` */
  options?: string;
  /** Facet options per field, e.g. `{ category: { sort: 'count', size: 5 } }`. */
  facets?: Record<string, { sort?: 'count' | 'bucket'; size?: number; buckets?: string[] }>;
}

export interface CatalogueHit {
  id: string;
  fields: Record<string, string[]>;
}

export interface CatalogueSearchResult {
  found: number;
  start: number;
  hits: CatalogueHit[];
  facets: Record<string, { value: string; count: number }[]>;
}

/** A request the search service refused (bad query syntax, unknown field ...): the API answers it with 400. */
export class CatalogueQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueQueryError';
  }
}
