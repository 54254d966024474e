// Durability of kinesis-local. kinesis-mock keeps its streams in memory and rewrites one JSON file in place every
// persist interval, so a crash loses the last records it acknowledged (or tears the file). The edge therefore
// journals every record kinesis-mock acknowledged, with the sequence number it was given, before the client gets
// the answer, and keeps a verified copy (snapshot) of kinesis-mock's state file. Before kinesis-mock starts, the
// journal is merged into the newest readable state: the records come back with their original sequence numbers and
// shards, so the consumers' checkpoints stay valid and nothing is delivered twice.
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppendLog, writeFileDurably } from '../../lib/durable-file.js';
import { logger } from '../../lib/logger.js';
import { noteStartup, quarantine } from '../../lib/startup-notes.js';

/** A record as kinesis-mock stores it in its state file. */
export interface StoredRecord {
  ApproximateArrivalTimestamp: number;
  Data: string;
  EncryptionType: string;
  PartitionKey: string;
  SequenceNumber: string;
}

/** One acknowledged record: where it went and what kinesis-mock answered. */
export interface JournaledRecord {
  stream: string;
  region: string;
  shard: string;
  record: StoredRecord;
}

interface StoredStream {
  streamName: string;
  streamArn: string;
  streamStatus?: string;
  shards: Record<string, StoredRecord[]>;
}

interface StateFile {
  streams: Record<string, StoredStream>;
  [other: string]: unknown;
}

export const STATE_FILE = 'kinesis-data.json';
const SNAPSHOT_FILE = 'kinesis-data.snapshot.json';
const LEGACY_SNAPSHOT = 'kinesis-data.json.last-clean';
const JOURNAL_FILE = 'records.journal';

async function readState(file: string): Promise<StateFile | undefined | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as StateFile;
    return state && typeof state === 'object' && state.streams && typeof state.streams === 'object'
      ? state
      : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

const shardIdOf = (shardKey: string): string | undefined => {
  try {
    return (JSON.parse(shardKey) as { ShardId?: string }).ShardId;
  } catch {
    return undefined;
  }
};

function findStream(state: StateFile, name: string, region: string): StoredStream | undefined {
  const candidates = Object.values(state.streams).filter((s) => s.streamName === name);
  return candidates.find((s) => s.streamArn.includes(`:${region}:`)) ?? candidates[0];
}

/** Adds the journaled records missing from `state`; returns those whose stream or shard it does not have. */
export function mergeJournal(state: StateFile, journal: readonly JournaledRecord[]): JournaledRecord[] {
  const orphans: JournaledRecord[] = [];
  const touched = new Set<StoredRecord[]>();
  const known = new Map<StoredRecord[], Set<string>>();
  for (const entry of journal) {
    const stream = findStream(state, entry.stream, entry.region);
    const shardKey = stream && Object.keys(stream.shards).find((key) => shardIdOf(key) === entry.shard);
    if (!stream || !shardKey) {
      orphans.push(entry);
      continue;
    }
    const records = stream.shards[shardKey];
    let seqs = known.get(records);
    if (!seqs) {
      seqs = new Set(records.map((r) => r.SequenceNumber));
      known.set(records, seqs);
    }
    if (seqs.has(entry.record.SequenceNumber)) continue;
    records.push(entry.record);
    seqs.add(entry.record.SequenceNumber);
    touched.add(records);
  }
  for (const records of touched) {
    records.sort((a, b) => {
      const x = BigInt(a.SequenceNumber);
      const y = BigInt(b.SequenceNumber);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  }
  return orphans;
}

/** Whether `state` holds the journaled record (so the journal no longer needs it). */
function holds(state: StateFile, entry: JournaledRecord, index: Map<string, Set<string>>): boolean {
  const key = `${entry.stream}\u0000${entry.region}\u0000${entry.shard}`;
  let seqs = index.get(key);
  if (!seqs) {
    const stream = findStream(state, entry.stream, entry.region);
    const shardKey = stream && Object.keys(stream.shards).find((k) => shardIdOf(k) === entry.shard);
    seqs = new Set(stream && shardKey ? stream.shards[shardKey].map((r) => r.SequenceNumber) : []);
    index.set(key, seqs);
  }
  return seqs.has(entry.record.SequenceNumber);
}

export interface KinesisStateJournal {
  /** Journals acknowledged records; resolves once they are on stable storage. */
  append(records: readonly JournaledRecord[]): Promise<void>;
  /**
   * Before kinesis-mock (re)starts: merges the journal into the newest readable state (the state file, else the
   * snapshot), writes it as both, and empties the journal. Unreadable files are quarantined and reported.
   */
  restore(): Promise<void>;
  /**
   * Reads kinesis-mock's state file; when it is complete, keeps it as the snapshot and drops the journaled records
   * it holds. Resolves with the file's modification time and content (undefined when it could not be read).
   */
  refreshSnapshot(): Promise<{ mtimeMs: number; state: StateFile } | undefined>;
  close(): Promise<void>;
}

export async function openKinesisStateJournal(persistPath: string): Promise<KinesisStateJournal> {
  const stateFile = join(persistPath, STATE_FILE);
  const snapshotFile = join(persistPath, SNAPSHOT_FILE);
  const journalFile = join(persistPath, JOURNAL_FILE);
  const { log, entries } = await AppendLog.open<JournaledRecord>(journalFile, 'kinesis');
  /** Journaled since the last compaction (what the snapshot may not hold yet). */
  let unsnapshotted: JournaledRecord[] = entries;
  let refreshing: Promise<{ mtimeMs: number; state: StateFile } | undefined> | undefined;
  let snapshotMtime = -1;

  const journal: KinesisStateJournal = {
    append(records) {
      unsnapshotted.push(...records);
      return log.append(records);
    },
    async restore() {
      await refreshing;
      let base: StateFile | undefined;
      for (const candidate of [stateFile, snapshotFile, join(persistPath, LEGACY_SNAPSHOT)]) {
        const read = await readState(candidate);
        if (read === undefined) continue;
        if (read === 'unreadable') {
          await quarantine(candidate, 'kinesis', `${candidate} is incomplete or not kinesis-local state`);
          continue;
        }
        base = read;
        if (candidate !== stateFile) {
          noteStartup({
            component: 'kinesis',
            file: stateFile,
            message: `Kinesis state restored from the snapshot ${candidate}${unsnapshotted.length ? ` plus ${unsnapshotted.length} journaled record(s)` : ''}`,
          });
        }
        break;
      }
      await rm(join(persistPath, LEGACY_SNAPSHOT), { force: true });
      if (!base && unsnapshotted.length === 0) return;
      base ??= { streams: {} };
      const orphans = mergeJournal(base, unsnapshotted);
      if (orphans.length > 0) {
        const aside = join(persistPath, `orphaned-records-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
        await writeFileDurably(aside, JSON.stringify(orphans));
        noteStartup({
          component: 'kinesis',
          file: journalFile,
          movedTo: aside,
          message: `${orphans.length} journaled Kinesis record(s) belong to streams or shards missing from the saved state; kept in ${aside}`,
        });
      }
      if (unsnapshotted.length > orphans.length)
        logger.info(
          { records: unsnapshotted.length - orphans.length },
          'kinesis: journaled records merged into the state',
        );
      const text = JSON.stringify(base);
      await writeFileDurably(stateFile, text);
      await writeFileDurably(snapshotFile, text);
      await log.rewrite(() => {
        unsnapshotted = [];
        return [];
      });
    },
    refreshSnapshot() {
      refreshing ??= (async () => {
        try {
          const { mtimeMs } = await stat(stateFile);
          const state = await readState(stateFile);
          if (!state || state === 'unreadable') return undefined; // being rewritten: next time
          if (mtimeMs !== snapshotMtime) await writeFileDurably(snapshotFile, JSON.stringify(state));
          snapshotMtime = mtimeMs;
          const index = new Map<string, Set<string>>();
          const held = new Set(unsnapshotted.filter((e) => holds(state, e, index)));
          if (held.size > 0) {
            await log.rewrite(() => {
              unsnapshotted = unsnapshotted.filter((e) => !held.has(e));
              return unsnapshotted;
            });
          }
          return { mtimeMs, state };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
            logger.debug({ err }, 'kinesis: snapshot refresh failed');
          return undefined;
        } finally {
          refreshing = undefined;
        }
      })();
      return refreshing;
    },
    async close() {
      await refreshing;
      await log.close();
    },
  };
  return journal;
}

/** Streams of a state file by name, with their status (for control-plane confirmation). */
export function streamStatuses(state: StateFile): Map<string, string | undefined> {
  return new Map(Object.values(state.streams).map((s) => [s.streamName, s.streamStatus]));
}
