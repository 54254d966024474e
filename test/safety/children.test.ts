import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath, startRedis } from '../../src/emulators/redis/index.js';
import { isAlive, spawnWatched } from '../../src/lib/child-process.js';
import { takeStartupNotes } from '../../src/lib/startup-notes.js';
import { freePort } from '../../src/targets/containers-backends.js';

const redisServer = findOnPath('redis-server');
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async (name: string) => {
  const dir = await mkdtemp(join(tmpdir(), `octember-${name}-`));
  dirs.push(dir);
  return dir;
};
const waitGone = async (pid: number, ms = 15_000) => {
  for (let waited = 0; waited < ms && isAlive(pid); waited += 100) await new Promise((r) => setTimeout(r, 100));
  return !isAlive(pid);
};

describe('child processes never outlive the kit', () => {
  it.skipIf(!redisServer)(
    `redis-server exits when its parent is killed with SIGKILL${redisServer ? '' : ' (skipped: redis-server not installed)'}`,
    async () => {
      const dataDir = await tempDir('children');
      const host = spawn(process.execPath, ['--import', 'tsx', 'test/safety/support/children-host.ts', dataDir], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, OCTEMBER_LOG_LEVEL: 'silent' },
      });
      const pids = await new Promise<{ redis: number }>((resolve, reject) => {
        let out = '';
        host.stdout!.on('data', (d) => {
          out += d;
          const m = /PIDS redis=(\d+)/.exec(out);
          if (m) resolve({ redis: Number(m[1]) });
        });
        host.once('exit', (code) => reject(new Error(`host exited (${code}): ${out}`)));
      });
      expect(isAlive(pids.redis)).toBe(true);
      host.kill('SIGKILL');
      expect(await waitGone(pids.redis)).toBe(true);
    },
    60_000,
  );

  it('the shell watchdog passes SIGTERM on and stops the child when the lifeline closes', async () => {
    const run = async (stop: (child: ReturnType<typeof spawnWatched>) => void) => {
      const child = spawnWatched('sleep', ['300']);
      await new Promise((r) => setTimeout(r, 200));
      const sleeper = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').split(' ')[0]);
      expect(isAlive(sleeper)).toBe(true);
      const exited = new Promise((r) => child.once('exit', r));
      stop(child);
      expect(await waitGone(sleeper, 5000)).toBe(true);
      await exited;
    };
    await run((child) => child.kill('SIGTERM'));
    await run((child) => child.stdin?.destroy());
  });

  it.skipIf(!redisServer)(
    `a restart stops a redis-server a crashed run left on the same files, and says so${redisServer ? '' : ' (skipped: redis-server not installed)'}`,
    async () => {
      const dataDir = await tempDir('leftover');
      const dir = join(dataDir, 'redis');
      await mkdir(dir, { recursive: true });
      const pidFile = join(dir, 'redis-server.pid');
      // an orphan from an earlier run: same directory, same append-only file, its own port
      const orphan = spawn(
        redisServer as string,
        [
          '--port',
          String(await freePort()),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--appendonly',
          'yes',
          '--pidfile',
          pidFile,
          '--save',
          '',
        ],
        { stdio: 'ignore' },
      );
      for (let i = 0; i < 100; i++) {
        const text = await readFile(pidFile, 'utf8').catch(() => '');
        if (text.trim()) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(isAlive(orphan.pid!)).toBe(true);
      const redis = await startRedis({ dataDir, port: 0 });
      try {
        expect(isAlive(orphan.pid!)).toBe(false);
        const notes = takeStartupNotes(dataDir);
        expect(notes.map((n) => n.message).join('\n')).toMatch(/stopped redis-server \(pid \d+\) left running/);
      } finally {
        await redis?.close();
      }
    },
    30_000,
  );

  it('leaves a process alone when the pid file names an unrelated one', async () => {
    const dataDir = await tempDir('stale-pid');
    await mkdir(join(dataDir, 'redis'), { recursive: true });
    await writeFile(join(dataDir, 'redis', 'redis-server.pid'), `${process.pid}\n`);
    const redis = await startRedis({ dataDir, port: 0 });
    await redis?.close();
    expect(isAlive(process.pid)).toBe(true);
  });
});
