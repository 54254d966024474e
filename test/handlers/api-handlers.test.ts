import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createMemoryObjectStore, createMemoryStatusStore } from '../../src/adapters/memory/index.js';
import { createPutObjectApi } from '../../src/handlers/put-object-api.js';
import { createStatusApi } from '../../src/handlers/status-api.js';

function apiEvent(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    resource: '/',
    path: '/',
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
    ...overrides,
  };
}

describe('put-object-api', () => {
  it('stores a base64 binary body byte for byte with its content type', async () => {
    const objects = createMemoryObjectStore();
    const handler = createPutObjectApi({ objects });
    // SOI, a 1×1 frame header, a start of scan, one byte of data, EOI
    const bytes = Buffer.from('ffd8ffc0000b080001000101011100ffda000801010000003f0000ffd9', 'hex');
    const result = await handler(
      apiEvent({
        httpMethod: 'PUT',
        pathParameters: { bucket: 'octember-bizcard', object: 'bizcard-raw-img/edy_a1.jpg' },
        headers: { 'Content-Type': 'image/jpeg' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      bucket: 'octember-bizcard',
      key: 'bizcard-raw-img/edy_a1.jpg',
      size: bytes.length,
    });
    const stored = await objects.get('octember-bizcard', 'bizcard-raw-img/edy_a1.jpg');
    expect(Buffer.from(stored.body).equals(bytes)).toBe(true);
    expect(stored.contentType).toBe('image/jpeg');
  });

  it('stores a text body as UTF-8 and rejects an empty body with 400', async () => {
    const objects = createMemoryObjectStore();
    const handler = createPutObjectApi({ objects }, { bucket: 'text-bucket' });
    const ok = await handler(
      apiEvent({
        httpMethod: 'PUT',
        pathParameters: { bucket: 'text-bucket', object: 'items/a.csv' },
        body: 'id,name\n1,é',
      }),
    );
    expect(ok.statusCode).toBe(200);
    expect(Buffer.from((await objects.get('text-bucket', 'items/a.csv')).body).toString('utf8')).toBe('id,name\n1,é');
    const empty = await handler(
      apiEvent({
        httpMethod: 'PUT',
        pathParameters: { bucket: 'text-bucket', object: 'bizcard-raw-img/x.jpg' },
        body: null,
      }),
    );
    expect(empty.statusCode).toBe(400);
    expect(JSON.parse(empty.body).message).toMatch(/empty/);
    expect(objects.keys('text-bucket')).toEqual(['items/a.csv']);
  });

  it('writes only the configured bucket, also reached by its logical name; any other is refused', async () => {
    const objects = createMemoryObjectStore();
    const handler = createPutObjectApi({ objects }, { bucket: 'octember-bizcard-123-eu-west-1' });
    const put = (bucket: string) =>
      handler(apiEvent({ httpMethod: 'PUT', pathParameters: { bucket, object: 'items/a.csv' }, body: 'x' }));
    expect((await put('octember-bizcard')).statusCode).toBe(200);
    expect((await put('octember-bizcard-123-eu-west-1')).statusCode).toBe(200);
    const other = await put('someone-elses-bucket');
    expect(other.statusCode).toBe(403);
    expect(JSON.parse(other.body).code).toBe('AccessDenied');
    expect(objects.keys('octember-bizcard-123-eu-west-1')).toEqual(['items/a.csv']);
  });
});

describe('status-api', () => {
  it('returns the status record and 404 for an unknown image', async () => {
    const status = createMemoryStatusStore();
    const handler = createStatusApi({ status });
    const data = {
      name: 'Edy',
      job_title: null,
      company: 'ACME',
      email: null,
      phone_number: null,
      phones: [],
      addr: null,
      url: null,
    };
    await status.put({
      imageId: 'edy_a1.jpg',
      status: 'END',
      s3_bucket: 'octember-bizcard',
      s3_key: 'bizcard-raw-img/edy_a1.jpg',
      owner: 'edy',
      data,
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    const found = await handler(apiEvent({ pathParameters: { imageId: 'edy_a1.jpg' } }));
    expect(found.statusCode).toBe(200);
    expect(JSON.parse(found.body)).toEqual({
      imageId: 'edy_a1.jpg',
      status: 'END',
      s3_bucket: 'octember-bizcard',
      s3_key: 'bizcard-raw-img/edy_a1.jpg',
      owner: 'edy',
      data,
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    const missing = await handler(apiEvent({ pathParameters: { imageId: 'nobody_0.jpg' } }));
    expect(missing.statusCode).toBe(404);
    expect(missing.headers?.['content-type']).toBe('application/json');
    expect(JSON.parse(missing.body).imageId).toBe('nobody_0.jpg');
  });
});
