// The Redis adapters against a private redis-server: the Cache and StatusStore contracts, plus the key layout
// other tools rely on. Skipped, with the reason in its title, where redis-server is not installed.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache, createRedisStatusStore, statusKey } from '../../src/adapters/redis/index.js';
import { cacheContract } from '../contracts/cache.contract.js';
import { statusStoreContract } from '../contracts/status-store.contract.js';
import { freePort } from '../runtime/support/kinesis.js';

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const available = hasRedisServer();
let server: ChildProcess;
let redis: Redis;

beforeAll(async () => {
  if (!available) return;
  const port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let attempt = 0; ; attempt++) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      redis = client;
      break;
    } catch (error) {
      client.disconnect();
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}, 30_000);

afterAll(async () => {
  await redis?.quit();
  server?.kill();
});

describe.skipIf(!available)(`redis adapters${available ? '' : ' (skipped: redis-server not installed)'}`, () => {
  cacheContract('redis', async () => ({ cache: createRedisCache(redis) }));
  statusStoreContract('redis', async () => ({ status: createRedisStatusStore(redis) }));

  it('keeps status as a hash per image, data JSON-encoded, and no error field once a later put has none', async () => {
    const status = createRedisStatusStore(redis);
    const record = {
      imageId: 'edy_h1.jpg',
      status: 'FAILED' as const,
      s3_bucket: 'b',
      s3_key: 'bizcard-raw-img/edy_h1.jpg',
      owner: 'edy',
      data: null,
      updated_at: 't1',
      error: 'boom',
    };
    await status.put(record);
    expect(statusKey('edy_h1.jpg')).toBe('octember:status:edy_h1.jpg');
    expect(await redis.type('octember:status:edy_h1.jpg')).toBe('hash');
    expect(await redis.hget('octember:status:edy_h1.jpg', 'error')).toBe('boom');
    const { error: _error, ...done } = record;
    await status.put({ ...done, status: 'END', data: null });
    const hash = await redis.hgetall('octember:status:edy_h1.jpg');
    expect(hash).toMatchObject({ status: 'END', data: 'null' });
    expect(hash.error).toBeUndefined();
  });

  it('cache entries carry a Redis TTL', async () => {
    await createRedisCache(redis).set('search:edy:q', 'x', 600);
    const ttl = await redis.ttl('search:edy:q');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);
  });
});
