// Files that survive a crash: whole files replaced atomically (temp file, fsync, rename, fsync of the directory) and
// append-only JSON-lines logs whose appends are written at once (safe from a process crash) and made durable with
// grouped fdatasync calls (safe from a power cut once the returned promise resolves).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { noteStartup, quarantineName } from './startup-notes.js';

/** Replaces `file` with `data` so a crash leaves either the old or the new content, both on stable storage. */
export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  await syncDirectory(dirname(file));
}

export function writeFileDurablySync(file: string, data: string | Uint8Array): void {
  fs.mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  syncDirectorySync(dirname(file));
}

/** Makes a rename or a new file in `dir` durable (a no-op where directories cannot be opened). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported on this platform / filesystem
  }
}

function syncDirectorySync(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // not supported on this platform / filesystem
  }
}

export interface AppendLogContents<T> {
  log: AppendLog<T>;
  /** Every readable entry, in append order. */
  entries: T[];
}

/**
 * A JSON-lines log. Reading it back drops a torn last line (an append cut by a crash, never acknowledged); any other
 * unreadable line means damage: the file is copied aside (quarantined), reported in the start-up summary, and the
 * readable entries are kept.
 */
export class AppendLog<T> {
  private fd: number;
  private syncing: Promise<void> | undefined;
  private dirty = false;
  private waiters: (() => void)[] = [];
  private failed: Error | undefined;
  private closed = false;
  /** Appended text waiting for a rewrite to put the new file in place. */
  private held: string[] | undefined;
  private rewriting: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  static async open<T>(file: string, component: string): Promise<AppendLogContents<T>> {
    await mkdir(dirname(file), { recursive: true });
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const lines = text.split('\n');
    const tail = lines.pop() ?? ''; // text after the last newline: a torn append
    const entries: T[] = [];
    let unreadable = 0;
    for (const line of lines) {
      if (!line) continue;
      try {
        entries.push(JSON.parse(line) as T);
      } catch {
        unreadable++;
      }
    }
    if (unreadable > 0) {
      const copy = quarantineName(file);
      await fs.promises.copyFile(file, copy);
      noteStartup({
        component,
        file,
        movedTo: copy,
        message: `${basename(file)}: ${unreadable} damaged line(s) skipped, ${entries.length} entries kept; the original is at ${copy}`,
      });
    }
    if (unreadable > 0 || tail !== '') {
      // rewrite without the torn tail / damaged lines, so new appends start on a line of their own
      await writeFileDurably(file, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    }
    const fd = fs.openSync(file, 'a');
    return { log: new AppendLog<T>(file, fd), entries };
  }

  /** Writes the entries now (they survive a crash of this process); resolves once they are on stable storage. */
  append(entries: readonly T[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.file} is closed`));
    if (this.failed) return Promise.reject(this.failed);
    if (entries.length > 0) {
      const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
      // While the file is being replaced, appends wait for the new one (they are not acknowledged before).
      if (this.held) this.held.push(text);
      else {
        fs.writeSync(this.fd, text);
        this.dirty = true;
      }
    }
    const durable = new Promise<void>((resolve) => this.waiters.push(resolve));
    this.scheduleSync();
    return durable.then(() => {
      if (this.failed) throw this.failed;
    });
  }

  /** One fdatasync at a time; appends made meanwhile share the next one. */
  private scheduleSync(): void {
    if (this.syncing || this.held) return;
    const waiting = this.waiters.splice(0);
    this.dirty = false;
    const fd = this.fd;
    this.syncing = new Promise<void>((resolve) => {
      fs.fdatasync(fd, (error) => {
        if (error) this.failed = error;
        resolve();
      });
    }).then(() => {
      this.syncing = undefined;
      for (const done of waiting) done();
      if (this.waiters.length > 0 || this.dirty) this.scheduleSync();
    });
  }

  /**
   * Replaces the whole log with `compute()` (evaluated once pending syncs are done), atomically. The new file is
   * written and fsynced off the event loop; appends made meanwhile are held and go to the new file after it.
   */
  rewrite(compute: () => readonly T[]): Promise<void> {
    const run = async () => {
      while (this.syncing) await this.syncing;
      if (this.closed) return;
      const entries = compute();
      this.held = [];
      try {
        await writeFileDurably(this.file, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
        const old = this.fd;
        this.fd = fs.openSync(this.file, 'a');
        fs.closeSync(old);
      } finally {
        this.followRename();
        const held = this.held;
        this.held = undefined;
        if (held.length > 0 && !this.failed) {
          fs.writeSync(this.fd, held.join(''));
          this.dirty = true;
        }
        if (this.waiters.length > 0 || this.dirty) this.scheduleSync();
      }
    };
    const done = this.rewriting.then(run, run);
    this.rewriting = done.catch(() => undefined);
    return done;
  }

  /**
   * After a rewrite that failed once its new file was in place, appends must go to that file, not to the replaced
   * one (lost at the next start); when it cannot be opened the log fails, so no append is acknowledged and lost.
   */
  private followRename(): void {
    try {
      if (fs.fstatSync(this.fd).ino === fs.statSync(this.file).ino) return;
      const old = this.fd;
      this.fd = fs.openSync(this.file, 'a');
      fs.closeSync(old);
    } catch (error) {
      this.failed ??= error as Error;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.rewriting;
    while (this.syncing) await this.syncing;
    this.closed = true;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }
}
