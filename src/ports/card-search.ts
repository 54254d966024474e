import type { CardFields } from '../domain/card-fields.js';

/** One business card as stored in the search index `octember_bizcard`. */
export interface CardDocument extends CardFields {
  /** Deterministic per owner and image (see cardDocId), or the id of an earlier doc with the same content. */
  doc_id: string;
  /** Hash of the normalised card fields: the same card content gives the same content_id. */
  content_id: string;
  owner: string;
  image_id: string;
  s3_bucket: string;
  s3_key: string;
  is_alive: boolean;
  /** ISO 8601; kept from the first upsert of the document. */
  created_at: string;
  updated_at: string;
}

export interface CardSearchHit extends CardDocument {
  score: number;
}

export interface CardSearchQuery {
  /** Free text matched against name (boosted), company, job_title and addr. */
  query?: string;
  /** Only this owner's cards. */
  owner?: string;
  limit: number;
}

/** Full-text index of business cards (OpenSearch on every target). */
export interface CardSearchIndex {
  /** Inserts or updates documents by doc_id (created_at is kept on update). Returns the ones that failed. */
  upsert(docs: CardDocument[]): Promise<{ failed: { doc_id: string; reason: string }[] }>;
  /** doc_id of an existing live document per content_id, among one owner's cards. */
  findByContent(owner: string, contentIds: string[]): Promise<Map<string, string>>;
  search(query: CardSearchQuery): Promise<CardSearchHit[]>;
}
