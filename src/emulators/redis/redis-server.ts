import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { spawnWatched, stopLeftover } from '../../lib/child-process.js';
import { logger } from '../../lib/logger.js';
import { startRedisProxy } from './chaos-proxy.js';

export interface RedisHandle {
  url: string;
  /** redis-server itself, behind the kit's proxy (managed servers only) */
  directUrl?: string;
  /** true when this process spawned redis-server (false for REDIS_URL) */
  readonly managed: boolean;
  close(): Promise<void>;
}

export interface RedisOptions {
  dataDir: string;
  /** default 6379; the next free port when taken; 0 = any free port */
  port?: number;
  host?: string;
  /** how many successive ports to try (default 50) */
  portAttempts?: number;
}

export function findOnPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

async function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((done) => {
    const srv = net.createServer();
    srv.once('error', () => done(false));
    srv.listen(port, host, () => srv.close(() => done(true)));
  });
}

async function pickPort(port: number, host: string, attempts: number): Promise<number> {
  if (port === 0) {
    return new Promise((done, reject) => {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, host, () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => done(p));
      });
    });
  }
  for (let i = 0; i < attempts; i++) if (await portIsFree(port + i, host)) return port + i;
  throw new Error(`no free port for redis-server in ${port}..${port + attempts - 1}`);
}

/** Sends PING over a raw socket; true on +PONG (or a LOADING/auth error: the server is up). */
export function ping(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = net.connect(port, host);
    let reply = '';
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
    socket.on('error', () => finish(false));
  });
}

/**
 * A Redis for the embedded target: `REDIS_URL` if set; else a `redis-server` child with its append-only file under
 * `${dataDir}/redis`, reached through the kit's proxy (chaos rules for service `redis`) on `port` or the next free
 * one; else one warning line and `undefined` (callers use an in-memory cache).
 */
export async function startRedis(opts: RedisOptions): Promise<RedisHandle | undefined> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, managed: false, close: async () => {} };
  const binary = findOnPath('redis-server');
  if (!binary) {
    logger.warn(
      'redis-server not found on PATH and REDIS_URL not set: using the in-memory cache (install redis-server for a real Redis)',
    );
    return undefined;
  }
  const host = opts.host ?? '127.0.0.1';
  const dir = resolve(opts.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  // A redis-server a crashed run left behind must not keep writing the append-only file the new one reads.
  await stopLeftover(join(dir, 'redis-server.pid'), 'redis-server', 'redis');
  for (let attempt = 0; ; attempt++) {
    // redis-server on a private loopback port; the kit's proxy (chaos, HTTP cut-off) on the one clients use
    const port = await pickPort(0, '127.0.0.1', 1);
    try {
      const server = await spawnRedis(binary, port, '127.0.0.1', dir);
      const proxy = await startRedisProxy({
        upstreamPort: port,
        upstreamHost: '127.0.0.1',
        port: opts.port ?? 6379,
        host,
        portAttempts: opts.portAttempts ?? 50,
      }).catch(async (err) => {
        await server.close();
        throw err;
      });
      return {
        url: proxy.url,
        directUrl: server.url,
        managed: true,
        async close() {
          await proxy.close();
          await server.close();
        },
      };
    } catch (err) {
      // Another process can grab the port between our probe and redis binding it: try again a few times.
      if (attempt >= 3) throw err;
      logger.debug({ err, port }, 'redis-server failed to start; retrying on another port');
    }
  }
}

async function spawnRedis(binary: string, port: number, host: string, dir: string): Promise<RedisHandle> {
  const args = [
    '--port',
    String(port),
    '--bind',
    // loopback only; `-::1` binds IPv6 loopback too when the machine has it
    ...(host === '127.0.0.1' ? ['127.0.0.1', '-::1'] : [host]),
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    '--loglevel',
    'warning',
    '--pidfile',
    join(dir, 'redis-server.pid'),
  ];
  // redis-server cannot watch its parent: a shell watchdog stops it when this process dies, even by SIGKILL.
  const child: ChildProcess = spawnWatched(binary, args);
  const output: string[] = [];
  const remember = (d: Buffer) => {
    output.push(d.toString());
    if (output.length > 20) output.shift();
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const killOnExit = () => child.kill('SIGTERM'); // redis flushes its append-only file on SIGTERM
  process.once('exit', killOnExit);
  let exited = false;
  let closing = false;
  child.once('exit', (code, signal) => {
    exited = true;
    process.removeListener('exit', killOnExit);
    if (closing) return;
    // exit 0: redis-server saved and stopped on a signal (Ctrl-C reaches the whole process group before our close)
    if (code === 0) logger.info({ code }, 'redis-server stopped');
    else logger.error({ code, signal, output: output.join('').trim() }, 'redis-server exited');
  });
  const deadline = Date.now() + 10_000;
  while (!(await ping(port, host))) {
    if (exited || Date.now() > deadline) {
      hardStop(child);
      throw new Error(`redis-server did not start on port ${port}: ${output.join('').trim()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  let closed: Promise<void> | undefined;
  return {
    url: `redis://${host}:${port}`,
    managed: true,
    close() {
      closed ??= new Promise<void>((done) => {
        closing = true;
        if (exited) return done();
        const timer = setTimeout(() => hardStop(child), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM'); // redis flushes the append-only file on SIGTERM
      });
      return closed;
    },
  };
}

/** Closing the lifeline makes the watchdog stop redis-server; the shell itself goes at once. */
function hardStop(child: ChildProcess): void {
  child.stdin?.destroy();
  child.kill('SIGKILL');
}
