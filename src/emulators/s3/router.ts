import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBucket, deleteObjects, listBuckets, listObjects, putNotification } from './bucket-operations.js';
import { S3Error } from './errors.js';
import { decodePath, send, sendXml } from './http-io.js';
import { completeMultipart, createMultipart, listParts, listUploads, uploadPart } from './multipart-operations.js';
import { notificationToXml } from './notifications.js';
import { copyObject, getObject, putObject } from './object-operations.js';
import type { S3ObjectStore } from './object-store.js';
import { renderXml } from './xml.js';

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

export interface RequestContext {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  resource: string;
  host: string;
}

export function parseRequest(req: IncomingMessage): RequestContext {
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

export async function route(
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
