import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { SEARCH_INDEX } from '../../domain/names.js';
import { withRetry } from '../../lib/retry.js';
import type { CardDocument, CardSearchHit, CardSearchIndex, CardSearchQuery } from '../../ports/card-search.js';

/** OpenSearch says "too many requests" (429, es_rejected_execution_exception): back off and try again. */
const isThrottled = (err: unknown) => (err as { meta?: { statusCode?: number } }).meta?.statusCode === 429;
const THROTTLE_RETRY = { retryable: isThrottled, attempts: 6, baseDelayMs: 100, maxDelayMs: 3000 };

/** Explicit mappings of `octember_bizcard`: analysed text for what people search, keywords for ids and filters. */
export const CARD_INDEX_BODY = {
  settings: { number_of_shards: 1, number_of_replicas: 0 },
  mappings: {
    dynamic: 'strict',
    properties: {
      doc_id: { type: 'keyword' },
      content_id: { type: 'keyword' },
      owner: { type: 'keyword' },
      image_id: { type: 'keyword' },
      s3_bucket: { type: 'keyword' },
      s3_key: { type: 'keyword' },
      is_alive: { type: 'boolean' },
      created_at: { type: 'date' },
      updated_at: { type: 'date' },
      name: { type: 'text', fields: { raw: { type: 'keyword', ignore_above: 256 } } },
      job_title: { type: 'text' },
      company: { type: 'text', fields: { raw: { type: 'keyword', ignore_above: 256 } } },
      email: { type: 'keyword' },
      phone_number: { type: 'keyword' },
      phones: { properties: { number: { type: 'keyword' }, kind: { type: 'keyword' } } },
      addr: { type: 'text' },
      url: { type: 'keyword' },
    },
  },
} as const;

export const SEARCH_FIELDS = ['name^3', 'company', 'job_title', 'addr'];

export interface OpenSearchCardIndexOptions {
  /** e.g. http://127.0.0.1:9200, or an OpenSearch Service domain endpoint. */
  node?: string;
  client?: Client;
  index?: string;
  /** Amazon OpenSearch Service: sign requests with SigV4 (credentials from the caller's provider chain). */
  sigv4?: {
    region: string;
    service?: 'es' | 'aoss';
    getCredentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  };
  /** `wait_for` makes writes searchable before upsert returns (handy locally; costs latency in AWS). */
  refresh?: boolean | 'wait_for';
}

type Body = Record<string, unknown>;

/** CardSearchIndex over @opensearch-project/opensearch; creates the index with explicit mappings on first use. */
export function createOpenSearchCardIndex(
  options: OpenSearchCardIndexOptions,
): CardSearchIndex & { ensureIndex(): Promise<void>; close(): Promise<void> } {
  const client =
    options.client ??
    new Client({
      node: options.node ?? 'http://127.0.0.1:9200',
      ...(options.sigv4
        ? AwsSigv4Signer({ ...options.sigv4, getCredentials: options.sigv4.getCredentials as never })
        : {}),
    });
  const index = options.index ?? SEARCH_INDEX;
  let ensured: Promise<void> | undefined;

  const ensureIndex = () => {
    ensured ??= (async () => {
      const exists = await client.indices.exists({ index });
      if (exists.body) return;
      try {
        await client.indices.create({ index, body: CARD_INDEX_BODY as unknown as Body });
      } catch (err) {
        // Another writer created it first.
        if (!String((err as Error).message).includes('resource_already_exists_exception')) throw err;
      }
    })().catch((err) => {
      ensured = undefined;
      throw err;
    });
    return ensured;
  };

  return {
    ensureIndex,
    async upsert(docs) {
      if (docs.length === 0) return { failed: [] };
      await ensureIndex();
      const body: Body[] = [];
      for (const doc of docs) {
        const { created_at, ...changes } = doc;
        body.push({ update: { _index: index, _id: doc.doc_id } });
        // created_at is only written when the document is new.
        body.push({ doc: changes, upsert: { ...changes, created_at } });
      }
      type Item = { _id: string; status: number; error?: { type?: string; reason?: string } };
      // a throttled request is sent again; so are the items a bulk answer rejected with 429, with backoff
      let pending = body;
      let results: Item[] = [];
      const done = new Map<string, Item>();
      await withRetry(async () => {
        const res = await client.bulk({ body: pending as never, refresh: options.refresh ?? false });
        results = (res.body as { items: Record<string, Item>[] }).items.map((item) => Object.values(item)[0]);
        const throttled: Body[] = [];
        results.forEach((r, i) => {
          if (r.status === 429) throttled.push(pending[2 * i], pending[2 * i + 1]);
          else done.set(r._id, r);
        });
        if (throttled.length === 0) return;
        pending = throttled;
        throw Object.assign(new Error(`${throttled.length / 2} bulk item(s) throttled`), { meta: { statusCode: 429 } });
      }, THROTTLE_RETRY).catch((err) => {
        if (!isThrottled(err) || done.size === 0) throw err;
        for (const r of results) if (r.status === 429) done.set(r._id, r);
      });
      const failed = [...done.values()]
        .filter((r) => r.error)
        .map((r) => ({ doc_id: r._id, reason: `${r.error?.type ?? 'error'}: ${r.error?.reason ?? ''}` }));
      return { failed };
    },
    async findByContent(owner, contentIds) {
      const found = new Map<string, string>();
      if (contentIds.length === 0) return found;
      await ensureIndex();
      const res = await withRetry(
        () =>
          client.search({
            index,
            body: {
              size: contentIds.length * 4,
              query: {
                bool: {
                  filter: [{ term: { owner } }, { terms: { content_id: contentIds } }, { term: { is_alive: true } }],
                },
              },
              sort: [{ created_at: { order: 'asc' } }],
              _source: ['doc_id', 'content_id'],
            } as Body,
          }),
        THROTTLE_RETRY,
      );
      for (const hit of (res.body as { hits: { hits: { _source: { doc_id: string; content_id: string } }[] } }).hits
        .hits) {
        if (!found.has(hit._source.content_id)) found.set(hit._source.content_id, hit._source.doc_id);
      }
      return found;
    },
    async search(query: CardSearchQuery): Promise<CardSearchHit[]> {
      await ensureIndex();
      const filter: Body[] = [{ term: { is_alive: true } }];
      if (query.owner) filter.push({ term: { owner: query.owner } });
      const must: Body[] = query.query
        ? [{ multi_match: { query: query.query, fields: SEARCH_FIELDS, type: 'best_fields' } }]
        : [{ match_all: {} }];
      const res = await withRetry(
        () =>
          client.search({
            index,
            body: {
              // Over-fetch a little so collapsing duplicate content still fills the page.
              size: Math.min(query.limit * 2, 1000),
              query: { bool: { must, filter } },
              sort: query.query
                ? [{ _score: { order: 'desc' } }, { created_at: { order: 'desc' } }]
                : [{ created_at: { order: 'desc' } }],
              track_scores: true,
            } as Body,
          }),
        THROTTLE_RETRY,
      );
      const hits = (res.body as { hits: { hits: { _score: number | null; _source: CardDocument }[] } }).hits.hits;
      const seen = new Set<string>();
      const out: CardSearchHit[] = [];
      for (const hit of hits) {
        const key = `${hit._source.owner}\u0000${hit._source.content_id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ ...hit._source, score: hit._score ?? 0 });
        if (out.length >= query.limit) break;
      }
      return out;
    },
    async close() {
      await client.close();
    },
  };
}
