import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeServer } from '../../src/emulators/edge/index.js';
import type { S3Service } from '../../src/emulators/s3/index.js';
import { s3Failure, signedFetch, signedRawRequest, startS3Edge } from '../support/s3-edge.js';

let dataDir: string;
let edge: EdgeServer;
let service: S3Service;
let s3: S3Client;
const Bucket = 'limits';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-s3-limits-'));
  ({ edge, service, s3 } = await startS3Edge(dataDir));
  await s3.send(new CreateBucketCommand({ Bucket }));
});

afterAll(async () => {
  s3?.destroy();
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('S3 limits, as AWS answers them', () => {
  it('refuses a key over 1 024 bytes with KeyTooLongError', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k'.repeat(1024), Body: 'x' }));
    const err = await s3Failure(s3.send(new PutObjectCommand({ Bucket, Key: 'é'.repeat(513), Body: 'x' })));
    expect(err.name).toBe('KeyTooLongError');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('refuses more than 2 KB of user metadata with MetadataTooLarge', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'meta-ok', Body: 'x', Metadata: { a: 'v'.repeat(2000) } }));
    const err = await s3Failure(
      s3.send(new PutObjectCommand({ Bucket, Key: 'meta', Body: 'x', Metadata: { a: 'v'.repeat(2048) } })),
    );
    expect(err.name).toBe('MetadataTooLarge');
  });

  it('refuses a PutObject announced over 5 GiB with EntityTooLarge before reading it', async () => {
    const res = await signedRawRequest(edge.url, `/${Bucket}/huge`, {
      method: 'PUT',
      headers: { 'content-length': String(5 * 1024 ** 3 + 1) },
      body: 'only the start',
      endBody: false,
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain('<Code>EntityTooLarge</Code>');
    expect(service.store.headObject(Bucket, 'huge')).toBeUndefined();
  });

  it('keeps parts of 5 MiB or more except the last, part numbers 1 to 10 000', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp' }));
    const outOfRange = await s3Failure(
      s3.send(new UploadPartCommand({ Bucket, Key: 'mp', UploadId, PartNumber: 10001, Body: 'x' })),
    );
    expect(outOfRange.name).toBe('InvalidArgument');
    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp', UploadId, PartNumber: 1, Body: 'small' }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp', UploadId, PartNumber: 2, Body: 'last' }));
    const small = await s3Failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'mp',
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: p1.ETag },
              { PartNumber: 2, ETag: p2.ETag },
            ],
          },
        }),
      ),
    );
    expect(small.name).toBe('EntityTooSmall');
  });

  it('deletes at most 1 000 keys per DeleteObjects', async () => {
    const Objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` }));
    const err = await s3Failure(s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects } })));
    expect(err.name).toBe('MalformedXML');
  });

  it('refuses presigned URLs valid for more than seven days', async () => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'meta-ok' }), { expiresIn: 604800 });
    expect((await fetch(url)).status).toBe(200);
    const tooLong = new URL(url);
    tooLong.searchParams.set('X-Amz-Expires', '604801');
    const res = await fetch(tooLong);
    expect(res.status).toBe(403);
  });

  it('answers MaxKeys=0 without truncation and url-encodes keys and prefixes', async () => {
    const v1 = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 0 }));
    expect(v1.IsTruncated).toBe(false);
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
    expect(v2.IsTruncated).toBe(false);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a b+c/d', Body: 'x' }));
    const res = await signedFetch(`${edge.url}/${Bucket}?list-type=2&delimiter=%2F&encoding-type=url&prefix=a`);
    const xml = await res.text();
    expect(xml).toContain('<Prefix>a%20b%2Bc/</Prefix>');
  });
});

describe('S3 request robustness', () => {
  it('answers a bad character reference or a DOCTYPE with 400 MalformedXML, never a 500', async () => {
    for (const body of [
      '<Tagging><TagSet><Tag><Key>&#xFFFFFFFF;</Key><Value>v</Value></Tag></TagSet></Tagging>',
      '<Tagging><TagSet><Tag><Key>&#0;</Key><Value>v</Value></Tag></TagSet></Tagging>',
      '<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Tagging><TagSet><Tag><Key>&b;</Key><Value>v</Value></Tag></TagSet></Tagging>',
      '<Tagging><TagSet><Tag><Key>k</Key></TagSet></Tagging>',
    ]) {
      const res = await signedFetch(`${edge.url}/${Bucket}?tagging`, { method: 'PUT', body });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('<Code>MalformedXML</Code>');
    }
  });

  it('routes keys with `..` as keys: never to a bucket operation', async () => {
    for (const key of ['..', 'a/../b', 'x/..', '%2E%2E%2Fescape']) {
      const res = await signedRawRequest(edge.url, `/${Bucket}/${key}`, { method: 'PUT', body: key });
      expect(res.status).toBe(200);
    }
    expect(service.store.hasBucket('x')).toBe(false);
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key);
    expect(keys).toEqual(expect.arrayContaining(['..', 'a/../b', 'x/..', '../escape']));
  });

  it('lets DeleteBucket remove a bucket whose only content is an unfinished multipart upload', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'unfinished' }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket: 'unfinished', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'unfinished' }));
    expect(service.store.hasBucket('unfinished')).toBe(false);
  });
});

describe('S3 start-up', () => {
  it('quarantines object metadata it cannot read, reports it and deletes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octember-s3-quarantine-'));
    try {
      const first = await startS3Edge(dir);
      await first.s3.send(new CreateBucketCommand({ Bucket: 'qqq' }));
      await first.s3.send(
        new PutBucketVersioningCommand({ Bucket: 'qqq', VersioningConfiguration: { Status: 'Enabled' } }),
      );
      await first.s3.send(new PutObjectCommand({ Bucket: 'qqq', Key: 'good', Body: 'g' }));
      await first.s3.send(new PutObjectCommand({ Bucket: 'qqq', Key: 'bad', Body: 'b' }));
      first.s3.destroy();
      await first.edge.close();
      const objects = join(dir, 's3', 'buckets', 'qqq', 'objects');
      const sidecars = (await readdir(objects)).filter((f) => f.endsWith('.json'));
      let corrupted = '';
      for (const f of sidecars)
        if ((await readFile(join(objects, f), 'utf8')).includes('"bad"')) {
          await writeFile(join(objects, f), '{"key": "bad", "versions": [tru');
          corrupted = f;
        }
      const second = await startS3Edge(dir);
      try {
        const report = second.service.startupSummary();
        expect(report.some((line) => line.includes(corrupted))).toBe(true);
        const quarantine = join(dir, 's3', 'quarantine');
        const [stamp] = await readdir(quarantine);
        const kept = await readdir(join(quarantine, stamp));
        expect(kept.some((f) => f.endsWith(corrupted))).toBe(true);
        expect(kept.some((f) => f.endsWith('.bin'))).toBe(true);
        const good = await second.s3.send(new GetObjectCommand({ Bucket: 'qqq', Key: 'good' }));
        expect(await good.Body!.transformToString()).toBe('g');
      } finally {
        second.s3.destroy();
        await second.edge.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
