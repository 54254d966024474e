import { authorize } from './access.js';
import { targetBucket } from './bucket-operations.js';
import { checksumHeaderName, parseChecksumAlgorithm } from './checksums.js';
import { ownerXml, type S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import {
  checksumResponseHeaders,
  header,
  readSmallBody,
  readXmlBody,
  requestBody,
  requestChecksum,
  send,
  sendXml,
  storedHeaders,
  userMetadata,
} from './http-io.js';
import { LIMITS } from './limits.js';
import { checkPartNumber } from './multipart-store.js';
import { copySourceVersion, newObjectFields, versionHeaders, writePrecondition } from './object-operations.js';
import { childrenNamed, childText, renderXml } from './xml.js';

export async function createMultipartUpload(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  const fields = newObjectFields(ctx, bucket);
  authorize(ctx, 's3:PutObject', { bucket, key: ctx.key });
  await readSmallBody(ctx, 64 * 1024);
  const algorithmHeader = header(ctx.req.headers, 'x-amz-checksum-algorithm');
  const checksumAlgorithm = parseChecksumAlgorithm(algorithmHeader);
  if (algorithmHeader && !checksumAlgorithm)
    throw s3Errors.invalidRequest(
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  const typeHeader = header(ctx.req.headers, 'x-amz-checksum-type')?.toUpperCase();
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
  const upload = await ctx.store.createMultipartUpload(bucket.name, ctx.key!, {
    ...fields,
    owner: fields.owner,
    metadata: userMetadata(ctx.req.headers),
    headers: storedHeaders(ctx.req.headers),
    contentType: header(ctx.req.headers, 'content-type'),
    checksumAlgorithm,
    checksumType,
  });
  const extra: Record<string, string> = checksumAlgorithm
    ? { 'x-amz-checksum-algorithm': checksumAlgorithm, 'x-amz-checksum-type': checksumType! }
    : {};
  sendXml(
    ctx.res,
    200,
    renderXml('InitiateMultipartUploadResult', { Bucket: bucket.name, Key: ctx.key, UploadId: upload.uploadId }),
    extra,
  );
}

function uploadOf(ctx: S3Context) {
  const uploadId = ctx.query.get('uploadId');
  if (!uploadId) throw s3Errors.invalidArgument('This operation requires an uploadId', 'uploadId', '');
  return ctx.store.getUpload(ctx.bucket!, ctx.key!, uploadId);
}

export async function uploadPart(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutObject', { bucket, key: ctx.key });
  const upload = uploadOf(ctx);
  const partNumber = Number(ctx.query.get('partNumber'));
  checkPartNumber(partNumber);
  const { body, expectedSize, trailers } = requestBody(ctx.req, ctx.auth.streaming);
  if (expectedSize !== undefined && expectedSize > LIMITS.maxPartSize)
    throw s3Errors.entityTooLarge(expectedSize, LIMITS.maxPartSize);
  const checksum = requestChecksum(ctx.req.headers, trailers);
  const part = await ctx.store.uploadPart(bucket.name, ctx.key!, upload.uploadId, partNumber, body, {
    contentMd5: header(ctx.req.headers, 'content-md5'),
    checksum,
    expectedSize,
    payloadSha256: ctx.auth.payloadSha256,
  });
  const algorithm = checksum?.algorithm ?? upload.checksumAlgorithm;
  send(ctx.res, 200, '', {
    etag: part.etag,
    ...(algorithm && part.checksum ? { [checksumHeaderName(algorithm)]: part.checksum } : {}),
  });
}

/** UploadPartCopy: a part whose bytes are (a range of) an existing object. */
export async function uploadPartCopy(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutObject', { bucket, key: ctx.key });
  const upload = uploadOf(ctx);
  const partNumber = Number(ctx.query.get('partNumber'));
  checkPartNumber(partNumber);
  const src = copySourceVersion(ctx);
  const rangeHeader = header(ctx.req.headers, 'x-amz-copy-source-range');
  let range: { start: number; end: number } | undefined;
  if (rangeHeader !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
    if (!m || Number(m[1]) > Number(m[2]))
      throw s3Errors.invalidArgument(
        'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
        'x-amz-copy-source-range',
        rangeHeader,
      );
    range = { start: Number(m[1]), end: Number(m[2]) };
    if (range.end >= src.size)
      throw new S3Error('InvalidRange', 416, 'The requested range is not satisfiable', {
        RangeRequested: rangeHeader,
        ActualObjectSize: String(src.size),
      });
  }
  const size = range ? range.end - range.start + 1 : src.size;
  if (size > LIMITS.maxPartSize) throw s3Errors.entityTooLarge(size, LIMITS.maxPartSize);
  const body = await ctx.store.copyRangeToTemp(src, range);
  const part = await ctx.store.uploadPart(bucket.name, ctx.key!, upload.uploadId, partNumber, body, {});
  const algorithm = upload.checksumAlgorithm;
  sendXml(
    ctx.res,
    200,
    renderXml('CopyPartResult', {
      LastModified: part.lastModified,
      ETag: part.etag,
      ...(algorithm && part.checksum ? { [`Checksum${algorithm}`]: part.checksum } : {}),
    }),
    src.versionId !== 'null' ? { 'x-amz-copy-source-version-id': src.versionId } : {},
  );
}

export async function completeMultipartUpload(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutObject', { bucket, key: ctx.key });
  const uploadId = ctx.query.get('uploadId')!;
  const done = ctx.store.completedUploads.get(uploadId);
  const upload = done ? undefined : ctx.store.getUpload(bucket.name, ctx.key!, uploadId);
  const { root } = await readXmlBody(ctx, 1024 * 1024, { checksumHeadersDescribeObject: true });
  if (root.name !== 'CompleteMultipartUpload') throw s3Errors.malformedXml();
  const algorithm = upload?.checksumAlgorithm;
  const parts = childrenNamed(root, 'Part').map((p) => {
    const partNumber = Number(childText(p, 'PartNumber'));
    if (!Number.isInteger(partNumber)) throw s3Errors.malformedXml();
    return {
      partNumber,
      etag: childText(p, 'ETag'),
      checksum: algorithm ? childText(p, `Checksum${algorithm}`) : undefined,
    };
  });
  if (parts.length > LIMITS.maxParts) throw s3Errors.malformedXml();
  const meta = await ctx.store.completeMultipartUpload(bucket.name, ctx.key!, uploadId, parts, {
    sourceIp: ctx.req.socket?.remoteAddress,
    precondition: writePrecondition(ctx),
    expectedChecksum: algorithm ? header(ctx.req.headers, checksumHeaderName(algorithm)) : undefined,
  });
  const checksum = meta.checksum
    ? { [`Checksum${meta.checksum.algorithm}`]: meta.checksum.value, ChecksumType: meta.checksum.type }
    : {};
  sendXml(
    ctx.res,
    200,
    renderXml('CompleteMultipartUploadResult', {
      Location: `http://${ctx.host}/${bucket.name}/${encodeURI(ctx.key!)}`,
      Bucket: bucket.name,
      Key: ctx.key,
      ETag: meta.etag,
      ...checksum,
    }),
    { ...checksumResponseHeaders(meta), ...versionHeaders(ctx.store.headBucket(bucket.name), meta) },
  );
}

export async function abortMultipartUpload(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:AbortMultipartUpload', { bucket, key: ctx.key });
  await ctx.store.abortMultipartUpload(bucket.name, ctx.key!, ctx.query.get('uploadId')!);
  send(ctx.res, 204);
}

export async function listParts(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:ListMultipartUploadParts', { bucket, key: ctx.key });
  const upload = uploadOf(ctx);
  const marker = Number(ctx.query.get('part-number-marker') ?? 0);
  const maxParts = Math.min(Number(ctx.query.get('max-parts') ?? 1000), 1000);
  const all = (await ctx.store.listParts(bucket.name, ctx.key!, upload.uploadId)).filter((p) => p.partNumber > marker);
  const page = all.slice(0, maxParts);
  sendXml(
    ctx.res,
    200,
    renderXml('ListPartsResult', {
      Bucket: bucket.name,
      Key: ctx.key,
      UploadId: upload.uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : undefined,
      MaxParts: maxParts,
      IsTruncated: all.length > page.length,
      ChecksumAlgorithm: upload.checksumAlgorithm,
      ChecksumType: upload.checksumType,
      Initiator: ownerXml(ctx, upload.owner),
      Owner: ownerXml(ctx, upload.owner),
      StorageClass: upload.storageClass ?? 'STANDARD',
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

export function listUploads(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:ListBucketMultipartUploads', { bucket });
  const prefix = ctx.query.get('prefix') ?? '';
  const uploads = ctx.store.listUploads(bucket.name).filter((u) => u.key.startsWith(prefix));
  sendXml(
    ctx.res,
    200,
    renderXml('ListMultipartUploadsResult', {
      Bucket: bucket.name,
      KeyMarker: '',
      UploadIdMarker: '',
      Prefix: prefix,
      MaxUploads: 1000,
      IsTruncated: false,
      Upload: uploads.map((u) => ({
        Key: u.key,
        UploadId: u.uploadId,
        Initiator: ownerXml(ctx, u.owner),
        Owner: ownerXml(ctx, u.owner),
        StorageClass: u.storageClass ?? 'STANDARD',
        Initiated: u.initiated,
        ChecksumAlgorithm: u.checksumAlgorithm,
      })),
    }),
  );
}
