import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../lib/http.js';
import { CHECKSUM_ALGORITHMS, checksumHeaderName } from './checksums.js';
import { s3Errors, toS3Error } from './errors.js';
import { header, OWNER, readXmlBody, send, sendXml, verifySmallBody } from './http-io.js';
import { encodeEventKey, parseNotificationXml } from './notifications.js';
import type { S3ObjectStore } from './object-store.js';
import { child, childrenNamed, childText, parseXml, renderXml, type XmlNode } from './xml.js';

export function listBuckets(store: S3ObjectStore, res: ServerResponse): void {
  sendXml(
    res,
    200,
    renderXml('ListAllMyBucketsResult', {
      Owner: OWNER,
      Buckets: { Bucket: store.listBuckets().map((b) => ({ Name: b.name, CreationDate: b.creationDate })) },
    }),
  );
}

export async function createBucket(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
): Promise<void> {
  const raw = await readBody(req, 64 * 1024);
  if (raw.length > 0) {
    const root = parseXml(raw.toString('utf8'));
    if (root.name !== 'CreateBucketConfiguration') throw s3Errors.malformedXml();
  }
  await store.createBucket(bucket);
  send(res, 200, '', { location: `/${bucket}` });
}

export async function putNotification(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
): Promise<void> {
  store.headBucket(bucket);
  const { raw, root } = await readXmlBody(req);
  verifySmallBody(req, raw);
  await store.putNotificationConfiguration(bucket, parseNotificationXml(root));
  send(res, 200);
}

function encodeListValue(value: string | undefined, url: boolean): string | undefined {
  return value === undefined ? undefined : url ? encodeEventKey(value) : value;
}

export function listObjects(store: S3ObjectStore, res: ServerResponse, bucket: string, q: URLSearchParams): void {
  const v2 = q.get('list-type') === '2';
  const maxKeysText = q.get('max-keys');
  const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw s3Errors.invalidArgument(
      'Provided max-keys not an integer or within integer range',
      'max-keys',
      maxKeysText ?? '',
    );
  const prefix = q.get('prefix') ?? undefined;
  const delimiter = q.get('delimiter') || undefined;
  const urlEncoding = q.get('encoding-type') === 'url';
  if (q.has('encoding-type') && !urlEncoding)
    throw s3Errors.invalidArgument(
      'Invalid Encoding Method specified in Request',
      'encoding-type',
      q.get('encoding-type') ?? '',
    );
  let startAfter: string | undefined;
  const token = q.get('continuation-token') ?? undefined;
  if (v2) {
    if (token !== undefined) {
      startAfter = Buffer.from(token, 'base64url').toString('utf8');
      if (!token || Buffer.from(startAfter, 'utf8').toString('base64url') !== token)
        throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    } else startAfter = q.get('start-after') ?? undefined;
  } else startAfter = q.get('marker') ?? undefined;
  const result = store.listObjects(bucket, { prefix, delimiter, maxKeys: Math.min(maxKeys, 1000), startAfter });
  const enc = (v: string | undefined) => encodeListValue(v, urlEncoding);
  const contents = result.contents.map((o) => ({
    Key: enc(o.key),
    LastModified: o.lastModified,
    ETag: o.etag,
    ChecksumAlgorithm: o.checksum?.algorithm,
    ChecksumType: o.checksum?.type,
    Size: o.size,
    Owner: v2 && q.get('fetch-owner') !== 'true' ? undefined : OWNER,
    StorageClass: 'STANDARD',
  }));
  const common = result.commonPrefixes.map((p) => ({ Prefix: enc(p) }));
  const body: XmlNode = v2
    ? {
        Name: bucket,
        Prefix: enc(prefix) ?? '',
        Delimiter: enc(delimiter),
        MaxKeys: maxKeys,
        EncodingType: urlEncoding ? 'url' : undefined,
        KeyCount: result.contents.length + result.commonPrefixes.length,
        IsTruncated: result.isTruncated,
        ContinuationToken: token,
        NextContinuationToken:
          result.isTruncated && result.lastReturned
            ? Buffer.from(result.lastReturned, 'utf8').toString('base64url')
            : undefined,
        StartAfter: enc(q.get('start-after') ?? undefined),
        Contents: contents,
        CommonPrefixes: common,
      }
    : {
        Name: bucket,
        Prefix: enc(prefix) ?? '',
        Marker: enc(q.get('marker') ?? '') ?? '',
        NextMarker: result.isTruncated ? enc(result.lastReturned) : undefined,
        MaxKeys: maxKeys,
        Delimiter: enc(delimiter),
        EncodingType: urlEncoding ? 'url' : undefined,
        IsTruncated: result.isTruncated,
        Contents: contents,
        CommonPrefixes: common,
      };
  sendXml(res, 200, renderXml('ListBucketResult', body));
}

export async function deleteObjects(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
): Promise<void> {
  store.headBucket(bucket);
  const { raw, root } = await readXmlBody(req, 2 * 1024 * 1024);
  if (!header(req.headers, 'content-md5') && !CHECKSUM_ALGORITHMS.some((a) => req.headers[checksumHeaderName(a)]))
    throw s3Errors.invalidRequest('Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  verifySmallBody(req, raw);
  if (root.name !== 'Delete') throw s3Errors.malformedXml();
  const objects = childrenNamed(root, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw s3Errors.malformedXml();
  const quiet = childText(root, 'Quiet') === 'true';
  const deleted: XmlNode[] = [];
  const errors: XmlNode[] = [];
  for (const o of objects) {
    const keyEl = child(o, 'Key');
    if (!keyEl) throw s3Errors.malformedXml();
    const key = keyEl.text;
    try {
      await store.deleteObject(bucket, key, req.socket?.remoteAddress);
      if (!quiet) deleted.push({ Key: key });
    } catch (err) {
      const e = toS3Error(err);
      errors.push({ Key: key, Code: e.code, Message: e.message });
    }
  }
  sendXml(res, 200, renderXml('DeleteResult', { Deleted: deleted, Error: errors }));
}
