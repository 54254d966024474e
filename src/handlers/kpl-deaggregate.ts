import type {
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { deaggregate, isAggregated, KplFormatError } from '../domain/kpl.js';
import { logger } from '../lib/logger.js';
import { lambdaEntry } from './entry.js';

// biome-ignore lint/complexity/noBannedTypes: the transform needs no ports
export type KplDeaggregateDeps = {};

const NEWLINE = Buffer.from('\n');

/** User records joined as newline-delimited lines (a record already ending in a newline gets no second one). */
function joinLines(records: { data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { data } of records) {
    parts.push(data);
    if (data.length === 0 || data[data.length - 1] !== 0x0a) parts.push(NEWLINE);
  }
  return Buffer.concat(parts);
}

/**
 * Firehose transform: a KPL-aggregated record becomes its user records, newline-delimited, in one output record;
 * a plain record passes through unchanged; an aggregated record that cannot be decoded is ProcessingFailed
 * (Firehose then writes it to the error output prefix; the reason is logged and returned as `errorMessage`).
 */
export function createKplDeaggregate(_deps: KplDeaggregateDeps = {}) {
  return async (event: FirehoseTransformationEvent): Promise<FirehoseTransformationResult> => {
    let users = 0;
    let failed = 0;
    const records = event.records.map((record): FirehoseTransformationResultRecord & { errorMessage?: string } => {
      const data = Buffer.from(record.data, 'base64');
      if (!isAggregated(data)) return { recordId: record.recordId, result: 'Ok', data: record.data };
      try {
        const userRecords = deaggregate(data);
        users += userRecords.length;
        return { recordId: record.recordId, result: 'Ok', data: joinLines(userRecords).toString('base64') };
      } catch (err) {
        if (!(err instanceof KplFormatError)) throw err;
        failed++;
        logger.warn(
          { recordId: record.recordId, reason: err.message },
          'kpl-deaggregate: record cannot be deaggregated',
        );
        return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data, errorMessage: err.message };
      }
    });
    logger.debug({ records: records.length, users, failed }, 'kpl-deaggregate: batch done');
    return { records };
  };
}

export const handler = lambdaEntry('kpl-deaggregate', {}, () => createKplDeaggregate());
