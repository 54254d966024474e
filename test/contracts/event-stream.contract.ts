// The EventStream port's contract, run against every adapter (memory, Kinesis over the kit's engine, ...).
import { describe, expect, it } from 'vitest';
import type { EventStream } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface EventStreamFixture {
  stream: EventStream;
  /** Creates a stream of one shard (a no-op where streams need no creation). */
  createStream(name: string): Promise<void>;
  /** Every record of a stream in order: partition key and data. */
  read(name: string): Promise<{ partitionKey: string; data: Buffer }[]>;
  close?(): Promise<void>;
}

export function eventStreamContract(name: string, setup: () => Promise<EventStreamFixture>): void {
  describe(`EventStream contract: ${name}`, () => {
    const fixture = useFixture(setup, 120_000);

    it('put answers increasing sequence numbers and the shard; records read back in order', async () => {
      await fixture().createStream('contract-put');
      const first = await fixture().stream.put('contract-put', { partitionKey: 'a', data: Buffer.from('{"n":1}') });
      const second = await fixture().stream.put('contract-put', { partitionKey: 'b', data: Buffer.from('{"n":2}') });
      expect(first.shardId).toMatch(/^shardId-\d+$/);
      expect(BigInt(second.sequenceNumber) > BigInt(first.sequenceNumber)).toBe(true);
      expect(await fixture().read('contract-put')).toEqual([
        { partitionKey: 'a', data: Buffer.from('{"n":1}') },
        { partitionKey: 'b', data: Buffer.from('{"n":2}') },
      ]);
    });

    it('putMany delivers more records than one Kinesis request takes (500), in order', async () => {
      await fixture().createStream('contract-many');
      expect(await fixture().stream.putMany('contract-many', [])).toEqual({ failed: [] });
      const many = Array.from({ length: 520 }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.from(`r${i}`) }));
      expect(await fixture().stream.putMany('contract-many', many)).toEqual({ failed: [] });
      const read = await fixture().read('contract-many');
      expect(read.map((r) => r.partitionKey)).toEqual(many.map((r) => r.partitionKey));
      expect(read[519].data.toString()).toBe('r519');
    }, 60_000);
  });
}
