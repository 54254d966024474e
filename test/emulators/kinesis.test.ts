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
  ListStreamsCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { cbor } from '@smithy/core/cbor';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/edge-server.js';
import { type KinesisService, startKinesis } from '../../src/emulators/kinesis/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let dataDir: string;
let kinesis: KinesisService;
let edge: EdgeServer;

function client(http1 = true): KinesisClient {
  return new KinesisClient({
    endpoint: edge.url,
    region: 'us-east-1',
    credentials,
    ...(http1 ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}

async function boot(): Promise<void> {
  kinesis = await startKinesis({ dataDir });
  edge = await startEdge({ port: 0, services: [kinesis], closeServices: true });
}

async function waitActive(k: KinesisClient, stream: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const d = await k.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    if (d.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${stream} never became ACTIVE`);
}

async function readAll(k: KinesisClient, stream: string): Promise<string[]> {
  const shards = await k.send(new ListShardsCommand({ StreamName: stream }));
  const out: string[] = [];
  for (const shard of shards.Shards ?? []) {
    const it = await k.send(
      new GetShardIteratorCommand({ StreamName: stream, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const page = await k.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    out.push(...(page.Records ?? []).map((r) => Buffer.from(r.Data!).toString()));
  }
  return out.sort();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-kinesis-'));
  await boot();
});

afterAll(async () => {
  await edge?.close(); // also closes kinesis
  await rm(dataDir, { recursive: true, force: true });
});

describe('Kinesis behind the edge (the in-process engine)', () => {
  it('creates a stream and round-trips records over HTTP/1.1', async () => {
    const k = client();
    await k.send(new CreateStreamCommand({ StreamName: 'cards', ShardCount: 2 }));
    await waitActive(k, 'cards');
    const summary = await k.send(new DescribeStreamSummaryCommand({ StreamName: 'cards' }));
    expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(2);
    const one = await k.send(
      new PutRecordCommand({ StreamName: 'cards', PartitionKey: 'edy', Data: Buffer.from('{"n":1}') }),
    );
    expect(one.SequenceNumber).toBeTruthy();
    const many = await k.send(
      new PutRecordsCommand({
        StreamName: 'cards',
        Records: [
          { PartitionKey: 'a', Data: Buffer.from('{"n":2}') },
          { PartitionKey: 'b', Data: Buffer.from('{"n":3}') },
        ],
      }),
    );
    expect(many.FailedRecordCount).toBe(0);
    const shards = await k.send(new ListShardsCommand({ StreamName: 'cards' }));
    expect(shards.Shards).toHaveLength(2);
    expect(await readAll(k, 'cards')).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    k.destroy();
  });

  it("works with the SDK's default HTTP/2 handler too (h2c on the edge port)", async () => {
    const k = client(false);
    const streams = await k.send(new ListStreamsCommand({}));
    expect(streams.StreamNames).toContain('cards');
    expect(await readAll(k, 'cards')).toHaveLength(3);
    k.destroy();
  });

  it('answers unknown streams with ResourceNotFoundException', async () => {
    const k = client();
    await expect(k.send(new DescribeStreamSummaryCommand({ StreamName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    k.destroy();
  });

  it("answers its own errors through the AWS JSON writer, in the request's encoding (JSON or CBOR)", async () => {
    const k = client();
    try {
      const tooBig = await k
        .send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'p', Data: Buffer.alloc(1024 * 1024 + 1) }))
        .catch((e: unknown) => e as { name: string; $fault: string; $metadata: { httpStatusCode: number } });
      expect(tooBig).toMatchObject({
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    } finally {
      k.destroy();
    }
    const res = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Kinesis_20131202.PutRecord', 'content-type': 'application/x-amz-cbor-1.1' },
      body: Buffer.from([0xff, 0x00, 0x13]),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-amz-cbor-1.1');
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(cbor.deserialize(new Uint8Array(await res.arrayBuffer()))).toMatchObject({
      __type: 'SerializationException',
    });
  });

  it('keeps streams and records across a restart', async () => {
    await edge.close();
    await boot();
    const k = client();
    expect(await readAll(k, 'cards')).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    k.destroy();
  });
});
