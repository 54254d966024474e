// Durability of the Kinesis engine: a snapshot plus a journal, in <dataDir>/kinesis.
//
// Every change (a stream created, changed or deleted; records put) is a journal line, fdatasync'd (group commit)
// before the client gets its answer; records become readable only then. Journals are numbered: compaction starts a
// new one, waits until the old one is durable, writes a snapshot of the state at that point (atomically: temporary
// file, fsync, rename) naming the first journal it does not contain; the snapshot it replaces is kept as the
// previous one, and only journals older than that are deleted. Start-up reads the newest readable snapshot and
// replays the journals from its number on. Replay is idempotent (a put whose sequence number the
// shard already passed is skipped, a delete names the incarnation it deletes), so a journal line also present in the
// snapshot does no harm. A torn last line (a crash mid-append, never acknowledged) is cut off; a damaged line
// anywhere else is skipped and the file copied aside and reported.
import { copyFile, mkdir, readdir, readFile, rename, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory, writeFileDurably } from '../../lib/durable-file.js';
import { logger } from '../../lib/logger.js';
import { noteStartup, quarantine, quarantineName } from '../../lib/startup-notes.js';
import { CommitLog } from './commit-log.js';
import type { Shard, StoredRecord, Stream, StreamMode } from './model.js';

interface ShardJson {
  id: string;
  index: number;
  startHash: string;
  endHash: string;
  parent?: string;
  adjacentParent?: string;
  startSeq: string;
  endSeq?: string;
  createdAt: number;
  closedAt?: number;
  next: string;
}

export interface StreamJson {
  name: string;
  region: string;
  arn: string;
  createdAt: number;
  mode: StreamMode;
  retentionHours: number;
  nextShardIndex: number;
  tags: [string, string][];
  encryption?: { keyId: string };
  metrics: string[];
  shards: ShardJson[];
}

/** [sequence number, arrival ms, partition key, data (base64), encrypted (1) or not (0)] */
type RecordJson = [string, number, string, string, number];

export type JournalEntry =
  | { t: 'stream'; s: StreamJson }
  | { t: 'delete'; k: string; c: number }
  | { t: 'put'; k: string; c: number; r: [string, ...RecordJson][] };

interface SnapshotHeader {
  v: 1;
  /** the first journal this snapshot does not contain */
  journal: number;
  streams: StreamJson[];
}

interface SnapshotRecords {
  k: string;
  c: number;
  sh: string;
  r: RecordJson[];
}

const SNAPSHOT = 'snapshot.jsonl';
const PREVIOUS_SNAPSHOT = 'snapshot.previous.jsonl';
const JOURNAL = /^journal-(\d{8})\.jsonl$/;
const journalName = (n: number) => `journal-${String(n).padStart(8, '0')}.jsonl`;
/** Files of the kinesis-local child this engine replaced (its state, snapshot, journal, pid file). */
const LEGACY_FILES = [
  'kinesis-data.json',
  'kinesis-data.snapshot.json',
  'kinesis-data.json.last-clean',
  'records.journal',
  'kinesis-local.pid',
];
const RECORDS_PER_SNAPSHOT_LINE = 500;

export const streamKey = (region: string, name: string) => `${region}/${name}`;

export function streamToJson(stream: Stream): StreamJson {
  return {
    name: stream.name,
    region: stream.region,
    arn: stream.arn,
    createdAt: stream.createdAt,
    mode: stream.mode,
    retentionHours: stream.retentionHours,
    nextShardIndex: stream.nextShardIndex,
    tags: [...stream.tags],
    ...(stream.encryption ? { encryption: stream.encryption } : {}),
    metrics: stream.shardLevelMetrics,
    shards: stream.shards.map((s) => ({
      id: s.id,
      index: s.index,
      startHash: String(s.startHash),
      endHash: String(s.endHash),
      ...(s.parent ? { parent: s.parent } : {}),
      ...(s.adjacentParent ? { adjacentParent: s.adjacentParent } : {}),
      startSeq: String(s.startSeq),
      ...(s.endSeq !== undefined ? { endSeq: String(s.endSeq) } : {}),
      createdAt: s.createdAt,
      ...(s.closedAt !== undefined ? { closedAt: s.closedAt } : {}),
      next: String(s.next),
    })),
  };
}

export const recordToJson = (r: StoredRecord): RecordJson => [
  String(r.seq),
  r.arrival,
  r.partitionKey,
  r.data.toString('base64'),
  r.encrypted ? 1 : 0,
];

const recordFromJson = (r: RecordJson): StoredRecord => ({
  seq: BigInt(r[0]),
  arrival: r[1],
  partitionKey: r[2],
  data: Buffer.from(r[3], 'base64'),
  encrypted: r[4] === 1,
});

/** Applies a stream's description, keeping the records of the shards it already has. */
function applyStream(streams: Map<string, Stream>, json: StreamJson): void {
  const key = streamKey(json.region, json.name);
  const existing = streams.get(key);
  const kept = existing && existing.createdAt === json.createdAt ? existing : undefined;
  const shards: Shard[] = json.shards.map((s) => {
    const old = kept?.shards.find((o) => o.id === s.id);
    const next = BigInt(s.next);
    return {
      id: s.id,
      index: s.index,
      startHash: BigInt(s.startHash),
      endHash: BigInt(s.endHash),
      ...(s.parent ? { parent: s.parent } : {}),
      ...(s.adjacentParent ? { adjacentParent: s.adjacentParent } : {}),
      startSeq: BigInt(s.startSeq),
      ...(s.endSeq !== undefined ? { endSeq: BigInt(s.endSeq) } : {}),
      createdAt: s.createdAt,
      ...(s.closedAt !== undefined ? { closedAt: s.closedAt } : {}),
      next: old && old.next > next ? old.next : next,
      records: old?.records ?? [],
      visible: old?.records.length ?? 0,
    };
  });
  streams.set(key, {
    name: json.name,
    region: json.region,
    arn: json.arn,
    createdAt: json.createdAt,
    mode: json.mode,
    retentionHours: json.retentionHours,
    shards,
    nextShardIndex: Math.max(json.nextShardIndex, kept?.nextShardIndex ?? 0),
    tags: new Map(json.tags),
    ...(json.encryption ? { encryption: json.encryption } : {}),
    shardLevelMetrics: json.metrics ?? [],
    activeAt: 0,
    updatingUntil: 0,
  });
}

/** Adds records the shard has not passed yet (replay of a line the snapshot already holds adds nothing). */
function applyRecords(
  streams: Map<string, Stream>,
  key: string,
  createdAt: number,
  shardId: string,
  rows: RecordJson[],
  fromSnapshot = false,
) {
  const stream = streams.get(key);
  if (!stream || stream.createdAt !== createdAt) return;
  const shard = stream.shards.find((s) => s.id === shardId);
  if (!shard) return;
  const base = shard.startSeq - (shard.startSeq % 10n ** 44n);
  for (const row of rows) {
    const record = recordFromJson(row);
    const counter = record.seq - base;
    if (counter < shard.next && !fromSnapshot) continue;
    shard.records.push(record);
    if (counter >= shard.next) shard.next = counter + 1n;
  }
  shard.visible = shard.records.length;
}

function apply(streams: Map<string, Stream>, entry: JournalEntry): void {
  if (entry.t === 'stream') applyStream(streams, entry.s);
  else if (entry.t === 'delete') {
    if (streams.get(entry.k)?.createdAt === entry.c) streams.delete(entry.k);
  } else if (entry.t === 'put') {
    const byShard = new Map<string, RecordJson[]>();
    for (const [shardId, ...row] of entry.r) {
      const rows = byShard.get(shardId) ?? [];
      if (rows.length === 0) byShard.set(shardId, rows);
      rows.push(row as RecordJson);
    }
    for (const [shardId, rows] of byShard) applyRecords(streams, entry.k, entry.c, shardId, rows);
  }
}

/** The lines of a JSON-lines file: readable ones, how many were damaged, whether the last was torn. */
function parseLines<T>(text: string): { values: T[]; damaged: number; tornBytes: number } {
  const lines = text.split('\n');
  const tail = lines.pop() ?? '';
  const values: T[] = [];
  let damaged = 0;
  for (const line of lines) {
    if (!line) continue;
    try {
      values.push(JSON.parse(line) as T);
    } catch {
      damaged++;
    }
  }
  return { values, damaged, tornBytes: Buffer.byteLength(tail) };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export interface RestoredState {
  streams: Map<string, Stream>;
  persistence: KinesisPersistence;
}

/** A consistent picture of the state for a snapshot: stream descriptions and the readable records of each shard. */
export interface StateView {
  streams: StreamJson[];
  shards: { key: string; createdAt: number; shardId: string; records: StoredRecord[] }[];
}

export class KinesisPersistence {
  private log: CommitLog;
  private journalNumber: number;
  private compacting: Promise<void> | undefined;
  private snapshotBytes = 0;
  /** The first journal the current snapshot does not contain (0: no snapshot). */
  private snapshotJournal: number;
  /** Compaction starts once the journal outgrows max(this, the snapshot). */
  readonly compactAtBytes: number;

  private constructor(
    readonly dir: string,
    log: CommitLog,
    journalNumber: number,
    snapshotJournal: number,
    snapshotBytes: number,
    compactAtBytes: number,
  ) {
    this.log = log;
    this.journalNumber = journalNumber;
    this.snapshotJournal = snapshotJournal;
    this.snapshotBytes = snapshotBytes;
    this.compactAtBytes = compactAtBytes;
  }

  static async open(dir: string, opts: { compactAtBytes?: number } = {}): Promise<RestoredState> {
    await mkdir(dir, { recursive: true });
    const streams = new Map<string, Stream>();
    const names = await readdir(dir);
    await setLegacyStateAside(dir, names);

    // The newest readable snapshot: the previous one (and the journals since it) stay until the next compaction.
    let firstJournal = 0;
    let snapshotJournal = 0;
    let snapshotBytes = 0;
    for (const name of [SNAPSHOT, PREVIOUS_SNAPSHOT]) {
      const file = join(dir, name);
      const text = names.includes(name) ? await readIfExists(file) : undefined;
      if (text === undefined) continue;
      const { values, damaged, tornBytes } = parseLines<SnapshotHeader | SnapshotRecords>(text);
      const header = values[0] as SnapshotHeader | undefined;
      if (header?.v !== 1 || !Array.isArray(header.streams) || damaged > 0 || tornBytes > 0) {
        // Written atomically, so this is damage from outside: kept for inspection.
        await quarantine(
          file,
          'kinesis',
          `the Kinesis snapshot ${name} is unreadable; restored from ${name === SNAPSHOT ? 'the previous snapshot and ' : ''}the journals`,
        );
        continue;
      }
      firstJournal = header.journal;
      if (name === SNAPSHOT) snapshotJournal = header.journal;
      snapshotBytes = text.length;
      for (const s of header.streams) applyStream(streams, s);
      for (const chunk of values.slice(1) as SnapshotRecords[])
        applyRecords(streams, chunk.k, chunk.c, chunk.sh, chunk.r, true);
      break;
    }

    const journals = names
      .map((n) => JOURNAL.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let replayed = 0;
    for (const n of journals) {
      const file = join(dir, journalName(n));
      if (n < firstJournal) continue; // contained in the snapshot
      const text = (await readIfExists(file)) ?? '';
      const { values, damaged, tornBytes } = parseLines<JournalEntry>(text);
      if (damaged > 0) {
        const copy = quarantineName(file);
        await copyFile(file, copy);
        noteStartup({
          component: 'kinesis',
          file,
          movedTo: copy,
          message: `${journalName(n)}: ${damaged} damaged line(s) skipped, ${values.length} replayed; the original is at ${copy}`,
        });
      }
      // a torn last line was never acknowledged: cut it off so the next append starts on a line of its own
      if (tornBytes > 0) await truncate(file, Buffer.byteLength(text) - tornBytes);
      for (const entry of values) apply(streams, entry);
      replayed += values.length;
    }
    const current = Math.max(firstJournal, journals.at(-1) ?? 0);
    const log = await CommitLog.open(join(dir, journalName(current)));
    if (!journals.includes(current)) await syncDirectory(dir);
    if (replayed > 0) logger.debug({ entries: replayed }, 'kinesis: journal replayed');
    const persistence = new KinesisPersistence(
      dir,
      log,
      current,
      snapshotJournal,
      snapshotBytes,
      opts.compactAtBytes ?? 8 * 1024 * 1024,
    );
    return { streams, persistence };
  }

  /** Appends one change; resolves once it is on stable storage (`onDurable` runs just before, in append order). */
  write(entry: JournalEntry, onDurable?: () => void): Promise<void> {
    return this.log.append(`${JSON.stringify(entry)}\n`, onDurable);
  }

  get failed(): Error | undefined {
    return this.log.failed;
  }

  get journalBytes(): number {
    return this.log.bytes;
  }

  /** Whether the journal grew enough for a compaction to pay. */
  get wantsCompaction(): boolean {
    return this.log.bytes > Math.max(this.compactAtBytes, this.snapshotBytes);
  }

  /**
   * Starts a new journal, and once the old one is durable writes the state (`view()`, taken at that moment) as the
   * snapshot; the one it replaces becomes the previous snapshot, and the journals older than that are deleted.
   * Appends go on meanwhile.
   */
  compact(view: () => StateView): Promise<void> {
    this.compacting ??= (async () => {
      try {
        const next = this.journalNumber + 1;
        const log = await CommitLog.open(join(this.dir, journalName(next)));
        await syncDirectory(this.dir);
        const old = this.log;
        this.log = log;
        this.journalNumber = next;
        await old.close(); // everything in it is durable, and readable, from here on
        if (old.failed) throw old.failed;
        const state = view();
        const text = snapshotText(next, state);
        // the snapshot it replaces stays as the fallback, with the journals since it
        const kept = this.snapshotJournal;
        if (kept > 0)
          await rename(join(this.dir, SNAPSHOT), join(this.dir, PREVIOUS_SNAPSHOT)).catch(
            (err: NodeJS.ErrnoException) => {
              if (err.code !== 'ENOENT') throw err;
            },
          );
        await writeFileDurably(join(this.dir, SNAPSHOT), text);
        this.snapshotJournal = next;
        this.snapshotBytes = text.length;
        for (const name of await readdir(this.dir)) {
          const m = JOURNAL.exec(name);
          if (m && Number(m[1]) < kept) await rm(join(this.dir, name), { force: true });
        }
      } catch (err) {
        logger.warn({ err }, 'kinesis: compaction failed; the journal is kept');
      } finally {
        this.compacting = undefined;
      }
    })();
    return this.compacting;
  }

  /** Waits for pending appends and a running compaction; compacts once more when the journal holds anything. */
  async close(view: () => StateView): Promise<void> {
    await this.compacting;
    await this.log.drain();
    if (this.log.bytes > 0 && !this.log.failed) await this.compact(view);
    await this.log.close();
  }
}

function snapshotText(journal: number, state: StateView): string {
  const lines = [JSON.stringify({ v: 1, journal, streams: state.streams } satisfies SnapshotHeader)];
  for (const shard of state.shards) {
    for (let i = 0; i < shard.records.length; i += RECORDS_PER_SNAPSHOT_LINE) {
      const chunk: SnapshotRecords = {
        k: shard.key,
        c: shard.createdAt,
        sh: shard.shardId,
        r: shard.records.slice(i, i + RECORDS_PER_SNAPSHOT_LINE).map(recordToJson),
      };
      lines.push(JSON.stringify(chunk));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The kinesis-local child's files (an older kit) are not this engine's format: kept aside, and said so once. */
async function setLegacyStateAside(dir: string, names: readonly string[]): Promise<void> {
  const legacy = names.filter((n) => LEGACY_FILES.includes(n) || n.startsWith('orphaned-records-'));
  if (legacy.length === 0) return;
  const aside = join(dir, 'kinesis-local-state');
  await mkdir(aside, { recursive: true });
  for (const name of legacy) await rename(join(dir, name), join(aside, name));
  noteStartup({
    component: 'kinesis',
    file: join(dir, legacy[0]),
    movedTo: aside,
    message: `state of the former kinesis-local emulator is not read by the in-process Kinesis engine; kept in ${aside}`,
  });
}
