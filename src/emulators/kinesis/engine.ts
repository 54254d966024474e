// The in-process Kinesis engine: streams, shards and records in memory, every change journaled (persistence.ts)
// before it is acknowledged. The wire operations (operations.ts) validate requests and call it.
import { join } from 'node:path';
import { logger } from '../../lib/logger.js';
import {
  closeShard,
  counterAt,
  evenRanges,
  firstArrivedAtOrAfter,
  hashKeyOf,
  isOpen,
  newShard,
  type Shard,
  type Stream,
  type StreamMode,
  sequenceNumber,
  streamArn,
} from './model.js';
import {
  type JournalEntry,
  KinesisPersistence,
  recordToJson,
  type StateView,
  streamKey,
  streamToJson,
} from './persistence.js';

export interface KinesisEngineOptions {
  /** Where state lives: `<dataDir>/kinesis`. */
  dataDir: string;
  account: string;
  /**
   * How long a created stream stays CREATING (and a deleted one DELETING, a resharded one UPDATING). Default 0:
   * ACTIVE at once, so provisioning never waits; AWS takes seconds.
   */
  transitionMs?: number;
  /** Journal size that triggers a compaction (at least the snapshot's size). Default 8 MiB. */
  compactAtBytes?: number;
}

export interface PutEntry {
  partitionKey: string;
  data: Buffer;
  /** decimal 128-bit hash key, instead of the partition key's MD5 */
  explicitHashKey?: bigint;
}

export interface PutResult {
  shardId: string;
  seq: bigint;
}

/** Retention sweep and compaction check interval. */
const HOUSEKEEPING_MS = 10_000;

export class KinesisEngine {
  private readonly deleting = new Map<string, { stream: Stream; until: number }>();
  private readonly timer: NodeJS.Timeout;
  private closing: Promise<void> | undefined;
  readonly transitionMs: number;

  private constructor(
    readonly streams: Map<string, Stream>,
    private readonly persistence: KinesisPersistence,
    readonly account: string,
    transitionMs: number,
  ) {
    this.transitionMs = transitionMs;
    this.timer = setInterval(() => this.housekeeping(), HOUSEKEEPING_MS);
    this.timer.unref();
  }

  static async open(opts: KinesisEngineOptions): Promise<KinesisEngine> {
    const { streams, persistence } = await KinesisPersistence.open(join(opts.dataDir, 'kinesis'), {
      compactAtBytes: opts.compactAtBytes,
    });
    const engine = new KinesisEngine(streams, persistence, opts.account, opts.transitionMs ?? 0);
    engine.trim(Date.now());
    if (persistence.wantsCompaction) void engine.compact();
    return engine;
  }

  get failed(): Error | undefined {
    return this.persistence.failed;
  }

  find(region: string, name: string): Stream | undefined {
    return this.streams.get(streamKey(region, name));
  }

  /** A stream being deleted (shown as DELETING until its transition is over). */
  findDeleting(region: string, name: string): Stream | undefined {
    const key = streamKey(region, name);
    const entry = this.deleting.get(key);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.stream;
    this.deleting.delete(key);
    return undefined;
  }

  listStreams(region: string): Stream[] {
    const now = Date.now();
    const out = [...this.streams.values()].filter((s) => s.region === region);
    for (const [key, entry] of this.deleting) {
      if (entry.until <= now) this.deleting.delete(key);
      else if (entry.stream.region === region) out.push(entry.stream);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  status(stream: Stream): 'CREATING' | 'DELETING' | 'ACTIVE' | 'UPDATING' {
    const now = Date.now();
    if (this.deleting.get(streamKey(stream.region, stream.name))?.stream === stream) return 'DELETING';
    if (stream.activeAt > now) return 'CREATING';
    if (stream.updatingUntil > now) return 'UPDATING';
    return 'ACTIVE';
  }

  private journal(entry: JournalEntry, onDurable?: () => void): Promise<void> {
    return this.persistence.write(entry, onDurable);
  }

  private saveStream(stream: Stream): Promise<void> {
    return this.journal({ t: 'stream', s: streamToJson(stream) });
  }

  async createStream(input: {
    region: string;
    name: string;
    shardCount: number;
    mode: StreamMode;
    tags?: Map<string, string>;
  }): Promise<Stream> {
    const now = Date.now();
    const stream: Stream = {
      name: input.name,
      region: input.region,
      arn: streamArn(input.region, this.account, input.name),
      createdAt: now,
      mode: input.mode,
      retentionHours: 24,
      shards: [],
      nextShardIndex: 0,
      tags: input.tags ?? new Map(),
      shardLevelMetrics: [],
      activeAt: now + this.transitionMs,
      updatingUntil: 0,
    };
    stream.shards = evenRanges(input.shardCount).map((range) => newShard(stream, range, now));
    const key = streamKey(input.region, input.name);
    this.deleting.delete(key);
    this.streams.set(key, stream);
    await this.saveStream(stream);
    return stream;
  }

  async deleteStream(stream: Stream): Promise<void> {
    const key = streamKey(stream.region, stream.name);
    if (this.streams.get(key) !== stream) return;
    this.streams.delete(key);
    if (this.transitionMs > 0) this.deleting.set(key, { stream, until: Date.now() + this.transitionMs });
    await this.journal({ t: 'delete', k: key, c: stream.createdAt });
  }

  /** Saves a change of a stream's description (retention, tags, mode, encryption, monitoring). */
  update(stream: Stream, change: (stream: Stream) => void): Promise<void> {
    change(stream);
    return this.saveStream(stream);
  }

  private startUpdating(stream: Stream): void {
    stream.updatingUntil = Date.now() + this.transitionMs;
  }

  /** Closes `parents` and opens `children` (hash ranges with their parents), in one journaled change. */
  async reshard(
    stream: Stream,
    parents: Shard[],
    children: { range: [bigint, bigint]; parent?: string; adjacentParent?: string }[],
  ): Promise<Shard[]> {
    const now = Date.now();
    for (const parent of parents) closeShard(parent, now);
    const created = children.map((c) =>
      newShard(stream, c.range, now, {
        ...(c.parent ? { parent: c.parent } : {}),
        ...(c.adjacentParent ? { adjacentParent: c.adjacentParent } : {}),
      }),
    );
    stream.shards.push(...created);
    this.startUpdating(stream);
    await this.saveStream(stream);
    return created;
  }

  /**
   * UNIFORM_SCALING: the open shards are replaced by `target` shards of equal hash ranges. A new shard whose range
   * overlaps more than two old ones (AWS allows two parents) descends from them through temporary merged shards,
   * closed at once, as AWS's own resharding leaves temporary shards behind.
   */
  async rescale(stream: Stream, target: number): Promise<void> {
    const now = Date.now();
    const open = stream.shards.filter(isOpen).sort((a, b) => (a.startHash < b.startHash ? -1 : 1));
    for (const shard of open) closeShard(shard, now);
    for (const [from, to] of evenRanges(target)) {
      let lineage = open.filter((s) => s.startHash <= to && s.endHash >= from);
      while (lineage.length > 2) {
        const [a, b] = lineage;
        const merged = newShard(stream, [a.startHash, b.endHash], now, { parent: a.id, adjacentParent: b.id });
        closeShard(merged, now);
        stream.shards.push(merged);
        lineage = [merged, ...lineage.slice(2)];
      }
      stream.shards.push(
        newShard(stream, [from, to], now, {
          ...(lineage[0] ? { parent: lineage[0].id } : {}),
          ...(lineage[1] ? { adjacentParent: lineage[1].id } : {}),
        }),
      );
    }
    this.startUpdating(stream);
    await this.saveStream(stream);
  }

  /** The open shard whose hash range holds the key. */
  shardFor(stream: Stream, hashKey: bigint): Shard | undefined {
    for (const shard of stream.shards) {
      if (shard.endSeq === undefined && shard.startHash <= hashKey && hashKey <= shard.endHash) return shard;
    }
    return undefined;
  }

  /**
   * Gives every entry its shard and sequence number now (so the order of puts is the order of the shards), journals
   * them, and resolves once they are on stable storage: they are readable from that moment.
   */
  async put(stream: Stream, entries: readonly PutEntry[]): Promise<PutResult[]> {
    if (this.persistence.failed) throw this.persistence.failed;
    const now = Date.now();
    const results: PutResult[] = [];
    const touched = new Map<Shard, number>();
    const rows: JournalEntry & { t: 'put' } = {
      t: 'put',
      k: streamKey(stream.region, stream.name),
      c: stream.createdAt,
      r: [],
    };
    const encrypted = stream.encryption !== undefined;
    for (const entry of entries) {
      const shard = this.shardFor(stream, entry.explicitHashKey ?? hashKeyOf(entry.partitionKey));
      if (!shard) throw new Error(`no open shard of ${stream.name} covers the hash key`);
      const last = shard.records.at(-1);
      const arrival = Math.max(last?.arrival ?? now, now); // arrival times never go back within a shard
      const counter = shard.next > counterAt(now) ? shard.next : counterAt(now);
      shard.next = counter + 1n;
      const record = {
        seq: sequenceNumber(shard.index, counter),
        arrival,
        partitionKey: entry.partitionKey,
        data: entry.data,
        encrypted,
      };
      shard.records.push(record);
      touched.set(shard, (touched.get(shard) ?? 0) + 1);
      rows.r.push([shard.id, ...recordToJson(record)]);
      results.push({ shardId: shard.id, seq: record.seq });
    }
    try {
      await this.journal(rows, () => {
        for (const [shard, count] of touched) shard.visible += count;
      });
    } catch (error) {
      // The disk failed: what is not durable is taken back (every later put fails too).
      for (const shard of touched.keys()) shard.records.length = shard.visible;
      throw error;
    }
    return results;
  }

  /** Drops records past their stream's retention, and closed shards left empty by it. */
  trim(now: number): void {
    for (const stream of this.streams.values()) {
      const cutoff = now - stream.retentionHours * 3_600_000;
      for (const shard of stream.shards) {
        const cut = firstArrivedAtOrAfter(shard, cutoff);
        if (cut > 0) {
          shard.records = shard.records.slice(cut);
          shard.visible -= cut;
        }
      }
      const expired = stream.shards.filter(
        (s) => s.closedAt !== undefined && s.closedAt < cutoff && s.records.length === 0,
      );
      if (expired.length > 0) stream.shards = stream.shards.filter((s) => !expired.includes(s));
    }
  }

  private view(): StateView {
    const view: StateView = { streams: [], shards: [] };
    for (const stream of this.streams.values()) {
      const json = streamToJson(stream);
      for (const [i, shard] of stream.shards.entries()) {
        // what is not durable yet is in the new journal: the snapshot must not claim its sequence numbers
        const pending = shard.records[shard.visible];
        if (pending) json.shards[i].next = String(pending.seq - (shard.startSeq - (shard.startSeq % 10n ** 44n)));
        if (shard.visible > 0)
          view.shards.push({
            key: streamKey(stream.region, stream.name),
            createdAt: stream.createdAt,
            shardId: shard.id,
            records: shard.records.slice(0, shard.visible),
          });
      }
      view.streams.push(json);
    }
    return view;
  }

  compact(): Promise<void> {
    return this.persistence.compact(() => this.view());
  }

  private housekeeping(): void {
    this.trim(Date.now());
    if (this.persistence.wantsCompaction) void this.compact();
  }

  /** Waits for pending writes, then leaves one snapshot (and an empty journal) for a fast next start. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.timer);
      try {
        await this.persistence.close(() => this.view());
      } catch (err) {
        logger.warn({ err }, 'kinesis: closing the journal failed');
      }
    })();
    return this.closing;
  }
}
