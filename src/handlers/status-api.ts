import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { status } from '../composition/ports/status.js';
import type { StatusStore } from '../ports/index.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface StatusApiDeps {
  status: StatusStore;
}

/** `GET /v1/status/{imageId}` → the image's processing status, 404 when the image is unknown. */
export function createStatusApi(deps: StatusApiDeps) {
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const imageId = event.pathParameters?.imageId;
    if (!imageId) return jsonResponse(400, { message: 'imageId path parameter is required' });
    const record = await deps.status.get(imageId);
    if (!record) return jsonResponse(404, { message: `no status for image ${imageId}`, imageId });
    const { imageId: id, status, s3_bucket, s3_key, owner, data, updated_at, error } = record;
    return jsonResponse(200, {
      imageId: id,
      status,
      s3_bucket,
      s3_key,
      owner,
      data,
      updated_at,
      ...(error ? { error } : {}),
    });
  };
}

export const handler = lambdaEntry('status-api', { status }, createStatusApi);
