import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  ListPartsCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EdgeServer } from '../../src/emulators/edge/edge-server.js';
import type { S3Notification, S3Service } from '../../src/emulators/s3/index.js';
import { s3Failure, startS3Edge } from '../support/s3-edge.js';

const LAMBDA_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:trigger-text-extract';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:removed';
let dataDir: string;
let edge: EdgeServer;
let service: S3Service;
let s3: S3Client;
const notifications: S3Notification[] = [];

async function boot(): Promise<void> {
  ({ service, edge, s3 } = await startS3Edge(dataDir, (n) => notifications.push(n)));
}

const failure = s3Failure;

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-s3mp-'));
  await boot();
  await s3.send(new CreateBucketCommand({ Bucket: 'multipart' }));
});

afterAll(async () => {
  s3?.destroy();
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('S3 multipart upload', () => {
  it('stores a ~12 MB lib-storage upload with the md5-of-md5s ETag', async () => {
    const body = randomBytes(12 * 1024 * 1024 + 12345);
    const partSize = 5 * 1024 * 1024;
    const upload = new Upload({
      client: s3,
      params: { Bucket: 'multipart', Key: 'big/file.bin', Body: body, ContentType: 'application/x-big' },
      partSize,
      queueSize: 2,
    });
    const result = await upload.done();
    const partMd5s: Buffer[] = [];
    for (let i = 0; i < body.length; i += partSize) partMd5s.push(md5(body.subarray(i, i + partSize)));
    const expectedEtag = `"${md5(Buffer.concat(partMd5s)).toString('hex')}-${partMd5s.length}"`;
    expect(partMd5s.length).toBe(3);
    expect(result.ETag).toBe(expectedEtag);

    const got = await s3.send(new GetObjectCommand({ Bucket: 'multipart', Key: 'big/file.bin' }));
    expect(got.ETag).toBe(expectedEtag);
    expect(got.ContentType).toBe('application/x-big');
    expect(got.ContentLength).toBe(body.length);
    const back = Buffer.from(await got.Body!.transformToByteArray());
    expect(md5(back).equals(md5(body))).toBe(true);

    const tail = await s3.send(
      new GetObjectCommand({ Bucket: 'multipart', Key: 'big/file.bin', Range: `bytes=${body.length - 10}-` }),
    );
    expect(Buffer.from(await tail.Body!.transformToByteArray()).equals(body.subarray(body.length - 10))).toBe(true);
  });

  it('lists parts, rejects bad completions (InvalidPart, EntityTooSmall) and aborts', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multipart', Key: 'parts.bin' }));
    expect(UploadId).toBeTruthy();
    const p1 = await s3.send(
      new UploadPartCommand({
        Bucket: 'multipart',
        Key: 'parts.bin',
        UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(1024, 1),
      }),
    );
    const p2 = await s3.send(
      new UploadPartCommand({
        Bucket: 'multipart',
        Key: 'parts.bin',
        UploadId,
        PartNumber: 2,
        Body: Buffer.alloc(10, 2),
      }),
    );
    expect(p1.ETag).toBe(`"${md5(Buffer.alloc(1024, 1)).toString('hex')}"`);

    const parts = await s3.send(new ListPartsCommand({ Bucket: 'multipart', Key: 'parts.bin', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 1024, p1.ETag],
      [2, 10, p2.ETag],
    ]);

    const wrongEtag = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'multipart',
          Key: 'parts.bin',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }] },
        }),
      ),
    );
    expect(wrongEtag.name).toBe('InvalidPart');
    expect(wrongEtag.$metadata.httpStatusCode).toBe(400);

    const tooSmall = await failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'multipart',
          Key: 'parts.bin',
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 },
              { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 },
            ],
          },
        }),
      ),
    );
    expect(tooSmall.name).toBe('EntityTooSmall');

    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'multipart', Key: 'parts.bin', UploadId }));
    const aborted = await failure(s3.send(new ListPartsCommand({ Bucket: 'multipart', Key: 'parts.bin', UploadId })));
    expect(aborted.name).toBe('NoSuchUpload');
    expect(aborted.$metadata.httpStatusCode).toBe(404);
    const unknown = await failure(
      s3.send(
        new UploadPartCommand({ Bucket: 'multipart', Key: 'parts.bin', UploadId: 'nope', PartNumber: 1, Body: 'x' }),
      ),
    );
    expect(unknown.name).toBe('NoSuchUpload');
  });

  it('completes a single small part upload', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'multipart', Key: 'one-part.txt' }));
    const p1 = await s3.send(
      new UploadPartCommand({ Bucket: 'multipart', Key: 'one-part.txt', UploadId, PartNumber: 1, Body: 'only part' }),
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'multipart',
        Key: 'one-part.txt',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }] },
      }),
    );
    expect(done.ETag).toBe(`"${md5(md5('only part')).toString('hex')}-1"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'multipart', Key: 'one-part.txt' }));
    expect(await got.Body!.transformToString()).toBe('only part');
  });
});

describe('S3 bucket notifications', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'notify' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notify',
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            {
              Id: 'raw-images',
              LambdaFunctionArn: LAMBDA_ARN,
              Events: ['s3:ObjectCreated:*'],
              Filter: {
                Key: {
                  FilterRules: [
                    { Name: 'prefix', Value: 'bizcard-raw-img/' },
                    { Name: 'suffix', Value: '.jpg' },
                  ],
                },
              },
            },
          ],
          QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ['s3:ObjectRemoved:*'] }],
        },
      }),
    );
  });
  beforeEach(() => {
    notifications.length = 0;
  });

  it('returns the stored configuration', async () => {
    const cfg = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify' }));
    expect(cfg.LambdaFunctionConfigurations).toHaveLength(1);
    expect(cfg.LambdaFunctionConfigurations?.[0].Id).toBe('raw-images');
    expect(cfg.LambdaFunctionConfigurations?.[0].LambdaFunctionArn).toBe(LAMBDA_ARN);
    expect(cfg.LambdaFunctionConfigurations?.[0].Filter?.Key?.FilterRules).toEqual([
      { Name: 'prefix', Value: 'bizcard-raw-img/' },
      { Name: 'suffix', Value: '.jpg' },
    ]);
    expect(cfg.QueueConfigurations?.[0].QueueArn).toBe(QUEUE_ARN);
    expect(cfg.QueueConfigurations?.[0].Id).toBeTruthy();
  });

  it('emits an AWS-shaped ObjectCreated:Put record for matching keys only', async () => {
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'notify', Key: 'bizcard-raw-img/edy a+b.jpg', Body: 'jpeg bytes' }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'notify', Key: 'bizcard-raw-img/edy.png', Body: 'png' }));
    await s3.send(new PutObjectCommand({ Bucket: 'notify', Key: 'elsewhere/edy.jpg', Body: 'jpeg' }));
    expect(notifications).toHaveLength(1);
    const [{ destinationArn, record }] = notifications;
    expect(destinationArn).toBe(LAMBDA_ARN);
    expect(record.eventVersion).toBe('2.1');
    expect(record.eventSource).toBe('aws:s3');
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.awsRegion).toBe('us-east-1');
    expect(Number.isNaN(Date.parse(record.eventTime))).toBe(false);
    expect(record.s3.configurationId).toBe('raw-images');
    expect(record.s3.bucket).toMatchObject({ name: 'notify', arn: 'arn:aws:s3:::notify' });
    expect(record.s3.object.key).toBe('bizcard-raw-img/edy+a%2Bb.jpg');
    expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe('bizcard-raw-img/edy a+b.jpg');
    expect(record.s3.object.size).toBe('jpeg bytes'.length);
    expect(`"${record.s3.object.eTag}"`).toBe(put.ETag);
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);
  });

  it('names Copy and CompleteMultipartUpload events and orders sequencers', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'notify', Key: 'source.bin', Body: 'copy source' }));
    await s3.send(
      new CopyObjectCommand({ Bucket: 'notify', Key: 'bizcard-raw-img/copied.jpg', CopySource: 'notify/source.bin' }),
    );
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'notify', Key: 'bizcard-raw-img/mp.jpg' }),
    );
    const p1 = await s3.send(
      new UploadPartCommand({ Bucket: 'notify', Key: 'bizcard-raw-img/mp.jpg', UploadId, PartNumber: 1, Body: 'mp' }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'notify',
        Key: 'bizcard-raw-img/mp.jpg',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }] },
      }),
    );
    expect(notifications.map((n) => n.record.eventName)).toEqual([
      'ObjectCreated:Copy',
      'ObjectCreated:CompleteMultipartUpload',
    ]);
    const [a, b] = notifications.map((n) => BigInt(`0x${n.record.s3.object.sequencer}`));
    expect(b > a).toBe(true);
  });

  it('emits ObjectRemoved:Delete to the queue destination, without size or eTag', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'notify', Key: 'to-delete.txt', Body: 'bye' }));
    notifications.length = 0;
    await s3.send(new DeleteObjectCommand({ Bucket: 'notify', Key: 'to-delete.txt' }));
    expect(notifications).toHaveLength(1);
    expect(notifications[0].destinationArn).toBe(QUEUE_ARN);
    expect(notifications[0].record.eventName).toBe('ObjectRemoved:Delete');
    expect(notifications[0].record.s3.object.key).toBe('to-delete.txt');
    expect(notifications[0].record.s3.object).not.toHaveProperty('size');
  });

  it('notifies for in-process store writes too', async () => {
    await service.store.putObject('notify', 'bizcard-raw-img/in-process.jpg', Buffer.from('x'), 'image/jpeg');
    expect(notifications.map((n) => n.record.s3.object.key)).toEqual(['bizcard-raw-img/in-process.jpg']);
    const got = await service.store.getObject('notify', 'bizcard-raw-img/in-process.jpg');
    expect(got?.contentType).toBe('image/jpeg');
    expect(got?.body.toString()).toBe('x');
    expect(await service.store.getObject('notify', 'absent')).toBeUndefined();
  });

  it('rejects unsupported events and filter rule names with InvalidArgument', async () => {
    const badEvent = await failure(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: 'notify',
          NotificationConfiguration: {
            QueueConfigurations: [{ QueueArn: QUEUE_ARN, Events: ['s3:Nope:*' as 's3:ObjectCreated:*'] }],
          },
        }),
      ),
    );
    expect(badEvent.name).toBe('InvalidArgument');
    expect(badEvent.$metadata.httpStatusCode).toBe(400);
    const badRule = await failure(
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: 'notify',
          NotificationConfiguration: {
            QueueConfigurations: [
              {
                QueueArn: QUEUE_ARN,
                Events: ['s3:ObjectCreated:*'],
                Filter: { Key: { FilterRules: [{ Name: 'middle' as 'prefix', Value: 'x' }] } },
              },
            ],
          },
        }),
      ),
    );
    expect(badRule.name).toBe('InvalidArgument');
    // the earlier, valid configuration is untouched
    const cfg = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notify' }));
    expect(cfg.LambdaFunctionConfigurations?.[0].Id).toBe('raw-images');
  });

  it('keeps the configuration and pending uploads across a restart', async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'notify', Key: 'bizcard-raw-img/later.jpg' }),
    );
    const p1 = await s3.send(
      new UploadPartCommand({
        Bucket: 'notify',
        Key: 'bizcard-raw-img/later.jpg',
        UploadId,
        PartNumber: 1,
        Body: 'later',
      }),
    );
    s3.destroy();
    await edge.close();
    await boot();
    notifications.length = 0;
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'notify',
        Key: 'bizcard-raw-img/later.jpg',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }] },
      }),
    );
    expect(notifications.map((n) => [n.destinationArn, n.record.eventName])).toEqual([
      [LAMBDA_ARN, 'ObjectCreated:CompleteMultipartUpload'],
    ]);
  });
});
