import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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
 * Writes are serialised and atomic, so a crash leaves the previous or the new state, never a torn file.
 */
export async function openCheckpointStore(dir: string | undefined, mappingId: string): Promise<CheckpointStore> {
  let shards: Record<string, ShardCheckpoint> = {};
  let streamCreatedAt: string | undefined;
  const file = dir ? join(dir, `${mappingId.replace(/[^A-Za-z0-9_.-]/g, '_')}.json`) : undefined;
  if (file) {
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as {
        shards?: Record<string, ShardCheckpoint>;
        streamCreatedAt?: string;
      };
      shards = { ...saved.shards };
      streamCreatedAt = saved.streamCreatedAt;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  let writes: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => {
    if (!file || !dir) return Promise.resolve();
    const snapshot = `${JSON.stringify({ mappingId, streamCreatedAt, shards }, null, 2)}\n`;
    writes = writes
      .catch(() => undefined)
      .then(async () => {
        await mkdir(dir, { recursive: true });
        const temp = `${file}.${randomUUID()}.tmp`;
        await writeFile(temp, snapshot);
        await rename(temp, file);
      });
    return writes;
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
