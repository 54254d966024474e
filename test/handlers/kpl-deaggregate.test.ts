import { createRequire } from 'node:module';
import type { FirehoseTransformationEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { aggregate, KPL_MAGIC } from '../../src/domain/kpl.js';
import { createKplDeaggregate } from '../../src/handlers/kpl-deaggregate.js';
import { aggregateWithLibrary } from '../support/kinesis-agg.js';

const require = createRequire(import.meta.url);

const libraryAggregate = async (records: { partitionKey: string; data: Buffer }[]) =>
  (await aggregateWithLibrary(records))[0].data;

const transformEvent = (payloads: Buffer[]): FirehoseTransformationEvent => ({
  invocationId: 'inv-1',
  deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/octember-interactions-to-s3',
  region: 'us-east-1',
  records: payloads.map((p, i) => ({
    recordId: `r${i}`,
    approximateArrivalTimestamp: 1_700_000_000_000,
    data: p.toString('base64'),
  })),
});

describe('kpl-deaggregate (Firehose transform)', () => {
  const transform = createKplDeaggregate();

  it('turns aggregated records into newline-delimited user records and passes plain records through', async () => {
    const events = Array.from({ length: 6 }, (_, i) => ({
      user_id: `u${i % 2}`,
      item_id: `i${i}`,
      event_type: 'click',
      timestamp: 1_700_000_000 + i,
    }));
    const fromLibrary = await libraryAggregate(
      events.slice(0, 3).map((e) => ({ partitionKey: e.user_id, data: Buffer.from(JSON.stringify(e)) })),
    );
    const fromOurs = aggregate(
      events.slice(3).map((e) => ({ partitionKey: e.user_id, data: Buffer.from(`${JSON.stringify(e)}\n`) })),
    );
    const plain = Buffer.from('{"plain":1}');
    const result = await transform(transformEvent([fromLibrary, fromOurs, plain]));
    expect(result.records.map((r) => [r.recordId, r.result])).toEqual([
      ['r0', 'Ok'],
      ['r1', 'Ok'],
      ['r2', 'Ok'],
    ]);
    const decoded = result.records.map((r) => Buffer.from(r.data as string, 'base64').toString());
    expect(decoded[0]).toBe(
      events
        .slice(0, 3)
        .map((e) => `${JSON.stringify(e)}\n`)
        .join(''),
    );
    expect(decoded[1]).toBe(
      events
        .slice(3)
        .map((e) => `${JSON.stringify(e)}\n`)
        .join(''),
    );
    expect(decoded[2]).toBe('{"plain":1}');
  });

  it('marks undecodable aggregated records ProcessingFailed with the reason', async () => {
    const good = aggregate([{ partitionKey: 'a', data: Buffer.from('x') }]);
    const badChecksum = Buffer.from(good);
    badChecksum[badChecksum.length - 1] ^= 0xff;
    const truncated = Buffer.concat([KPL_MAGIC, Buffer.alloc(10, 0x1a)]).subarray(0, 20);
    const result = await transform(transformEvent([badChecksum, truncated, good]));
    expect(result.records.map((r) => r.result)).toEqual(['ProcessingFailed', 'ProcessingFailed', 'Ok']);
    const failed = result.records[0] as { errorMessage?: string; data?: string };
    expect(failed.errorMessage).toMatch(/MD5/);
    expect(failed.data).toBe(badChecksum.toString('base64'));
  });
});
