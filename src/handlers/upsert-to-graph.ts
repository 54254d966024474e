import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { cache } from '../composition/ports/cache.js';
import { graph } from '../composition/ports/graph.js';
import type { CardFields } from '../domain/card-fields.js';
import { type DecodedKinesisRecord, decodeKinesisRecords, recordJson } from '../domain/kinesis-records.js';
import { normalizeEmail, normalizeName } from '../domain/person-id.js';
import { pymkCachePrefix } from '../domain/pymk.js';
import { logger } from '../lib/logger.js';
import type { Cache } from '../ports/cache.js';
import type { GraphStore } from '../ports/graph-store.js';
import { lambdaEntry } from './entry.js';

export interface UpsertToGraphDeps {
  graph: GraphStore;
  cache: Cache;
}

/** A record of the text stream `octember-bizcard-txt`. */
interface TextRecord {
  s3_bucket?: string;
  s3_key?: string;
  owner?: string;
  data?: Partial<CardFields> | null;
}

/** A record that can never succeed (retrying would only block the shard): logged and skipped. */
class PoisonRecordError extends Error {}

function parse(record: DecodedKinesisRecord): { owner: string; card: Partial<CardFields> } {
  let body: TextRecord;
  try {
    body = recordJson<TextRecord>(record);
  } catch (err) {
    throw new PoisonRecordError(`record is not JSON: ${(err as Error).message}`);
  }
  const owner = typeof body?.owner === 'string' ? body.owner.trim() : '';
  if (!owner) throw new PoisonRecordError('record has no owner');
  if (!body.data || typeof body.data !== 'object') throw new PoisonRecordError('record has no card data');
  return { owner, card: body.data };
}

/**
 * Text stream → graph: the card's `person` vertex (id from the normalized email) and a `knows` edge from the owner,
 * then the PYMK cache entries of the owner and of the person are dropped. Idempotent, so redelivery is harmless;
 * a record that fails on the graph is reported as a batch item failure (the mapping retries from it).
 */
export function createUpsertToGraph(deps: UpsertToGraphDeps) {
  const invalidate = async (keys: Iterable<string>) => {
    for (const key of new Set(keys)) {
      if (key) await deps.cache.deletePrefix(pymkCachePrefix(key));
    }
  };

  const processRecord = async (record: DecodedKinesisRecord) => {
    const { owner, card } = parse(record);
    if (!normalizeEmail(card.email) && !normalizeName(card.name)) {
      logger.warn(
        { sequenceNumber: record.sequenceNumber, owner },
        'upsert-to-graph: card has neither email nor name, nothing to store',
      );
      return;
    }
    const person = {
      name: card.name ?? null,
      phone_number: card.phone_number ?? null,
      company: card.company ?? null,
      job_title: card.job_title ?? null,
      email: card.email ?? null,
    };
    await deps.graph.upsertContact(owner, person, 1);
    const email = normalizeEmail(card.email);
    await invalidate([owner, normalizeName(card.name), email ?? '', email ? email.slice(0, email.indexOf('@')) : '']);
  };

  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of decodeKinesisRecords(event)) {
      try {
        await processRecord(record);
      } catch (err) {
        if (err instanceof PoisonRecordError) {
          logger.error({ sequenceNumber: record.sequenceNumber, err }, 'upsert-to-graph: skipping malformed record');
          continue;
        }
        logger.warn({ sequenceNumber: record.sequenceNumber, err }, 'upsert-to-graph: record failed');
        batchItemFailures.push({ itemIdentifier: record.sequenceNumber });
      }
    }
    return { batchItemFailures };
  };
}

export const handler = lambdaEntry('upsert-to-graph', { graph, cache }, createUpsertToGraph);
