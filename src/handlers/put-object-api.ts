import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ObjectStore } from '../ports/index.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface PutObjectApiDeps {
  objects: ObjectStore;
}

/**
 * `PUT /v1/{bucket}/{object}` as API Gateway's S3 proxy does it: the request body becomes the object.
 * The object parameter arrives decoded by the gateway, so `bizcard-raw-img%2Fa.jpg` is key `bizcard-raw-img/a.jpg`.
 */
export function createPutObjectApi(deps: PutObjectApiDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const bucket = event.pathParameters?.bucket;
    const key = event.pathParameters?.object;
    if (!bucket || !key) return jsonResponse(400, { message: 'bucket and object path parameters are required' });
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

export const handler = lambdaEntry(createPutObjectApi);
