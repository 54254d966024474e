import { describe, expect, it } from 'vitest';
import {
  createMemoryEventStream,
  createMemoryObjectStore,
  createMemoryStatusStore,
} from '../../src/adapters/memory/index.js';
import { type CardFields, cardFields } from '../../src/domain/card-fields.js';
import { TEXT_STREAM } from '../../src/domain/names.js';
import { createGetTextFromImage } from '../../src/handlers/get-text-from-image.js';
import type { Ocr, OcrLine } from '../../src/ports/index.js';
import { kinesisEvent } from '../support/kinesis-event.js';

const BUCKET = 'octember-bizcard';

/** OCR stub: one line holding the object's text, so the extractor stub can derive fields from it. */
function textOcr(objects: ReturnType<typeof createMemoryObjectStore>): Ocr {
  return {
    async detectText(document) {
      if (!('s3' in document)) throw new Error('expected an S3 document');
      const { body } = await objects.get(document.s3.bucket, document.s3.key);
      const text = Buffer.from(body).toString('utf8');
      const box = { left: 0, top: 0, width: 1, height: 0.1 };
      return { lines: [{ text, confidence: 99, box, words: [{ text, confidence: 99, box }] }], pages: 1 };
    },
  };
}

function fieldsFrom(lines: readonly OcrLine[]): CardFields {
  const text = lines.map((line) => line.text).join(' ');
  return cardFields({ name: text });
}

async function setup() {
  const objects = createMemoryObjectStore();
  const streams = createMemoryEventStream();
  const status = createMemoryStatusStore();
  const handler = createGetTextFromImage({ ocr: textOcr(objects), streams, objects, status, extract: fieldsFrom });
  return { objects, streams, status, handler };
}

describe('get-text-from-image', () => {
  it('OCRs every record, emits the text record, copies by user and marks END with the fields', async () => {
    const { objects, streams, status, handler } = await setup();
    await objects.put(BUCKET, 'bizcard-raw-img/edy_a1.jpg', 'Edy Kim');
    await objects.put(BUCKET, 'bizcard-raw-img/lee_b2.jpg', 'Lee Park');
    const result = await handler(
      kinesisEvent([
        { s3_bucket: BUCKET, s3_key: 'bizcard-raw-img/edy_a1.jpg' },
        { s3_bucket: BUCKET, s3_key: 'bizcard-raw-img/lee_b2.jpg' },
      ]),
    );
    expect(result.batchItemFailures).toEqual([]);
    const texts = streams.json<{ s3_bucket: string; s3_key: string; owner: string; data: CardFields }>(TEXT_STREAM);
    expect(texts.map((t) => [t.owner, t.s3_key, t.data.name]).sort()).toEqual([
      ['edy', 'bizcard-raw-img/edy_a1.jpg', 'Edy Kim'],
      ['lee', 'bizcard-raw-img/lee_b2.jpg', 'Lee Park'],
    ]);
    expect(texts[0].s3_bucket).toBe(BUCKET);
    expect(Buffer.from((await objects.get(BUCKET, 'bizcard-by-user/edy/edy_a1.jpg')).body).toString()).toBe('Edy Kim');
    expect(objects.keys(BUCKET)).toContain('bizcard-by-user/lee/lee_b2.jpg');
    const end = await status.get('edy_a1.jpg');
    expect(end).toMatchObject({ status: 'END', owner: 'edy', s3_key: 'bizcard-raw-img/edy_a1.jpg' });
    expect(end?.data?.name).toBe('Edy Kim');
  });

  it('reports bad records as batch item failures in stream order, marks them FAILED, and finishes the good ones', async () => {
    const { objects, streams, status, handler } = await setup();
    await objects.put(BUCKET, 'bizcard-raw-img/ok_1.jpg', 'Ok One');
    const event = kinesisEvent([
      { s3_bucket: BUCKET, s3_key: 'bizcard-raw-img/gone_2.jpg' },
      'this is not json',
      { s3_bucket: BUCKET, s3_key: 'bizcard-raw-img/ok_1.jpg' },
      { unexpected: true },
    ]);
    const result = await handler(event);
    const sequence = event.Records.map((record) => record.kinesis.sequenceNumber);
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: sequence[0] },
      { itemIdentifier: sequence[1] },
      { itemIdentifier: sequence[3] },
    ]);
    expect(streams.json<{ s3_key: string }>(TEXT_STREAM).map((t) => t.s3_key)).toEqual(['bizcard-raw-img/ok_1.jpg']);
    expect((await status.get('ok_1.jpg'))?.status).toBe('END');
    const failed = await status.get('gone_2.jpg');
    expect(failed).toMatchObject({ status: 'FAILED', owner: 'gone', data: null });
    expect(failed?.error).toMatch(/does not exist/);
  });

  it('fails a record whose extractor throws without losing the rest of the batch', async () => {
    const objects = createMemoryObjectStore();
    const streams = createMemoryEventStream();
    const status = createMemoryStatusStore();
    const handler = createGetTextFromImage({
      ocr: textOcr(objects),
      streams,
      objects,
      status,
      extract: async (lines) => {
        if (lines[0]?.text === 'boom') throw new Error('extractor exploded');
        return fieldsFrom(lines);
      },
    });
    await objects.put(BUCKET, 'bizcard-raw-img/a_1.jpg', 'boom');
    await objects.put(BUCKET, 'bizcard-raw-img/b_2.jpg', 'fine');
    const event = kinesisEvent([
      { s3_bucket: BUCKET, s3_key: 'bizcard-raw-img/a_1.jpg' },
      { s3_bucket: BUCKET, s3_key: 'bizcard-raw-img/b_2.jpg' },
    ]);
    const result = await handler(event);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0].kinesis.sequenceNumber }]);
    expect((await status.get('a_1.jpg'))?.error).toBe('extractor exploded');
    expect((await status.get('b_2.jpg'))?.status).toBe('END');
    expect(objects.keys(BUCKET)).not.toContain('bizcard-by-user/a/a_1.jpg');
  });
});
