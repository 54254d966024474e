import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisCache, createRedisStatusStore, statusKey } from '../../src/adapters/redis/index.js';
import { freePort } from '../runtime/support/kinesis-local.js';

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
  it('stores status as a hash per image with data JSON-encoded, and reads it back', async () => {
    const status = createRedisStatusStore(redis);
    const data = {
      name: 'Edy',
      job_title: 'CTO',
      company: null,
      email: 'e@x.io',
      phone_number: null,
      phones: [{ number: '1', kind: 'mobile' as const }],
      addr: null,
      url: null,
    };
    await status.put({
      imageId: 'edy_a1.jpg',
      status: 'FAILED',
      s3_bucket: 'b',
      s3_key: 'bizcard-raw-img/edy_a1.jpg',
      owner: 'edy',
      data: null,
      updated_at: 't1',
      error: 'boom',
    });
    await status.put({
      imageId: 'edy_a1.jpg',
      status: 'END',
      s3_bucket: 'b',
      s3_key: 'bizcard-raw-img/edy_a1.jpg',
      owner: 'edy',
      data,
      updated_at: 't2',
    });
    expect(await redis.type(statusKey('edy_a1.jpg'))).toBe('hash');
    expect(statusKey('edy_a1.jpg')).toBe('octember:status:edy_a1.jpg');
    const hash = await redis.hgetall('octember:status:edy_a1.jpg');
    expect(JSON.parse(hash.data)).toEqual(data);
    expect(hash.status).toBe('END');
    expect(hash.error).toBeUndefined();
    expect(await status.get('edy_a1.jpg')).toEqual({
      imageId: 'edy_a1.jpg',
      status: 'END',
      s3_bucket: 'b',
      s3_key: 'bizcard-raw-img/edy_a1.jpg',
      owner: 'edy',
      data,
      updated_at: 't2',
    });
    expect(await status.get('unknown.jpg')).toBeUndefined();
  });

  it('cache sets a TTL and deletePrefix removes exactly the keys under the prefix, glob characters included', async () => {
    const cache = createRedisCache(redis);
    await cache.set('pymk:u*1:a', 'x', 600);
    await cache.set('pymk:u*1:b', 'y', 600);
    await cache.set('pymk:u11:a', 'z', 600);
    expect(await cache.get('pymk:u*1:a')).toBe('x');
    const ttl = await redis.ttl('pymk:u*1:a');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(600);
    expect(await cache.deletePrefix('pymk:u*1:')).toBe(2);
    expect(await cache.get('pymk:u*1:b')).toBeUndefined();
    expect(await cache.get('pymk:u11:a')).toBe('z');
  });
});
