import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';
import { checksumHeaderName, parseChecksumAlgorithm } from './checksums.js';
import { s3Errors } from './errors.js';
import {
  checksumResponseHeaders,
  header,
  OWNER,
  readXmlBody,
  requestBody,
  requestChecksum,
  send,
  sendXml,
  storedHeaders,
  userMetadata,
} from './http-io.js';
import type { S3ObjectStore } from './object-store.js';
import type { RequestContext } from './router.js';
import { childrenNamed, childText, renderXml } from './xml.js';

export async function createMultipart(
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

export async function uploadPart(
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

export async function completeMultipart(
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

export async function listParts(
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

export function listUploads(store: S3ObjectStore, res: ServerResponse, bucket: string): void {
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
