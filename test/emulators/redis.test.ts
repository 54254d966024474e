import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath, startRedis } from '../../src/emulators/redis/index.js';

const hasRedis = Boolean(findOnPath('redis-server'));
let dataDir: string;
const savedEnv = { REDIS_URL: process.env.REDIS_URL, PATH: process.env.PATH };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-redis-'));
  delete process.env.REDIS_URL;
});
afterEach(() => {
  delete process.env.REDIS_URL;
  process.env.PATH = savedEnv.PATH;
});
afterAll(async () => {
  if (savedEnv.REDIS_URL !== undefined) process.env.REDIS_URL = savedEnv.REDIS_URL;
  await rm(dataDir, { recursive: true, force: true });
});

describe('startRedis', () => {
  it('returns REDIS_URL untouched when it is set', async () => {
    process.env.REDIS_URL = 'redis://example.invalid:6390';
    const handle = await startRedis({ dataDir });
    expect(handle?.url).toBe('redis://example.invalid:6390');
    expect(handle?.managed).toBe(false);
    await handle?.close();
  });

  it('returns undefined when redis-server is not on PATH', async () => {
    process.env.PATH = '/nonexistent-dir';
    expect(await startRedis({ dataDir })).toBeUndefined();
  });

  it.skipIf(!hasRedis)(
    `spawns redis-server that answers PING and keeps data across a restart${hasRedis ? '' : ' (skipped: redis-server not installed)'}`,
    async () => {
      const first = await startRedis({ dataDir, port: 0 });
      expect(first?.managed).toBe(true);
      const client = new Redis(first!.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      await client.set('octember:test', 'persisted');
      client.disconnect();
      await first!.close();

      const second = await startRedis({ dataDir, port: 0 });
      const again = new Redis(second!.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await again.connect();
      expect(await again.get('octember:test')).toBe('persisted');
      again.disconnect();
      await second!.close();
    },
  );

  it.skipIf(!hasRedis)(
    `moves to the next free port when the requested one is taken${hasRedis ? '' : ' (skipped: redis-server not installed)'}`,
    async () => {
      const blocker = net.createServer();
      await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
      const taken = (blocker.address() as net.AddressInfo).port;
      const handle = await startRedis({ dataDir: join(dataDir, 'second'), port: taken });
      try {
        const port = Number(new URL(handle!.url).port);
        expect(port).toBeGreaterThan(taken);
        const client = new Redis(handle!.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await client.connect();
        expect(await client.ping()).toBe('PONG');
        client.disconnect();
      } finally {
        await handle?.close();
        blocker.close();
      }
    },
  );
});
