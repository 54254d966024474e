import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AppendLog } from '../../src/lib/durable-file.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('AppendLog', () => {
  it('keeps appends made while the log is being rewritten, after the rewritten entries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octember-appendlog-'));
    dirs.push(dir);
    const file = join(dir, 'log.ndjson');
    const { log } = await AppendLog.open<number>(file, 'test');
    // what the owner keeps in memory, as the Gremlin persistence does: the rewrite keeps what is still wanted
    const model: number[] = [];
    const add = (...n: number[]) => {
      model.push(...n);
      return log.append(n);
    };
    await add(1, 2, 3);
    const during: Promise<void>[] = [];
    const rewritten = log.rewrite(() => {
      // appended while the new file is being written and fsynced
      setImmediate(() => during.push(add(4), add(5, 6)));
      return model.filter((n) => n >= 3);
    });
    await rewritten;
    expect(during).toHaveLength(2);
    await Promise.all(during);
    await add(7);
    await log.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n').map(Number);
    expect(lines).toEqual([3, 4, 5, 6, 7]);
    const { entries, log: again } = await AppendLog.open<number>(file, 'test');
    await again.close();
    expect(entries).toEqual([3, 4, 5, 6, 7]);
  });

  it('never acknowledges an append it could lose: a rewrite failing after its new file is in place fails the log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octember-appendlog-'));
    dirs.push(dir);
    const file = join(dir, 'log.ndjson');
    const { log } = await AppendLog.open<number>(file, 'test');
    await log.append([1, 2]);
    const realOpen = fs.openSync;
    // the new file is renamed into place, then opening it for the next appends fails (EMFILE, say)
    const openSync = vi.spyOn(fs, 'openSync').mockImplementation((path, flags, mode) => {
      if (path === file && flags === 'a')
        throw Object.assign(new Error('EMFILE: too many open files'), { code: 'EMFILE' });
      return realOpen(path, flags, mode);
    });
    let held: Promise<void> | undefined;
    const rewritten = log.rewrite(() => {
      setImmediate(() => {
        held = log.append([3]);
        held.catch(() => undefined);
      });
      return [1, 2];
    });
    try {
      await expect(rewritten).rejects.toThrow('EMFILE');
    } finally {
      openSync.mockRestore();
    }
    // the append made meanwhile is refused, not acknowledged into the replaced file, and so is every later one
    await expect(held).rejects.toThrow('EMFILE');
    await expect(log.append([4])).rejects.toThrow('EMFILE');
    expect((await readFile(file, 'utf8')).trim().split('\n').map(Number)).toEqual([1, 2]);
  });
});
