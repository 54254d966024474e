import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Chaos } from '../../src/emulators/chaos/chaos.js';
import { type RedisProxy, startRedisProxy } from '../../src/emulators/redis/chaos-proxy.js';
import { findOnPath, type RedisHandle, startRedis } from '../../src/emulators/redis/index.js';

const hasRedis = Boolean(findOnPath('redis-server'));
const command = (...args: string[]) =>
  Buffer.from(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);

/** A raw RESP connection: writes bytes as given, collects every reply byte. */
async function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.on('data', (d) => {
    received += d.toString('latin1');
  });
  return {
    write: (bytes: Buffer) => new Promise<void>((resolve) => socket.write(bytes, () => resolve())),
    /** Waits until the replies so far match `pattern`. */
    async until(pattern: RegExp, tries = 200): Promise<string> {
      for (let i = 0; i < tries && !pattern.test(received); i++) await new Promise((r) => setTimeout(r, 10));
      return received;
    },
    closed: new Promise<void>((resolve) => socket.once('close', () => resolve())),
    close: () => socket.destroy(),
  };
}

describe.skipIf(!hasRedis)(`the Redis proxy${hasRedis ? '' : ' (skipped: redis-server not installed)'}`, () => {
  let dataDir: string;
  let redis: RedisHandle;
  let proxy: RedisProxy;
  const chaos = new Chaos();
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'octember-redis-proxy-'));
    redis = (await startRedis({ dataDir, port: 0, portAttempts: 1 })) as RedisHandle;
    const upstreamPort = Number(new URL(redis.directUrl as string).port);
    proxy = await startRedisProxy({ upstreamPort, port: 0, host: '127.0.0.1', portAttempts: 1, chaos });
  });
  afterAll(async () => {
    await proxy?.close();
    await redis?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('forwards commands cut anywhere into chunks; chaos turned on mid-command starts at the next command', async () => {
    chaos.setFaults([]);
    const client = await rawClient(proxy.port);
    try {
      const value = 'v'.repeat(5000);
      const bytes = Buffer.concat([command('SET', 'proxy:k', value), command('GET', 'proxy:k')]);
      for (let at = 0; at < bytes.length; at += 777) await client.write(bytes.subarray(at, at + 777));
      expect(await client.until(/\$5000\r\nv+\r\n$/)).toBe(`+OK\r\n$5000\r\n${value}\r\n`);

      // half a SET goes through with chaos off, the rest after chaos came on: the SET is not judged, the HSET is
      const set = command('SET', 'proxy:k2', 'x'.repeat(300));
      await client.write(set.subarray(0, 100));
      chaos.setFaults([{ service: 'redis', operation: 'HSET', error: { code: 'BUSY' } }]);
      await client.write(
        Buffer.concat([set.subarray(100), command('HSET', 'proxy:h', 'f', 'v'), command('GET', 'proxy:k2')]),
      );
      const replies = (await client.until(/\$300\r\nx+\r\n$/)).slice(`+OK\r\n$5000\r\n${value}\r\n`.length);
      expect(replies).toMatch(
        /^\+OK\r\n-BUSY Failing as the chaos configuration says \(BUSY, redis HSET\)\r\n\$300\r\n/,
      );
    } finally {
      chaos.setFaults([]);
      client.close();
    }
  });

  it('sends a command begun while chaos was on in full once chaos is off', async () => {
    const client = await rawClient(proxy.port);
    try {
      chaos.setFaults([{ service: 'redis', operation: 'HSET', error: { code: 'BUSY' } }]);
      const set = command('SET', 'proxy:k3', 'y'.repeat(300));
      await client.write(set.subarray(0, 100));
      await new Promise((r) => setTimeout(r, 50)); // the first part is held, waiting for the command's end
      chaos.setFaults([]);
      await client.write(Buffer.concat([set.subarray(100), command('GET', 'proxy:k3')]));
      expect(await client.until(/\$300\r\ny+\r\n$/)).toBe(`+OK\r\n$300\r\n${'y'.repeat(300)}\r\n`);
    } finally {
      chaos.setFaults([]);
      client.close();
    }
  });

  it('fails a transaction whole when a rule for MULTI or EXEC fires: none of its commands runs', async () => {
    const busy = `-BUSY Failing as the chaos configuration says (BUSY, redis MULTI)\r\n`;
    /** The replies to `commands` on a new connection, once the last one is in. */
    const replies = async (last: RegExp, ...commands: Buffer[]) => {
      const client = await rawClient(proxy.port);
      try {
        await client.write(Buffer.concat(commands));
        return await client.until(last);
      } finally {
        client.close();
      }
    };
    try {
      for (const operation of ['MULTI', 'EXEC']) {
        chaos.setFaults([{ service: 'redis', operation, error: { code: 'BUSY' } }]);
        const key = `proxy:tx:${operation}`;
        // the same error for every command of the transaction; EXEC is not judged alone (that would leave the
        // server inside MULTI), and the EXISTS after it is judged by the rules again (none matches it)
        expect(
          await replies(
            /:\d\r\n$/,
            command('MULTI'),
            command('SET', key, 'v'),
            command('EXEC'),
            command('EXISTS', key),
          ),
        ).toBe(`${busy.repeat(3)}:0\r\n`);
      }
      // DISCARD ends a refused transaction too
      chaos.setFaults([{ service: 'redis', operation: 'MULTI', error: { code: 'BUSY' } }]);
      const discarded = [command('MULTI'), command('SET', 'proxy:tx:d', 'v'), command('DISCARD')];
      expect(await replies(/:\d\r\n$/, ...discarded, command('EXISTS', 'proxy:tx:d'))).toBe(`${busy.repeat(3)}:0\r\n`);
      // with no rule for it, a transaction runs as usual under chaos
      chaos.setFaults([{ service: 'redis', operation: 'GET', error: { code: 'BUSY' } }]);
      expect(
        await replies(/\*1\r\n\+OK\r\n$/, command('MULTI'), command('SET', 'proxy:tx:ok', 'v'), command('EXEC')),
      ).toBe('+OK\r\n+QUEUED\r\n*1\r\n+OK\r\n');
    } finally {
      chaos.setFaults([]);
    }
  });

  it('cuts a connection that speaks HTTP before redis-server reads any of it', async () => {
    const client = await rawClient(proxy.port);
    try {
      await client.write(Buffer.from('POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nSET proxy:http pwned\r\n'));
      await client.closed;
      expect(await client.until(/never/, 0)).toBe('');
    } finally {
      client.close();
    }
    const direct = await rawClient(Number(new URL(redis.directUrl as string).port));
    try {
      await direct.write(command('EXISTS', 'proxy:http'));
      expect(await direct.until(/\r\n$/)).toBe(':0\r\n');
    } finally {
      direct.close();
    }
  });

  it('delays every command by the latency effect and drops a connection when told', async () => {
    const client = await rawClient(proxy.port);
    try {
      chaos.setEffects({ latency: 150 });
      const began = performance.now();
      await client.write(command('PING'));
      await client.until(/\+PONG\r\n$/);
      expect(performance.now() - began).toBeGreaterThanOrEqual(140);
      chaos.setEffects({});
      chaos.setFaults([{ service: 'redis', operation: 'DBSIZE', drop: true }]);
      await client.write(command('DBSIZE'));
      await client.closed;
      expect(await client.until(/PONG/)).toBe('+PONG\r\n'); // and nothing for the DBSIZE
    } finally {
      chaos.setFaults([]);
      chaos.setEffects({});
      client.close();
    }
  });
});
