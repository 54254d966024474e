import { createHash } from 'node:crypto';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { cache } from '../composition/ports/cache.js';
import { search } from '../composition/ports/search.js';
import type { CardFields, PhoneNumber } from '../domain/card-fields.js';
import { parseImageKey } from '../domain/image-key.js';
import { type DecodedKinesisRecord, decodeKinesisRecords, recordJson } from '../domain/kinesis-records.js';
import { logger } from '../lib/logger.js';
import type { Cache } from '../ports/cache.js';
import type { CardDocument, CardSearchIndex } from '../ports/card-search.js';
import { lambdaEntry } from './entry.js';

export interface UpsertToSearchDeps {
  search: CardSearchIndex;
  cache: Cache;
}

/** Cache keys of search answers: `search:<user>:` per owner, `search::` for queries across owners. */
export function searchCachePrefix(user: string | undefined): string {
  return `search:${user ?? ''}:`;
}

interface TextRecord {
  s3_bucket?: unknown;
  s3_key?: unknown;
  owner?: unknown;
  data?: Partial<CardFields> | null;
}

/** Deterministic document id per owner and image: a redelivered or re-extracted card updates its document. */
export function cardDocId(owner: string, imageId: string): string {
  return createHash('sha256')
    .update(JSON.stringify([owner, imageId]))
    .digest('hex')
    .slice(0, 32);
}

const norm = (v: string | null | undefined) => (v ?? '').normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Hash of the normalised card fields (case, spacing and phone punctuation do not matter). */
export function cardContentId(card: Partial<CardFields>): string {
  const key = [
    norm(card.name),
    norm(card.job_title),
    norm(card.company),
    norm(card.email),
    (card.phone_number ?? '').replace(/[^\d+]/g, ''),
    norm(card.addr),
    norm(card.url)
      .replace(/^https?:\/\//, '')
      .replace(/\/$/, ''),
  ];
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 32);
}

class PoisonRecordError extends Error {}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export function toCardDocument(body: TextRecord, now: string): CardDocument {
  const owner = typeof body.owner === 'string' ? body.owner.trim() : '';
  if (!owner) throw new PoisonRecordError('record has no owner');
  if (typeof body.s3_key !== 'string' || body.s3_key === '') throw new PoisonRecordError('record has no s3_key');
  if (!body.data || typeof body.data !== 'object') throw new PoisonRecordError('record has no card data');
  const card = body.data;
  // The image id is the file name, as the status API uses it (bizcard-raw-img/edy_a1.jpg → edy_a1.jpg).
  const { imageId } = parseImageKey(body.s3_key);
  const phones: PhoneNumber[] = Array.isArray(card.phones)
    ? card.phones
        .filter((p): p is PhoneNumber => typeof p?.number === 'string')
        .map((p) => ({ number: p.number, kind: p.kind ?? 'other' }))
    : [];
  return {
    doc_id: cardDocId(owner, imageId),
    content_id: cardContentId(card),
    owner,
    image_id: imageId,
    s3_bucket: typeof body.s3_bucket === 'string' ? body.s3_bucket : '',
    s3_key: body.s3_key,
    is_alive: true,
    created_at: now,
    updated_at: now,
    name: str(card.name),
    job_title: str(card.job_title),
    company: str(card.company),
    email: str(card.email),
    phone_number: str(card.phone_number),
    phones,
    addr: str(card.addr),
    url: str(card.url),
  };
}

/**
 * Text stream → OpenSearch `octember_bizcard`: one bulk upsert per batch. A card whose content an owner already
 * has (same content_id) updates that document instead of adding a duplicate. Records the index refuses are
 * reported as batch item failures; malformed records are logged and skipped (retrying cannot fix them).
 */
export function createUpsertToSearch(deps: UpsertToSearchDeps) {
  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const now = new Date().toISOString();
    const pending: { record: DecodedKinesisRecord; doc: CardDocument }[] = [];
    for (const record of decodeKinesisRecords(event)) {
      try {
        pending.push({ record, doc: toCardDocument(recordJson<TextRecord>(record), now) });
      } catch (err) {
        const reason = err instanceof SyntaxError ? `record is not JSON: ${err.message}` : (err as Error).message;
        logger.error({ sequenceNumber: record.sequenceNumber, reason }, 'upsert-to-search: skipping malformed record');
      }
    }
    if (pending.length === 0) return { batchItemFailures: [] };

    // Same content → same document: reuse the id of an existing doc of that owner, and within this batch.
    const byOwner = new Map<string, CardDocument[]>();
    for (const { doc } of pending) byOwner.set(doc.owner, [...(byOwner.get(doc.owner) ?? []), doc]);
    const failedSequences = new Set<string>();
    for (const [owner, docs] of byOwner) {
      let existing: Map<string, string>;
      try {
        existing = await deps.search.findByContent(owner, [...new Set(docs.map((d) => d.content_id))]);
      } catch (err) {
        logger.warn({ owner, err }, 'upsert-to-search: content lookup failed');
        for (const p of pending) if (p.doc.owner === owner) failedSequences.add(p.record.sequenceNumber);
        continue;
      }
      for (const doc of docs) {
        const known = existing.get(doc.content_id);
        if (known) doc.doc_id = known;
        else existing.set(doc.content_id, doc.doc_id);
      }
    }

    const toWrite = pending.filter((p) => !failedSequences.has(p.record.sequenceNumber));
    // Later records win when several in the batch target one document.
    const latest = new Map<string, CardDocument>();
    for (const { doc } of toWrite) latest.set(doc.doc_id, doc);
    try {
      const { failed } = await deps.search.upsert([...latest.values()]);
      const failedIds = new Set(failed.map((f) => f.doc_id));
      for (const f of failed) logger.warn({ docId: f.doc_id, reason: f.reason }, 'upsert-to-search: document refused');
      for (const p of toWrite) if (failedIds.has(p.doc.doc_id)) failedSequences.add(p.record.sequenceNumber);
    } catch (err) {
      logger.warn({ err }, 'upsert-to-search: bulk upsert failed');
      for (const p of toWrite) failedSequences.add(p.record.sequenceNumber);
    }

    const owners = new Set(
      toWrite.filter((p) => !failedSequences.has(p.record.sequenceNumber)).map((p) => p.doc.owner),
    );
    for (const owner of owners) {
      await deps.cache
        .deletePrefix(searchCachePrefix(owner))
        .catch((err) => logger.warn({ err }, 'upsert-to-search: cache invalidation failed'));
    }
    if (owners.size > 0) {
      await deps.cache
        .deletePrefix(searchCachePrefix(undefined))
        .catch((err) => logger.warn({ err }, 'upsert-to-search: cache invalidation failed'));
    }
    // Kinesis retries from the earliest reported failure, so report every failed record.
    return {
      batchItemFailures: pending
        .filter((p) => failedSequences.has(p.record.sequenceNumber))
        .map((p) => ({ itemIdentifier: p.record.sequenceNumber })),
    };
  };
}

export const handler = lambdaEntry('upsert-to-search', { search, cache }, createUpsertToSearch);
