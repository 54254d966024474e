import type { KinesisStreamEvent } from 'aws-lambda';
import { logger } from '../lib/logger.js';
import { deaggregate, isAggregated, KplFormatError } from './kpl.js';

/** One user record delivered to a Kinesis-triggered handler. */
export interface DecodedKinesisRecord {
  /** Sequence number of the Kinesis record carrying it: the `itemIdentifier` of a batch item failure. */
  sequenceNumber: string;
  /** Position inside a KPL-aggregated record; absent for plain records. */
  subSequenceNumber?: number;
  partitionKey: string;
  data: Buffer;
  /** Seconds since the epoch, as in the event. */
  approximateArrivalTimestamp: number;
}

/**
 * The single place handlers turn a KinesisStreamEvent into user records. KPL-aggregated records are split into
 * their user records (all sharing the carrier's sequence number, told apart by `subSequenceNumber`); an aggregated
 * record that cannot be decoded is delivered whole, with a warning, so the handler reports it like any bad record.
 */
export function decodeKinesisRecords(event: KinesisStreamEvent): DecodedKinesisRecord[] {
  const out: DecodedKinesisRecord[] = [];
  for (const record of event.Records ?? []) {
    const { sequenceNumber, partitionKey, approximateArrivalTimestamp } = record.kinesis;
    const data = Buffer.from(record.kinesis.data, 'base64');
    const users = deaggregateKinesisPayload(data, sequenceNumber);
    if (!users) {
      out.push({ sequenceNumber, partitionKey, data, approximateArrivalTimestamp });
      continue;
    }
    users.forEach((user, subSequenceNumber) => {
      out.push({
        sequenceNumber,
        subSequenceNumber,
        partitionKey: user.partitionKey,
        data: user.data,
        approximateArrivalTimestamp,
      });
    });
  }
  return out;
}

/** The user records of a KPL-aggregated payload, or undefined for a plain (or undecodable, logged) payload. */
export function deaggregateKinesisPayload(
  data: Buffer,
  sequenceNumber?: string,
): { partitionKey: string; data: Buffer }[] | undefined {
  if (!isAggregated(data)) return undefined;
  try {
    return deaggregate(data);
  } catch (err) {
    if (!(err instanceof KplFormatError)) throw err;
    logger.warn({ sequenceNumber, err: err.message }, 'KPL aggregated record cannot be decoded; delivered as is');
    return undefined;
  }
}

/** Parses a record payload as UTF-8 JSON (throws SyntaxError on a malformed record). */
export function recordJson<T = unknown>(record: DecodedKinesisRecord): T {
  return JSON.parse(record.data.toString('utf8')) as T;
}
