import type { IncomingMessage } from 'node:http';
import * as bucketConfig from './bucket-config-operations.js';
import * as buckets from './bucket-operations.js';
import type { S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import * as multipart from './multipart-operations.js';
import * as objectConfig from './object-config-operations.js';
import * as objects from './object-operations.js';
import { postObject } from './post-object.js';

export interface ParsedPath {
  bucket?: string;
  key?: string;
  rawPath: string;
  rawQuery: string;
  host: string;
}

type Operation = (ctx: S3Context) => Promise<void> | void;

/**
 * Bucket and key come from the request line as sent: no dot-segment normalization (a key may be `..` or contain
 * `../`), percent-decoding once. Virtual-hosted style: `<bucket>.localhost` or `<bucket>.s3.localhost.localstack.cloud`.
 */
export function parsePath(req: IncomingMessage): ParsedPath {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = (q === -1 ? url : url.slice(0, q)) || '/';
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  const host = String(req.headers.host ?? req.headers[':authority'] ?? 'localhost');
  const hostname = host.replace(/:\d+$/, '');
  const vhost = /^(.+)\.s3\.localhost\.localstack\.cloud$/.exec(hostname) ?? /^(.+)\.localhost$/.exec(hostname);
  const virtual = vhost && vhost[1] !== 's3' ? vhost[1] : undefined;
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  if (virtual) return { bucket: virtual, key: path ? decodePath(path) : undefined, rawPath, rawQuery, host };
  const slash = path.indexOf('/');
  const bucket = decodePath(slash === -1 ? path : path.slice(0, slash)) || undefined;
  const rawKey = slash === -1 ? '' : path.slice(slash + 1);
  return { bucket, key: rawKey ? decodePath(rawKey) : undefined, rawPath, rawQuery, host };
}

function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw s3Errors.invalidArgument('Invalid URI encoding', 'path', p);
  }
}

/** Sub-resources the emulator does not implement: NotImplemented instead of being misread as another operation. */
const UNSUPPORTED = [
  'lifecycle',
  'website',
  'encryption',
  'logging',
  'replication',
  'accelerate',
  'requestPayment',
  'analytics',
  'inventory',
  'metrics',
  'intelligent-tiering',
  'restore',
  'select',
];

const BUCKET_SUBRESOURCES: Record<string, Partial<Record<string, Operation>>> = {
  acl: { GET: bucketConfig.getBucketAcl, PUT: bucketConfig.putBucketAcl },
  policy: {
    GET: bucketConfig.getBucketPolicy,
    PUT: bucketConfig.putBucketPolicy,
    DELETE: bucketConfig.deleteBucketPolicy,
  },
  policyStatus: { GET: bucketConfig.getBucketPolicyStatus },
  publicAccessBlock: {
    GET: bucketConfig.getPublicAccessBlock,
    PUT: bucketConfig.putPublicAccessBlock,
    DELETE: bucketConfig.deletePublicAccessBlock,
  },
  ownershipControls: {
    GET: bucketConfig.getOwnershipControls,
    PUT: bucketConfig.putOwnershipControls,
    DELETE: bucketConfig.deleteOwnershipControls,
  },
  cors: { GET: bucketConfig.getBucketCors, PUT: bucketConfig.putBucketCors, DELETE: bucketConfig.deleteBucketCors },
  tagging: {
    GET: bucketConfig.getBucketTagging,
    PUT: bucketConfig.putBucketTagging,
    DELETE: bucketConfig.deleteBucketTagging,
  },
  versioning: { GET: bucketConfig.getBucketVersioning, PUT: bucketConfig.putBucketVersioning },
  'object-lock': { GET: bucketConfig.getObjectLockConfiguration, PUT: bucketConfig.putObjectLockConfiguration },
  notification: { GET: buckets.getNotification, PUT: buckets.putNotification },
  location: { GET: buckets.getBucketLocation },
  versions: { GET: buckets.listObjectVersions },
  uploads: { GET: multipart.listUploads },
  delete: { POST: objects.deleteObjects },
};

const OBJECT_SUBRESOURCES: Record<string, Partial<Record<string, Operation>>> = {
  acl: { GET: objectConfig.getObjectAcl, PUT: objectConfig.putObjectAcl },
  tagging: {
    GET: objectConfig.getObjectTagging,
    PUT: objectConfig.putObjectTagging,
    DELETE: objectConfig.deleteObjectTagging,
  },
  retention: { GET: objectConfig.getObjectRetention, PUT: objectConfig.putObjectRetention },
  'legal-hold': { GET: objectConfig.getObjectLegalHold, PUT: objectConfig.putObjectLegalHold },
  attributes: { GET: objectConfig.getObjectAttributes },
  uploads: { POST: multipart.createMultipartUpload },
  torrent: {},
};

/** Picks the operation from the method, bucket/key presence and sub-resource, as S3 does. */
export function selectOperation(ctx: S3Context): Operation {
  const method = ctx.req.method ?? 'GET';
  const q = ctx.query;
  const { bucket, key } = ctx;
  if (!bucket) {
    if (method === 'GET') return buckets.listBuckets;
    throw s3Errors.methodNotAllowed();
  }
  const unsupported = UNSUPPORTED.find((s) => q.has(s));
  if (unsupported) throw s3Errors.notImplemented(`The ${unsupported} sub-resource`);
  const table = key === undefined ? BUCKET_SUBRESOURCES : OBJECT_SUBRESOURCES;
  for (const [name, ops] of Object.entries(table)) {
    if (!q.has(name)) continue;
    const op = ops[method];
    if (op) return op;
    if (name === 'torrent')
      throw new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key ?? '' });
    throw s3Errors.methodNotAllowed(method, key === undefined ? 'BUCKET' : 'OBJECT');
  }
  if (key === undefined) {
    switch (method) {
      case 'PUT':
        return buckets.createBucket;
      case 'HEAD':
        return buckets.headBucket;
      case 'DELETE':
        return buckets.deleteBucket;
      case 'GET':
        return buckets.listObjects;
      case 'POST':
        return postObject;
    }
    throw s3Errors.methodNotAllowed(method, 'BUCKET');
  }
  switch (method) {
    case 'PUT':
      if (q.has('uploadId') || q.has('partNumber'))
        return ctx.req.headers['x-amz-copy-source'] ? multipart.uploadPartCopy : multipart.uploadPart;
      if (ctx.req.headers['x-amz-copy-source']) return objects.copyObject;
      return objects.putObject;
    case 'GET':
      if (q.has('uploadId')) return multipart.listParts;
      return objects.getObject;
    case 'HEAD':
      return objects.getObject;
    case 'DELETE':
      if (q.has('uploadId')) return multipart.abortMultipartUpload;
      return objects.deleteObject;
    case 'POST':
      if (q.has('uploadId')) return multipart.completeMultipartUpload;
      break;
  }
  throw s3Errors.methodNotAllowed(method, 'OBJECT');
}
