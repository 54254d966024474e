import type { S3Event } from 'aws-lambda';
import { status } from '../composition/ports/status.js';
import { streams } from '../composition/ports/streams.js';
import { decodeS3EventKey, isRawCardImageKey, parseImageKey } from '../domain/image-key.js';
import { IMAGE_STREAM } from '../domain/names.js';
import { logger } from '../lib/logger.js';
import type { EventStream, StatusStore } from '../ports/index.js';
import { lambdaEntry } from './entry.js';

export interface TriggerTextExtractDeps {
  streams: EventStream;
  status: StatusStore;
}

export interface TriggerTextExtractResult {
  accepted: string[];
  ignored: string[];
}

/**
 * S3 ObjectCreated → one `{s3_bucket, s3_key}` record per card image on the image stream, status START.
 * Every record of the event is handled; if any of them fails the invocation fails after trying the others,
 * so the asynchronous retry (and then the on-failure destination) covers it.
 */
export function createTriggerTextExtract(deps: TriggerTextExtractDeps, options: { imageStream?: string } = {}) {
  const imageStream = options.imageStream ?? IMAGE_STREAM;
  return async (event: S3Event): Promise<TriggerTextExtractResult> => {
    const result: TriggerTextExtractResult = { accepted: [], ignored: [] };
    const errors: Error[] = [];
    for (const record of event.Records ?? []) {
      const bucket = record.s3.bucket.name;
      const key = decodeS3EventKey(record.s3.object.key);
      const created = !record.eventName || record.eventName.startsWith('ObjectCreated:');
      if (!created || !isRawCardImageKey(key)) {
        result.ignored.push(key);
        continue;
      }
      const { imageId, owner } = parseImageKey(key);
      try {
        // START first: the text extraction may finish (END) before a later START write could land.
        await deps.status.put({
          imageId,
          status: 'START',
          s3_bucket: bucket,
          s3_key: key,
          owner,
          data: null,
          updated_at: new Date().toISOString(),
        });
        await deps.streams.put(imageStream, {
          partitionKey: imageId,
          data: Buffer.from(JSON.stringify({ s3_bucket: bucket, s3_key: key })),
        });
        result.accepted.push(key);
      } catch (error) {
        logger.error({ bucket, key, err: error }, 'trigger-text-extract: record failed');
        errors.push(error as Error);
        // The invocation is retried; until then the status must not claim the image is queued.
        await deps.status
          .put({
            imageId,
            status: 'FAILED',
            s3_bucket: bucket,
            s3_key: key,
            owner,
            data: null,
            updated_at: new Date().toISOString(),
            error: (error as Error).message,
          })
          .catch(() => undefined);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(
        errors,
        `${errors.length} of ${event.Records.length} records failed: ${errors[0].message}`,
      );
    }
    return result;
  };
}

export const handler = lambdaEntry('trigger-text-extract', { streams, status }, (ports, settings) =>
  createTriggerTextExtract(ports, { imageStream: settings.OCTEMBER_IMAGE_STREAM }),
);
