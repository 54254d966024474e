/** Durable state under `${dataDir}/opensearch/`: a JSON snapshot written on flush plus an append-only log of later writes. */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileDurablySync } from '../../lib/durable-file.js';
import { noteStartup, quarantineName } from '../../lib/startup-notes.js';
import { parseJson, stringifyJson } from './json.js';
import type { StoredDoc, Tombstone } from './shard.js';
import type { CreateIndexBody, IndexMappings } from './types.js';

export interface IndexSnapshot {
  name: string;
  uuid: string;
  createdAt: number;
  settings: Record<string, unknown>;
  mappings: IndexMappings;
  aliases?: Record<string, Record<string, unknown>>;
  docs: StoredDoc[];
}

export type LogRecord =
  | { op: 'create'; index: string; uuid: string; createdAt: number; body: CreateIndexBody }
  | { op: 'drop'; index: string }
  | { op: 'mapping'; index: string; mappings: IndexMappings }
  | { op: 'doc'; index: string; doc: StoredDoc | Tombstone }
  | { op: 'alias'; index: string; alias: string; opts: Record<string, unknown> | null }
  | { op: 'settings'; index: string; settings: Record<string, unknown> };

export class Persistence {
  private readonly snapshotPath: string;
  private readonly logPath: string;
  private fd: number | undefined;
  private buffer: string[] = [];
  /** Records appended since the last snapshot (the engine snapshots when the log grows large). */
  logRecords = 0;

  constructor(dataDir: string) {
    const dir = path.join(dataDir, 'opensearch');
    fs.mkdirSync(dir, { recursive: true });
    this.snapshotPath = path.join(dir, 'snapshot.json');
    this.logPath = path.join(dir, 'writes.log');
  }

  load(): { snapshot: IndexSnapshot[]; log: LogRecord[] } {
    let snapshot: IndexSnapshot[] = [];
    if (fs.existsSync(this.snapshotPath))
      snapshot = (parseJson(fs.readFileSync(this.snapshotPath, 'utf8')) as { indices: IndexSnapshot[] }).indices;
    const log: LogRecord[] = [];
    this.logRecords = 0;
    if (fs.existsSync(this.logPath)) {
      const lines = fs.readFileSync(this.logPath, 'utf8').split('\n');
      // after the last newline: empty, or the torn tail of a write a crash cut short (never acknowledged)
      const tail = lines.pop() ?? '';
      let damaged = 0;
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          log.push(parseJson(line) as LogRecord);
          this.logRecords++;
        } catch {
          damaged++;
        }
      }
      if (damaged > 0) {
        const copy = quarantineName(this.logPath);
        fs.copyFileSync(this.logPath, copy);
        noteStartup({
          component: 'opensearch',
          file: this.logPath,
          movedTo: copy,
          message: `search write log: ${damaged} damaged line(s) skipped, ${log.length} kept; the original is at ${copy}`,
        });
      }
      // Later appends must not land after a torn line (the next start would stop reading there): rewrite it clean.
      if (damaged > 0 || tail !== '')
        writeFileDurablySync(this.logPath, log.map((rec) => `${stringifyJson(rec)}\n`).join(''));
    }
    return { snapshot, log };
  }

  record(rec: LogRecord): void {
    this.buffer.push(stringifyJson(rec));
  }

  /** Writes buffered records to the log in one append. */
  commit(): void {
    if (this.buffer.length === 0) return;
    this.fd ??= fs.openSync(this.logPath, 'a');
    fs.writeSync(this.fd, `${this.buffer.join('\n')}\n`);
    this.logRecords += this.buffer.length;
    this.buffer = [];
  }

  /** Replaces the snapshot atomically and truncates the log. */
  writeSnapshot(indices: IndexSnapshot[]): void {
    this.buffer = [];
    const tmp = `${this.snapshotPath}.tmp`;
    fs.writeFileSync(tmp, stringifyJson({ version: 1, indices }));
    fs.renameSync(tmp, this.snapshotPath);
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
    fs.writeFileSync(this.logPath, '');
    this.logRecords = 0;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
