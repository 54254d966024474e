import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKinesisEventStream } from '../../src/adapters/kinesis/event-stream.js';
import { createS3ObjectStore } from '../../src/adapters/s3/object-store.js';
import { createTextractOcr } from '../../src/adapters/textract/ocr.js';
import { createS3Service } from '../../src/emulators/s3/index.js';
import { ObjectNotFoundError } from '../../src/ports/index.js';
import { type KinesisLocal, startKinesisLocal } from '../runtime/support/kinesis-local.js';
import { sharedPath } from '../support/shared.js';

const FIXTURE = sharedPath('fixtures', 'textract', 'detect-document-text.textractor-single-page-1.json');

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('textract adapter', () => {
  let server: Server;
  let endpoint: string;
  const requests: { target: string; body: Record<string, unknown> }[] = [];
  beforeAll(async () => {
    const fixture = await readFile(FIXTURE, 'utf8');
    // Replays a recorded real DetectDocumentText response over the Textract JSON protocol.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      requests.push({
        target: String(req.headers['x-amz-target']),
        body: JSON.parse(Buffer.concat(chunks).toString()),
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(fixture);
    });
    endpoint = await listen(server);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends S3Object or Bytes documents and returns the response blocks', async () => {
    const client = new TextractClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const ocr = createTextractOcr(client);
    const expected = JSON.parse(await readFile(FIXTURE, 'utf8')) as { Blocks: { Text?: string }[] };
    const fromS3 = await ocr.detectText({ s3: { bucket: 'octember-bizcard', key: 'bizcard-raw-img/a_1.jpg' } });
    expect(fromS3.pages).toBe(1);
    expect(fromS3.blocks.map((block) => block.Text)).toEqual(expected.Blocks.map((block) => block.Text));
    await ocr.detectText({ bytes: new Uint8Array([0xff, 0xd8, 0xff]) });
    expect(requests.map((r) => r.target)).toEqual(['Textract.DetectDocumentText', 'Textract.DetectDocumentText']);
    expect(requests[0].body).toEqual({
      Document: { S3Object: { Bucket: 'octember-bizcard', Name: 'bizcard-raw-img/a_1.jpg' } },
    });
    expect(requests[1].body).toEqual({ Document: { Bytes: Buffer.from([0xff, 0xd8, 0xff]).toString('base64') } });
    client.destroy();
  });
});

describe('kinesis adapter (against kinesis-local)', () => {
  let kinesis: KinesisLocal;
  beforeAll(async () => {
    kinesis = await startKinesisLocal();
  }, 60_000);
  afterAll(async () => {
    await kinesis?.stop();
  });

  it('puts single records and batches larger than one PutRecords request, readable in order', async () => {
    await kinesis.createStream('adapter-test', 1);
    const stream = createKinesisEventStream(kinesis.client);
    const single = await stream.put('adapter-test', { partitionKey: 'k', data: Buffer.from('first') });
    expect(single.shardId).toBe('shardId-000000000000');
    const many = Array.from({ length: 520 }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.from(`r${i}`) }));
    expect((await stream.putMany('adapter-test', many)).failed).toEqual([]);
    const iterator = await kinesis.client.send(
      new GetShardIteratorCommand({
        StreamName: 'adapter-test',
        ShardId: single.shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const read: string[] = [];
    let next = iterator.ShardIterator;
    while (next && read.length < 521) {
      const out = await kinesis.client.send(new GetRecordsCommand({ ShardIterator: next, Limit: 1000 }));
      read.push(...(out.Records ?? []).map((record) => Buffer.from(record.Data ?? []).toString()));
      if ((out.Records ?? []).length === 0) break;
      next = out.NextShardIterator;
    }
    expect(read).toEqual(['first', ...many.map((record) => record.data.toString())]);
  });
});

// The S3 emulator is the real wire-protocol peer for the S3 adapter.
describe('s3 adapter (against the embedded S3 emulator)', () => {
  let server: Server;
  let dataDir: string;
  let client: S3Client;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'octember-s3-adapter-'));
    const service = await createS3Service({ dataDir });
    server = createServer((req, res) => void service.handle(req, res));
    const endpoint = await listen(server);
    client = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'adapter-bucket' }));
  });
  afterAll(async () => {
    client?.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('puts, gets, streams, copies keys with spaces and unicode, lists with continuation and deletes', async () => {
    const store = createS3ObjectStore(client);
    const body = Buffer.from([0, 255, 1, 254]);
    await store.put('adapter-bucket', 'bizcard-raw-img/edy a+b_ü.jpg', body, { contentType: 'image/jpeg' });
    const got = await store.get('adapter-bucket', 'bizcard-raw-img/edy a+b_ü.jpg');
    expect(Buffer.from(got.body).equals(body)).toBe(true);
    expect(got.contentType).toBe('image/jpeg');
    await store.copy(
      { bucket: 'adapter-bucket', key: 'bizcard-raw-img/edy a+b_ü.jpg' },
      { bucket: 'adapter-bucket', key: 'bizcard-by-user/edy/edy a+b_ü.jpg' },
    );
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream('adapter-bucket', 'bizcard-by-user/edy/edy a+b_ü.jpg'))
      chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(body)).toBe(true);
    for (let start = 0; start < 1005; start += 25) {
      const count = Math.min(25, 1005 - start);
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          store.put('adapter-bucket', `items/${String(start + i).padStart(4, '0')}.csv`, `${start + i}`),
        ),
      );
    }
    const keys: string[] = [];
    for await (const summary of store.list('adapter-bucket', 'items/')) keys.push(summary.key);
    expect(keys).toHaveLength(1005);
    expect(keys[1004]).toBe('items/1004.csv');
    await store.delete('adapter-bucket', 'bizcard-raw-img/edy a+b_ü.jpg');
    await expect(store.get('adapter-bucket', 'bizcard-raw-img/edy a+b_ü.jpg')).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    await expect(store.getStream('adapter-bucket', 'nothing')).rejects.toBeInstanceOf(ObjectNotFoundError);
  }, 60_000);
});
