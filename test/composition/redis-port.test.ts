import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStatusStore, statusKey } from '../../src/adapters/redis/index.js';
import { isTransientRedisReply, redisPort } from '../../src/composition/ports/redis.js';
import { Chaos } from '../../src/emulators/chaos/chaos.js';
import { type RedisProxy, startRedisProxy } from '../../src/emulators/redis/chaos-proxy.js';
import { findOnPath, type RedisHandle, startRedis } from '../../src/emulators/redis/index.js';

const reply = (message: string) => Object.assign(new Error(message), { name: 'ReplyError' });

describe('a port over Redis', () => {
  it('retries a transient error reply with backoff, and names the server when it gives up', async () => {
    let calls = 0;
    const port = redisPort(
      {
        async flaky() {
          calls++;
          if (calls < 3) throw reply('LOADING Redis is loading the dataset in memory');
          return 'done';
        },
        async wrong(): Promise<never> {
          calls++;
          throw reply('WRONGTYPE Operation against a key holding the wrong kind of value');
        },
      },
      'redis://127.0.0.1:6379',
    );
    expect(await port.flaky()).toBe('done');
    expect(calls).toBe(3);
    calls = 0;
    await expect(port.wrong()).rejects.toThrow(/^Redis at redis:\/\/127\.0\.0\.1:6379: WRONGTYPE /);
    expect(calls).toBe(1);
    expect(isTransientRedisReply(reply('BUSY Redis is busy running a script'))).toBe(true);
    expect(isTransientRedisReply(new Error('BUSY but not a reply'))).toBe(false);
  });
});

const hasRedis = Boolean(findOnPath('redis-server'));

describe.skipIf(!hasRedis)(
  `the status store behind the chaos proxy${hasRedis ? '' : ' (skipped: redis-server not installed)'}`,
  () => {
    let dataDir: string;
    let server: RedisHandle;
    let proxy: RedisProxy;
    let redis: Redis;
    // the dice: a rule with probability 0.5 fires on 0 and passes on 0.9
    const dice: number[] = [];
    const chaos = new Chaos(() => dice.shift() ?? 0.9);
    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'octember-redis-port-'));
      server = (await startRedis({ dataDir, port: 0, portAttempts: 1 })) as RedisHandle;
      const upstreamPort = Number(new URL(server.directUrl as string).port);
      proxy = await startRedisProxy({ upstreamPort, port: 0, host: '127.0.0.1', portAttempts: 1, chaos });
      redis = new Redis(proxy.url, { maxRetriesPerRequest: 0 });
    });
    afterAll(async () => {
      redis?.disconnect();
      await proxy?.close();
      await server?.close();
      await rm(dataDir, { recursive: true, force: true });
    });

    const record = {
      imageId: 'tx.jpg',
      status: 'START' as const,
      s3_bucket: 'b',
      s3_key: 'bizcard-raw-img/tx.jpg',
      owner: 'o',
      data: null,
      updated_at: 't0',
    };

    it('writes a status whole after refused transactions, and never half of one', async () => {
      const status = redisPort(createRedisStatusStore(redis), proxy.url);
      await status.put(record);
      chaos.setFaults([{ service: 'redis', operation: 'MULTI', probability: 0.5, error: { code: 'BUSY' } }]);
      try {
        dice.push(0, 0);
        await status.put({ ...record, status: 'END', updated_at: 't1' });
        expect(chaos.stats().injected['redis:MULTI:BUSY']).toBe(2);
        expect(await redis.hgetall(statusKey('tx.jpg'))).toMatchObject({ status: 'END', updated_at: 't1' });
        // refused every time: the put fails, and the record is as it was (no field of the failed put landed)
        dice.push(0, 0, 0, 0, 0, 0);
        await expect(status.put({ ...record, status: 'FAILED', updated_at: 't2', error: 'x' })).rejects.toThrow(
          /^Redis at redis:\/\/127\.0\.0\.1:\d+: BUSY /,
        );
        const hash = await redis.hgetall(statusKey('tx.jpg'));
        expect(hash).toMatchObject({ status: 'END', updated_at: 't1' });
        expect(hash.error).toBeUndefined();
      } finally {
        chaos.setFaults([]);
      }
    });
  },
);
