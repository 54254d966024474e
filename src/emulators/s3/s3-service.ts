import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BodyTooLargeError, readBody } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';
import type { EdgeService } from '../edge/service.js';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.js';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumHeaderName,
  checksumOf,
  parseChecksumAlgorithm,
} from './checksums.js';
import { newHostId, newRequestId, S3Error, s3Errors, sendS3Error } from './errors.js';
import { encodeEventKey, notificationToXml, parseNotificationXml, type S3Notification } from './notifications.js';
import { type ObjectMeta, S3ObjectStore, type WriteOptions } from './object-store.js';
import { child, childrenNamed, childText, parseXml, renderXml, type XmlNode, XmlParseError } from './xml.js';

export type S3Service = EdgeService & { store: S3ObjectStore };

const OWNER = { ID: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', DisplayName: 'webfile' };
const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
] as const;
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};
/** Sub-resources the emulator does not implement: answered with S3's NotImplemented instead of being misread. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl',
  'cors',
  'policy',
  'tagging',
  'lifecycle',
  'website',
  'encryption',
  'logging',
  'replication',
  'ownershipControls',
  'publicAccessBlock',
  'object-lock',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'retention',
  'legal-hold',
  'torrent',
  'restore',
  'select',
  'attributes',
  'versions',
];

export async function createS3Service(opts: {
  dataDir: string;
  notify?: (n: S3Notification) => void;
  region?: string;
}): Promise<S3Service> {
  const store = await S3ObjectStore.open(opts);
  return {
    name: 's3',
    signingNames: ['s3'],
    store,
    async handle(req, res) {
      const requestId = newRequestId();
      res.setHeader('x-amz-request-id', requestId);
      res.setHeader('x-amz-id-2', newHostId());
      let resource: string | undefined;
      try {
        const ctx = parseRequest(req);
        resource = ctx.resource;
        await route(store, req, res, ctx);
      } catch (err) {
        if (req.destroyed && !req.complete) {
          res.destroy(); // the client went away mid-request: nobody to answer
          return;
        }
        if (!req.complete) req.resume(); // drain so keep-alive connections stay usable
        const s3err = toS3Error(err);
        if (s3err.status >= 500) logger.error({ err, method: req.method, url: req.url }, 's3 request failed');
        sendS3Error(res, s3err, { head: req.method === 'HEAD', resource, requestId });
      }
    },
  };
}

function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  if (err instanceof XmlParseError) return s3Errors.malformedXml();
  if (err instanceof BodyTooLargeError)
    return new S3Error('MaxMessageLengthExceeded', 400, 'Your request was too big.');
  return new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
}

interface RequestContext {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  resource: string;
  host: string;
}

function parseRequest(req: IncomingMessage): RequestContext {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const host = String(req.headers.host ?? req.headers[':authority'] ?? 'localhost');
  const hostname = host.replace(/:\d+$/, '');
  // Virtual-hosted style: <bucket>.localhost or <bucket>.s3.localhost.localstack.cloud (LocalStack's name).
  const vhost = /^(.+)\.s3\.localhost\.localstack\.cloud$/.exec(hostname) ?? /^(.+)\.localhost$/.exec(hostname);
  const virtual = vhost && vhost[1] !== 's3' ? vhost[1] : undefined;
  const path = url.pathname;
  let bucket: string | undefined;
  let key: string | undefined;
  if (virtual) {
    bucket = virtual;
    key = path.length > 1 ? decodePath(path.slice(1)) : undefined;
  } else {
    const rest = path.slice(1);
    const slash = rest.indexOf('/');
    bucket = decodePath(slash === -1 ? rest : rest.slice(0, slash)) || undefined;
    const rawKey = slash === -1 ? '' : rest.slice(slash + 1);
    key = rawKey ? decodePath(rawKey) : undefined;
  }
  return { bucket, key, query: url.searchParams, resource: path, host };
}

function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw s3Errors.invalidArgument('Invalid URI encoding', 'path', p);
  }
}

async function route(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
): Promise<void> {
  checkPresignedExpiry(ctx.query);
  const method = req.method ?? 'GET';
  const q = ctx.query;
  const { bucket, key } = ctx;
  if (!bucket) {
    if (method === 'GET') return listBuckets(store, res);
    throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
  }
  const unsupported = UNSUPPORTED_SUBRESOURCES.find((s) => q.has(s));
  if (unsupported && !(unsupported === 'versioning' && method === 'GET'))
    throw new S3Error(
      'NotImplemented',
      501,
      `The ${unsupported} sub-resource is not implemented by the Octember S3 emulator`,
    );

  if (key === undefined) {
    switch (method) {
      case 'PUT':
        if (q.has('notification')) return putNotification(store, req, res, bucket);
        return createBucket(store, req, res, bucket);
      case 'HEAD':
        store.headBucket(bucket);
        return send(res, 200, '', { 'x-amz-bucket-region': store.region });
      case 'DELETE':
        await store.deleteBucket(bucket);
        return send(res, 204);
      case 'POST':
        if (q.has('delete')) return deleteObjects(store, req, res, bucket);
        break;
      case 'GET':
        if (q.has('notification'))
          return sendXml(
            res,
            200,
            renderXml('NotificationConfiguration', notificationToXml(store.getNotificationConfiguration(bucket))),
          );
        if (q.has('location')) {
          store.headBucket(bucket);
          const region = store.region === 'us-east-1' ? '' : store.region;
          return sendXml(
            res,
            200,
            `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`,
          );
        }
        if (q.has('versioning')) {
          store.headBucket(bucket);
          return sendXml(res, 200, renderXml('VersioningConfiguration', {}));
        }
        if (q.has('uploads')) return listUploads(store, res, bucket);
        return listObjects(store, res, bucket, q);
    }
  } else {
    switch (method) {
      case 'PUT':
        if (q.has('uploadId')) {
          if (req.headers['x-amz-copy-source'])
            throw new S3Error('NotImplemented', 501, 'UploadPartCopy is not implemented by the Octember S3 emulator');
          return uploadPart(store, req, res, bucket, key, q);
        }
        if (req.headers['x-amz-copy-source']) return copyObject(store, req, res, bucket, key);
        return putObject(store, req, res, bucket, key);
      case 'GET':
      case 'HEAD':
        if (q.has('uploadId') && method === 'GET') return listParts(store, res, bucket, key, q);
        return getObject(store, req, res, bucket, key, q, method === 'HEAD');
      case 'DELETE':
        if (q.has('uploadId')) {
          await store.abortMultipartUpload(bucket, key, q.get('uploadId')!);
          return send(res, 204);
        }
        await store.deleteObject(bucket, key, req.socket?.remoteAddress);
        return send(res, 204);
      case 'POST':
        if (q.has('uploads')) return createMultipart(store, req, res, bucket, key);
        if (q.has('uploadId')) return completeMultipart(store, req, res, ctx, bucket, key, q.get('uploadId')!);
        break;
    }
  }
  throw new S3Error('MethodNotAllowed', 405, 'The specified method is not allowed against this resource.');
}

/** Presigned URLs are accepted without verifying the signature, but an expired one is refused as S3 does. */
function checkPresignedExpiry(q: URLSearchParams): void {
  const date = q.get('X-Amz-Date');
  const expires = q.get('X-Amz-Expires');
  if (!date || !expires) return;
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date);
  if (!m)
    throw new S3Error(
      'AuthorizationQueryParametersError',
      400,
      "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
    );
  const signedAt = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (signedAt + Number(expires) * 1000 < Date.now())
    throw new S3Error('AccessDenied', 403, 'Request has expired', {
      Expires: new Date(signedAt + Number(expires) * 1000).toISOString(),
    });
}

// ---- helpers ----

function send(res: ServerResponse, status: number, body = '', headers: Record<string, string | number> = {}): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function sendXml(res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void {
  send(res, status, xml, { 'content-type': 'application/xml', ...headers });
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function userMetadata(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (name.startsWith('x-amz-meta-') && value !== undefined)
      out[name.slice(11)] = Array.isArray(value) ? value.join(',') : value;
  return out;
}

function storedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    let value = header(headers, name);
    if (name === 'content-encoding' && value)
      value = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && s !== 'aws-chunked')
        .join(',');
    if (value) out[name] = value;
  }
  return out;
}

/** The request's flexible checksum: from an x-amz-checksum-* header, or announced in x-amz-trailer. */
function requestChecksum(
  headers: IncomingHttpHeaders,
  trailers: () => Record<string, string>,
): WriteOptions['checksum'] | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = header(headers, checksumHeaderName(algorithm));
    if (value !== undefined) {
      validateChecksumValue(algorithm, value);
      return { algorithm, expected: () => value };
    }
  }
  const trailer = header(headers, 'x-amz-trailer')?.trim().toLowerCase();
  if (trailer?.startsWith('x-amz-checksum-')) {
    const algorithm = parseChecksumAlgorithm(trailer.slice('x-amz-checksum-'.length));
    if (!algorithm) throw s3Errors.invalidRequest(`The value specified in the x-amz-trailer header is not supported`);
    return {
      algorithm,
      expected: () => {
        const value = trailers()[trailer];
        if (value === undefined)
          throw s3Errors.invalidRequest(`The ${trailer} trailer announced in x-amz-trailer was not sent`);
        validateChecksumValue(algorithm, value);
        return value;
      },
    };
  }
  const sdkAlgorithm = parseChecksumAlgorithm(header(headers, 'x-amz-sdk-checksum-algorithm'));
  return sdkAlgorithm ? { algorithm: sdkAlgorithm, expected: () => undefined } : undefined;
}

const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };
function validateChecksumValue(algorithm: ChecksumAlgorithm, value: string): void {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length !== CHECKSUM_BYTES[algorithm])
    throw s3Errors.invalidRequest(`Value for ${checksumHeaderName(algorithm)} header is invalid.`);
}

/** The object body as the client meant it: aws-chunked framing removed, sizes to verify. */
function requestBody(req: IncomingMessage): {
  body: Readable;
  expectedSize?: number;
  trailers: () => Record<string, string>;
} {
  if (isAwsChunked(req.headers)) {
    const decoder = new AwsChunkedDecoder();
    pipeline(req, decoder).catch((err) => decoder.destroy(err));
    const decoded = header(req.headers, 'x-amz-decoded-content-length');
    return {
      body: decoder,
      expectedSize: decoded !== undefined ? Number(decoded) : undefined,
      trailers: () => decoder.trailers,
    };
  }
  const length = header(req.headers, 'content-length');
  return { body: req, expectedSize: length !== undefined ? Number(length) : undefined, trailers: () => ({}) };
}

function checksumResponseHeaders(meta: { checksum?: ObjectMeta['checksum'] }): Record<string, string> {
  if (!meta.checksum) return {};
  return {
    [checksumHeaderName(meta.checksum.algorithm)]: meta.checksum.value,
    'x-amz-checksum-type': meta.checksum.type,
  };
}

async function readXmlBody(
  req: IncomingMessage,
  limit = 1024 * 1024,
): Promise<{ raw: Buffer; root: ReturnType<typeof parseXml> }> {
  const raw = await readBody(req, limit);
  if (raw.length === 0) throw s3Errors.malformedXml();
  return { raw, root: parseXml(raw.toString('utf8')) };
}

function verifySmallBody(req: IncomingMessage, raw: Buffer): void {
  const md5 = header(req.headers, 'content-md5');
  if (md5 !== undefined && checksumOf('MD5', raw).toString('base64') !== md5) throw s3Errors.badDigest('Content-MD5');
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = header(req.headers, checksumHeaderName(algorithm));
    if (value === undefined) continue;
    validateChecksumValue(algorithm, value);
    if (checksumOf(algorithm, raw).toString('base64') !== value) throw s3Errors.badDigest(algorithm);
  }
}

// ---- buckets ----

function listBuckets(store: S3ObjectStore, res: ServerResponse): void {
  sendXml(
    res,
    200,
    renderXml('ListAllMyBucketsResult', {
      Owner: OWNER,
      Buckets: { Bucket: store.listBuckets().map((b) => ({ Name: b.name, CreationDate: b.creationDate })) },
    }),
  );
}

async function createBucket(
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

async function putNotification(
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

function listObjects(store: S3ObjectStore, res: ServerResponse, bucket: string, q: URLSearchParams): void {
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

async function deleteObjects(
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

// ---- objects ----

async function putObject(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  key: string,
): Promise<void> {
  store.headBucket(bucket);
  const { body, expectedSize, trailers } = requestBody(req);
  const meta = await store.writeObject(bucket, key, body, {
    contentType: header(req.headers, 'content-type'),
    metadata: userMetadata(req.headers),
    headers: storedHeaders(req.headers),
    contentMd5: header(req.headers, 'content-md5'),
    checksum: requestChecksum(req.headers, trailers),
    expectedSize,
    sourceIp: req.socket?.remoteAddress,
  });
  send(res, 200, '', { etag: meta.etag, ...checksumResponseHeaders(meta) });
}

function parseCopySource(value: string): { bucket: string; key: string } {
  const withoutVersion = value.split('?')[0];
  const decoded = decodePath(withoutVersion.replace(/^\//, ''));
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1)
    throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1) };
}

async function copyObject(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  key: string,
): Promise<void> {
  const source = parseCopySource(header(req.headers, 'x-amz-copy-source')!);
  store.headBucket(source.bucket);
  store.headBucket(bucket);
  const directive = (header(req.headers, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE')
    throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  if (source.bucket === bucket && source.key === key && directive === 'COPY')
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  const srcMeta = store.headObject(source.bucket, source.key);
  if (!srcMeta) throw s3Errors.noSuchKey(source.key);
  const ifMatch = header(req.headers, 'x-amz-copy-source-if-match');
  if (ifMatch && !etagMatches(ifMatch, srcMeta.etag))
    throw new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'x-amz-copy-source-If-Match',
    });
  const meta = await store.copyObject(
    source,
    { bucket, key },
    directive === 'REPLACE'
      ? {
          contentType: header(req.headers, 'content-type'),
          metadata: userMetadata(req.headers),
          headers: storedHeaders(req.headers),
        }
      : undefined,
    parseChecksumAlgorithm(header(req.headers, 'x-amz-checksum-algorithm')),
  );
  const checksum = meta.checksum
    ? { [`Checksum${meta.checksum.algorithm}`]: meta.checksum.value, ChecksumType: meta.checksum.type }
    : {};
  sendXml(res, 200, renderXml('CopyObjectResult', { LastModified: meta.lastModified, ETag: meta.etag, ...checksum }));
}

function etagMatches(condition: string, etag: string): boolean {
  return condition
    .split(',')
    .map((s) => s.trim())
    .some((c) => c === '*' || c.replace(/^W\//, '').replace(/"/g, '') === etag.replace(/"/g, ''));
}

function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!value) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // malformed or multi-range: S3 ignores it
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  if (end < start) return undefined;
  return { start, end };
}

async function getObject(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  key: string,
  q: URLSearchParams,
  head: boolean,
): Promise<void> {
  const meta = store.headObject(bucket, key);
  if (!meta) throw s3Errors.noSuchKey(key);
  const lastModified = new Date(meta.lastModified);
  const lastModifiedSeconds = Math.floor(lastModified.getTime() / 1000);
  const common: Record<string, string | number> = {
    etag: meta.etag,
    'last-modified': lastModified.toUTCString(),
  };
  const ifMatch = header(req.headers, 'if-match');
  const ifNoneMatch = header(req.headers, 'if-none-match');
  const ifModifiedSince = header(req.headers, 'if-modified-since');
  const ifUnmodifiedSince = header(req.headers, 'if-unmodified-since');
  if (ifMatch && !etagMatches(ifMatch, meta.etag))
    throw new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-Match',
    });
  if (!ifMatch && ifUnmodifiedSince && lastModifiedSeconds > Date.parse(ifUnmodifiedSince) / 1000)
    throw new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-Unmodified-Since',
    });
  if (
    (ifNoneMatch && etagMatches(ifNoneMatch, meta.etag)) ||
    (!ifNoneMatch && ifModifiedSince && lastModifiedSeconds <= Date.parse(ifModifiedSince) / 1000)
  ) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const range = parseRange(header(req.headers, 'range'), meta.size);
  if (range === 'unsatisfiable') {
    res.setHeader('content-range', `bytes */${meta.size}`);
    throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
      RangeRequested: header(req.headers, 'range') ?? '',
      ActualObjectSize: String(meta.size),
    });
  }
  const headers: Record<string, string | number> = {
    ...common,
    'content-type': meta.contentType ?? 'binary/octet-stream',
    'accept-ranges': 'bytes',
    ...meta.headers,
  };
  for (const [name, value] of Object.entries(meta.metadata)) headers[`x-amz-meta-${name}`] = value;
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const v = q.get(param);
    if (v !== null) headers[name] = v;
  }
  if (meta.parts) headers['x-amz-mp-parts-count'] = meta.parts;
  // A full-object checksum only describes the full body; S3 omits it for ranged reads.
  if (!range && header(req.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED')
    Object.assign(headers, checksumResponseHeaders(meta));
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
    headers['content-length'] = range.end - range.start + 1;
  } else headers['content-length'] = meta.size;
  const status = range ? 206 : 200;
  if (head) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const opened = await store.openObject(bucket, key, range);
  if (!opened) throw s3Errors.noSuchKey(key);
  if (opened.meta !== meta) {
    // Overwritten between the header lookup and the open: serve the version we opened, consistently.
    opened.stream.destroy();
    return getObject(store, req, res, bucket, key, q, head);
  }
  res.writeHead(status, headers);
  await pipeline(opened.stream, res).catch((err) => {
    logger.debug({ err, bucket, key }, 's3 GetObject stream ended early');
  });
}

// ---- multipart ----

async function createMultipart(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  key: string,
): Promise<void> {
  await readBody(req, 64 * 1024);
  const algorithmHeader = header(req.headers, 'x-amz-checksum-algorithm');
  const checksumAlgorithm = parseChecksumAlgorithm(algorithmHeader);
  if (algorithmHeader && !checksumAlgorithm)
    throw s3Errors.invalidRequest(
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  const typeHeader = header(req.headers, 'x-amz-checksum-type')?.toUpperCase();
  if (typeHeader && typeHeader !== 'FULL_OBJECT' && typeHeader !== 'COMPOSITE')
    throw s3Errors.invalidRequest('Value for x-amz-checksum-type header is invalid.');
  const checksumType = checksumAlgorithm
    ? ((typeHeader as 'FULL_OBJECT' | 'COMPOSITE' | undefined) ??
      (checksumAlgorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE'))
    : undefined;
  if (checksumType === 'FULL_OBJECT' && (checksumAlgorithm === 'SHA1' || checksumAlgorithm === 'SHA256'))
    throw s3Errors.invalidRequest(
      `The FULL_OBJECT checksum type cannot be used with the ${checksumAlgorithm} checksum algorithm.`,
    );
  const upload = await store.createMultipartUpload(bucket, key, {
    contentType: header(req.headers, 'content-type'),
    metadata: userMetadata(req.headers),
    headers: storedHeaders(req.headers),
    checksumAlgorithm,
    checksumType,
  });
  const extra: Record<string, string> = checksumAlgorithm
    ? { 'x-amz-checksum-algorithm': checksumAlgorithm, 'x-amz-checksum-type': checksumType! }
    : {};
  sendXml(
    res,
    200,
    renderXml('InitiateMultipartUploadResult', { Bucket: bucket, Key: key, UploadId: upload.uploadId }),
    extra,
  );
}

async function uploadPart(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  bucket: string,
  key: string,
  q: URLSearchParams,
): Promise<void> {
  const uploadId = q.get('uploadId')!;
  const upload = store.getUpload(bucket, key, uploadId);
  const partNumber = Number(q.get('partNumber'));
  const { body, expectedSize, trailers } = requestBody(req);
  const checksum = requestChecksum(req.headers, trailers);
  const part = await store.uploadPart(bucket, key, uploadId, partNumber, body, {
    contentMd5: header(req.headers, 'content-md5'),
    checksum,
    expectedSize,
  });
  const algorithm = checksum?.algorithm ?? upload.checksumAlgorithm;
  send(res, 200, '', {
    etag: part.etag,
    ...(algorithm && part.checksum ? { [checksumHeaderName(algorithm)]: part.checksum } : {}),
  });
}

async function completeMultipart(
  store: S3ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  bucket: string,
  key: string,
  uploadId: string,
): Promise<void> {
  const upload = store.getUpload(bucket, key, uploadId);
  const { root } = await readXmlBody(req);
  if (root.name !== 'CompleteMultipartUpload') throw s3Errors.malformedXml();
  const parts = childrenNamed(root, 'Part').map((p) => {
    const partNumber = Number(childText(p, 'PartNumber'));
    if (!Number.isInteger(partNumber)) throw s3Errors.malformedXml();
    const checksum = upload.checksumAlgorithm ? childText(p, `Checksum${upload.checksumAlgorithm}`) : undefined;
    return { partNumber, etag: childText(p, 'ETag'), checksum };
  });
  const meta = await store.completeMultipartUpload(bucket, key, uploadId, parts, req.socket?.remoteAddress);
  if (meta.checksum?.type === 'FULL_OBJECT') {
    const claimed = header(req.headers, checksumHeaderName(meta.checksum.algorithm));
    if (claimed && claimed !== meta.checksum.value)
      logger.warn({ bucket, key }, 'multipart full-object checksum mismatch');
  }
  const checksum = meta.checksum
    ? { [`Checksum${meta.checksum.algorithm}`]: meta.checksum.value, ChecksumType: meta.checksum.type }
    : {};
  sendXml(
    res,
    200,
    renderXml('CompleteMultipartUploadResult', {
      Location: `http://${ctx.host}/${bucket}/${encodeURI(key)}`,
      Bucket: bucket,
      Key: key,
      ETag: meta.etag,
      ...checksum,
    }),
    checksumResponseHeaders(meta),
  );
}

async function listParts(
  store: S3ObjectStore,
  res: ServerResponse,
  bucket: string,
  key: string,
  q: URLSearchParams,
): Promise<void> {
  const uploadId = q.get('uploadId')!;
  const upload = store.getUpload(bucket, key, uploadId);
  const marker = Number(q.get('part-number-marker') ?? 0);
  const maxParts = Math.min(Number(q.get('max-parts') ?? 1000), 1000);
  const all = (await store.listParts(bucket, key, uploadId)).filter((p) => p.partNumber > marker);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  sendXml(
    res,
    200,
    renderXml('ListPartsResult', {
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : undefined,
      MaxParts: maxParts,
      IsTruncated: truncated,
      ChecksumAlgorithm: upload.checksumAlgorithm,
      ChecksumType: upload.checksumType,
      Initiator: OWNER,
      Owner: OWNER,
      StorageClass: 'STANDARD',
      Part: page.map((p) => ({
        PartNumber: p.partNumber,
        LastModified: p.lastModified,
        ETag: p.etag,
        Size: p.size,
        ...(upload.checksumAlgorithm && p.checksum ? { [`Checksum${upload.checksumAlgorithm}`]: p.checksum } : {}),
      })),
    }),
  );
}

function listUploads(store: S3ObjectStore, res: ServerResponse, bucket: string): void {
  const uploads = store.listUploads(bucket);
  sendXml(
    res,
    200,
    renderXml('ListMultipartUploadsResult', {
      Bucket: bucket,
      KeyMarker: '',
      UploadIdMarker: '',
      MaxUploads: 1000,
      IsTruncated: false,
      Upload: uploads.map((u) => ({
        Key: u.key,
        UploadId: u.uploadId,
        Initiator: OWNER,
        Owner: OWNER,
        StorageClass: 'STANDARD',
        Initiated: u.initiated,
        ChecksumAlgorithm: u.checksumAlgorithm,
      })),
    }),
  );
}
