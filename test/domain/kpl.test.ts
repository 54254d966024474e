import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { KinesisStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  aggregate,
  aggregateBatches,
  deaggregate,
  isAggregated,
  KPL_MAGIC,
  KplFormatError,
} from '../../src/domain/kpl.js';
import { decodeKinesisRecords } from '../../src/runtime/kinesis-records.js';
import { aggregateWithLibrary, deaggregateWithLibrary } from '../support/kinesis-agg.js';

const require = createRequire(import.meta.url);

const sample = Array.from({ length: 37 }, (_, i) => ({
  partitionKey: `user-${i % 5}`,
  ...(i % 7 === 0 ? { explicitHashKey: String(BigInt(i) * 12345678901234567890n) } : {}),
  data: Buffer.from(JSON.stringify({ user_id: `user-${i % 5}`, item_id: `item-${i}`, note: 'é✓'.repeat(i) })),
}));

/** Re-signs a tampered protobuf body so only the protobuf, not the checksum, is wrong. */
function withBody(body: Buffer): Buffer {
  return Buffer.concat([KPL_MAGIC, body, createHash('md5').update(body).digest()]);
}

describe('KPL aggregated records', () => {
  it('decodes records aggregated by aws-kinesis-agg (keys, hash keys, data)', async () => {
    const [{ data: encoded }] = await aggregateWithLibrary(sample);
    expect(isAggregated(encoded)).toBe(true);
    const users = deaggregate(encoded);
    expect(users.map((u) => u.partitionKey)).toEqual(sample.map((s) => s.partitionKey));
    expect(users.map((u) => u.data.toString())).toEqual(sample.map((s) => s.data.toString()));
    for (const [i, u] of users.entries()) {
      if (sample[i].explicitHashKey) expect(u.explicitHashKey).toBe(sample[i].explicitHashKey);
    }
  });

  it('encodes records aws-kinesis-agg decodes, with its checksum check on', () => {
    const encoded = aggregate(sample);
    const decoded = deaggregateWithLibrary(encoded);
    expect(decoded.map((u) => u.partitionKey)).toEqual(sample.map((s) => s.partitionKey));
    expect(decoded.map((u) => Buffer.from(u.data, 'base64').toString())).toEqual(sample.map((s) => s.data.toString()));
    // (the library reports a hash key for every record; only those we set are meaningful)
    sample.forEach((s, i) => {
      if (s.explicitHashKey) expect(decoded[i].explicitPartitionKey).toBe(s.explicitHashKey);
    });
  });

  it('round-trips empty payloads and large varints', () => {
    const records = [
      { partitionKey: 'a', data: Buffer.alloc(0) },
      { partitionKey: 'b', data: Buffer.alloc(300_000, 7) },
    ];
    const back = deaggregate(aggregate(records));
    expect(back.map((r) => r.data.length)).toEqual([0, 300_000]);
    expect(back[1].data.every((b) => b === 7)).toBe(true);
  });

  it('splits big batches into aggregates under the Kinesis record limit', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.alloc(50_000, i) }));
    const batches = aggregateBatches(records);
    expect(batches.length).toBeGreaterThan(1);
    for (const b of batches) expect(b.data.length + Buffer.byteLength(b.partitionKey)).toBeLessThanOrEqual(1024 * 1024);
    const back = batches.flatMap((b) => (b.count === 1 ? [{ data: b.data }] : deaggregate(b.data)));
    expect(back.map((r) => r.data[0])).toEqual(records.map((_, i) => i));
  });

  describe('corrupt inputs fail with a clear KplFormatError', () => {
    const good = aggregate(sample.slice(0, 3));
    const cases: [string, Buffer, RegExp][] = [
      ['plain data', Buffer.from('{"not":"aggregated"}'), /magic/],
      ['magic only', Buffer.from(KPL_MAGIC), /magic|too short/],
      ['truncated checksum', good.subarray(0, good.length - 4), /MD5/],
      ['flipped data byte', Buffer.from(good).fill(0x41, 30, 31), /MD5/],
      ['truncated protobuf, re-signed', withBody(Buffer.from([0x0a, 0x05, 0x61])), /runs past|truncated/],
      [
        'record pointing at a missing key, re-signed',
        withBody(Buffer.from([0x1a, 0x05, 0x08, 0x09, 0x1a, 0x01, 0x41])),
        /partition key 9/,
      ],
      ['record without data, re-signed', withBody(Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x02, 0x08, 0x00])), /no data/],
      ['unknown wire type, re-signed', withBody(Buffer.from([0x0f, 0x00])), /wire type/],
    ];
    it.each(cases)('%s', (_label, input, message) => {
      expect(() => deaggregate(input)).toThrowError(KplFormatError);
      expect(() => deaggregate(input)).toThrowError(message);
    });
  });

  it('decodeKinesisRecords hands Kinesis-triggered handlers user records', () => {
    const aggregated = aggregate(sample.slice(0, 4));
    const event = {
      Records: [
        {
          kinesis: {
            sequenceNumber: '10',
            partitionKey: 'x',
            data: aggregated.toString('base64'),
            approximateArrivalTimestamp: 1,
          },
        },
        {
          kinesis: {
            sequenceNumber: '11',
            partitionKey: 'p',
            data: Buffer.from('plain').toString('base64'),
            approximateArrivalTimestamp: 2,
          },
        },
      ],
    } as unknown as KinesisStreamEvent;
    const decoded = decodeKinesisRecords(event);
    expect(decoded.map((d) => [d.sequenceNumber, d.subSequenceNumber, d.partitionKey])).toEqual([
      ['10', 0, 'user-0'],
      ['10', 1, 'user-1'],
      ['10', 2, 'user-2'],
      ['10', 3, 'user-3'],
      ['11', undefined, 'p'],
    ]);
    expect(decoded[2].data.toString()).toBe(sample[2].data.toString());
    expect(decoded[4].data.toString()).toBe('plain');
  });
});
