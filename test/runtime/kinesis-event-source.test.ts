import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteStreamCommand,
  GetRecordsCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createInvoker, type Invoker } from '../../src/runtime/invoker.js';
import {
  type KinesisEventSourceMapping,
  type KinesisEventSourceMappingOptions,
  laneOf,
  startKinesisEventSourceMapping,
} from '../../src/runtime/kinesis-event-source.js';
import { startTestKinesis, type TestKinesis } from './support/kinesis.js';

let kinesis: TestKinesis;
let dir: string;
let streamCounter = 0;
const mappings: KinesisEventSourceMapping[] = [];

beforeAll(async () => {
  kinesis = await startTestKinesis();
}, 60_000);
afterAll(async () => {
  await kinesis?.stop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'octember-esm-'));
});
afterEach(async () => {
  await Promise.all(mappings.splice(0).map((mapping) => mapping.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function newStream(shards = 1): Promise<string> {
  const name = `esm-test-${process.pid}-${++streamCounter}`;
  await kinesis.createStream(name, shards);
  return name;
}

async function putAll(stream: string, payloads: string[], partitionKey?: (payload: string) => string) {
  const sequenceNumbers: string[] = [];
  for (const payload of payloads) {
    const out = await kinesis.client.send(
      new PutRecordCommand({
        StreamName: stream,
        PartitionKey: partitionKey?.(payload) ?? 'pk',
        Data: Buffer.from(payload),
      }),
    );
    sequenceNumbers.push(out.SequenceNumber as string);
  }
  return sequenceNumbers;
}

function payloadsOf(event: KinesisStreamEvent): string[] {
  return event.Records.map((record) => Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
}

async function start(invoker: Invoker, stream: string, options: Partial<KinesisEventSourceMappingOptions> = {}) {
  const mapping = await startKinesisEventSourceMapping({
    kinesis: kinesis.client,
    streamName: stream,
    functionName: 'consumer',
    invoker,
    startingPosition: 'TRIM_HORIZON',
    pollIntervalMs: 20,
    shardRefreshIntervalMs: 50,
    retryBaseDelayMs: 1,
    checkpointDir: join(dir, 'checkpoints'),
    onFailureDir: join(dir, 'failures'),
    ...options,
  });
  mappings.push(mapping);
  return mapping;
}

async function failureFiles(): Promise<
  {
    KinesisBatchInfo: { shardId: string; startSequenceNumber: string; endSequenceNumber: string; batchSize: number };
    records: KinesisStreamEvent['Records'];
    error: { errorMessage: string };
  }[]
> {
  const files = await readdir(join(dir, 'failures')).catch(() => [] as string[]);
  return Promise.all(files.sort().map(async (file) => JSON.parse(await readFile(join(dir, 'failures', file), 'utf8'))));
}

describe('Kinesis event source mapping (against the Kinesis engine)', () => {
  it('delivers every record in order, in batches of at most batchSize, with the Lambda event shape', async () => {
    const stream = await newStream();
    const payloads = Array.from({ length: 7 }, (_, i) => `record-${i}`);
    const sequenceNumbers = await putAll(stream, payloads);
    const invoker = createInvoker();
    const events: KinesisStreamEvent[] = [];
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      events.push(event);
    });
    const mapping = await start(invoker, stream, { batchSize: 3 });
    await mapping.idle();
    expect(events.flatMap(payloadsOf)).toEqual(payloads);
    expect(Math.max(...events.map((event) => event.Records.length))).toBeLessThanOrEqual(3);
    const first = events[0].Records[0];
    expect(first.eventSource).toBe('aws:kinesis');
    expect(first.eventName).toBe('aws:kinesis:record');
    expect(first.eventSourceARN).toBe(`arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`);
    expect(first.kinesis.sequenceNumber).toBe(sequenceNumbers[0]);
    expect(first.eventID).toBe(`shardId-000000000000:${sequenceNumbers[0]}`);
    expect(first.kinesis.partitionKey).toBe('pk');
    expect(Math.abs(first.kinesis.approximateArrivalTimestamp - Date.now() / 1000)).toBeLessThan(600);

    // idle() waits for records put after the mapping caught up.
    await putAll(stream, ['late']);
    await mapping.idle();
    expect(events.flatMap(payloadsOf).at(-1)).toBe('late');
  });

  it('resumes after the last checkpointed record when restarted', async () => {
    const stream = await newStream();
    await putAll(stream, ['a', 'b', 'c']);
    const seen: string[] = [];
    const invoker = createInvoker();
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      seen.push(...payloadsOf(event));
    });
    const first = await start(invoker, stream);
    await first.idle();
    await first.stop();
    await putAll(stream, ['d', 'e']);
    const second = await start(invoker, stream);
    await second.idle();
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('starts at LATEST when asked, skipping records already in the stream', async () => {
    const stream = await newStream();
    await putAll(stream, ['old']);
    const seen: string[] = [];
    const invoker = createInvoker();
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      seen.push(...payloadsOf(event));
    });
    const mapping = await start(invoker, stream, { startingPosition: 'LATEST' });
    await mapping.idle();
    await putAll(stream, ['new']);
    await mapping.idle();
    expect(seen).toEqual(['new']);
  });

  it('retries from the first reported batch item failure and never redelivers the records before it', async () => {
    const stream = await newStream();
    const payloads = ['p0', 'p1', 'p2', 'p3', 'p4'];
    await putAll(stream, payloads);
    const invoker = createInvoker();
    const batches: string[][] = [];
    let failedOnce = false;
    invoker.register('consumer', (event: KinesisStreamEvent): KinesisStreamBatchResponse => {
      batches.push(payloadsOf(event));
      const p2 = event.Records.find((record) => Buffer.from(record.kinesis.data, 'base64').toString() === 'p2');
      if (p2 && !failedOnce) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: p2.kinesis.sequenceNumber }] };
      }
      return { batchItemFailures: [] };
    });
    const mapping = await start(invoker, stream, { reportBatchItemFailures: true, batchSize: 10 });
    await mapping.idle();
    expect(batches).toEqual([payloads, ['p2', 'p3', 'p4']]);
    expect(await failureFiles()).toEqual([]);
  });

  it('sends an always-failing reported record to the on-failure destination after maxRetryAttempts and moves on', async () => {
    const stream = await newStream();
    const sequenceNumbers = await putAll(stream, ['ok-1', 'poison', 'ok-2']);
    const invoker = createInvoker();
    let invocations = 0;
    invoker.register('consumer', (event: KinesisStreamEvent): KinesisStreamBatchResponse => {
      invocations += 1;
      const poison = event.Records.filter(
        (record) => Buffer.from(record.kinesis.data, 'base64').toString() === 'poison',
      );
      return { batchItemFailures: poison.map((record) => ({ itemIdentifier: record.kinesis.sequenceNumber })) };
    });
    const mapping = await start(invoker, stream, { reportBatchItemFailures: true, maxRetryAttempts: 2 });
    await mapping.idle();
    expect(invocations).toBe(3);
    const failures = await failureFiles();
    expect(failures).toHaveLength(1);
    expect(failures[0].records.map((record) => record.kinesis.sequenceNumber)).toEqual([sequenceNumbers[1]]);
    expect(failures[0].KinesisBatchInfo).toMatchObject({
      shardId: 'shardId-000000000000',
      startSequenceNumber: sequenceNumbers[1],
      endSequenceNumber: sequenceNumbers[2],
    });
    // The shard is not blocked: new records keep flowing.
    await putAll(stream, ['after']);
    await mapping.idle();
    expect(invocations).toBe(4);
  });

  it('treats an unknown itemIdentifier as a failure of the whole batch', async () => {
    const stream = await newStream();
    await putAll(stream, ['x', 'y']);
    const invoker = createInvoker();
    invoker.register(
      'consumer',
      (): KinesisStreamBatchResponse => ({ batchItemFailures: [{ itemIdentifier: 'no-such-sequence' }] }),
    );
    const mapping = await start(invoker, stream, { reportBatchItemFailures: true, maxRetryAttempts: 1 });
    await mapping.idle();
    const failures = await failureFiles();
    expect(failures).toHaveLength(1);
    expect(failures[0].records).toHaveLength(2);
    expect(failures[0].error.errorMessage).toMatch(/invalid batchItemFailures/);
  });

  it('bisects a failing batch to isolate the poison record; good records are all processed', async () => {
    const stream = await newStream();
    const payloads = Array.from({ length: 8 }, (_, i) => (i === 5 ? 'poison' : `good-${i}`));
    await putAll(stream, payloads);
    const invoker = createInvoker();
    const processed: string[] = [];
    const batchSizes: number[] = [];
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      const batch = payloadsOf(event);
      batchSizes.push(batch.length);
      if (batch.includes('poison')) throw new Error('cannot handle poison');
      processed.push(...batch);
    });
    const mapping = await start(invoker, stream, { bisectBatchOnFunctionError: true, maxRetryAttempts: 1 });
    await mapping.idle();
    expect(processed).toEqual(payloads.filter((p) => p !== 'poison'));
    expect(batchSizes.slice(0, 4)).toEqual([8, 4, 4, 2]);
    const failures = await failureFiles();
    expect(failures).toHaveLength(1);
    expect(failures[0].records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())).toEqual(['poison']);
    expect(failures[0].error.errorMessage).toBe('cannot handle poison');
  });

  it('without bisect retries the whole batch, then discards it whole and continues with the next records', async () => {
    const stream = await newStream();
    await putAll(stream, ['a', 'bad', 'c']);
    const invoker = createInvoker();
    let calls = 0;
    const processed: string[] = [];
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      calls += 1;
      const batch = payloadsOf(event);
      if (batch.includes('bad')) throw new Error('bad batch');
      processed.push(...batch);
    });
    const mapping = await start(invoker, stream, { maxRetryAttempts: 2 });
    await mapping.idle();
    expect(calls).toBe(3);
    const failures = await failureFiles();
    expect(failures.map((f) => f.records.length)).toEqual([3]);
    await putAll(stream, ['next']);
    await mapping.idle();
    expect(processed).toEqual(['next']);
  });

  it('follows resharding: parent records first, then the child shards', async () => {
    const stream = await newStream(1);
    const invoker = createInvoker();
    const seen: { payload: string; shard: string }[] = [];
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      for (const record of event.Records) {
        seen.push({
          payload: Buffer.from(record.kinesis.data, 'base64').toString(),
          shard: record.eventID.split(':')[0],
        });
      }
    });
    const mapping = await start(invoker, stream);
    await putAll(stream, ['before-1', 'before-2']);
    await mapping.idle();
    await kinesis.client.send(
      new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }),
    );
    for (;;) {
      const shards = (await kinesis.client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
      if (shards.filter((shard) => !shard.SequenceNumberRange?.EndingSequenceNumber).length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const after = Array.from({ length: 10 }, (_, i) => `after-${i}`);
    await putAll(stream, after, (payload) => payload);
    await mapping.idle();
    expect(seen.slice(0, 2).map((s) => s.payload)).toEqual(['before-1', 'before-2']);
    expect(
      seen
        .map((s) => s.payload)
        .slice(2)
        .sort(),
    ).toEqual([...after].sort());
    expect(new Set(seen.slice(2).map((s) => s.shard)).has('shardId-000000000000')).toBe(false);
  });

  it('reads a closed parent shard to its end before its children when started after a reshard', async () => {
    const stream = await newStream(1);
    const before = Array.from({ length: 6 }, (_, i) => `before-${i}`);
    await putAll(stream, before, (payload) => payload);
    await kinesis.client.send(
      new UpdateShardCountCommand({ StreamName: stream, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }),
    );
    for (;;) {
      const shards = (await kinesis.client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
      if (shards.filter((shard) => !shard.SequenceNumberRange?.EndingSequenceNumber).length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const after = Array.from({ length: 6 }, (_, i) => `after-${i}`);
    await putAll(stream, after, (payload) => payload);
    const invoker = createInvoker();
    const seen: string[] = [];
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      seen.push(...payloadsOf(event));
    });
    const mapping = await start(invoker, stream, { batchSize: 2 });
    await mapping.idle();
    expect(seen.slice(0, before.length)).toEqual(before);
    expect(seen.slice(before.length).sort()).toEqual(after);
  });

  it('waits for a stream that does not exist yet and reads it once created', async () => {
    const stream = `esm-late-${process.pid}-${++streamCounter}`;
    const invoker = createInvoker();
    const seen: string[] = [];
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      seen.push(...payloadsOf(event));
    });
    const mapping = await start(invoker, stream);
    await mapping.idle();
    expect(seen).toEqual([]);
    await kinesis.createStream(stream, 1);
    await putAll(stream, ['first']);
    await mapping.idle();
    expect(seen).toEqual(['first']);
  });

  it('drops the checkpoints of a deleted and recreated stream instead of skipping its records', async () => {
    const stream = await newStream();
    await putAll(stream, ['old-1', 'old-2']);
    const seen: string[] = [];
    const invoker = createInvoker();
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      seen.push(...payloadsOf(event));
    });
    const first = await start(invoker, stream);
    await first.idle();
    await first.stop();
    await kinesis.client.send(new DeleteStreamCommand({ StreamName: stream }));
    for (;;) {
      const streams = await kinesis.client.send(new ListStreamsCommand({}));
      if (!streams.StreamNames?.includes(stream)) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await kinesis.createStream(stream, 1);
    await putAll(stream, ['new-1']);
    const second = await start(invoker, stream);
    await second.idle();
    expect(seen).toEqual(['old-1', 'old-2', 'new-1']);
  });

  it('recovers from a failed read without losing records, even at LATEST before the first checkpoint', async () => {
    const stream = await newStream();
    let failNextRead = false;
    let failures = 0;
    // The real client, except that one GetRecords call fails the way an expired iterator does.
    const flaky = {
      config: kinesis.client.config,
      send: (command: unknown, options?: unknown) => {
        if (failNextRead && command instanceof GetRecordsCommand) {
          failNextRead = false;
          failures += 1;
          return Promise.reject(Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' }));
        }
        return (kinesis.client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      },
    } as unknown as KinesisClient;
    const seen: string[] = [];
    const invoker = createInvoker();
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      seen.push(...payloadsOf(event));
    });
    const mapping = await start(invoker, stream, { kinesis: flaky, startingPosition: 'LATEST' });
    await mapping.idle();
    failNextRead = true;
    await putAll(stream, ['kept']);
    await mapping.idle();
    expect(failures).toBe(1);
    expect(seen).toEqual(['kept']);
  });
});

/** Partition keys that land in lane 0 and lane 1 of `factor` lanes. */
function keysInLanes(factor: number): [string, string] {
  const keys: (string | undefined)[] = [undefined, undefined];
  for (let i = 0; keys.includes(undefined); i++) {
    const lane = laneOf(`key-${i}`, factor);
    if (lane < 2) keys[lane] ??= `key-${i}`;
  }
  return keys as [string, string];
}

async function checkpointOf(stream: string): Promise<string | undefined> {
  const text = await readFile(join(dir, 'checkpoints', `${stream}--consumer.json`), 'utf8').catch(() => '{}');
  const saved = JSON.parse(text) as { shards?: Record<string, { sequenceNumber?: string }> };
  return Object.values(saved.shards ?? {})[0]?.sequenceNumber;
}

describe('Kinesis event source mapping with a ParallelizationFactor', () => {
  it('runs up to parallelizationFactor batches of one shard at once, each partition key in order', async () => {
    const stream = await newStream();
    const payloads = Array.from({ length: 48 }, (_, i) => `k${i % 8}:${i}`);
    await putAll(stream, payloads, (payload) => payload.split(':')[0]);
    const invoker = createInvoker();
    const seen: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    invoker.register('consumer', async (event: KinesisStreamEvent) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen.push(...payloadsOf(event));
      inFlight--;
    });
    const mapping = await start(invoker, stream, { parallelizationFactor: 4, batchSize: 3 });
    expect(mapping.settings.parallelizationFactor).toBe(4);
    await mapping.idle();
    expect([...seen].sort()).toEqual([...payloads].sort());
    for (let key = 0; key < 8; key++) {
      const ofKey = payloads.filter((p) => p.startsWith(`k${key}:`));
      expect(
        seen.filter((p) => p.startsWith(`k${key}:`)),
        `k${key}`,
      ).toEqual(ofKey);
    }
    expect(mostInFlight).toBeGreaterThan(1);
    expect(mostInFlight).toBeLessThanOrEqual(4);
  });

  it('keeps the checkpoint before a record another lane still holds, and moves it once that record is handled', async () => {
    const stream = await newStream();
    const [slowKey, fastKey] = keysInLanes(2);
    const [slowSeq] = await putAll(stream, ['slow'], () => slowKey);
    const fastSeqs = await putAll(stream, ['fast-1', 'fast-2'], () => fastKey);
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fastDone: string[] = [];
    const invoker = createInvoker();
    invoker.register('consumer', async (event: KinesisStreamEvent) => {
      const payloads = payloadsOf(event);
      if (payloads.includes('slow')) await released;
      else fastDone.push(...payloads);
    });
    const mapping = await start(invoker, stream, { parallelizationFactor: 2 });
    await vi.waitFor(() => expect(fastDone).toEqual(['fast-1', 'fast-2']), { timeout: 10_000 });
    // The later records are done, but a crash now must deliver 'slow' again: no checkpoint past it.
    expect(await checkpointOf(stream)).toBeUndefined();
    release();
    await mapping.idle();
    expect(await checkpointOf(stream)).toBe(fastSeqs[1]);
    expect(BigInt(fastSeqs[1])).toBeGreaterThan(BigInt(slowSeq));
  });

  it('after a restart delivers again only what was not handled, with no record skipped', async () => {
    const stream = await newStream();
    const [slowKey, fastKey] = keysInLanes(2);
    await putAll(stream, ['a-slow'], () => slowKey);
    await putAll(stream, ['b-fast'], () => fastKey);
    const invoker = createInvoker();
    const seen: string[] = [];
    let blockSlow = true;
    invoker.register('consumer', async (event: KinesisStreamEvent) => {
      const payloads = payloadsOf(event);
      if (payloads.includes('a-slow') && blockSlow) throw new Error('not yet');
      seen.push(...payloads);
    });
    // 'a-slow' fails and is retried (slowly) while 'b-fast' is handled; stopping then is what a crash leaves.
    const first = await start(invoker, stream, { parallelizationFactor: 2, retryBaseDelayMs: 60_000 });
    await vi.waitFor(() => expect(seen).toEqual(['b-fast']), { timeout: 10_000 });
    await first.stop();
    expect(await checkpointOf(stream)).toBeUndefined();
    blockSlow = false;
    const second = await start(invoker, stream, { parallelizationFactor: 2 });
    await second.idle();
    // 'b-fast' twice (at least once, as in AWS), 'a-slow' never skipped.
    expect([...seen].sort()).toEqual(['a-slow', 'b-fast', 'b-fast']);
  });

  it('reads at once when woken instead of waiting out the poll interval', async () => {
    const stream = await newStream();
    const invoker = createInvoker();
    const seen: string[] = [];
    invoker.register('consumer', (event: KinesisStreamEvent) => {
      seen.push(...payloadsOf(event));
    });
    const mapping = await start(invoker, stream, { pollIntervalMs: 600_000, shardRefreshIntervalMs: 50 });
    await mapping.idle();
    await putAll(stream, ['woken']);
    mapping.wake();
    await vi.waitFor(() => expect(seen).toEqual(['woken']), { timeout: 10_000 });
  });

  it('after a read that reaches the end of the shard, reads again once its batch is done, not at once', async () => {
    const stream = await newStream();
    const invoker = createInvoker();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    invoker.register('consumer', () => held);
    const reads: number[] = [];
    const counting = {
      send: async (command: object, options?: object) => {
        const out = await kinesis.client.send(command as never, options);
        if (command instanceof GetRecordsCommand) reads.push((out as { Records?: unknown[] }).Records?.length ?? 0);
        return out;
      },
    } as unknown as KinesisClient;
    const mapping = await start(invoker, stream, { kinesis: counting, pollIntervalMs: 600_000 });
    await mapping.idle();
    reads.length = 0;
    await putAll(stream, ['a', 'b', 'c']);
    mapping.wake();
    await vi.waitFor(() => expect(reads).toEqual([3]), { timeout: 10_000 });
    // while the batch is running no read goes out: one now would find nothing new
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reads).toEqual([3]);
    release();
    await mapping.idle();
    // once the batch is done, one read: it finds the shard caught up (idle)
    expect(reads).toEqual([3, 0]);
  });

  it('refuses a parallelizationFactor outside 1-10', async () => {
    const stream = await newStream();
    const invoker = createInvoker();
    await expect(start(invoker, stream, { parallelizationFactor: 0 })).rejects.toThrow(/1 to 10/);
    await expect(start(invoker, stream, { parallelizationFactor: 11 })).rejects.toThrow(/1 to 10/);
  });
});
