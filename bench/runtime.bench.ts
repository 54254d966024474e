// The local Lambda runtime: Kinesis event source mapping latency and throughput over the Kinesis engine, and the
// API gateway's per-request overhead around a no-op function.
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamEvent } from 'aws-lambda';
import { startEdge } from '../src/emulators/edge/index.js';
import { startKinesis } from '../src/emulators/kinesis/index.js';
import type { BenchResult } from '../src/lib/bench-result.js';
import { startApiGateway } from '../src/runtime/api-gateway.js';
import { createInvoker } from '../src/runtime/invoker.js';
import { startKinesisEventSourceMapping } from '../src/runtime/kinesis-event-source.js';

const LATENCY_RECORDS = 30;
const THROUGHPUT_RECORDS = 5_000;
const POLL_INTERVAL_MS = 100;
const API_REQUESTS = 2_000;
const API_CONCURRENCY = 8;

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

async function createStream(client: KinesisClient, name: string) {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
  for (;;) {
    const out = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (out.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function kinesisBenchmarks(results: BenchResult[]) {
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-bench-runtime-'));
  const kinesis = await startKinesis({ dataDir: join(dataDir, 'kinesis') });
  const edge = await startEdge({ port: 0, services: [kinesis], closeServices: true });
  const client = new KinesisClient({
    endpoint: edge.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
  });
  try {
    // Latency: one record at a time, from PutRecord returning until the function sees it.
    await createStream(client, 'bench-latency');
    const invoker = createInvoker();
    let delivered: ((at: number) => void) | undefined;
    invoker.register('latency', () => delivered?.(performance.now()));
    const latencyMapping = await startKinesisEventSourceMapping({
      kinesis: client,
      streamName: 'bench-latency',
      functionName: 'latency',
      invoker,
      pollIntervalMs: POLL_INTERVAL_MS,
      checkpointDir: join(dataDir, 'checkpoints'),
    });
    await latencyMapping.idle();
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_RECORDS; i++) {
      const seen = new Promise<number>((resolve) => {
        delivered = resolve;
      });
      await client.send(
        new PutRecordCommand({ StreamName: 'bench-latency', PartitionKey: 'p', Data: Buffer.from(`${i}`) }),
      );
      const putAt = performance.now();
      latencies.push((await seen) - putAt);
    }
    await latencyMapping.stop();
    results.push({
      name: `Kinesis ESM put → invoke latency, median (pollIntervalMs ${POLL_INTERVAL_MS})`,
      value: round(percentile(latencies, 50)),
      unit: 'ms',
      note: `${LATENCY_RECORDS} records one at a time over the Kinesis engine; p95 ${round(percentile(latencies, 95))} ms; load average ${round(loadavg()[0])}`,
    });

    // Throughput: a backlog drained with batchSize 100 by a no-op function.
    await createStream(client, 'bench-throughput');
    for (let start = 0; start < THROUGHPUT_RECORDS; start += 500) {
      await client.send(
        new PutRecordsCommand({
          StreamName: 'bench-throughput',
          Records: Array.from({ length: 500 }, (_, i) => ({
            PartitionKey: `p${i}`,
            Data: Buffer.from(`{"n":${start + i}}`),
          })),
        }),
      );
    }
    let count = 0;
    invoker.register('throughput', (event: KinesisStreamEvent) => {
      count += event.Records.length;
    });
    const started = performance.now();
    const mapping = await startKinesisEventSourceMapping({
      kinesis: client,
      streamName: 'bench-throughput',
      functionName: 'throughput',
      invoker,
      pollIntervalMs: POLL_INTERVAL_MS,
      checkpointDir: join(dataDir, 'checkpoints'),
    });
    await mapping.idle();
    const seconds = (performance.now() - started) / 1000;
    await mapping.stop();
    results.push({
      name: 'Kinesis ESM backlog drain, batchSize 100, no-op function',
      value: round(count / seconds, 0),
      unit: 'records/s',
      note: `${count} records on one shard, checkpoint file written per batch; load average ${round(loadavg()[0])}`,
    });
  } finally {
    client.destroy();
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function apiBenchmarks(results: BenchResult[]) {
  const invoker = createInvoker();
  invoker.register('noop', () => ({ statusCode: 200, body: '{"ok":true}' }));
  const gateway = await startApiGateway({
    port: 0,
    apiKey: 'bench',
    invoker,
    routes: [{ method: 'GET', path: '/v1/status/{imageId}', functionName: 'noop' }],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: API_CONCURRENCY });
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get(`${gateway.url}${path}`, { agent, headers: { 'x-api-key': 'bench' } }, (response) => {
          response.resume();
          response.on('end', resolve);
        })
        .on('error', reject);
    });
  try {
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: API_CONCURRENCY }, async () => {
        while (next < API_REQUESTS) {
          next++;
          const t0 = performance.now();
          await get(`/v1/status/a_${next}.jpg`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    results.push({
      name: `API gateway + invoker, no-op function, ${API_CONCURRENCY} concurrent clients`,
      value: round(API_REQUESTS / seconds, 0),
      unit: 'requests/s',
      note: `median ${round(percentile(latencies, 50), 2)} ms, p95 ${round(percentile(latencies, 95), 2)} ms; keep-alive client in the same process; load average ${round(loadavg()[0])}`,
    });
  } finally {
    agent.destroy();
    await gateway.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  await apiBenchmarks(results);
  await kinesisBenchmarks(results);
  return results;
}
