import { pipeline } from 'node:stream/promises';
import { logger } from '../../lib/logger.js';
import { escapeXml } from '../../lib/xml-text.js';
import { authorize, isAllowed } from './access.js';
import { aclFromHeaders } from './acl.js';
import { aclsDisabled, checkAclAllowed } from './bucket-config-operations.js';
import { targetBucket } from './bucket-operations.js';
import { CHECKSUM_ALGORITHMS, checksumHeaderName, parseChecksumAlgorithm } from './checksums.js';
import { requesterId, type S3Context } from './context.js';
import { S3Error, s3Errors, toS3Error } from './errors.js';
import {
  checksumResponseHeaders,
  header,
  readXmlBody,
  requestBody,
  requestChecksum,
  send,
  sendXml,
  storedHeaders,
  userMetadata,
} from './http-io.js';
import { LIMITS } from './limits.js';
import type { BucketInfo, ObjectVersion } from './model.js';
import { checkVersionRemovable, requestedLock } from './object-lock.js';
import type { VersionFields, WriteOptions } from './object-store.js';
import { tagsFromHeader } from './tagging.js';
import { child, childrenNamed, childText, renderXml } from './xml.js';

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};
const STORAGE_CLASSES = [
  'STANDARD',
  'REDUCED_REDUNDANCY',
  'STANDARD_IA',
  'ONEZONE_IA',
  'INTELLIGENT_TIERING',
  'GLACIER',
  'DEEP_ARCHIVE',
  'GLACIER_IR',
  'OUTPOSTS',
  'SNOW',
  'EXPRESS_ONEZONE',
];

/** The version id of the request (`versionId`), `null` included. */
export function requestedVersionId(ctx: S3Context): string | undefined {
  const v = ctx.query.get('versionId');
  if (v === null) return undefined;
  if (v === '') throw s3Errors.invalidArgument('Version id cannot be the empty string', 'versionId', '');
  return v;
}

export function versionHeaders(bucket: BucketInfo, v: ObjectVersion): Record<string, string> {
  return bucket.versioning === 'Enabled' || v.versionId !== 'null' ? { 'x-amz-version-id': v.versionId } : {};
}

/**
 * The object version a read addresses, with S3's answers when there is none: 403 when the requester may not list
 * the bucket (so absence is not disclosed), NoSuchKey / NoSuchVersion, and the delete-marker forms.
 */
export function readableVersion(ctx: S3Context, bucket: BucketInfo, action: string): ObjectVersion {
  const key = ctx.key!;
  const versionId = requestedVersionId(ctx);
  const v = ctx.store.getVersion(bucket.name, key, versionId);
  if (!v || (v.deleteMarker && versionId === undefined)) {
    // Absence is disclosed only to who may list the bucket (the key as prefix), as S3 does.
    if (!isAllowed(ctx, 's3:ListBucket', { bucket, context: { 's3:prefix': [key] } })) throw s3Errors.accessDenied();
    if (v?.deleteMarker)
      throw new S3Error(
        'NoSuchKey',
        404,
        'The specified key does not exist.',
        { Key: key },
        {
          'x-amz-delete-marker': 'true',
          ...versionHeaders(bucket, v),
        },
      );
    if (versionId !== undefined) {
      if (versionId !== 'null' && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId))
        throw s3Errors.invalidArgument('Invalid version id specified', 'versionId', versionId);
      throw s3Errors.noSuchVersion(key, versionId);
    }
    throw new S3Error(
      'NoSuchKey',
      404,
      'The specified key does not exist.',
      { Key: key },
      { 'x-amz-delete-marker': 'false' },
    );
  }
  authorize(ctx, action, { bucket, key, object: v, context: existingTagContext(v) });
  if (v.deleteMarker)
    throw new S3Error(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      {
        Method: ctx.req.method ?? 'GET',
        ResourceType: 'DeleteMarker',
      },
      {
        'x-amz-delete-marker': 'true',
        'x-amz-version-id': v.versionId,
        allow: 'DELETE',
        'last-modified': new Date(v.lastModified).toUTCString(),
      },
    );
  return v;
}

/**
 * The owner and ACL of a new object: BucketOwnerEnforced makes the bucket owner own everything and refuses ACLs;
 * BucketOwnerPreferred hands objects written with bucket-owner-full-control to the bucket owner.
 */
export function newObjectFields(ctx: S3Context, bucket: BucketInfo): VersionFields {
  const writer = requesterId(ctx);
  const canned = header(ctx.req.headers, 'x-amz-acl');
  const owner =
    bucket.ownership === 'BucketOwnerEnforced' ||
    (bucket.ownership === 'BucketOwnerPreferred' && canned === 'bucket-owner-full-control')
      ? bucket.owner
      : writer;
  const acl = aclFromHeaders(ctx.req.headers, owner, bucket.owner, ctx.accounts);
  if (acl && bucket.ownership === 'BucketOwnerEnforced' && acl.canned !== 'bucket-owner-full-control')
    throw aclsDisabled();
  if (acl) checkAclAllowed(bucket, acl.grants, owner);
  const storageClass = header(ctx.req.headers, 'x-amz-storage-class');
  if (storageClass !== undefined && !STORAGE_CLASSES.includes(storageClass))
    throw new S3Error('InvalidStorageClass', 400, 'The storage class you specified is not valid', {
      StorageClassRequested: storageClass,
    });
  return {
    owner,
    acl: bucket.ownership === 'BucketOwnerEnforced' ? undefined : acl?.grants,
    tags: tagsFromHeader(header(ctx.req.headers, 'x-amz-tagging')),
    storageClass: storageClass === 'STANDARD' ? undefined : storageClass,
    ...requestedLock(ctx, bucket),
  };
}

function tagContext(tags: VersionFields['tags']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of tags ?? []) out[`s3:requestobjecttag/${t.Key.toLowerCase()}`] = [t.Value];
  if (tags) out['s3:requestobjecttagkeys'] = tags.map((t) => t.Key);
  return out;
}

export function existingTagContext(v: ObjectVersion | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of v?.tags ?? []) out[`s3:existingobjecttag/${t.Key.toLowerCase()}`] = [t.Value];
  return out;
}

/** If-Match / If-None-Match on a write, checked under the key's lock against the version being replaced. */
export function writePrecondition(ctx: S3Context): WriteOptions['precondition'] {
  const ifMatch = header(ctx.req.headers, 'if-match');
  const ifNoneMatch = header(ctx.req.headers, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return undefined;
  return (current) => {
    if (ifMatch !== undefined) {
      if (!current) throw s3Errors.noSuchKey(ctx.key!);
      if (!etagMatches(ifMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match');
    }
    if (ifNoneMatch !== undefined && current && etagMatches(ifNoneMatch, current.etag))
      throw s3Errors.preconditionFailed('If-None-Match');
  };
}

export async function putObject(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  const fields = newObjectFields(ctx, bucket);
  authorize(ctx, 's3:PutObject', { bucket, key: ctx.key, context: tagContext(fields.tags) });
  const { body, expectedSize, trailers } = requestBody(ctx.req, ctx.auth.streaming);
  if (expectedSize !== undefined && expectedSize > LIMITS.maxObjectSize)
    throw s3Errors.entityTooLarge(expectedSize, LIMITS.maxObjectSize);
  const meta = await ctx.store.writeObject(bucket.name, ctx.key!, body, {
    ...fields,
    contentType: header(ctx.req.headers, 'content-type'),
    metadata: userMetadata(ctx.req.headers),
    headers: storedHeaders(ctx.req.headers),
    contentMd5: header(ctx.req.headers, 'content-md5'),
    checksum: requestChecksum(ctx.req.headers, trailers),
    expectedSize,
    payloadSha256: ctx.auth.payloadSha256,
    sourceIp: ctx.req.socket?.remoteAddress,
    precondition: writePrecondition(ctx),
  });
  send(ctx.res, 200, '', {
    etag: meta.etag,
    ...checksumResponseHeaders(meta),
    ...versionHeaders(ctx.store.headBucket(bucket.name), meta),
  });
}

/** x-amz-copy-source: `bucket/key[?versionId=...]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  const q = value.indexOf('?');
  const path = q === -1 ? value : value.slice(0, q);
  const versionId = q === -1 ? undefined : (new URLSearchParams(value.slice(q + 1)).get('versionId') ?? undefined);
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw s3Errors.invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', value);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1)
    throw s3Errors.invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

/** The source version of a copy, readable by the requester, its x-amz-copy-source-if-* conditions checked. */
export function copySourceVersion(ctx: S3Context): ObjectVersion & { bucket: string } {
  const source = parseCopySource(header(ctx.req.headers, 'x-amz-copy-source')!);
  const srcBucket = ctx.store.headBucket(source.bucket);
  const v = ctx.store.getVersion(source.bucket, source.key, source.versionId);
  if (!v || v.deleteMarker) {
    if (
      !isAllowed(ctx, source.versionId ? 's3:GetObjectVersion' : 's3:GetObject', { bucket: srcBucket, key: source.key })
    )
      throw s3Errors.accessDenied();
    if (source.versionId && !v) throw s3Errors.noSuchVersion(source.key, source.versionId);
    if (v?.deleteMarker && source.versionId)
      throw s3Errors.invalidRequest(
        'The source of a copy request may not specifically refer to a delete marker by version id.',
      );
    throw s3Errors.noSuchKey(source.key);
  }
  authorize(ctx, source.versionId ? 's3:GetObjectVersion' : 's3:GetObject', {
    bucket: srcBucket,
    key: source.key,
    object: v,
  });
  const h = ctx.req.headers;
  const seconds = Math.floor(Date.parse(v.lastModified) / 1000);
  const ifMatch = header(h, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(h, 'x-amz-copy-source-if-none-match');
  const ifUnmodified = header(h, 'x-amz-copy-source-if-unmodified-since');
  const ifModified = header(h, 'x-amz-copy-source-if-modified-since');
  if (ifMatch && !etagMatches(ifMatch, v.etag)) throw s3Errors.preconditionFailed('x-amz-copy-source-If-Match');
  if (!ifMatch && ifUnmodified && seconds > Date.parse(ifUnmodified) / 1000)
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  if (ifNoneMatch && etagMatches(ifNoneMatch, v.etag))
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
  if (!ifNoneMatch && ifModified && seconds <= Date.parse(ifModified) / 1000)
    throw s3Errors.preconditionFailed('x-amz-copy-source-If-Modified-Since');
  return { ...v, bucket: source.bucket };
}

export async function copyObject(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  const key = ctx.key!;
  const h = ctx.req.headers;
  const directive = (header(h, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE')
    throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  const taggingDirective = (header(h, 'x-amz-tagging-directive') ?? 'COPY').toUpperCase();
  if (taggingDirective !== 'COPY' && taggingDirective !== 'REPLACE')
    throw s3Errors.invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', taggingDirective);
  const src = copySourceVersion(ctx);
  const fields = newObjectFields(ctx, bucket);
  authorize(ctx, 's3:PutObject', { bucket, key, context: tagContext(fields.tags) });
  if (
    src.bucket === bucket.name &&
    src.key === key &&
    directive === 'COPY' &&
    !header(h, 'x-amz-storage-class') &&
    !header(h, 'x-amz-server-side-encryption') &&
    !header(h, 'x-amz-website-redirect-location') &&
    (src.versionId === ctx.store.getVersion(bucket.name, key)?.versionId || !bucket.versioning)
  )
    throw s3Errors.invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  const meta = await ctx.store.copyObject(
    src,
    { bucket: bucket.name, key },
    {
      ...fields,
      ...(directive === 'REPLACE'
        ? { contentType: header(h, 'content-type'), metadata: userMetadata(h), headers: storedHeaders(h) }
        : { contentType: src.contentType, metadata: { ...src.metadata }, headers: { ...src.headers } }),
      tags: taggingDirective === 'REPLACE' ? fields.tags : src.tags,
    },
    parseChecksumAlgorithm(header(h, 'x-amz-checksum-algorithm')),
    writePrecondition(ctx),
  );
  const checksum = meta.checksum
    ? { [`Checksum${meta.checksum.algorithm}`]: meta.checksum.value, ChecksumType: meta.checksum.type }
    : {};
  sendXml(
    ctx.res,
    200,
    renderXml('CopyObjectResult', { LastModified: meta.lastModified, ETag: meta.etag, ...checksum }),
    {
      ...versionHeaders(ctx.store.headBucket(bucket.name), meta),
      ...(src.versionId !== 'null' ? { 'x-amz-copy-source-version-id': src.versionId } : {}),
    },
  );
}

export function etagMatches(condition: string, etag: string): boolean {
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

/** The byte range of part N of a multipart object (part 1 of a plain object is all of it). */
function partRange(v: ObjectVersion, partNumber: number): { start: number; end: number } {
  const parts = v.partList ?? [{ partNumber: 1, size: v.size }];
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > parts.length)
    throw new S3Error('InvalidPart', 400, 'The requested partnumber is not satisfiable', {
      PartNumberRequested: String(partNumber),
      ActualPartCount: String(parts.length),
    });
  let start = 0;
  for (const p of parts.slice(0, partNumber - 1)) start += p.size;
  return { start, end: start + parts[partNumber - 1].size - 1 };
}

export async function getObject(ctx: S3Context): Promise<void> {
  const head = ctx.req.method === 'HEAD';
  const bucket = targetBucket(ctx);
  const versionId = requestedVersionId(ctx);
  const meta = readableVersion(ctx, bucket, versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject');
  const h = ctx.req.headers;
  const lastModified = new Date(meta.lastModified);
  const lastModifiedSeconds = Math.floor(lastModified.getTime() / 1000);
  const common: Record<string, string | number> = {
    etag: meta.etag,
    'last-modified': lastModified.toUTCString(),
    ...versionHeaders(bucket, meta),
  };
  const ifMatch = header(h, 'if-match');
  const ifNoneMatch = header(h, 'if-none-match');
  const ifModifiedSince = header(h, 'if-modified-since');
  const ifUnmodifiedSince = header(h, 'if-unmodified-since');
  if (ifMatch && !etagMatches(ifMatch, meta.etag)) throw s3Errors.preconditionFailed('If-Match');
  if (!ifMatch && ifUnmodifiedSince && lastModifiedSeconds > Date.parse(ifUnmodifiedSince) / 1000)
    throw s3Errors.preconditionFailed('If-Unmodified-Since');
  if (
    (ifNoneMatch && etagMatches(ifNoneMatch, meta.etag)) ||
    (!ifNoneMatch && ifModifiedSince && lastModifiedSeconds <= Date.parse(ifModifiedSince) / 1000)
  ) {
    ctx.res.writeHead(304, common);
    ctx.res.end();
    return;
  }
  const partNumberText = ctx.query.get('partNumber');
  const rangeHeader = header(h, 'range');
  if (partNumberText !== null && rangeHeader)
    throw s3Errors.invalidRequest('Cannot specify both Range header and partNumber query parameter');
  const range = partNumberText !== null ? partRange(meta, Number(partNumberText)) : parseRange(rangeHeader, meta.size);
  if (range === 'unsatisfiable') {
    ctx.res.setHeader('content-range', `bytes */${meta.size}`);
    throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
      RangeRequested: rangeHeader ?? '',
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
    const v = ctx.query.get(param);
    if (v !== null) headers[name] = v;
  }
  if (meta.parts && partNumberText !== null) headers['x-amz-mp-parts-count'] = meta.parts;
  else if (meta.parts && partNumberText === null && !rangeHeader) headers['x-amz-mp-parts-count'] = meta.parts;
  if (meta.tags?.length) headers['x-amz-tagging-count'] = meta.tags.length;
  if (meta.storageClass) headers['x-amz-storage-class'] = meta.storageClass;
  if (meta.retention) {
    headers['x-amz-object-lock-mode'] = meta.retention.mode;
    headers['x-amz-object-lock-retain-until-date'] = meta.retention.retainUntil;
  }
  if (meta.legalHold !== undefined) headers['x-amz-object-lock-legal-hold'] = meta.legalHold ? 'ON' : 'OFF';
  // A full-object checksum only describes the full body; S3 omits it for ranged reads.
  if (!range && header(h, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED')
    Object.assign(headers, checksumResponseHeaders(meta));
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${meta.size}`;
    headers['content-length'] = range.end - range.start + 1;
  } else headers['content-length'] = meta.size;
  const status = range && partNumberText === null ? 206 : range && meta.partList ? 206 : 200;
  if (head) {
    ctx.res.writeHead(status, headers);
    ctx.res.end();
    return;
  }
  const opened = await ctx.store.openObject(bucket.name, ctx.key!, range, meta.versionId);
  if (!opened) throw s3Errors.noSuchKey(ctx.key!);
  if (opened.meta !== meta) {
    // Overwritten between the look-up and the open: serve the version we opened, consistently.
    opened.stream.destroy();
    return getObject(ctx);
  }
  ctx.res.writeHead(status, headers);
  await pipeline(opened.stream, ctx.res).catch((err) => {
    logger.debug({ err, bucket: bucket.name, key: ctx.key }, 's3 GetObject stream ended early');
  });
}

/** One DeleteObject, as DeleteObject and DeleteObjects both need it. */
async function deleteOne(
  ctx: S3Context,
  bucket: BucketInfo,
  key: string,
  versionId: string | undefined,
): Promise<{ deleteMarker: boolean; versionId?: string }> {
  const current = ctx.store.getVersion(bucket.name, key, versionId);
  authorize(ctx, versionId !== undefined ? 's3:DeleteObjectVersion' : 's3:DeleteObject', {
    bucket,
    key,
    object: current?.deleteMarker ? undefined : current,
    context: existingTagContext(current),
  });
  return ctx.store.deleteObject(bucket.name, key, {
    versionId,
    sourceIp: ctx.req.socket?.remoteAddress,
    owner: requesterId(ctx),
    // Only removing a version for good can break a lock: a delete marker leaves every version in place.
    check: (v) => {
      if (versionId !== undefined || !bucket.versioning) checkVersionRemovable(ctx, bucket, v);
    },
  });
}

export async function deleteObject(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  const key = ctx.key!;
  const ifMatch = header(ctx.req.headers, 'if-match');
  if (ifMatch !== undefined) {
    const current = ctx.store.headObject(bucket.name, key);
    if (!current) throw s3Errors.noSuchKey(key);
    if (!etagMatches(ifMatch, current.etag)) throw s3Errors.preconditionFailed('If-Match');
  }
  const result = await deleteOne(ctx, bucket, key, requestedVersionId(ctx));
  const headers: Record<string, string> = {};
  if (result.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (result.versionId && (bucket.versioning || result.versionId !== 'null'))
    headers['x-amz-version-id'] = result.versionId;
  send(ctx.res, 204, '', headers);
}

export async function deleteObjects(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  const h = ctx.req.headers;
  if (
    !header(h, 'content-md5') &&
    !CHECKSUM_ALGORITHMS.some((a) => h[checksumHeaderName(a)]) &&
    !header(h, 'x-amz-sdk-checksum-algorithm')
  )
    throw s3Errors.invalidRequest('Missing required header for this request: Content-MD5 OR x-amz-checksum-*');
  const { root } = await readXmlBody(ctx, 2 * 1024 * 1024);
  if (root.name !== 'Delete') throw s3Errors.malformedXml();
  const objects = childrenNamed(root, 'Object');
  if (objects.length === 0 || objects.length > LIMITS.maxDeleteObjects) throw s3Errors.malformedXml();
  const quiet = childText(root, 'Quiet') === 'true';
  const out: string[] = [];
  for (const o of objects) {
    const keyEl = child(o, 'Key');
    if (!keyEl) throw s3Errors.malformedXml();
    const key = keyEl.text;
    const versionId = childText(o, 'VersionId');
    try {
      const r = await deleteOne(ctx, bucket, key, versionId);
      if (!quiet)
        out.push(
          `<Deleted><Key>${escapeXml(key)}</Key>${versionId !== undefined ? `<VersionId>${escapeXml(versionId)}</VersionId>` : ''}${
            r.deleteMarker
              ? `<DeleteMarker>true</DeleteMarker>${r.versionId ? `<DeleteMarkerVersionId>${r.versionId}</DeleteMarkerVersionId>` : ''}`
              : ''
          }</Deleted>`,
        );
    } catch (err) {
      const e = toS3Error(err);
      if (e.status >= 500) logger.error({ err, bucket: bucket.name, key }, 's3 DeleteObjects entry failed');
      out.push(
        `<Error><Key>${escapeXml(key)}</Key>${versionId !== undefined ? `<VersionId>${escapeXml(versionId)}</VersionId>` : ''}<Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error>`,
      );
    }
  }
  sendXml(
    ctx.res,
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${out.join('')}</DeleteResult>`,
  );
}
