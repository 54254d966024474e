// Write-ahead log of one delivery stream: every accepted record is appended to the open segment before the
// put is acknowledged; a flush seals the segment, and its file is deleted only once its records were delivered.
// A restart finds the undelivered segments and delivers them again (at-least-once, like Firehose).
import { copyFile, type FileHandle, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { noteStartup, quarantineName } from '../../lib/startup-notes.js';

export interface KinesisRecordMetadata {
  shardId: string;
  partitionKey: string;
  sequenceNumber: string;
  subsequenceNumber?: number;
  /** epoch ms */
  approximateArrivalTimestamp: number;
}

export interface BufferedRecord {
  id: string;
  /** epoch ms of acceptance */
  arrival: number;
  data: Buffer;
  kinesis?: KinesisRecordMetadata;
}

export interface Segment {
  file: string;
  records: BufferedRecord[];
  bytes: number;
}

const SEGMENT = /^seg-(\d+)\.log$/;

/** The records of a segment; a torn last line (a put cut short by a crash, never acknowledged) is dropped. */
function parseSegment(text: string): { records: BufferedRecord[]; damaged: number } {
  const records: BufferedRecord[] = [];
  const lines = text.split('\n');
  lines.pop(); // after the last newline: empty, or the torn tail of an append that never completed
  let damaged = 0;
  for (const line of lines) {
    if (!line) continue;
    try {
      const row = JSON.parse(line) as { i: string; t: number; d: string; k?: KinesisRecordMetadata };
      records.push({
        id: row.i,
        arrival: row.t,
        data: Buffer.from(row.d, 'base64'),
        ...(row.k ? { kinesis: row.k } : {}),
      });
    } catch {
      damaged++;
    }
  }
  return { records, damaged };
}

export class RecordLog {
  private current!: Segment;
  private handle!: FileHandle;
  private next = 0;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(readonly dir: string) {}

  /** Opens the log; returns the segments left undelivered by an earlier run, oldest first. */
  static async open(dir: string): Promise<{ log: RecordLog; recovered: Segment[] }> {
    await mkdir(dir, { recursive: true });
    const log = new RecordLog(dir);
    const numbered = (await readdir(dir))
      .map((name) => ({ name, n: Number(SEGMENT.exec(name)?.[1] ?? Number.NaN) }))
      .filter((f) => Number.isFinite(f.n))
      .sort((a, b) => a.n - b.n);
    const recovered: Segment[] = [];
    for (const { name, n } of numbered) {
      const file = join(dir, name);
      const { records, damaged } = parseSegment(await readFile(file, 'utf8'));
      if (damaged > 0) {
        // not a torn tail: damage inside the file. Keep a copy, deliver what can be read, say so.
        const copy = quarantineName(file);
        await copyFile(file, copy);
        noteStartup({
          component: 'firehose',
          file,
          movedTo: copy,
          message: `${basename(dir)}/${name}: ${damaged} damaged record line(s) cannot be delivered (${records.length} readable ones will be); the segment is kept at ${copy}`,
        });
      }
      if (records.length === 0) await unlink(file);
      else recovered.push({ file, records, bytes: records.reduce((sum, r) => sum + r.data.length, 0) });
      log.next = n + 1;
    }
    await log.openSegment();
    return { log, recovered };
  }

  private async openSegment(): Promise<void> {
    const file = join(this.dir, `seg-${String(this.next++).padStart(8, '0')}.log`);
    this.handle = await open(file, 'a');
    this.current = { file, records: [], bytes: 0 };
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Bytes of record data in the open segment. */
  get openBytes(): number {
    return this.current.bytes;
  }

  get openCount(): number {
    return this.current.records.length;
  }

  append(records: BufferedRecord[]): Promise<void> {
    const lines = records
      .map(
        (r) =>
          `${JSON.stringify({ i: r.id, t: r.arrival, d: r.data.toString('base64'), ...(r.kinesis ? { k: r.kinesis } : {}) })}\n`,
      )
      .join('');
    return this.serialize(async () => {
      await this.handle.write(lines);
      await this.handle.datasync(); // on stable storage before the put is acknowledged
      const segment = this.current;
      for (const r of records) {
        segment.records.push(r);
        segment.bytes += r.data.length;
      }
    });
  }

  /** Seals the open segment (if it holds records) and starts a new one. */
  seal(): Promise<Segment | undefined> {
    return this.serialize(async () => {
      if (this.current.records.length === 0) return undefined;
      const sealed = this.current;
      await this.handle.close();
      await this.openSegment();
      return sealed;
    });
  }

  /** Forgets a delivered segment. */
  async remove(segment: Segment): Promise<void> {
    await unlink(segment.file).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  close(): Promise<void> {
    return this.serialize(async () => {
      await this.handle.close();
      if (this.current.records.length === 0) await unlink(this.current.file).catch(() => undefined);
    });
  }
}
