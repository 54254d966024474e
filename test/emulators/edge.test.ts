import http2 from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/edge-server.js';
import type { EdgeService } from '../../src/emulators/edge/service.js';
import { createRequestGate } from '../../src/lib/request-gate.js';

/** A fake service that reports which service answered and how the request was routed. */
function echoService(name: string, extra: Partial<EdgeService> = {}): EdgeService {
  return {
    name,
    signingNames: [name],
    ...extra,
    async handle(req, res) {
      let body = '';
      for await (const c of req) body += c;
      const text = JSON.stringify({ service: name, method: req.method, url: req.url, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
    },
  };
}

interface Echo {
  service: string;
  body: string;
  __type?: string;
  services: Record<string, string>;
}
const json = async (res: Response): Promise<Echo> => (await res.json()) as Echo;

const sign = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

let edge: EdgeServer;
beforeAll(async () => {
  edge = await startEdge({
    port: 0,
    services: [
      echoService('s3'),
      echoService('kinesis', { targetPrefixes: ['Kinesis_20131202'] }),
      echoService('firehose', { targetPrefixes: ['Firehose_20150804'] }),
      echoService('cloudsearch', { pathPrefixes: ['/2013-01-01/'] }),
    ],
    // the developer's own app, allowed like LocalStack's EXTRA_CORS_ALLOWED_ORIGINS
    gate: createRequestGate({ origins: ['http://localhost:5173'] }),
  });
});
afterAll(async () => {
  await edge?.close();
});

describe('edge routing', () => {
  it('routes by X-Amz-Target prefix first', async () => {
    const res = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Firehose_20150804.PutRecord', authorization: sign('kinesis') },
      body: '{}',
    });
    expect((await json(res)).service).toBe('firehose');
  });

  it('routes by the SigV4 credential scope (header and presigned query)', async () => {
    const byHeader = await fetch(`${edge.url}/anything`, { headers: { authorization: sign('kinesis') } });
    expect((await json(byHeader)).service).toBe('kinesis');
    const byQuery = await fetch(
      `${edge.url}/b/k?X-Amz-Credential=${encodeURIComponent('test/20250101/us-east-1/firehose/aws4_request')}`,
    );
    expect((await json(byQuery)).service).toBe('firehose');
  });

  it('routes unsigned requests by path prefix, else to S3', async () => {
    const byPath = await fetch(`${edge.url}/2013-01-01/documents/batch`, { method: 'POST', body: '[]' });
    expect(await json(byPath)).toMatchObject({ service: 'cloudsearch', body: '[]' });
    const fallback = await fetch(`${edge.url}/bucket/key`);
    expect((await json(fallback)).service).toBe('s3');
  });

  it('answers unknown services with AWS-shaped errors', async () => {
    const target = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' },
      body: '{}',
    });
    expect(target.status).toBe(400);
    expect(target.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect((await json(target)).__type).toBe('UnknownOperationException');
    const scope = await fetch(`${edge.url}/`, { headers: { authorization: sign('sqs') } });
    expect(scope.status).toBe(404);
    const xml = await scope.text();
    expect(xml).toContain('<Code>NotFound</Code>');
    expect(xml).toContain('&apos;sqs&apos;'); // the message, XML-escaped
  });

  it('serves the health endpoint, including services added later', async () => {
    edge.addService(echoService('textract', { targetPrefixes: ['Textract'] }));
    const res = await fetch(`${edge.url}/_octember/health`);
    const health = await json(res);
    expect(Object.keys(health.services).sort()).toEqual(['cloudsearch', 'firehose', 'kinesis', 's3', 'textract']);
    const routed = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'Textract.DetectDocumentText' },
      body: '{}',
    });
    expect((await json(routed)).service).toBe('textract');
  });

  it('answers CORS preflights of allowed origins and exposes headers to browsers', async () => {
    const pre = await fetch(`${edge.url}/bucket/key`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'content-type,x-amz-date',
      },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,x-amz-date');
    const get = await fetch(`${edge.url}/bucket/key`, { headers: { origin: 'http://localhost:5173' } });
    expect(get.headers.get('access-control-expose-headers')).toContain('etag');
  });

  it('speaks HTTP/2 cleartext (prior knowledge) on the same port', async () => {
    const session = http2.connect(edge.url);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({
          ':method': 'POST',
          ':path': '/',
          'x-amz-target': 'Kinesis_20131202.ListStreams',
        });
        let data = '';
        req.on('data', (c) => {
          data += c;
        });
        req.on('end', () => resolve(data));
        req.on('error', reject);
        req.end('{"h2":true}');
      });
      expect(JSON.parse(body)).toMatchObject({ service: 'kinesis', body: '{"h2":true}' });
    } finally {
      session.close();
    }
  });

  it('moves to the next free port when the requested one is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    const second = await startEdge({ port: taken, services: [echoService('s3')] });
    try {
      expect(second.port).not.toBe(taken);
      expect(second.port).toBeGreaterThan(taken);
      expect(second.url).toBe(`http://127.0.0.1:${second.port}`);
      const res = await fetch(`${second.url}/_octember/health`);
      expect(res.status).toBe(200);
    } finally {
      await second.close();
      blocker.close();
    }
  });
});
