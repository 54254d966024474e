import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  type S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeServer } from '../../src/emulators/edge/index.js';
import { s3Failure, startS3Edge } from '../support/s3-edge.js';

let dataDir: string;
let edge: EdgeServer;
let s3: S3Client;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-s3-versions-'));
  ({ edge, s3 } = await startS3Edge(dataDir));
});

afterAll(async () => {
  s3?.destroy();
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const text = async (p: Promise<{ Body?: { transformToString(): Promise<string> } }>) =>
  (await p).Body!.transformToString();

describe('S3 versioning', () => {
  it('keeps every version, reads each by id, and hides the key behind a delete marker', async () => {
    const Bucket = 'versioned';
    await s3.send(new CreateBucketCommand({ Bucket }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');

    const v1 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }))).VersionId!;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }))).VersionId!;
    expect(v1).not.toBe(v2);
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).toBe('two');
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1 })))).toBe('one');

    const del = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    const gone = await s3Failure(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })));
    expect(gone.name).toBe('NoSuchKey');
    expect((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
    const onMarker = await s3Failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: del.VersionId })));
    expect(onMarker.$metadata.httpStatusCode).toBe(405);

    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v2, v1]);
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[del.VersionId, true]]);

    // Removing the delete marker brings the latest version back; copies can name a source version.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: del.VersionId }));
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).toBe('two');
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/k?versionId=${v1}` }),
    );
    expect(copy.CopySourceVersionId).toBe(v1);
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'copy' })))).toBe('one');

    // Emptying a versioned bucket takes every version; then it can go.
    const all = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    const Objects = [...(all.Versions ?? []), ...(all.DeleteMarkers ?? [])].map((v) => ({
      Key: v.Key!,
      VersionId: v.VersionId!,
    }));
    const removed = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects } }));
    expect(removed.Errors ?? []).toEqual([]);
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });

  it('writes the null version while suspended and replaces it', async () => {
    const Bucket = 'suspended';
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'plain' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const kept = (await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'versioned' }))).VersionId!;
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'suspended' }));
    expect(put.VersionId).toBeUndefined(); // S3 names no version for a write while versioning is suspended
    const ids = (await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions?.map((v) => v.VersionId);
    expect(ids).toEqual(['null', kept]);
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: 'null' })))).toBe('suspended');
  });
});

describe('S3 object lock', () => {
  it('refuses to remove a locked version until governance is bypassed; compliance and legal hold hold', async () => {
    const Bucket = 'locked';
    await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
        },
      }),
    );
    const v = (await s3.send(new PutObjectCommand({ Bucket, Key: 'g', Body: 'x' }))).VersionId!;
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'g', VersionId: v }));
    expect(retention.Retention?.Mode).toBe('GOVERNANCE');

    const denied = await s3Failure(s3.send(new DeleteObjectCommand({ Bucket, Key: 'g', VersionId: v })));
    expect(denied.name).toBe('AccessDenied');
    // A delete marker is always allowed: it removes no version.
    expect((await s3.send(new DeleteObjectCommand({ Bucket, Key: 'g' }))).DeleteMarker).toBe(true);
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'g', VersionId: v, BypassGovernanceRetention: true }));

    const until = new Date(Date.now() + 3600_000);
    const c = (
      await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: 'c',
          Body: 'x',
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: until,
        }),
      )
    ).VersionId!;
    const shorter = await s3Failure(
      s3.send(
        new PutObjectRetentionCommand({
          Bucket,
          Key: 'c',
          VersionId: c,
          Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(Date.now() + 60_000) },
          BypassGovernanceRetention: true,
        }),
      ),
    );
    expect(shorter.name).toBe('AccessDenied');
    const compliance = await s3Failure(
      s3.send(new DeleteObjectCommand({ Bucket, Key: 'c', VersionId: c, BypassGovernanceRetention: true })),
    );
    expect(compliance.name).toBe('AccessDenied');

    const h = (
      await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: 'h',
          Body: 'x',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: until,
        }),
      )
    ).VersionId!;
    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'h', VersionId: h, LegalHold: { Status: 'ON' } }));
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: 'h', VersionId: h }))).LegalHold?.Status).toBe(
      'ON',
    );
    const held = await s3Failure(
      s3.send(new DeleteObjectCommand({ Bucket, Key: 'h', VersionId: h, BypassGovernanceRetention: true })),
    );
    expect(held.name).toBe('AccessDenied');

    const noLock = 'unlocked';
    await s3.send(new CreateBucketCommand({ Bucket: noLock }));
    const notEnabled = await s3Failure(
      s3.send(
        new PutObjectCommand({
          Bucket: noLock,
          Key: 'k',
          Body: 'x',
          ObjectLockMode: 'GOVERNANCE',
          ObjectLockRetainUntilDate: until,
        }),
      ),
    );
    expect(notEnabled.name).toBe('InvalidRequest');
  });
});

describe('S3 multipart details', () => {
  it('copies parts, reads single parts, reports attributes and answers a repeated CompleteMultipartUpload', async () => {
    const Bucket = 'parts';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const source = Buffer.alloc(6 * 1024 * 1024, 'a');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: source }));
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: 'dst', ChecksumAlgorithm: 'CRC32' }),
    );
    const p1 = await s3.send(
      new UploadPartCopyCommand({ Bucket, Key: 'dst', UploadId, PartNumber: 1, CopySource: `${Bucket}/src` }),
    );
    const p2 = await s3.send(
      new UploadPartCommand({ Bucket, Key: 'dst', UploadId, PartNumber: 2, Body: 'tail', ChecksumAlgorithm: 'CRC32' }),
    );
    const Parts = [
      { PartNumber: 1, ETag: p1.CopyPartResult!.ETag, ChecksumCRC32: p1.CopyPartResult!.ChecksumCRC32 },
      { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 },
    ];
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: 'dst', UploadId, MultipartUpload: { Parts } }),
    );
    const again = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: 'dst', UploadId, MultipartUpload: { Parts } }),
    );
    expect(again.ETag).toBe(done.ETag);

    const part2 = await s3.send(new GetObjectCommand({ Bucket, Key: 'dst', PartNumber: 2 }));
    expect(part2.PartsCount).toBe(2);
    expect(await part2.Body!.transformToString()).toBe('tail');

    const attrs = await s3.send(
      new GetObjectAttributesCommand({
        Bucket,
        Key: 'dst',
        ObjectAttributes: ['ETag', 'ObjectParts', 'ObjectSize', 'StorageClass'],
      }),
    );
    expect(attrs.ObjectSize).toBe(source.length + 4);
    expect(attrs.ObjectParts?.TotalPartsCount).toBe(2);
    expect(attrs.ObjectParts?.Parts?.map((p) => p.Size)).toEqual([source.length, 4]);
    expect(`"${attrs.ETag}"`).toBe(done.ETag);
  });

  it('honours If-None-Match and If-Match on PutObject and CompleteMultipartUpload', async () => {
    const Bucket = 'conditional';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'a', IfNoneMatch: '*' }));
    const exists = await s3Failure(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'b', IfNoneMatch: '*' })));
    expect(exists.$metadata.httpStatusCode).toBe(412);
    const stale = await s3Failure(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'b', IfMatch: '"0123"' })));
    expect(stale.name).toBe('PreconditionFailed');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'b', IfMatch: first.ETag }));
    const missing = await s3Failure(s3.send(new PutObjectCommand({ Bucket, Key: 'absent', Body: 'b', IfMatch: '*' })));
    expect(missing.name).toBe('NoSuchKey');

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'k' }));
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'k', UploadId, PartNumber: 1, Body: 'c' }));
    const refused = await s3Failure(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: 'k',
          UploadId,
          IfNoneMatch: '*',
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      ),
    );
    expect(refused.$metadata.httpStatusCode).toBe(412);
  });
});
