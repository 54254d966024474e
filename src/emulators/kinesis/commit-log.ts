// An append-only log with group commit: lines appended while a write + fdatasync is under way wait for the next one,
// so concurrent puts share one fsync. All I/O is asynchronous (libuv's thread pool): the event loop never waits on
// the disk. An append's `onDurable` runs, in append order, right after the fdatasync that covers it.
import { type FileHandle, open } from 'node:fs/promises';

interface Pending {
  line: string;
  onDurable?: () => void;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class CommitLog {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  /** Bytes in the file (what was there at open plus what was appended). */
  bytes: number;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    size: number,
  ) {
    this.bytes = size;
  }

  static async open(file: string): Promise<CommitLog> {
    const handle = await open(file, 'a');
    const { size } = await handle.stat();
    return new CommitLog(file, handle, size);
  }

  /** The first write or sync error: once the disk failed, every later append fails too. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** `line` must end with a newline. Resolves once it is on stable storage. */
  append(line: string, onDurable?: () => void): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error(`${this.file} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, onDurable, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const text = batch.length === 1 ? batch[0].line : batch.map((p) => p.line).join('');
      try {
        const data = Buffer.from(text, 'utf8');
        await this.handle.appendFile(data);
        await this.handle.datasync();
        this.bytes += data.length;
      } catch (error) {
        this.failure ??= error as Error;
        for (const p of [...batch, ...this.queue.splice(0)]) p.reject(this.failure);
        break;
      }
      for (const p of batch) p.onDurable?.();
      for (const p of batch) p.resolve();
    }
    this.flushing = undefined;
  }

  /** Waits for the appends so far to be durable (or to fail). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    await this.handle.close();
  }
}
