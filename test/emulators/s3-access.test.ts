import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectTaggingCommand,
  GetBucketAclCommand,
  GetBucketCorsCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyStatusCommand,
  GetBucketTaggingCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketCorsCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeServer } from '../../src/emulators/edge/index.js';
import type { S3Service } from '../../src/emulators/s3/index.js';
import { s3Client, s3Failure, startS3Edge } from '../support/s3-edge.js';

const ALICE = { accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret' };
const BOB = { accessKeyId: 'AKIDBOB', secretAccessKey: 'bob-secret' };
const ACCOUNTS = {
  defaultObjectOwnership: 'ObjectWriter' as const,
  accounts: [
    { ...ALICE, displayName: 'alice', email: 'alice@example.com', accountId: '111111111111' },
    { ...BOB, displayName: 'bob', email: 'bob@example.com', accountId: '222222222222' },
  ],
};

let dataDir: string;
let edge: EdgeServer;
let service: S3Service;
let alice: S3Client;
let bob: S3Client;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-s3-access-'));
  ({ edge, service } = await startS3Edge(dataDir, undefined, ACCOUNTS));
  alice = s3Client(edge.url, ALICE);
  bob = s3Client(edge.url, BOB);
});

afterAll(async () => {
  alice?.destroy();
  bob?.destroy();
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const anonymous = (path: string, init?: RequestInit) => fetch(`${edge.url}${path}`, init);

describe('S3 identity', () => {
  it('verifies signatures against each account and keeps every account to its own buckets', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'alice-bucket' }));
    const list = await bob.send(new ListBucketsCommand({}));
    expect(list.Buckets ?? []).toEqual([]);
    const taken = await s3Failure(bob.send(new CreateBucketCommand({ Bucket: 'alice-bucket' })));
    expect(taken.name).toBe('BucketAlreadyExists');

    const unknown = s3Client(edge.url, { accessKeyId: 'AKIDNOBODY', secretAccessKey: 'x' });
    expect((await s3Failure(unknown.send(new ListBucketsCommand({})))).name).toBe('InvalidAccessKeyId');
    const forged = s3Client(edge.url, { accessKeyId: ALICE.accessKeyId, secretAccessKey: 'wrong' });
    expect((await s3Failure(forged.send(new ListBucketsCommand({})))).name).toBe('SignatureDoesNotMatch');
    expect((await anonymous('/')).status).toBe(403);
    expect((await anonymous('/alice-bucket')).status).toBe(403);
  });
});

describe('S3 ACLs', () => {
  it('applies canned ACLs and grants to other accounts and to anonymous readers', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'acl-bucket', ACL: 'public-read' }));
    const acl = await alice.send(new GetBucketAclCommand({ Bucket: 'acl-bucket' }));
    expect(acl.Grants?.map((g) => [g.Grantee?.Type, g.Permission])).toEqual([
      ['Group', 'READ'],
      ['CanonicalUser', 'FULL_CONTROL'],
    ]);
    expect((await anonymous('/acl-bucket')).status).toBe(200);

    await alice.send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'private', Body: 'p' }));
    expect((await s3Failure(bob.send(new GetObjectCommand({ Bucket: 'acl-bucket', Key: 'private' })))).name).toBe(
      'AccessDenied',
    );
    await alice.send(
      new PutObjectAclCommand({ Bucket: 'acl-bucket', Key: 'private', GrantRead: 'emailAddress="bob@example.com"' }),
    );
    expect(
      (await bob.send(new GetObjectCommand({ Bucket: 'acl-bucket', Key: 'private' }))).$metadata.httpStatusCode,
    ).toBe(200);
    const objectAcl = await alice.send(new GetObjectAclCommand({ Bucket: 'acl-bucket', Key: 'private' }));
    expect(objectAcl.Grants?.some((g) => g.Grantee?.DisplayName === 'bob' && g.Permission === 'READ')).toBe(true);

    await alice.send(new PutBucketAclCommand({ Bucket: 'acl-bucket', ACL: 'private' }));
    expect((await anonymous('/acl-bucket')).status).toBe(403);
  });

  it('follows object ownership: BucketOwnerEnforced disables ACLs and owns every object', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'enforced', ObjectOwnership: 'BucketOwnerEnforced' }));
    const controls = await alice.send(new GetBucketOwnershipControlsCommand({ Bucket: 'enforced' }));
    expect(controls.OwnershipControls?.Rules?.[0].ObjectOwnership).toBe('BucketOwnerEnforced');
    const refused = await s3Failure(alice.send(new PutBucketAclCommand({ Bucket: 'enforced', ACL: 'public-read' })));
    expect(refused.name).toBe('AccessControlListNotSupported');

    await alice.send(new CreateBucketCommand({ Bucket: 'shared-acl', ACL: 'public-read' }));
    const withAcl = await s3Failure(
      alice.send(
        new PutBucketOwnershipControlsCommand({
          Bucket: 'shared-acl',
          OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        }),
      ),
    );
    expect(withAcl.name).toBe('InvalidBucketAclWithObjectOwnership');
  });
});

describe('S3 bucket policies and public access block', () => {
  it('grants and denies by principal, action, resource and condition', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'policy-bucket' }));
    await alice.send(new PutObjectCommand({ Bucket: 'policy-bucket', Key: 'public/a', Body: 'a' }));
    await alice.send(new PutObjectCommand({ Bucket: 'policy-bucket', Key: 'private/b', Body: 'b' }));
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::policy-bucket/public/*' },
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::policy-bucket',
          Condition: { StringLike: { 's3:prefix': 'public/*' } },
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::policy-bucket/public/secret*',
        },
      ],
    });
    await alice.send(new PutBucketPolicyCommand({ Bucket: 'policy-bucket', Policy }));
    expect(await (await anonymous('/policy-bucket/public/a')).text()).toBe('a');
    expect((await anonymous('/policy-bucket/private/b')).status).toBe(403);
    expect((await bob.send(new ListObjectsV2Command({ Bucket: 'policy-bucket', Prefix: 'public/' }))).KeyCount).toBe(1);
    expect(
      (await s3Failure(bob.send(new ListObjectsV2Command({ Bucket: 'policy-bucket', Prefix: 'private/' })))).name,
    ).toBe('AccessDenied');
    // With s3:ListBucket on the key's prefix a missing key is 404, without it 403 (absence is not disclosed).
    expect(
      (await s3Failure(bob.send(new HeadObjectCommand({ Bucket: 'policy-bucket', Key: 'public/none' })))).$metadata
        .httpStatusCode,
    ).toBe(404);
    expect(
      (await s3Failure(bob.send(new HeadObjectCommand({ Bucket: 'policy-bucket', Key: 'private/none' })))).$metadata
        .httpStatusCode,
    ).toBe(403);
    await alice.send(new PutObjectCommand({ Bucket: 'policy-bucket', Key: 'public/secret.txt', Body: 's' }));
    expect(
      (await s3Failure(bob.send(new GetObjectCommand({ Bucket: 'policy-bucket', Key: 'public/secret.txt' })))).name,
    ).toBe('AccessDenied');

    expect(
      (await alice.send(new GetBucketPolicyStatusCommand({ Bucket: 'policy-bucket' }))).PolicyStatus?.IsPublic,
    ).toBe(true);
    const malformed = await s3Failure(
      alice.send(new PutBucketPolicyCommand({ Bucket: 'policy-bucket', Policy: '{"Statement": [' })),
    );
    expect(malformed.name).toBe('MalformedPolicy');
    const otherBucket = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::someone-else/*' }],
    });
    expect(
      (await s3Failure(alice.send(new PutBucketPolicyCommand({ Bucket: 'policy-bucket', Policy: otherBucket })))).name,
    ).toBe('MalformedPolicy');
  });

  it('blocks public ACLs and policies, and restricts public buckets', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'blocked' }));
    await alice.send(new PutObjectCommand({ Bucket: 'blocked', Key: 'k', Body: 'k' }));
    const Policy = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::blocked/*' }],
    });
    await alice.send(new PutBucketPolicyCommand({ Bucket: 'blocked', Policy }));
    expect((await anonymous('/blocked/k')).status).toBe(200);
    await alice.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'blocked',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    expect((await anonymous('/blocked/k')).status).toBe(403);
    expect((await s3Failure(alice.send(new PutBucketPolicyCommand({ Bucket: 'blocked', Policy })))).name).toBe(
      'AccessDenied',
    );
    expect(
      (
        await s3Failure(
          alice.send(new PutObjectCommand({ Bucket: 'blocked', Key: 'p', Body: 'p', ACL: 'public-read' })),
        )
      ).name,
    ).toBe('AccessDenied');
  });
});

describe('S3 tagging', () => {
  it('tags objects and buckets within S3 limits', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'tags' }));
    await alice.send(new PutObjectCommand({ Bucket: 'tags', Key: 'k', Body: 'x', Tagging: 'a=1&b=2' }));
    expect((await alice.send(new GetObjectCommand({ Bucket: 'tags', Key: 'k' }))).TagCount).toBe(2);
    const TagSet = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const tooMany = await s3Failure(
      alice.send(new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'k', Tagging: { TagSet } })),
    );
    expect(tooMany.name).toBe('InvalidTag');
    await alice.send(
      new PutObjectTaggingCommand({ Bucket: 'tags', Key: 'k', Tagging: { TagSet: TagSet.slice(0, 10) } }),
    );
    expect((await alice.send(new GetObjectTaggingCommand({ Bucket: 'tags', Key: 'k' }))).TagSet).toHaveLength(10);
    await alice.send(new DeleteObjectTaggingCommand({ Bucket: 'tags', Key: 'k' }));
    expect((await alice.send(new GetObjectTaggingCommand({ Bucket: 'tags', Key: 'k' }))).TagSet).toEqual([]);

    expect((await s3Failure(alice.send(new GetBucketTaggingCommand({ Bucket: 'tags' })))).name).toBe('NoSuchTagSet');
    await alice.send(
      new PutBucketTaggingCommand({ Bucket: 'tags', Tagging: { TagSet: [{ Key: 'team', Value: 'cards' }] } }),
    );
    expect((await alice.send(new GetBucketTaggingCommand({ Bucket: 'tags' }))).TagSet).toEqual([
      { Key: 'team', Value: 'cards' },
    ]);
  });
});

describe('S3 CORS', () => {
  it('answers preflight and adds response headers from the bucket CORS configuration', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'cors', ACL: 'public-read' }));
    expect((await s3Failure(alice.send(new GetBucketCorsCommand({ Bucket: 'cors' })))).name).toBe(
      'NoSuchCORSConfiguration',
    );
    await alice.send(
      new PutBucketCorsCommand({
        Bucket: 'cors',
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: ['https://*.example.com'],
              AllowedMethods: ['GET', 'PUT'],
              AllowedHeaders: ['content-type'],
              MaxAgeSeconds: 60,
            },
          ],
        },
      }),
    );
    const ok = await anonymous('/cors/k', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(ok.headers.get('access-control-max-age')).toBe('60');
    const foreign = await anonymous('/cors/k', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    const list = await anonymous('/cors', { headers: { origin: 'https://app.example.com' } });
    expect(list.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(service.corsAllows('cors', 'https://app.example.com', 'GET')).toBe(true);
    expect(service.corsAllows('cors', 'https://evil.test', 'GET')).toBe(false);
    expect(service.corsAllows('cors', 'https://app.example.com', 'DELETE')).toBe(false);
    expect(service.corsAllows('no-such-bucket', 'https://app.example.com', 'GET')).toBe(false);
  });
});

describe('S3 POST uploads', () => {
  it('accepts a form signed with a policy document and enforces its conditions', async () => {
    await alice.send(new CreateBucketCommand({ Bucket: 'forms' }));
    const post = await createPresignedPost(alice, {
      Bucket: 'forms',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: S3's own placeholder for the uploaded file's name
      Key: 'uploads/${filename}',
      Conditions: [
        ['starts-with', '$key', 'uploads/'],
        ['content-length-range', 1, 10],
      ],
      Fields: { 'Content-Type': 'text/plain' },
      Expires: 600,
    });
    const form = (body: string, extra: Record<string, string> = {}) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ ...post.fields, ...extra })) f.append(k, v);
      f.append('file', new Blob([body], { type: 'text/plain' }), 'note.txt');
      return f;
    };
    const res = await fetch(post.url, { method: 'POST', body: form('hello') });
    expect(res.status).toBe(204);
    const got = await alice.send(new GetObjectCommand({ Bucket: 'forms', Key: 'uploads/note.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello');

    const tooBig = await fetch(post.url, { method: 'POST', body: form('this body is far too long') });
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toContain('EntityTooLarge');
    const extraField = await fetch(post.url, { method: 'POST', body: form('x', { 'x-amz-meta-unsigned': 'v' }) });
    expect(extraField.status).toBe(403);
    const tampered = await fetch(post.url, { method: 'POST', body: form('x', { key: 'elsewhere/x' }) });
    expect(tampered.status).toBe(403);
  });
});
