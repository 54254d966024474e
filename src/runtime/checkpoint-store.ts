import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from '../lib/durable-file.js';
import { quarantine } from '../lib/startup-notes.js';

export interface ShardCheckpoint {
  /** Last sequence number fully handled (processed or handed to the on-failure destination). */
  sequenceNumber?: string;
  /** The shard is closed and was read to its end. */
  ended?: boolean;
}

export interface CheckpointStore {
  get(shardId: string): ShardCheckpoint | undefined;
  set(shardId: string, checkpoint: ShardCheckpoint): Promise<void>;
  /** Creation time of the stream the checkpoints belong to (a recreated stream invalidates them). */
  readonly streamCreatedAt: string | undefined;
  /** Drops every shard checkpoint and records the stream they will belong to from now on. */
  reset(streamCreatedAt: string | undefined): Promise<void>;
}

/** Where a local target keeps its stream mappings' checkpoints. */
export function checkpointsDir(dataDir: string): string {
  return join(dataDir, 'checkpoints');
}

/** The checkpoint file's name of a stream → function mapping (what the dashboard reads to show its lag). */
export function mappingId(streamName: string, functionName: string): string {
  return `${streamName}--${functionName}`;
}

/**
 * Per-mapping shard checkpoints in one JSON file (or memory only without a directory).
 * Writes are serialised, atomic and fsynced, so a crash leaves the previous or the new state, never a torn file;
 * an unreadable file found at start-up is moved aside and reported, never silently ignored.
 */
export async function openCheckpointStore(dir: string | undefined, mappingId: string): Promise<CheckpointStore> {
  let shards: Record<string, ShardCheckpoint> = {};
  let streamCreatedAt: string | undefined;
  const file = dir ? join(dir, `${mappingId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`) : undefined;
  if (file) {
    let text: string | undefined;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      try {
        const saved = JSON.parse(text) as { shards?: Record<string, ShardCheckpoint>; streamCreatedAt?: string };
        shards = { ...saved.shards };
        streamCreatedAt = saved.streamCreatedAt;
      } catch {
        await quarantine(
          file,
          'runtime',
          `checkpoint of ${mappingId} is unreadable: the mapping reads its stream again from its starting position (handlers are idempotent)`,
        );
      }
    }
  }
  let writes: Promise<void> = Promise.resolve();
  /** The write that has not started yet: later changes join it (it snapshots when it starts), so lanes finishing
   * together cost one fsync, not one each. */
  let pending: Promise<void> | undefined;
  const save = (): Promise<void> => {
    if (!file || !dir) return Promise.resolve();
    if (pending) return pending;
    const next = writes
      .catch(() => undefined)
      .then(() => {
        pending = undefined;
        return writeFileDurably(file, `${JSON.stringify({ mappingId, streamCreatedAt, shards }, null, 2)}\n`);
      });
    pending = next;
    writes = next;
    return next;
  };
  return {
    get: (shardId) => shards[shardId],
    set(shardId, checkpoint) {
      shards[shardId] = { ...checkpoint };
      return save();
    },
    get streamCreatedAt() {
      return streamCreatedAt;
    },
    reset(createdAt) {
      shards = {};
      streamCreatedAt = createdAt;
      return save();
    },
  };
}
