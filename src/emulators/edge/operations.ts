import type { IncomingMessage } from 'node:http';

/** The S3 operation a REST request stands for (enough to aim a chaos rule at; not a full S3 router). */
export function s3Operation(req: IncomingMessage): string {
  const [rawPath, rawQuery = ''] = (req.url ?? '/').split('?');
  const query = new URLSearchParams(rawQuery);
  const host = String(req.headers.host ?? '');
  const virtual = /^[^.]+\.(s3\.)?localhost(\.localstack\.cloud)?(:\d+)?$/.test(host) && !host.startsWith('s3.');
  const parts = rawPath.split('/').filter(Boolean);
  const bucket = virtual || parts.length > 0;
  const key = virtual ? parts.length > 0 : parts.length > 1;
  const method = (req.method ?? 'GET').toUpperCase();
  if (!bucket) return 'ListBuckets';
  if (!key) {
    if (method === 'PUT')
      return query.has('notification')
        ? 'PutBucketNotificationConfiguration'
        : query.has('cors')
          ? 'PutBucketCors'
          : 'CreateBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    if (query.has('notification')) return 'GetBucketNotificationConfiguration';
    if (query.has('uploads')) return 'ListMultipartUploads';
    return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  }
  if (method === 'PUT') {
    if (query.has('partNumber')) return 'UploadPart';
    return req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
  }
  if (method === 'POST') return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  if (method === 'DELETE') return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  if (method === 'HEAD') return 'HeadObject';
  return query.has('uploadId') ? 'ListParts' : 'GetObject';
}
