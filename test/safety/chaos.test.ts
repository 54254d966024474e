import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { type FaultRule, sharedChaos } from '../../src/emulators/chaos/chaos.js';
import { findOnPath } from '../../src/emulators/redis/index.js';
import type { EmbeddedStack } from '../../src/targets/embedded.js';
import { rawRequest } from './support/http.js';
import { filesWhenThere, useEmbeddedStack } from './support/stack.js';

/**
 * Fault injection through LocalStack's Chaos API shape, on a running embedded stack: the API itself, each fault
 * family in its service's own error shape, and the pipeline absorbing throttling with retries and backoff.
 */
const API_KEY = 'chaos-key';
const REAL = '../shared/fixtures/bizcards/real';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const hasRedis = Boolean(findOnPath('redis-server'));
const { P } = createRequire(import.meta.url)('gremlin').process;
const ctx = useEmbeddedStack('chaos', API_KEY);
let stack: EmbeddedStack;
let dataDir: string;
let edge: string;

beforeAll(() => {
  ({ stack, dataDir } = ctx);
  edge = stack.services.endpoints.edge as string;
});

afterEach(async () => {
  await chaosApi('faults', 'POST', []);
  await chaosApi('effects', 'POST', {});
});

async function chaosApi(kind: 'faults' | 'effects', method: string, body?: unknown) {
  const res = await fetch(`${edge}/_localstack/chaos/${kind}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

const s3 = (maxAttempts = 1) =>
  new S3Client({ endpoint: edge, region: 'us-east-1', forcePathStyle: true, credentials, maxAttempts });
const kinesis = (region = 'us-east-1') =>
  new KinesisClient({ endpoint: edge, region, credentials, maxAttempts: 1, requestHandler: new NodeHttpHandler() });

describe('the Chaos API (LocalStack shape)', () => {
  it('GET, POST (replace), PATCH (add), DELETE (remove); effects {latency}', async () => {
    expect(await chaosApi('faults', 'GET')).toEqual({ status: 200, body: [] });
    const a: FaultRule = { service: 's3', operation: 'GetObject', error: { statusCode: 503, code: 'SlowDown' } };
    const b: FaultRule = { service: 'kinesis', probability: 0.5 };
    expect((await chaosApi('faults', 'POST', [a])).body).toEqual([a]);
    expect((await chaosApi('faults', 'PATCH', [b])).body).toEqual([a, b]);
    expect((await chaosApi('faults', 'DELETE', [a])).body).toEqual([b]);
    expect((await chaosApi('faults', 'POST', [])).body).toEqual([]);
    expect((await chaosApi('effects', 'POST', { latency: 150 })).body).toEqual({ latency: 150 });
    expect((await chaosApi('effects', 'GET')).body).toEqual({ latency: 150 });
    const started = Date.now();
    await kinesis().send(new ListStreamsCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses a malformed configuration with 400 naming the problem, and keeps the old one', async () => {
    await chaosApi('faults', 'POST', [{ service: 's3' }]);
    const bad = await chaosApi('faults', 'POST', [{ service: 's3', probability: 2 }]);
    expect(bad.status).toBe(400);
    expect((bad.body as { message: string }).message).toMatch(/0\.probability/);
    expect((await chaosApi('faults', 'PATCH', [{ servise: 's3' }])).status).toBe(400);
    expect((await chaosApi('faults', 'GET')).body).toEqual([{ service: 's3' }]);
  });

  it('is behind the request gate like everything else (a foreign page cannot set faults)', async () => {
    const res = await rawRequest(`${edge}/_localstack/chaos/faults`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: '[{}]',
    });
    expect(res.status).toBe(403);
    expect((await chaosApi('faults', 'GET')).body).toEqual([]);
  });
});

describe('faults in each service’s own shape', () => {
  it('S3 SlowDown (XML), by operation only', async () => {
    await chaosApi('faults', 'POST', [
      { service: 's3', operation: 'GetObject', error: { statusCode: 503, code: 'SlowDown' } },
    ]);
    const client = s3();
    await client.send(new PutObjectCommand({ Bucket: 'octember-bizcard', Key: 'chaos/a.txt', Body: 'a' }));
    await expect(
      client.send(new GetObjectCommand({ Bucket: 'octember-bizcard', Key: 'chaos/a.txt' })),
    ).rejects.toMatchObject({
      name: 'SlowDown',
      $metadata: { httpStatusCode: 503 },
    });
    client.destroy();
  });

  it('Kinesis ProvisionedThroughputExceededException (AWS JSON), by region; the first matching rule decides', async () => {
    await chaosApi('faults', 'POST', [
      { service: 'kinesis', region: 'eu-west-1', probability: 0 },
      { service: 'kinesis', error: { statusCode: 400, code: 'ProvisionedThroughputExceededException' } },
    ]);
    const put = (region: string) =>
      kinesis(region).send(
        new PutRecordCommand({ StreamName: 'octember-bizcard-img', PartitionKey: 'k', Data: Buffer.from('x') }),
      );
    await expect(put('us-east-1')).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    // eu-west-1 matches the first rule, whose probability is 0: no fault, and the second rule is not consulted
    await expect(put('eu-west-1')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('OpenSearch 429 es_rejected_execution_exception, and dropped connections', async () => {
    await chaosApi('faults', 'POST', [
      { service: 'opensearch', operation: 'bulk', error: { statusCode: 429, code: 'es_rejected_execution_exception' } },
      { service: 'opensearch', operation: 'count', drop: true },
    ]);
    const os = stack.services.endpoints.opensearch as string;
    const bulk = await rawRequest(`${os}/_bulk`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: '{"index":{"_index":"x"}}\n{"a":1}\n',
    });
    expect(bulk.status).toBe(429);
    expect(JSON.parse(bulk.body).error.type).toBe('es_rejected_execution_exception');
    await expect(rawRequest(`${os}/x/_count`)).rejects.toThrow();
    expect((await rawRequest(`${os}/`)).status).toBe(200);
  });

  it('Gremlin ConcurrentModificationException (Neptune envelope) on writes only', async () => {
    await chaosApi('faults', 'POST', [
      { service: 'gremlin', operation: 'write', error: { statusCode: 500, code: 'ConcurrentModificationException' } },
    ]);
    const graph = createGremlinGraphStore({ url: stack.services.endpoints.gremlin as string });
    try {
      await expect(graph.traversal().addV('person').property('name', 'x').iterate()).rejects.toThrow(
        /ConcurrentModificationException/,
      );
      expect(await graph.traversal().V().limit(1).toList()).toBeInstanceOf(Array);
    } finally {
      await graph.close();
    }
  });

  it.skipIf(!hasRedis)(
    `Redis error replies, latency and drops through the kit's proxy${hasRedis ? '' : ' (skipped: redis-server not installed)'}`,
    async () => {
      const redis = new Redis(stack.services.endpoints.redis as string, { maxRetriesPerRequest: 0 });
      try {
        await chaosApi('faults', 'POST', [
          { service: 'redis', operation: 'HSET', error: { code: 'BUSY' } },
          { service: 'redis', operation: 'DBSIZE', drop: true },
        ]);
        await redis.set('chaos:k', 'v');
        await expect(redis.hset('chaos:h', 'f', 'v')).rejects.toThrow(/^BUSY /);
        // replies stay in command order around an injected one
        const replies = await redis.pipeline().get('chaos:k').hset('chaos:h', 'f', 'v').get('chaos:k').exec();
        expect(replies?.map(([err, value]) => (err ? 'error' : value))).toEqual(['v', 'error', 'v']);
        await expect(redis.dbsize()).rejects.toThrow();
      } finally {
        redis.disconnect();
      }
    },
  );
});

describe('the pipeline under throttling', () => {
  it('retries and backoff absorb it: every card reaches END, searchable, in the graph', async () => {
    const chaos = sharedChaos();
    const before = chaos.stats().injected;
    await chaosApi('faults', 'POST', [
      {
        service: 'kinesis',
        operation: 'PutRecord',
        probability: 0.3,
        error: { statusCode: 400, code: 'ProvisionedThroughputExceededException' },
      },
      {
        service: 'kinesis',
        operation: 'GetRecords',
        probability: 0.3,
        error: { statusCode: 400, code: 'ProvisionedThroughputExceededException' },
      },
      { service: 's3', operation: 'CopyObject', probability: 0.3, error: { statusCode: 503, code: 'SlowDown' } },
      { service: 's3', operation: 'GetObject', probability: 0.3, error: { statusCode: 503, code: 'SlowDown' } },
      {
        service: 'opensearch',
        operation: 'bulk',
        probability: 0.5,
        error: { statusCode: 429, code: 'es_rejected_execution_exception' },
      },
      {
        service: 'gremlin',
        operation: 'write',
        probability: 0.5,
        error: { statusCode: 500, code: 'ConcurrentModificationException' },
      },
      { service: 'redis', operation: 'MULTI', probability: 0.2, error: { code: 'BUSY' } },
    ]);
    // one card at a time, so each record is its own batch and every consumer call meets the dice
    const files = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
    const ids = files.map((f, i) => `c${i}_${f}`);
    // under the test's timeout, so a card that never ends fails with its id and last status rather than a timeout
    const deadline = Date.now() + 200_000;
    const ended = new Set<string>();
    const lastStatus = new Map<string, string>();
    for (const [i, f] of files.entries()) {
      const res = await fetch(`${stack.api.url}/v1/octember-bizcard/bizcard-raw-img/${ids[i]}`, {
        method: 'PUT',
        headers: { 'x-api-key': API_KEY, 'content-type': 'image/jpeg' },
        body: await readFile(join(REAL, f)),
      });
      expect(res.status).toBe(200);
      while (!ended.has(ids[i]) && Date.now() < deadline) {
        const status = await fetch(`${stack.api.url}/v1/status/${ids[i]}`, { headers: { 'x-api-key': API_KEY } });
        const body = await status.text();
        lastStatus.set(ids[i], `${status.status} ${body}`);
        if (status.status === 200 && (JSON.parse(body) as { status: string }).status === 'END') ended.add(ids[i]);
        else await new Promise((r) => setTimeout(r, 100));
      }
    }
    const unfinished = ids.filter((id) => !ended.has(id)).map((id) => `${id}: ${lastStatus.get(id)}`);
    expect(unfinished, 'cards that never reached END, with their last status').toEqual([]);
    // the stream's two consumers are done: every card searchable, every owner's knows edge in the graph
    const graph = createGremlinGraphStore({ url: stack.services.endpoints.gremlin as string });
    const owners = ids.map((id) => id.split('_')[0]);
    let searchable = 0;
    let linked = 0;
    while ((searchable < ids.length || linked < owners.length) && Date.now() < deadline) {
      const count = await fetch(`${stack.services.endpoints.opensearch}/octember_bizcard/_count`);
      searchable = ((await count.json()) as { count: number }).count;
      linked = Number(
        (
          await graph
            .traversal()
            .V()
            .has('person', 'owner_id', P.within(...owners))
            .outE('knows')
            .count()
            .next()
        ).value,
      );
      await new Promise((r) => setTimeout(r, 300));
    }
    await graph.close();
    expect([searchable, linked]).toEqual([ids.length, owners.length]);
    await stack.idle();
    const injected = chaos.stats().injected;
    const delta = (prefix: string) =>
      Object.entries(injected)
        .filter(([k]) => k.startsWith(prefix))
        .reduce((n, [k, v]) => n + v - (before[k] ?? 0), 0);
    // each family was injected at least once, and absorbed
    for (const family of ['kinesis:', 's3:', 'opensearch:', 'gremlin:'])
      expect(delta(family), family).toBeGreaterThan(0);
    await chaosApi('faults', 'POST', []);
    const failures = await readdir(join(dataDir, 'failures')).catch(() => []);
    expect(failures).toEqual([]);
    console.log(
      `faults injected and absorbed: ${JSON.stringify(Object.fromEntries(Object.keys(injected).map((k) => [k, injected[k] - (before[k] ?? 0)])))}`,
    );
  }, 260_000);

  it('a record that can never succeed lands in the failure destination after its retries; the rest go on', async () => {
    await chaosApi('faults', 'POST', [
      { service: 'opensearch', operation: 'bulk', error: { statusCode: 400, code: 'mapper_parsing_exception' } },
    ]);
    const file = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort()[7];
    const res = await fetch(`${stack.api.url}/v1/octember-bizcard/bizcard-raw-img/poison_${file}`, {
      method: 'PUT',
      headers: { 'x-api-key': API_KEY, 'content-type': 'image/jpeg' },
      body: await readFile(join(REAL, file)),
    });
    expect(res.status).toBe(200);
    const dir = join(dataDir, 'failures', 'upsert-to-search');
    const found = await filesWhenThere(dir, 90_000);
    expect(found).toHaveLength(1);
    const record = JSON.parse(await readFile(join(dir, found[0]), 'utf8'));
    expect(record.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(record.error.errorMessage).toMatch(/batchItemFailures/);
    expect(Buffer.from(record.records[0].kinesis.data, 'base64').toString()).toContain(`poison_${file}`);
    // the graph consumer of the same stream was not held up
    const status = await fetch(`${stack.api.url}/v1/status/poison_${file}`, { headers: { 'x-api-key': API_KEY } });
    expect(((await status.json()) as { status: string }).status).toBe('END');
  }, 120_000);
});
