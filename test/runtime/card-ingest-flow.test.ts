import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import type { Block } from '@aws-sdk/client-textract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKinesisEventStream } from '../../src/adapters/kinesis/event-stream.js';
import { createMemoryStatusStore } from '../../src/adapters/memory/index.js';
import { createS3ObjectStore } from '../../src/adapters/s3/object-store.js';
import { BUCKET, IMAGE_STREAM, TEXT_STREAM } from '../../src/domain/names.js';
import { createGetTextFromImage } from '../../src/handlers/get-text-from-image.js';
import { createPutObjectApi } from '../../src/handlers/put-object-api.js';
import { createStatusApi } from '../../src/handlers/status-api.js';
import { createTriggerTextExtract } from '../../src/handlers/trigger-text-extract.js';
import type { Ocr } from '../../src/ports/index.js';
import { type ApiGateway, startApiGateway } from '../../src/runtime/api-gateway.js';
import { createInvoker } from '../../src/runtime/invoker.js';
import {
  type KinesisEventSourceMapping,
  startKinesisEventSourceMapping,
} from '../../src/runtime/kinesis-event-source.js';
import {
  createS3NotificationDispatcher,
  functionNameFromArn,
  type S3Notification,
} from '../../src/runtime/s3-notifications.js';
import { type KinesisLocal, kinesisLocalMain, startKinesisLocal } from './support/kinesis-local.js';

/**
 * The card-ingest half wired by hand with the runtime pieces: API gateway → S3 emulator → notification →
 * trigger-text-extract → kinesis-local → event source mapping → get-text-from-image → status API.
 * OCR replays a recorded Textract response (the OCR engine has its own tests).
 */
const s3Module = await import('../../src/emulators/s3/index.js').catch(() => undefined);
const available = s3Module !== undefined && kinesisLocalMain() !== undefined;
const FIXTURE = '../shared/fixtures/textract/detect-document-text.textractor-single-page-1.json';
const API_KEY = 'flow-key';

let dataDir: string;
let kinesis: KinesisLocal;
let s3Server: Server;
let s3Client: S3Client;
let gateway: ApiGateway;
let mapping: KinesisEventSourceMapping;
let invoker: ReturnType<typeof createInvoker>;

beforeAll(async () => {
  if (!available || !s3Module) return;
  dataDir = await mkdtemp(join(tmpdir(), 'octember-flow-'));
  kinesis = await startKinesisLocal();
  await kinesis.createStream(IMAGE_STREAM, 1);
  await kinesis.createStream(TEXT_STREAM, 1);
  invoker = createInvoker({ dataDir, retryDelayScale: 0.01 });
  const notify = createS3NotificationDispatcher(invoker, functionNameFromArn);
  const s3 = await s3Module.createS3Service({ dataDir: join(dataDir, 's3'), notify: (n: S3Notification) => notify(n) });
  s3Server = createServer((req, res) => void s3.handle(req, res));
  await new Promise<void>((resolve) => s3Server.listen(0, '127.0.0.1', resolve));
  s3Client = new S3Client({
    endpoint: `http://127.0.0.1:${(s3Server.address() as { port: number }).port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await s3Client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3Client.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:trigger-text-extract',
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'bizcard-raw-img/' }] } },
          },
        ],
      },
    }),
  );

  const blocks = (JSON.parse(await readFile(FIXTURE, 'utf8')) as { Blocks: Block[] }).Blocks;
  const ocr: Ocr = { detectText: async () => ({ blocks, pages: 1 }) };
  const objects = createS3ObjectStore(s3Client);
  const streams = createKinesisEventStream(kinesis.client);
  const status = createMemoryStatusStore();
  invoker.register('trigger-text-extract', createTriggerTextExtract({ streams, status }));
  invoker.register('get-text-from-image', createGetTextFromImage({ ocr, streams, objects, status }));
  invoker.register('put-object', createPutObjectApi({ objects }));
  invoker.register('status', createStatusApi({ status }));
  mapping = await startKinesisEventSourceMapping({
    kinesis: kinesis.client,
    streamName: IMAGE_STREAM,
    functionName: 'get-text-from-image',
    invoker,
    startingPosition: 'TRIM_HORIZON',
    pollIntervalMs: 50,
    checkpointDir: join(dataDir, 'checkpoints'),
    onFailureDir: join(dataDir, 'failures', 'get-text-from-image'),
    reportBatchItemFailures: true,
    bisectBatchOnFunctionError: true,
  });
  gateway = await startApiGateway({
    port: 0,
    apiKey: API_KEY,
    invoker,
    routes: [
      { method: 'GET', path: '/v1/status/{imageId}', functionName: 'status' },
      { method: 'PUT', path: '/v1/{bucket}/{object+}', functionName: 'put-object', binaryBody: true },
    ],
  });
}, 60_000);

afterAll(async () => {
  await mapping?.stop();
  await gateway?.close();
  s3Client?.destroy();
  if (s3Server) await new Promise((resolve) => s3Server.close(resolve));
  await kinesis?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe.skipIf(!available)(
  `card ingest flow${available ? '' : ' (skipped: S3 emulator or kinesis-local missing)'}`,
  () => {
    it('takes an uploaded card to END with its fields and a copy under bizcard-by-user/', async () => {
      const image = Buffer.from('ffd8ffc0000b080001000101011100ffda000801010000003f0000ffd9', 'hex');
      const upload = await fetch(`${gateway.url}/v1/${BUCKET}/bizcard-raw-img%2Fedy_a0653895773.jpg`, {
        method: 'PUT',
        headers: { 'x-api-key': API_KEY, 'content-type': 'image/jpeg' },
        body: image,
      });
      expect(upload.status).toBe(200);
      await invoker.idle();
      await mapping.idle();
      const response = await fetch(`${gateway.url}/v1/status/edy_a0653895773.jpg`, {
        headers: { 'x-api-key': API_KEY },
      });
      expect(response.status).toBe(200);
      const status = (await response.json()) as {
        status: string;
        owner: string;
        s3_key: string;
        data: Record<string, unknown> | null;
      };
      expect(status).toMatchObject({ status: 'END', owner: 'edy', s3_key: 'bizcard-raw-img/edy_a0653895773.jpg' });
      expect(status.data).not.toBeNull();
      expect(Object.keys(status.data ?? {})).toEqual(
        expect.arrayContaining(['name', 'company', 'email', 'phone_number', 'addr', 'url', 'job_title']),
      );
      const copy = await createS3ObjectStore(s3Client).get(BUCKET, 'bizcard-by-user/edy/edy_a0653895773.jpg');
      expect(Buffer.from(copy.body).equals(image)).toBe(true);
      const unknown = await fetch(`${gateway.url}/v1/status/nobody_1.jpg`, { headers: { 'x-api-key': API_KEY } });
      expect(unknown.status).toBe(404);
    });
  },
);
