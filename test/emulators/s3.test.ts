import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeServer } from '../../src/emulators/edge/edge-server.js';
import { checksumOf } from '../../src/emulators/s3/checksums.js';
import { s3Failure, signedFetch, signHeaders, startS3Edge } from '../support/s3-edge.js';

let dataDir: string;
let edge: EdgeServer;
let s3: S3Client;

async function boot(): Promise<void> {
  ({ edge, s3 } = await startS3Edge(dataDir));
}

const failure = s3Failure;

const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-s3-'));
  await boot();
});

afterAll(async () => {
  s3?.destroy();
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('S3 buckets', () => {
  it('creates, heads, lists and deletes buckets with S3 errors', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bucket-one' }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'bucket-one' }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toContain('bucket-one');
    expect(list.Buckets?.find((b) => b.Name === 'bucket-one')?.CreationDate).toBeInstanceOf(Date);

    // us-east-1 answers a repeated CreateBucket of one's own bucket with 200 (other regions: 409).
    const again = await s3.send(new CreateBucketCommand({ Bucket: 'bucket-one' }));
    expect(again.$metadata.httpStatusCode).toBe(200);

    const missing = await failure(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket-x' })));
    expect(missing.$metadata.httpStatusCode).toBe(404);

    await s3.send(new PutObjectCommand({ Bucket: 'bucket-one', Key: 'k', Body: 'x' }));
    const notEmpty = await failure(s3.send(new DeleteBucketCommand({ Bucket: 'bucket-one' })));
    expect(notEmpty.name).toBe('BucketNotEmpty');
    expect(notEmpty.$metadata.httpStatusCode).toBe(409);

    await s3.send(new DeleteObjectCommand({ Bucket: 'bucket-one', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'bucket-one' }));
    const gone = await s3.send(new ListBucketsCommand({}));
    expect(gone.Buckets?.map((b) => b.Name) ?? []).not.toContain('bucket-one');
  });

  it('rejects an invalid bucket name', async () => {
    const res = await signedFetch(`${edge.url}/Bad_Name`, { method: 'PUT' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidBucketName</Code>');
  });
});

describe('S3 objects', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objects' }));
  });

  it('round-trips body, content type, user metadata, ETag and Last-Modified', async () => {
    const body = 'hello octember';
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: 'dir/hello.txt',
        Body: body,
        ContentType: 'text/plain',
        Metadata: { owner: 'edy', Mixed: 'Value' },
      }),
    );
    expect(put.ETag).toBe(`"${md5(body)}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dir/hello.txt' }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(got.ContentType).toBe('text/plain');
    expect(got.ContentLength).toBe(body.length);
    expect(got.ETag).toBe(put.ETag);
    expect(got.Metadata).toEqual({ owner: 'edy', mixed: 'Value' });
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(Math.abs(got.LastModified!.getTime() - Date.now())).toBeLessThan(60_000);

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dir/hello.txt' }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.Metadata?.owner).toBe('edy');
  });

  it('returns NoSuchKey / NoSuchBucket / 404 HEAD', async () => {
    const noKey = await failure(s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'missing' })));
    expect(noKey.name).toBe('NoSuchKey');
    expect(noKey.$metadata.httpStatusCode).toBe(404);
    const noBucket = await failure(s3.send(new GetObjectCommand({ Bucket: 'missing-bucket', Key: 'x' })));
    expect(noBucket.name).toBe('NoSuchBucket');
    const noPutBucket = await failure(s3.send(new PutObjectCommand({ Bucket: 'missing-bucket', Key: 'x', Body: 'y' })));
    expect(noPutBucket.name).toBe('NoSuchBucket');
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'missing' })));
    expect(head.$metadata.httpStatusCode).toBe(404);
  });

  it('serves byte ranges with 206 and rejects unsatisfiable ones with 416 InvalidRange', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'range.bin', Body: '0123456789' }));
    const mid = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.bin', Range: 'bytes=2-5' }));
    expect(mid.$metadata.httpStatusCode).toBe(206);
    expect(mid.ContentRange).toBe('bytes 2-5/10');
    expect(await mid.Body!.transformToString()).toBe('2345');
    const suffix = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.bin', Range: 'bytes=-3' }));
    expect(await suffix.Body!.transformToString()).toBe('789');
    const open = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.bin', Range: 'bytes=7-' }));
    expect(await open.Body!.transformToString()).toBe('789');
    const bad = await failure(
      s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'range.bin', Range: 'bytes=10-20' })),
    );
    expect(bad.name).toBe('InvalidRange');
    expect(bad.$metadata.httpStatusCode).toBe(416);
  });

  it('deletes single objects and batches (DeleteObjects)', async () => {
    for (const k of ['del/a', 'del/b', 'del/c'])
      await s3.send(new PutObjectCommand({ Bucket: 'objects', Key: k, Body: k }));
    const single = await s3.send(new DeleteObjectCommand({ Bucket: 'objects', Key: 'del/a' }));
    expect(single.$metadata.httpStatusCode).toBe(204);
    const batch = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'objects',
        Delete: { Objects: [{ Key: 'del/b' }, { Key: 'del/c' }, { Key: 'del/never' }] },
      }),
    );
    expect(batch.Deleted?.map((d) => d.Key).sort()).toEqual(['del/b', 'del/c', 'del/never']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'objects', Prefix: 'del/' }));
    expect(left.KeyCount).toBe(0);
  });

  it('keeps one consistent version (body, ETag, one body file) under concurrent overwrites', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => `version ${i} `.repeat(1000 + i));
    await Promise.all(
      bodies.map((b) => s3.send(new PutObjectCommand({ Bucket: 'objects', Key: 'race.txt', Body: b }))),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'race.txt' }));
    const text = await got.Body!.transformToString();
    expect(bodies).toContain(text);
    expect(got.ETag).toBe(`"${md5(text)}"`);
    const files = await readdir(join(dataDir, 's3', 'buckets', 'objects', 'objects'));
    const hash = createHash('sha256').update('race.txt').digest('hex').slice(0, 40);
    expect(files.filter((f) => f.startsWith(hash))).toHaveLength(2); // one sidecar + one body
  });

  it('copies objects with URL-encoded sources, COPY and REPLACE metadata directives', async () => {
    const key = 'src/a file+ü (1).txt';
    await s3.send(
      new PutObjectCommand({
        Bucket: 'objects',
        Key: key,
        Body: 'copy me',
        ContentType: 'text/x-src',
        Metadata: { a: '1' },
      }),
    );
    const copied = await s3.send(
      new CopyObjectCommand({
        Bucket: 'objects',
        Key: 'dst/copy.txt',
        CopySource: encodeURIComponent(`objects/${key}`),
      }),
    );
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5('copy me')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objects', Key: 'dst/copy.txt' }));
    expect(await got.Body!.transformToString()).toBe('copy me');
    expect(got.ContentType).toBe('text/x-src');
    expect(got.Metadata).toEqual({ a: '1' });

    await s3.send(
      new CopyObjectCommand({
        Bucket: 'objects',
        Key: 'dst/replaced.txt',
        CopySource: `objects/${encodeURIComponent(key)}`,
        MetadataDirective: 'REPLACE',
        ContentType: 'text/y',
        Metadata: { b: '2' },
      }),
    );
    const replaced = await s3.send(new HeadObjectCommand({ Bucket: 'objects', Key: 'dst/replaced.txt' }));
    expect(replaced.ContentType).toBe('text/y');
    expect(replaced.Metadata).toEqual({ b: '2' });

    const self = await failure(
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'dst/copy.txt', CopySource: 'objects/dst/copy.txt' })),
    );
    expect(self.name).toBe('InvalidRequest');
    const missing = await failure(
      s3.send(new CopyObjectCommand({ Bucket: 'objects', Key: 'x', CopySource: 'objects/nope' })),
    );
    expect(missing.name).toBe('NoSuchKey');
  });
});

describe('S3 ListObjectsV2', () => {
  const keys = ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'b/1.txt', 'c.txt', 'd/1.txt', 'd/2.txt', 'e.txt'];
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: k, Body: k }));
  });

  it('pages through every key in order with max-keys and continuation tokens', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 3, ContinuationToken: token }));
      pages++;
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
      seen.push(...(page.Contents ?? []).map((c) => c.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(seen).toEqual([...keys].sort());
    expect(pages).toBe(Math.ceil(keys.length / 3));
  });

  it('rolls keys up into CommonPrefixes with a delimiter, across pages', async () => {
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    expect(all.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'b/', 'd/']);
    expect(all.Contents?.map((c) => c.Key)).toEqual(['c.txt', 'e.txt']);
    expect(all.KeyCount).toBe(5);

    const items: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 2, ContinuationToken: token }),
      );
      items.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((c) => c.Key!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(items.sort()).toEqual(['a/', 'b/', 'c.txt', 'd/', 'e.txt']);

    const nested = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a/', Delimiter: '/' }));
    expect(nested.Contents?.map((c) => c.Key)).toEqual(['a/1.txt', 'a/2.txt']);
    expect(nested.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/b/']);
  });

  it('honours prefix and start-after', async () => {
    const d = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'd/' }));
    expect(d.Contents?.map((c) => c.Key)).toEqual(['d/1.txt', 'd/2.txt']);
    expect(d.Contents?.[0].Size).toBe('d/1.txt'.length);
    expect(d.Contents?.[0].ETag).toBe(`"${md5('d/1.txt')}"`);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'c.txt' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['d/1.txt', 'd/2.txt', 'e.txt']);
  });

  it('rejects a forged continuation token', async () => {
    const err = await failure(
      s3.send(new ListObjectsV2Command({ Bucket: 'listing', ContinuationToken: '!!not-a-token!!' })),
    );
    expect(err.name).toBe('InvalidArgument');
  });
});

describe('S3 checksums and aws-chunked uploads', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'checksums' }));
  });

  it.each(['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const)('validates and echoes %s', async (algorithm) => {
    const body = Buffer.from(`payload for ${algorithm}`);
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'checksums', Key: algorithm, Body: body, ChecksumAlgorithm: algorithm }),
    );
    const expected = checksumOf(algorithm, body).toString('base64');
    expect(put[`Checksum${algorithm}`]).toBe(expected);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'checksums', Key: algorithm, ChecksumMode: 'ENABLED' }));
    expect(got[`Checksum${algorithm}`]).toBe(expected);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
  });

  it('rejects a wrong checksum with BadDigest and stores nothing', async () => {
    const err = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: 'checksums',
          Key: 'bad',
          Body: 'abc',
          ChecksumCRC32: checksumOf('CRC32', Buffer.from('xyz')).toString('base64'),
        }),
      ),
    );
    expect(err.name).toBe('BadDigest');
    expect(err.$metadata.httpStatusCode).toBe(400);
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket: 'checksums', Key: 'bad' })));
    expect(head.$metadata.httpStatusCode).toBe(404);

    const md5Res = await signedFetch(`${edge.url}/checksums/bad-md5`, {
      method: 'PUT',
      body: 'abc',
      headers: { 'content-md5': createHash('md5').update('other').digest('base64') },
    });
    expect(md5Res.status).toBe(400);
    expect(await md5Res.text()).toContain('<Code>BadDigest</Code>');
  });

  it('decodes a streaming SDK upload (aws-chunked with a checksum trailer)', async () => {
    const parts = [Buffer.alloc(70_000, 'a'), Buffer.alloc(50_000, 'b')];
    const whole = Buffer.concat(parts);
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'checksums',
        Key: 'streamed',
        Body: Readable.from(parts),
        ContentLength: whole.length,
      }),
    );
    expect(put.ETag).toBe(`"${md5(whole)}"`);
    expect(put.ChecksumCRC32).toBe(checksumOf('CRC32', whole).toString('base64'));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'checksums', Key: 'streamed' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(whole)).toBe(true);
  });

  it('decodes STREAMING-AWS4-HMAC-SHA256-PAYLOAD chunks, checks their signatures, and rejects a bad trailer checksum', async () => {
    const data = Buffer.from('chunked-signed-payload');
    const chunks = [data.subarray(0, 16), data.subarray(16), Buffer.alloc(0)];
    const send = async (key: string, tamper: boolean) => {
      const url = new URL(`${edge.url}/checksums/${key}`);
      const headers = await signHeaders(url, 'PUT', url.pathname, url.searchParams, {
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(data.length),
      });
      // The chunk signature chain of SigV4 streaming uploads, computed here independently of the emulator.
      const seed = /Signature=([0-9a-f]+)/.exec(headers.authorization)![1];
      const amzDate = headers['x-amz-date'];
      const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
      const hmac = (k: Buffer | string, v: string) => createHmac('sha256', k).update(v).digest();
      const signingKey = hmac(hmac(hmac(hmac('AWS4test', amzDate.slice(0, 8)), 'us-east-1'), 's3'), 'aws4_request');
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      let previous = seed;
      const parts: Buffer[] = [];
      for (const chunk of chunks) {
        const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, sha(Buffer.alloc(0)), sha(chunk)].join(
          '\n',
        );
        previous = createHmac('sha256', signingKey).update(toSign).digest('hex');
        const sent = tamper && chunk.length ? Buffer.from(chunk.toString().toUpperCase()) : chunk;
        parts.push(
          Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
          sent,
          Buffer.from('\r\n'),
        );
      }
      const { host: _host, ...sent } = headers;
      return fetch(url, { method: 'PUT', headers: sent, body: Buffer.concat(parts) });
    };
    const res = await send('signed-chunks', false);
    expect(res.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'checksums', Key: 'signed-chunks' }));
    expect(await got.Body!.transformToString()).toBe(data.toString());
    expect(got.ContentEncoding).toBeUndefined();
    const tampered = await send('tampered-chunks', true);
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

    const badTrailer = Buffer.concat([
      Buffer.from('3\r\nabc\r\n0\r\n'),
      Buffer.from(`x-amz-checksum-crc32:${checksumOf('CRC32', Buffer.from('zzz')).toString('base64')}\r\n\r\n`),
    ]);
    const bad = await signedFetch(`${edge.url}/checksums/bad-trailer`, {
      method: 'PUT',
      body: badTrailer,
      headers: {
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '3',
        'x-amz-trailer': 'x-amz-checksum-crc32',
      },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<Code>BadDigest</Code>');
  });
});

describe('S3 presigned URLs and raw HTTP', () => {
  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'presigned' }));
  });

  it('accepts presigned PUT and GET URLs', async () => {
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'presigned', Key: 'up load.txt' }), {
      expiresIn: 300,
    });
    expect(putUrl).toContain('X-Amz-Signature=');
    const put = await fetch(putUrl, { method: 'PUT', body: 'via presigned put' });
    expect(put.status).toBe(200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'presigned', Key: 'up load.txt' }), {
      expiresIn: 300,
    });
    const get = await fetch(getUrl);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('via presigned put');
  });

  it('refuses an expired presigned URL with 403 AccessDenied', async () => {
    const url = new URL(
      await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'presigned', Key: 'up load.txt' }), { expiresIn: 1 }),
    );
    url.searchParams.set('X-Amz-Date', '20200101T000000Z');
    const res = await fetch(url);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('answers malformed XML with MalformedXML 400', async () => {
    const res = await signedFetch(`${edge.url}/presigned?delete`, {
      method: 'POST',
      body: '<Delete><Object><Key>x</Key></Object',
      headers: { 'content-md5': createHash('md5').update('<Delete><Object><Key>x</Key></Object').digest('base64') },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>MalformedXML</Code>');
  });

  it('answers virtual-host style requests (bucket.localhost)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'presigned', Key: 'vhost.txt', Body: 'vh' }));
    // Anonymous reads of this one key, granted by the bucket policy.
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::presigned/vhost.txt' },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'presigned', Policy }));
    const { request } = await import('node:http');
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(`${edge.url}/vhost.txt`, { headers: { host: `presigned.localhost:${edge.port}` } }, (res) => {
        let d = '';
        res.on('data', (c) => {
          d += c;
        });
        res.on('end', () => resolve(d));
      });
      req.on('error', reject);
      req.end();
    });
    expect(text).toBe('vh');
  });
});

describe('S3 persistence', () => {
  it('keeps buckets, objects and metadata across a restart', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'persist' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'persist',
        Key: 'keep/me.txt',
        Body: 'still here',
        ContentType: 'text/plain',
        Metadata: { m: 'v' },
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'persist',
        Key: 'keep/me.txt',
        Body: 'still here v2',
        ContentType: 'text/plain',
        Metadata: { m: 'v2' },
      }),
    );
    s3.destroy();
    await edge.close();
    await boot();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'persist', Key: 'keep/me.txt' }));
    expect(await got.Body!.transformToString()).toBe('still here v2');
    expect(got.Metadata).toEqual({ m: 'v2' });
    expect(got.ETag).toBe(`"${md5('still here v2')}"`);
    const list = await s3.send(new ListObjectsV2Command({ Bucket: 'persist' }));
    expect(list.Contents?.map((c) => c.Key)).toEqual(['keep/me.txt']);
  });
});
