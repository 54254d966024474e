import { createServer } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryObjectStore } from '../../src/adapters/memory/index.js';
import { createPutObjectApi } from '../../src/handlers/put-object-api.js';
import { type ApiGateway, startApiGateway } from '../../src/runtime/api-gateway.js';
import { createInvoker } from '../../src/runtime/invoker.js';

const API_KEY = 'test-key';
const gateways: ApiGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

async function start(register: (invoker: ReturnType<typeof createInvoker>) => void, port = 0) {
  const invoker = createInvoker();
  register(invoker);
  const gateway = await startApiGateway({
    port,
    apiKey: API_KEY,
    invoker,
    routes: [
      { method: 'GET', path: '/v1/status/{imageId}', functionName: 'echo' },
      { method: 'PUT', path: '/v1/{bucket}/{object+}', functionName: 'put-object', binaryBody: true },
      { method: 'GET', path: '/v1/broken', functionName: 'broken' },
      { method: 'GET', path: '/v1/bytes', functionName: 'bytes' },
    ],
  });
  gateways.push(gateway);
  return gateway;
}

const echo = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-custom': 'yes' },
  body: JSON.stringify(event),
});

describe('API gateway', () => {
  it('builds a REST proxy v1 event from the request', async () => {
    const gateway = await start((invoker) => invoker.register('echo', echo));
    const response = await fetch(`${gateway.url}/v1/status/edy_a%201.jpg?limit=5&tag=a&tag=b`, {
      headers: { 'x-api-key': API_KEY },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-custom')).toBe('yes');
    const event = (await response.json()) as APIGatewayProxyEvent;
    expect(event.resource).toBe('/status/{imageId}');
    expect(event.path).toBe('/status/edy_a%201.jpg');
    expect(event.httpMethod).toBe('GET');
    expect(event.pathParameters).toEqual({ imageId: 'edy_a 1.jpg' });
    expect(event.queryStringParameters).toEqual({ limit: '5', tag: 'b' });
    expect(event.multiValueQueryStringParameters).toEqual({ limit: ['5'], tag: ['a', 'b'] });
    expect(event.headers['x-api-key']).toBe(API_KEY);
    expect(event.multiValueHeaders['x-api-key']).toEqual([API_KEY]);
    expect(event.requestContext.stage).toBe('v1');
    expect(event.requestContext.path).toBe('/v1/status/edy_a%201.jpg');
    expect(event.requestContext.resourcePath).toBe('/status/{imageId}');
    expect(event.requestContext.identity.apiKey).toBe(API_KEY);
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
  });

  it('answers 403 Forbidden without or with a wrong x-api-key, and never invokes the function', async () => {
    let calls = 0;
    const gateway = await start((invoker) =>
      invoker.register('echo', (event: APIGatewayProxyEvent) => {
        calls += 1;
        return echo(event);
      }),
    );
    for (const headers of [{}, { 'x-api-key': 'wrong' }] as Record<string, string>[]) {
      const response = await fetch(`${gateway.url}/v1/status/a.jpg`, { headers });
      expect(response.status).toBe(403);
      expect(response.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
      expect(await response.json()).toEqual({ message: 'Forbidden' });
    }
    expect(calls).toBe(0);
  });

  it('answers unknown routes and methods like API Gateway (403 Missing Authentication Token)', async () => {
    const gateway = await start((invoker) => invoker.register('echo', echo));
    for (const [method, path] of [
      ['GET', '/v1/nothing/here/at/all'],
      ['DELETE', '/v1/status/a.jpg'],
      ['GET', '/v1/status/'],
    ]) {
      const response = await fetch(`${gateway.url}${path}`, { method, headers: { 'x-api-key': API_KEY } });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('maps a function error or a malformed result to 502 Internal server error', async () => {
    const gateway = await start((invoker) => {
      invoker.register('broken', () => {
        throw new Error('crash');
      });
    });
    const response = await fetch(`${gateway.url}/v1/broken`, { headers: { 'x-api-key': API_KEY } });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ message: 'Internal server error' });
    const other = await start((invoker) => invoker.register('broken', () => 'not a proxy result'));
    expect((await fetch(`${other.url}/v1/broken`, { headers: { 'x-api-key': API_KEY } })).status).toBe(502);
  });

  it('answers 504 when the function outlives the integration timeout', async () => {
    const invoker = createInvoker();
    invoker.register('slow', () => new Promise(() => undefined), { timeoutMs: 60_000 });
    const gateway = await startApiGateway({
      port: 0,
      apiKey: API_KEY,
      invoker,
      integrationTimeoutMs: 30,
      routes: [{ method: 'GET', path: '/v1/slow', functionName: 'slow' }],
    });
    gateways.push(gateway);
    const response = await fetch(`${gateway.url}/v1/slow`, { headers: { 'x-api-key': API_KEY } });
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
  });

  it('decodes isBase64Encoded results into binary responses', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252]);
    const gateway = await start((invoker) =>
      invoker.register('bytes', () => ({
        statusCode: 200,
        headers: { 'content-type': 'application/octet-stream' },
        body: bytes.toString('base64'),
        isBase64Encoded: true,
      })),
    );
    const response = await fetch(`${gateway.url}/v1/bytes`, { headers: { 'x-api-key': API_KEY } });
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('round-trips a binary upload through the put-object handler (greedy and %2F-encoded object paths)', async () => {
    const objects = createMemoryObjectStore();
    const gateway = await start((invoker) => invoker.register('put-object', createPutObjectApi({ objects })));
    // a whole JPEG (start, 1×1 frame header, start of scan, 70 000 bytes of data, end) — the route checks that much
    const data = Buffer.alloc(70_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) % 256;
    const image = Buffer.concat([
      Buffer.from('ffd8ffc0000b080001000101011100ffda000801010000003f00', 'hex'),
      data,
      Buffer.from('ffd9', 'hex'),
    ]);
    for (const path of [
      '/v1/octember-bizcard/bizcard-raw-img%2Fedy_a1.jpg',
      '/v1/octember-bizcard/bizcard-raw-img/kim_b2.jpg',
    ]) {
      const response = await fetch(`${gateway.url}${path}`, {
        method: 'PUT',
        headers: { 'x-api-key': API_KEY, 'content-type': 'image/jpeg' },
        body: image,
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { key: string; size: number };
      expect(body.size).toBe(image.length);
    }
    for (const key of ['bizcard-raw-img/edy_a1.jpg', 'bizcard-raw-img/kim_b2.jpg']) {
      const stored = await objects.get('octember-bizcard', key);
      expect(Buffer.from(stored.body).equals(image)).toBe(true);
      expect(stored.contentType).toBe('image/jpeg');
    }
    const empty = await fetch(`${gateway.url}/v1/octember-bizcard/bizcard-raw-img/x_1.jpg`, {
      method: 'PUT',
      headers: { 'x-api-key': API_KEY },
    });
    expect(empty.status).toBe(400);
  });

  it('moves to the next free port when the requested one is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const gateway = await start((invoker) => invoker.register('echo', echo), taken);
      expect(gateway.port).toBeGreaterThan(taken);
      expect((await fetch(`${gateway.url}/v1/status/a.jpg`, { headers: { 'x-api-key': API_KEY } })).status).toBe(200);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
