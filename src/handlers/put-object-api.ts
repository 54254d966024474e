import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { objects } from '../composition/ports/objects.js';
import { BUCKET } from '../domain/names.js';
import type { ObjectStore } from '../ports/index.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface PutObjectApiDeps {
  objects: ObjectStore;
}

/**
 * `PUT /v1/{bucket}/{object}` as API Gateway's S3 proxy does it: the request body becomes the object.
 * The object parameter arrives decoded by the gateway, so `bizcard-raw-img%2Fa.jpg` is key `bizcard-raw-img/a.jpg`.
 * Only the pipelines' bucket is writable: its configured name (OCTEMBER_BUCKET; in AWS the stack names it, bucket
 * names being global) or its logical name `octember-bizcard`, so the same URLs work on every target.
 */
export function createPutObjectApi(deps: PutObjectApiDeps, options: { bucket?: string } = {}) {
  const target = options.bucket ?? BUCKET;
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const named = event.pathParameters?.bucket;
    const key = event.pathParameters?.object;
    if (!named || !key) return jsonResponse(400, { message: 'bucket and object path parameters are required' });
    if (named !== target && named !== BUCKET) {
      return jsonResponse(404, { message: `bucket ${named} does not exist`, code: 'NoSuchBucket' });
    }
    const bucket = target;
    const body =
      event.body == null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    if (body.length === 0) return jsonResponse(400, { message: 'request body is empty' });
    const contentType = headerValue(event, 'content-type');
    try {
      await deps.objects.put(bucket, key, body, contentType ? { contentType } : undefined);
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'NoSuchBucket') return jsonResponse(404, { message: `bucket ${bucket} does not exist`, code: name });
      throw error;
    }
    return jsonResponse(200, { bucket, key, size: body.length });
  };
}

function headerValue(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [header, value] of Object.entries(event.headers ?? {})) {
    if (header.toLowerCase() === name && value) return value;
  }
  return undefined;
}

export const handler = lambdaEntry('put-object-api', { objects }, (ports, settings) =>
  createPutObjectApi(ports, { bucket: settings.OCTEMBER_BUCKET }),
);
