import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/adapters/memory/cache.js';
import { createRedisCache, indexedPrefixes } from '../../src/adapters/redis/cache.js';
import { findOnPath, type RedisHandle, startRedis } from '../../src/emulators/redis/index.js';
import { TextractJobs } from '../../src/emulators/textract/jobs.js';

/** Every cache and map the kit keeps has a bound; cache invalidation costs what it drops, not the keyspace. */
describe('the in-memory cache', () => {
  it('keeps at most maxEntries, dropping the least recently used', async () => {
    const cache = createMemoryCache({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) await cache.set(`k${i}`, 'v', 600);
    expect(cache.size).toBe(100);
    expect(await cache.get('k0')).toBeUndefined();
    expect(await cache.get('k900')).toBe('v'); // used: now the most recent
    for (let i = 1000; i < 1099; i++) await cache.set(`k${i}`, 'v', 600);
    expect(await cache.get('k900')).toBe('v');
    expect(await cache.get('k901')).toBeUndefined();
    expect(cache.size).toBe(100);
  });

  it('drops expired entries first', async () => {
    let now = 0;
    const cache = createMemoryCache({ maxEntries: 2, now: () => now });
    await cache.set('short', 'v', 1);
    await cache.set('long', 'v', 600);
    now = 5_000;
    await cache.set('new', 'v', 600);
    expect(await cache.get('long')).toBe('v');
    expect(await cache.get('short')).toBeUndefined();
  });
});

describe('the Textract job table', () => {
  it('keeps client tokens only for the jobs it keeps', async () => {
    const jobs = new TextractJobs();
    for (let i = 0; i < 2000; i++) jobs.start('text', `token-${i}`, async () => ({ blocks: [], pages: 1 }));
    expect(jobs.size.jobs).toBe(500);
    expect(jobs.size.tokens).toBe(500);
    expect(jobs.byToken('text', 'token-0')).toBeUndefined();
    expect(jobs.byToken('text', 'token-1999')).toBeTypeOf('string');
  });
});

const hasRedis = Boolean(findOnPath('redis-server'));
describe.skipIf(!hasRedis)(
  `Redis cache invalidation${hasRedis ? '' : ' (skipped: redis-server not installed)'}`,
  () => {
    let dataDir: string;
    let handle: RedisHandle | undefined;
    let redis: Redis;
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'octember-cache-'));
      handle = await startRedis({ dataDir, port: 0 });
      redis = new Redis(handle!.url);
    });
    afterAll(async () => {
      redis?.disconnect();
      await handle?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    const scans = async () => {
      const stats = await redis.info('commandstats');
      return Number(/cmdstat_scan:calls=(\d+)/.exec(stats)?.[1] ?? 0);
    };

    it('drops one prefix without scanning the keyspace', async () => {
      const cache = createRedisCache(redis);
      const filler = redis.pipeline();
      for (let i = 0; i < 20_000; i++) filler.set(`other:${i}`, 'x');
      await filler.exec();
      for (let i = 0; i < 50; i++) await cache.set(`search:edy:10:q${i}`, 'hit', 600);
      await cache.set('search:kim:10:q', 'hit', 600);
      await cache.set('pymk:edy:10', 'hit', 600);
      const before = await scans();
      expect(await cache.deletePrefix('search:edy:')).toBe(50);
      expect(await scans()).toBe(before);
      expect(await cache.get('search:edy:10:q1')).toBeUndefined();
      expect(await cache.get('search:kim:10:q')).toBe('hit');
      expect(await cache.get('pymk:edy:10')).toBe('hit');
      // the index itself went with it, and re-filling works
      await cache.set('search:edy:10:q1', 'again', 600);
      expect(await cache.deletePrefix('search:edy:')).toBe(1);
      expect(await cache.deletePrefix('search:')).toBe(1); // search:kim
    });

    it('index sets expire with their keys and forget expired members', async () => {
      const cache = createRedisCache(redis);
      await cache.set('pymk:short:1', 'x', 1);
      await cache.set('pymk:short:2', 'x', 600);
      const ttl = await redis.pttl('octember:cache-index:pymk:short:');
      expect(ttl).toBeGreaterThan(590_000);
      await new Promise((r) => setTimeout(r, 1100));
      await cache.set('pymk:short:3', 'x', 600);
      expect(await redis.zcard('octember:cache-index:pymk:short:')).toBe(2);
    });

    it('indexes the prefixes that end at a colon', () => {
      expect(indexedPrefixes('search:edy:10:q:x:y')).toEqual([
        'search:',
        'search:edy:',
        'search:edy:10:',
        'search:edy:10:q:',
      ]);
      expect(indexedPrefixes('search::10:q')).toEqual(['search:', 'search::', 'search::10:']);
      expect(indexedPrefixes('plain')).toEqual([]);
    });
  },
);
