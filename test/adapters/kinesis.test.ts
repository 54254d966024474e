// The Kinesis adapter against the Kinesis emulator (the kit's engine behind the edge, the real wire protocol): the EventStream contract; and how it splits
// PutRecords requests at Kinesis's limits (500 records, 5 MiB), checked on the requests it sends.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  type PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { createKinesisEventStream } from '../../src/adapters/kinesis/event-stream.js';
import { startEdge } from '../../src/emulators/edge/index.js';
import { startKinesis } from '../../src/emulators/kinesis/index.js';
import { eventStreamContract } from '../contracts/event-stream.contract.js';

eventStreamContract('kinesis over the Kinesis emulator', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-kinesis-adapter-'));
  const kinesis = await startKinesis({ dataDir });
  const edge = await startEdge({ port: 0, services: [kinesis], closeServices: true });
  const client = new KinesisClient({
    endpoint: edge.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
  });
  return {
    stream: createKinesisEventStream(client),
    async createStream(name) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
      await waitUntilStreamExists({ client, maxWaitTime: 30, minDelay: 0.1, maxDelay: 0.5 }, { StreamName: name });
    },
    async read(name) {
      const iterator = await client.send(
        new GetShardIteratorCommand({
          StreamName: name,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const records: { partitionKey: string; data: Buffer }[] = [];
      let next = iterator.ShardIterator;
      while (next) {
        const out = await client.send(new GetRecordsCommand({ ShardIterator: next, Limit: 1000 }));
        for (const r of out.Records ?? [])
          records.push({ partitionKey: r.PartitionKey ?? '', data: Buffer.from(r.Data ?? []) });
        if ((out.Records ?? []).length === 0 && !out.MillisBehindLatest) break;
        next = out.NextShardIterator;
      }
      return records;
    },
    async close() {
      client.destroy();
      await edge.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

describe('kinesis adapter: PutRecords requests', () => {
  it('splits at 500 records and at 5 MiB, and maps refused records back to their input index', async () => {
    const requests: { count: number; bytes: number }[] = [];
    const client = {
      async send(command: PutRecordsCommand) {
        const records = command.input.Records ?? [];
        requests.push({
          count: records.length,
          bytes: records.reduce((n, r) => n + (r.Data?.byteLength ?? 0) + Buffer.byteLength(r.PartitionKey ?? ''), 0),
        });
        const offset = requests.slice(0, -1).reduce((n, r) => n + r.count, 0);
        return {
          Records: records.map((_, i) =>
            offset + i === 3 ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' } : {},
          ),
        };
      },
    } as unknown as KinesisClient;
    const stream = createKinesisEventStream(client);
    const small = Array.from({ length: 1001 }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.from('x') }));
    expect(await stream.putMany('s', small)).toEqual({
      failed: [{ index: 3, errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'slow down' }],
    });
    expect(requests.map((r) => r.count)).toEqual([500, 500, 1]);
    requests.length = 0;
    const large = Array.from({ length: 6 }, (_, i) => ({ partitionKey: `b${i}`, data: Buffer.alloc(1_000_000) }));
    await stream.putMany('s', large);
    expect(requests.map((r) => r.count)).toEqual([5, 1]);
    expect(Math.max(...requests.map((r) => r.bytes))).toBeLessThanOrEqual(5 * 1024 * 1024);
  });
});
