import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingRecord } from '../../src/emulators/firehose/delivery-stream.js';
import { startKinesisSource } from '../../src/emulators/firehose/kinesis-source.js';
import { logger } from '../../src/lib/logger.js';

/** One open shard whose records the test puts; every call is counted by its command's name. */
function stubStream() {
  const records: {
    Data: Uint8Array;
    PartitionKey: string;
    SequenceNumber: string;
    ApproximateArrivalTimestamp: Date;
  }[] = [];
  const calls = new Map<string, number>();
  const client = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.set(name, (calls.get(name) ?? 0) + 1);
      switch (name) {
        case 'ListShards':
          return { Shards: [{ ShardId: 'shardId-000000000000' }] };
        case 'GetShardIterator':
          return { ShardIterator: '0' };
        case 'GetRecords': {
          const from = Number(command.input.ShardIterator);
          return { Records: records.slice(from), NextShardIterator: String(records.length), MillisBehindLatest: 0 };
        }
        default:
          throw new Error(`unexpected ${name}`);
      }
    },
  };
  return {
    kinesis: client as unknown as KinesisClient,
    put(data: string) {
      records.push({
        Data: Buffer.from(data),
        PartitionKey: data,
        SequenceNumber: String(records.length + 1).padStart(20, '0'),
        ApproximateArrivalTimestamp: new Date(),
      });
    },
    calls: (name: string) => calls.get(name) ?? 0,
  };
}

describe('Firehose Kinesis source', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The source over the stub stream, polling every `pollIntervalMs`; what it accepts lands in `accepted`. */
  async function startSource(stream: ReturnType<typeof stubStream>, pollIntervalMs: number) {
    dir = await mkdtemp(join(tmpdir(), 'firehose-source-'));
    const accepted: IncomingRecord[] = [];
    const source = startKinesisSource({
      kinesis: stream.kinesis,
      streamName: 's',
      startAt: 0,
      checkpointFile: join(dir, 'checkpoint.json'),
      pollIntervalMs,
      accept: async (records) => accepted.push(...records),
      logger,
    });
    return { source, accepted };
  }

  it('reads records trickling in once per poll interval, not once per record, and lists shards once', async () => {
    const stream = stubStream();
    const { source, accepted } = await startSource(stream, 150);
    try {
      // 30 records, one every 20 ms: ~600 ms, about four poll intervals
      for (let i = 0; i < 30; i++) {
        stream.put(`r${i}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await source.idle();
      expect(accepted.map((r) => r.data.toString())).toEqual(Array.from({ length: 30 }, (_, i) => `r${i}`));
      expect(stream.calls('GetRecords')).toBeLessThanOrEqual(10);
      expect(stream.calls('ListShards')).toBe(1);
    } finally {
      await source.stop();
    }
  });

  it('idle() ends the pause that follows a pass with records', async () => {
    const stream = stubStream();
    stream.put('first');
    const { source, accepted } = await startSource(stream, 60_000);
    try {
      while (accepted.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100)); // the pass is over: the source pauses for a minute
      const idle = await Promise.race([
        source.idle().then(() => 'idle'),
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000)),
      ]);
      expect(idle).toBe('idle');
      expect(stream.calls('GetRecords')).toBe(2);
    } finally {
      await source.stop();
    }
  });
});
