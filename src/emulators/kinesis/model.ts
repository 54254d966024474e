// The engine's data: streams, shards and records, with Kinesis's numbering. Sequence numbers are 56-digit decimal
// strings like AWS's: "49", the shard's index (10 digits), then a 44-digit counter that starts at the shard's creation
// time in microseconds and only grows. They increase within a shard and compare as big integers; the shard index in
// them tells which shard a sequence number came from (GetShardIterator refuses one from another shard).
import { createHash } from 'node:crypto';

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';

export interface StoredRecord {
  seq: bigint;
  /** epoch ms */
  arrival: number;
  partitionKey: string;
  data: Buffer;
  encrypted: boolean;
}

export interface Shard {
  id: string;
  index: number;
  startHash: bigint;
  endHash: bigint;
  parent?: string;
  adjacentParent?: string;
  startSeq: bigint;
  /** Set when the shard was closed (split, merged, rescaled): no more records go to it. */
  endSeq?: bigint;
  createdAt: number;
  closedAt?: number;
  /** The next counter value to assign (the sequence number's low part). */
  next: bigint;
  /** Oldest first. Only the first `visible` are on stable storage and readable; the rest wait for their fsync. */
  records: StoredRecord[];
  visible: number;
}

export interface Stream {
  name: string;
  region: string;
  arn: string;
  /** epoch ms; also tells one incarnation of a name from the next */
  createdAt: number;
  mode: StreamMode;
  retentionHours: number;
  shards: Shard[];
  nextShardIndex: number;
  tags: Map<string, string>;
  encryption?: { keyId: string };
  shardLevelMetrics: string[];
  /** CREATING until then (epoch ms) */
  activeAt: number;
  /** UPDATING until then (epoch ms) */
  updatingUntil: number;
}

export const HASH_KEY_SPACE = 1n << 128n;
export const MAX_HASH_KEY = HASH_KEY_SPACE - 1n;
const SEQ_PREFIX = 49n * 10n ** 54n;
const SHARD_INDEX_UNIT = 10n ** 44n;
const MAX_SHARD_INDEX = 10n ** 10n;

export function shardIdOf(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

export function shardIndexOfId(id: string): number | undefined {
  const match = /^shardId-(\d{1,12})$/.exec(id) ?? /^(\d{1,12})$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

export function sequenceNumber(shardIndex: number, counter: bigint): bigint {
  return SEQ_PREFIX + BigInt(shardIndex) * SHARD_INDEX_UNIT + counter;
}

/** The counter part of a sequence number of the given shard, or undefined when it is not one of that shard's. */
export function counterOf(seq: bigint, shardIndex: number): bigint | undefined {
  const rest = seq - SEQ_PREFIX;
  if (rest < 0n || rest / SHARD_INDEX_UNIT >= MAX_SHARD_INDEX) return undefined;
  if (rest / SHARD_INDEX_UNIT !== BigInt(shardIndex)) return undefined;
  return rest % SHARD_INDEX_UNIT;
}

/** A counter that starts at the current time (µs), so a new shard's numbers are above an older incarnation's. */
export function counterAt(ms: number): bigint {
  return BigInt(Math.floor(ms)) * 1000n;
}

/** 128-bit hash key of a partition key: its MD5 as a big-endian unsigned integer (as Kinesis computes it). */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** `count` contiguous ranges covering [start, end] as evenly as integers allow. */
export function evenRanges(count: number, start = 0n, end = MAX_HASH_KEY): [bigint, bigint][] {
  const width = end - start + 1n;
  const ranges: [bigint, bigint][] = [];
  for (let i = 0; i < count; i++) {
    const from = start + (width * BigInt(i)) / BigInt(count);
    const to = start + (width * BigInt(i + 1)) / BigInt(count) - 1n;
    ranges.push([from, to]);
  }
  return ranges;
}

export function newShard(
  stream: Stream,
  range: [bigint, bigint],
  now: number,
  parents: { parent?: string; adjacentParent?: string } = {},
): Shard {
  const index = stream.nextShardIndex++;
  const counter = counterAt(now);
  return {
    id: shardIdOf(index),
    index,
    startHash: range[0],
    endHash: range[1],
    ...parents,
    startSeq: sequenceNumber(index, counter),
    createdAt: now,
    next: counter,
    records: [],
    visible: 0,
  };
}

/** Closes a shard: its last sequence number is the last one it gave (or its start when it has none). */
export function closeShard(shard: Shard, now: number): void {
  if (shard.endSeq !== undefined) return;
  shard.endSeq = sequenceNumber(shard.index, shard.next > 0n ? shard.next - 1n : 0n);
  if (shard.endSeq < shard.startSeq) shard.endSeq = shard.startSeq;
  shard.closedAt = now;
}

export const isOpen = (shard: Shard) => shard.endSeq === undefined;

export function streamArn(region: string, account: string, name: string): string {
  return `arn:aws:kinesis:${region}:${account}:stream/${name}`;
}

/** Index of the first of the shard's readable records for which `reached` holds (it must hold for all after it). */
function firstReadable(shard: Shard, reached: (record: StoredRecord) => boolean): number {
  let lo = 0;
  let hi = shard.visible;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (reached(shard.records[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first of the shard's readable records whose sequence number is >= seq. */
export const firstAtOrAfter = (shard: Shard, seq: bigint) => firstReadable(shard, (r) => r.seq >= seq);

/** Index of the first of the shard's readable records that arrived at or after `ms`. */
export const firstArrivedAtOrAfter = (shard: Shard, ms: number) => firstReadable(shard, (r) => r.arrival >= ms);
