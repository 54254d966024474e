import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { logger } from '../../lib/logger.js';
import { parseChecksumAlgorithm } from './checksums.js';
import { S3Error, s3Errors } from './errors.js';
import {
  checksumResponseHeaders,
  decodePath,
  header,
  requestBody,
  requestChecksum,
  send,
  sendXml,
  storedHeaders,
  userMetadata,
} from './http-io.js';
import type { S3ObjectStore } from './object-store.js';
import { renderXml } from './xml.js';

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

export async function putObject(
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

export async function copyObject(
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

export async function getObject(
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
