import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createOpenSearchCardIndex } from '../../src/adapters/opensearch/card-search-index.js';
import { isAwsEndpoint, signedHandshakeHeaders } from '../../src/composition/aws-signing.js';
import { MissingSettingError, settingsFromEnvironment } from '../../src/composition/settings.js';
import { loadHandler } from '../../src/targets/functions.js';
import { functionDef, TOPOLOGY } from '../../src/topology/index.js';
import { freePort } from '../runtime/support/kinesis.js';

// aws4 (the OpenSearch client's own signer) is an independent SigV4 implementation to check ours against.
const aws4 = createRequire(import.meta.url)('aws4') as {
  sign(request: Record<string, unknown>, credentials: object): { headers?: Record<string, string> };
};
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('per-function composition', () => {
  it('each handler module exports the handler of its topology function, built from exactly its ports', async () => {
    for (const fn of TOPOLOGY.functions) {
      const handler = await loadHandler(fn);
      expect(handler.functionName).toBe(fn.name);
      expect([...handler.ports].sort(), fn.name).toEqual([...fn.ports].sort());
    }
  });

  it('reads only the variables the topology lists, and names a missing required one', () => {
    const fn = functionDef('trigger-text-extract');
    expect(() => settingsFromEnvironment(fn, { OCTEMBER_IMAGE_STREAM: 's' })).toThrow(MissingSettingError);
    expect(() => settingsFromEnvironment(fn, { OCTEMBER_IMAGE_STREAM: 's' })).toThrow(
      'trigger-text-extract: environment variable REDIS_URL is not set',
    );
    expect(
      settingsFromEnvironment(fn, { OCTEMBER_IMAGE_STREAM: 's', REDIS_URL: 'redis://r:6379', GREMLIN_URL: 'ws://g' }),
    ).toEqual({ OCTEMBER_IMAGE_STREAM: 's', REDIS_URL: 'redis://r:6379' });
  });

  describe('the AWS entry (process environment)', () => {
    const saved = { ...process.env };
    afterEach(() => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    });

    it('connects on first use, and the error names the Redis that did not answer', async () => {
      const port = await freePort();
      process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
      const { handler } = await import('../../src/handlers/status-api.js');
      await expect(
        handler({ pathParameters: { imageId: 'x.jpg' } } as unknown as APIGatewayProxyEvent),
      ).rejects.toThrow(`Redis at redis://127.0.0.1:${port}`);
    });
  });
});

describe('SigV4 for the aws target', () => {
  it('signs only AWS OpenSearch and Neptune endpoints', () => {
    expect(isAwsEndpoint('https://vpc-cards-abc.us-east-1.es.amazonaws.com', 'es')).toBe(true);
    expect(isAwsEndpoint('http://127.0.0.1:9200', 'es')).toBe(false);
    expect(isAwsEndpoint('wss://db.cluster-xyz.us-east-1.neptune.amazonaws.com:8182/gremlin', 'neptune-db')).toBe(true);
    expect(isAwsEndpoint('ws://127.0.0.1:8182/gremlin', 'neptune-db')).toBe(false);
  });

  it('signs the Neptune WebSocket handshake as another SigV4 implementation (aws4) does', async () => {
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    const url = 'wss://db.cluster-xyz.us-east-1.neptune.amazonaws.com:8182/gremlin';
    const headers = await signedHandshakeHeaders(url, 'us-east-1', CREDENTIALS, date);
    const reference = aws4.sign(
      {
        host: 'db.cluster-xyz.us-east-1.neptune.amazonaws.com:8182',
        path: '/gremlin',
        method: 'GET',
        service: 'neptune-db',
        region: 'us-east-1',
        headers: { 'X-Amz-Date': '20260102T030405Z', host: 'db.cluster-xyz.us-east-1.neptune.amazonaws.com:8182' },
        signQuery: false,
      },
      CREDENTIALS,
    );
    const signature = (h: string) => /Signature=([0-9a-f]+)/.exec(h)?.[1];
    expect(headers.host).toBe('db.cluster-xyz.us-east-1.neptune.amazonaws.com:8182');
    expect(headers['x-amz-date']).toBe('20260102T030405Z');
    expect(headers.authorization).toContain('Credential=AKIDEXAMPLE/20260102/us-east-1/neptune-db/aws4_request');
    expect(signature(headers.authorization)).toBe(signature(String(reference.headers?.Authorization)));
  });

  it('sends every OpenSearch request signed for service es', async () => {
    const seen: IncomingMessage['headers'][] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ hits: { hits: [] } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const index = createOpenSearchCardIndex({
        node: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        sigv4: { region: 'eu-west-1', service: 'es', getCredentials: async () => CREDENTIALS },
      });
      await index.search({ query: 'x', limit: 1 }).catch(() => undefined);
      await index.close();
      expect(seen.length).toBeGreaterThan(0);
      for (const headers of seen) {
        expect(headers.authorization).toMatch(
          /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request/,
        );
        expect(headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      }
    } finally {
      server.close();
    }
  });
});
