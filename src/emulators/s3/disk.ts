import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ChecksumAlgorithm, createHasher, type Hasher } from './checksums.js';

export type Digests = Partial<Record<ChecksumAlgorithm | 'MD5', Buffer>>;

/** Streams a body into `file` (never buffering it whole) while computing the requested digests. */
export async function streamToFile(
  source: Readable | Buffer | string | Uint8Array,
  file: string,
  algorithms: ReadonlyArray<ChecksumAlgorithm | 'MD5'>,
): Promise<{ size: number; digests: Digests }> {
  const hashers = new Map<ChecksumAlgorithm | 'MD5', Hasher>(algorithms.map((a) => [a, createHasher(a)]));
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      for (const h of hashers.values()) h.update(chunk);
      cb(null, chunk);
    },
  });
  const input =
    source instanceof Readable
      ? source
      : Readable.from([typeof source === 'string' ? Buffer.from(source) : Buffer.from(source)]);
  try {
    await pipeline(input, tap, createWriteStream(file));
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  const digests: Digests = {};
  for (const [a, h] of hashers) digests[a] = h.digest();
  return { size, digests };
}

/** Write-then-rename so a crash never leaves a half-written JSON file behind. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, file);
}

/** Serialises async sections per key (commit of an object version, completion of an upload). */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((r) => {
      release = r;
    });
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
