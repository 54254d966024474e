import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, describe, expect, it } from 'vitest';
import { startEdge } from '../../src/emulators/edge/index.js';
import { startKinesis } from '../../src/emulators/kinesis/index.js';
import { isAlive } from '../../src/lib/child-process.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const client = (endpoint: string) =>
  new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    requestHandler: new NodeHttpHandler(),
    maxAttempts: 1,
  });
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function waitActive(k: KinesisClient, stream: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const d = await k.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${stream} never became ACTIVE`);
}

async function readAll(k: KinesisClient, stream: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const shard of (await k.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? []) {
    let it = (
      await k.send(
        new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
      )
    ).ShardIterator;
    for (;;) {
      const page = await k.send(new GetRecordsCommand({ ShardIterator: it }));
      for (const r of page.Records ?? []) out.set(r.SequenceNumber!, Buffer.from(r.Data!).toString());
      if (!page.Records?.length || !page.NextShardIterator) break;
      it = page.NextShardIterator;
    }
  }
  return out;
}

function startHost(dataDir: string): Promise<{ child: ChildProcess; edge: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/safety/support/kinesis-host.ts', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, OCTEMBER_LOG_LEVEL: 'silent' },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /EDGE (\S+)/.exec(out);
      if (m) resolve({ child, edge: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`host exited (${code}): ${out}`)));
  });
}

describe('Kinesis durability: an acknowledged put survives kill -9', () => {
  it('of the process serving Kinesis, with the same sequence numbers afterwards', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'octember-kinesis-kill-'));
    dirs.push(dataDir);
    const host = await startHost(dataDir);
    const k = client(host.edge);
    await k.send(new CreateStreamCommand({ StreamName: 'durable', ShardCount: 2 }));
    await waitActive(k, 'durable');
    const acked = new Map<string, string>();
    // keep putting until the kill: whatever got an answer must be there afterwards
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const data = `w${w}-${i}`;
        try {
          if (i % 3 === 0) {
            const out = await k.send(
              new PutRecordsCommand({
                StreamName: 'durable',
                Records: [0, 1, 2].map((j) => ({ PartitionKey: `${data}-${j}`, Data: Buffer.from(`${data}-${j}`) })),
              }),
            );
            for (const [j, r] of (out.Records ?? []).entries())
              if (r.SequenceNumber) acked.set(r.SequenceNumber, `${data}-${j}`);
          } else {
            const out = await k.send(
              new PutRecordCommand({ StreamName: 'durable', PartitionKey: data, Data: Buffer.from(data) }),
            );
            acked.set(out.SequenceNumber!, data);
          }
        } catch {
          return; // the process is gone
        }
      }
    });
    while (acked.size < 100) await new Promise((r) => setTimeout(r, 50));
    process.kill(host.child.pid!, 'SIGKILL');
    stop = true;
    await Promise.all(writers);
    k.destroy();
    expect(acked.size).toBeGreaterThan(20);
    for (let i = 0; i < 100 && isAlive(host.child.pid!); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(host.child.pid!)).toBe(false);

    const kinesis = await startKinesis({ dataDir });
    const edge = await startEdge({ port: 0, services: [kinesis], closeServices: true });
    try {
      const after = await readAll(client(edge.url), 'durable');
      const missing = [...acked].filter(([seq, data]) => after.get(seq) !== data);
      expect(missing).toEqual([]);
      // nothing the clients never heard about was invented, and nothing is there twice
      expect(new Set(after.values()).size).toBe(after.size);
    } finally {
      await edge.close();
    }
  }, 90_000);
});

describe('Kinesis limits, as AWS enforces them (through the SDK)', () => {
  it('PutRecords: 500 records, 5 MiB, 1 MiB per record, 256-character partition keys', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'octember-kinesis-limits-'));
    dirs.push(dataDir);
    const kinesis = await startKinesis({ dataDir });
    const edge = await startEdge({ port: 0, services: [kinesis], closeServices: true });
    const k = client(edge.url);
    try {
      await k.send(new CreateStreamCommand({ StreamName: 'limits', ShardCount: 1 }));
      await waitActive(k, 'limits');
      const record = (data: Buffer, key = 'k') => ({ PartitionKey: key, Data: data });
      const put = (records: { PartitionKey: string; Data: Buffer }[]) =>
        k.send(new PutRecordsCommand({ StreamName: 'limits', Records: records }));

      await expect(put(Array.from({ length: 501 }, () => record(Buffer.from('x'))))).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining('less than or equal to 500'),
      });
      expect((await put(Array.from({ length: 500 }, () => record(Buffer.from('x'))))).FailedRecordCount).toBe(0);

      await expect(put([record(Buffer.alloc(1024 * 1024 + 1))])).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining("'records.1.member.data'"),
      });
      await expect(
        k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'k', Data: Buffer.alloc(1024 * 1024 + 1) })),
      ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('1048576') });
      const oneMiB = Buffer.alloc(1024 * 1024 - 1);
      expect((await put([record(oneMiB)])).FailedRecordCount).toBe(0);

      await expect(put(Array.from({ length: 6 }, () => record(oneMiB)))).rejects.toMatchObject({
        name: 'InvalidArgumentException',
        message: 'Records size exceeds 5 MB limit',
      });
      await expect(put([record(Buffer.from('x'), 'p'.repeat(257))])).rejects.toMatchObject({
        name: 'ValidationException',
        message: expect.stringContaining("'records.1.member.partitionKey'"),
      });
      await expect(
        k.send(new PutRecordCommand({ StreamName: 'limits', PartitionKey: 'é'.repeat(257), Data: Buffer.from('x') })),
      ).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('256') });
      expect((await put([record(Buffer.from('x'), 'p'.repeat(256))])).FailedRecordCount).toBe(0);
      // a rejected request wrote nothing
      expect((await readAll(k, 'limits')).size).toBe(502);
    } finally {
      k.destroy();
      await edge.close();
    }
  }, 60_000);
});
