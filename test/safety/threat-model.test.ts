import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/edge-server.js';
import type { EdgeService } from '../../src/emulators/edge/service.js';
import { createRequestGate } from '../../src/lib/request-gate.js';
import type { EmbeddedStack } from '../../src/targets/embedded.js';
import { processTree } from '../support/dev-process.js';
import { isLoopbackAddress, listeningSockets, rawRequest } from './support/http.js';
import { useEmbeddedStack } from './support/stack.js';

/**
 * The localhost threat model on a running embedded stack: every listener refuses foreign Hosts (DNS rebinding),
 * foreign Origins and `Origin: null`, answers the dashboard's origin, and listens on loopback only (children too).
 */
const API_KEY = 'gate-key';
const ctx = useEmbeddedStack('gate', API_KEY);
let stack: EmbeddedStack;
beforeAll(() => {
  stack = ctx.stack;
});

const httpListeners = () => [
  // Health, not an S3 call: unsigned S3 requests are S3's own 403 (anonymous access to a private bucket).
  { name: 'AWS edge', url: `${stack.services.endpoints.edge}/_localstack/health` },
  { name: 'API', url: `${stack.api.url}/v1/status/x.jpg`, headers: { 'x-api-key': API_KEY } },
  { name: 'OpenSearch', url: `${stack.services.endpoints.opensearch}/` },
];

describe('every HTTP listener', () => {
  it('refuses a foreign Origin with 403 and no CORS headers', async () => {
    for (const l of httpListeners()) {
      const res = await rawRequest(l.url, { headers: { ...l.headers, origin: 'https://evil.example' } });
      expect(res.status, l.name).toBe(403);
      expect(res.headers['access-control-allow-origin'], l.name).toBeUndefined();
      expect(res.body, l.name).toContain('OCTEMBER_CORS_ORIGINS');
    }
  });

  it('refuses Origin: null', async () => {
    for (const l of httpListeners()) {
      const res = await rawRequest(l.url, { headers: { ...l.headers, origin: 'null' } });
      expect(res.status, l.name).toBe(403);
    }
  });

  it('refuses a foreign Host (DNS rebinding)', async () => {
    for (const l of httpListeners()) {
      const res = await rawRequest(l.url, { headers: { ...l.headers, host: 'rebind.evil.example' } });
      expect(res.status, l.name).toBe(403);
      expect(res.body, l.name).toContain('OCTEMBER_ALLOWED_HOSTS');
    }
  });

  it('refuses a cross-site preflight and write to S3 (the bucket stays untouched)', async () => {
    const edge = stack.services.endpoints.edge as string;
    const preflight = await rawRequest(`${edge}/octember-bizcard/x.txt`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(preflight.status).toBe(403);
    const put = await rawRequest(`${edge}/octember-bizcard/evil.txt`, {
      method: 'PUT',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: 'pwned',
    });
    expect(put.status).toBe(403);
    expect(stack.services.s3?.store.headObject('octember-bizcard', 'evil.txt')).toBeUndefined();
  });

  it("serves the dashboard's own origin (the API port) with CORS headers", async () => {
    const dashboard = stack.api.url;
    for (const l of httpListeners()) {
      const res = await rawRequest(l.url, { headers: { ...l.headers, origin: dashboard } });
      expect(res.status, l.name).not.toBe(403);
      expect(res.headers['access-control-allow-origin'], l.name).toBe(dashboard);
    }
  });

  it('serves plain clients (no Origin, loopback Host)', async () => {
    for (const l of httpListeners()) {
      const res = await rawRequest(l.url, { headers: l.headers });
      expect(res.status, l.name).not.toBe(403);
    }
  });
});

describe('the Gremlin websocket', () => {
  const open = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(stack.services.endpoints.gremlin as string, { headers });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });

  it('refuses an upgrade from a foreign origin, a null origin or a foreign Host', async () => {
    expect(await open({ origin: 'https://evil.example' })).toBe(403);
    expect(await open({ origin: 'null' })).toBe(403);
    expect(await open({ host: 'rebind.evil.example' })).toBe(403);
  });

  it('accepts drivers (no Origin) and the dashboard', async () => {
    expect(await open({})).toBe(101);
    expect(await open({ origin: stack.api.url })).toBe(101);
  });
});

describe('listening sockets', () => {
  it('are all on loopback, the child (redis-server) included', async () => {
    const pids = await processTree(process.pid);
    const sockets = await listeningSockets(pids);
    // edge (Kinesis is in it), API, OpenSearch, Gremlin, and with redis-server installed its proxy and the server
    const redis = Boolean(stack.endpoints.redis);
    expect(sockets.length).toBeGreaterThanOrEqual(redis ? 6 : 4);
    expect(sockets.filter((s) => !isLoopbackAddress(s.address))).toEqual([]);
    expect(new Set(sockets.map((s) => s.pid)).size).toBeGreaterThanOrEqual(redis ? 2 : 1);
  });
});

describe('S3 bucket CORS hook on the edge', () => {
  let edge: EdgeServer;
  const seen: string[] = [];
  beforeAll(async () => {
    const s3: EdgeService = {
      name: 's3',
      signingNames: ['s3'],
      corsAllows: (bucket, origin, method, headers) => {
        seen.push(`${bucket} ${origin} ${method} ${headers.join(',')}`);
        return bucket === 'public-site' && origin === 'https://app.example' && method !== 'DELETE';
      },
      async handle(req, res) {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/plain', 'x-from': 's3' });
        res.end('ok');
      },
    };
    edge = await startEdge({ port: 0, services: [s3], gate: createRequestGate() });
  });
  afterAll(() => edge?.close());

  it("admits an origin the bucket's own CORS configuration allows, and only that", async () => {
    const preflight = await rawRequest(`${edge.url}/public-site/index.html`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'Content-Type, X-Amz-Date',
      },
    });
    expect(preflight.headers['x-from']).toBe('s3');
    expect(seen).toContain('public-site https://app.example PUT content-type,x-amz-date');
    const get = await rawRequest(`${edge.url}/public-site/index.html`, { headers: { origin: 'https://app.example' } });
    expect(get.status).toBe(200);
    const vhost = await rawRequest(`${edge.url}/index.html`, {
      headers: { origin: 'https://app.example', host: 'public-site.s3.localhost.localstack.cloud' },
    });
    expect(vhost.status).toBe(200);
    expect(
      (
        await rawRequest(`${edge.url}/public-site/x`, {
          method: 'DELETE',
          headers: { origin: 'https://app.example' },
        })
      ).status,
    ).toBe(403);
    expect(
      (await rawRequest(`${edge.url}/private/index.html`, { headers: { origin: 'https://app.example' } })).status,
    ).toBe(403);
    expect((await rawRequest(`${edge.url}/public-site/index.html`, { headers: { origin: 'null' } })).status).toBe(403);
  });
});
