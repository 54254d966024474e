import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { images } from '../composition/ports/images.js';
import { objects } from '../composition/ports/objects.js';
import { ocr } from '../composition/ports/ocr.js';
import { status } from '../composition/ports/status.js';
import { streams } from '../composition/ports/streams.js';
import { cardExtractorFor } from '../domain/card-extraction/refine.js';
import type { CardFields } from '../domain/card-fields.js';
import { parseImageKey } from '../domain/image-key.js';
import { type DecodedKinesisRecord, decodeKinesisRecords, recordJson } from '../domain/kinesis-records.js';
import { BY_USER_PREFIX, TEXT_STREAM } from '../domain/names.js';
import { logger } from '../lib/logger.js';
import type { ImageCropper } from '../ports/image-cropper.js';
import type { EventStream, ObjectStore, Ocr, OcrLine, StatusStore } from '../ports/index.js';
import { lambdaEntry } from './entry.js';
import { parallelRereads } from './parallel-rereads.js';

/** The OCR'd lines of one image → card fields; `image` lets it re-read doubtful regions from an upscaled crop. */
export type CardFieldExtractor = (lines: readonly OcrLine[], image: Uint8Array) => CardFields | Promise<CardFields>;

export interface GetTextFromImagePorts {
  ocr: Ocr;
  streams: EventStream;
  objects: ObjectStore;
  status: StatusStore;
  /** Crops doubtful regions for a second OCR pass; without it the fields come from the first pass alone. */
  images?: ImageCropper;
}

export interface GetTextFromImageDeps extends GetTextFromImagePorts {
  /** Card field extraction; defaults to the domain extractor with re-OCR of doubtful regions through `ocr`. */
  extract?: CardFieldExtractor;
}

export interface GetTextFromImageOptions {
  /** Records of one batch processed at once (default 4: keeps a 2-worker OCR pool busy while others copy/put). */
  concurrency?: number;
  /** The text stream (OCTEMBER_TEXT_STREAM); default the topology's name. */
  textStream?: string;
}

interface ImageRecord {
  s3_bucket: string;
  s3_key: string;
}

/**
 * Image stream batch → OCR → card fields → text stream record, a copy under `bizcard-by-user/{owner}/`, status END.
 * A bad record becomes status FAILED plus a batch item failure; it never fails the whole batch.
 */
export function createGetTextFromImage(deps: GetTextFromImageDeps, options: GetTextFromImageOptions = {}) {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const textStream = options.textStream ?? TEXT_STREAM;
  // Doubtful regions re-read in parallel while the OCR has idle capacity (one card in flight), one by one under load.
  const rereads = !deps.extract && deps.images ? parallelRereads(deps.ocr, deps.images) : undefined;
  const ocr = rereads?.ocr ?? deps.ocr;
  const extract: CardFieldExtractor =
    deps.extract ?? rereads?.extract ?? ((lines, image) => cardExtractorFor(deps.ocr, undefined, image)(lines));

  async function processRecord(record: DecodedKinesisRecord): Promise<void> {
    const image = recordJson<ImageRecord>(record);
    if (typeof image?.s3_bucket !== 'string' || typeof image?.s3_key !== 'string') {
      throw new Error(`record ${record.sequenceNumber} lacks s3_bucket/s3_key`);
    }
    const { s3_bucket, s3_key } = image;
    const { imageId, owner } = parseImageKey(s3_key);
    const began = performance.now();
    try {
      const [{ lines }, image] = await Promise.all([
        ocr.detectText({ s3: { bucket: s3_bucket, key: s3_key } }),
        deps.objects.get(s3_bucket, s3_key).then((object) => {
          rereads?.prepare(object.body);
          return object;
        }),
      ]);
      const read = performance.now();
      const data = await extract(lines, image.body);
      const extracted = performance.now();
      // The copy first: once the record is on the text stream its consumers start and share the event loop with
      // anything still in flight here (in process, a copy beside them took 30-80 ms instead of ~10), and END waits.
      await deps.objects.copy(
        { bucket: s3_bucket, key: s3_key },
        { bucket: s3_bucket, key: `${BY_USER_PREFIX}${owner}/${imageId}` },
      );
      await deps.streams.put(textStream, {
        partitionKey: imageId,
        data: Buffer.from(JSON.stringify({ s3_bucket, s3_key, owner, data })),
      });
      await deps.status.put({
        imageId,
        status: 'END',
        s3_bucket,
        s3_key,
        owner,
        data,
        updated_at: new Date().toISOString(),
      });
      // Where a card's time goes, in its invocation's trace: the OCR's first pass (object read, page preprocessing,
      // recognition), the fields (re-reads of doubtful regions included), the writes up to END.
      logger.info(
        {
          imageId,
          ocrMs: Math.round(read - began),
          fieldsMs: Math.round(extracted - read),
          writesMs: Math.round(performance.now() - extracted),
        },
        'get-text-from-image: card read',
      );
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      await deps.status
        .put({
          imageId,
          status: 'FAILED',
          s3_bucket,
          s3_key,
          owner,
          data: null,
          updated_at: new Date().toISOString(),
          error: message,
        })
        .catch((statusError) =>
          logger.error({ imageId, err: statusError }, 'get-text-from-image: could not record FAILED'),
        );
      throw error;
    }
  }

  return async (event: KinesisStreamEvent): Promise<KinesisStreamBatchResponse> => {
    const records = decodeKinesisRecords(event);
    const failed = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const record = records[next++];
        try {
          await processRecord(record);
        } catch (error) {
          logger.warn({ sequenceNumber: record.sequenceNumber, err: error }, 'get-text-from-image: record failed');
          failed.add(record.sequenceNumber);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
    // Reported in stream order: the event source mapping retries from the first one.
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of records) {
      if (!failed.delete(record.sequenceNumber)) continue;
      batchItemFailures.push({ itemIdentifier: record.sequenceNumber });
    }
    return { batchItemFailures };
  };
}

export const handler = lambdaEntry(
  'get-text-from-image',
  { ocr, streams, objects, status, images },
  (ports: GetTextFromImagePorts, settings) =>
    createGetTextFromImage(ports, { textStream: settings.OCTEMBER_TEXT_STREAM }),
);
