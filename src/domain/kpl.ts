// The Kinesis Producer Library's aggregated record format:
//   magic 0xF3899AC2 | protobuf AggregatedRecord | MD5(protobuf)
// message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
//                            repeated Record records = 3; }
// message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
//                  required bytes data = 3; repeated Tag tags = 4; }
// message Tag { required string key = 1; optional string value = 2; }
import { createHash } from 'node:crypto';

export const KPL_MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const DIGEST_BYTES = 16;
/** Kinesis accepts 1 MiB per record (data + partition key); the KPL keeps aggregates below it. */
export const KINESIS_MAX_RECORD_BYTES = 1024 * 1024;

export interface UserRecord {
  partitionKey: string;
  explicitHashKey?: string;
  data: Buffer;
  tags?: { key: string; value?: string }[];
}

export interface UserRecordInput {
  partitionKey: string;
  explicitHashKey?: string;
  data: Uint8Array;
}

/** A record that carries the KPL magic but cannot be decoded (bad checksum, truncated or malformed protobuf). */
export class KplFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KplFormatError';
  }
}

/** True when the payload starts with the KPL magic (it may still be corrupt: deaggregate checks the rest). */
export function isAggregated(data: Uint8Array): boolean {
  return (
    data.length >= KPL_MAGIC.length && data[0] === 0xf3 && data[1] === 0x89 && data[2] === 0x9a && data[3] === 0xc2
  );
}

class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new KplFormatError('truncated varint in protobuf message');
      const byte = this.buf[this.pos++];
      if (shift < 28) result |= (byte & 0x7f) << shift;
      else result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
      if (shift > 63) throw new KplFormatError('varint longer than 10 bytes in protobuf message');
    }
    return result;
  }

  /** Returns [start, end) of a length-delimited field. */
  bytes(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    const end = start + length;
    if (end > this.end) throw new KplFormatError(`length-delimited field of ${length} bytes runs past the message end`);
    this.pos = end;
    return [start, end];
  }

  string(): string {
    const [start, end] = this.bytes();
    return this.buf.toString('utf8', start, end);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new KplFormatError(`unsupported protobuf wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new KplFormatError('truncated fixed-width field in protobuf message');
  }
}

interface RawRecord {
  pk: number;
  ehk?: number;
  dataStart: number;
  dataEnd: number;
  tags?: { key: string; value?: string }[];
}

function readTag(r: Reader, end: number): { key: string; value?: string } {
  const inner = new Reader(r.buf, r.pos, end);
  let key: string | undefined;
  let value: string | undefined;
  while (inner.pos < end) {
    const header = inner.varint();
    const field = header >>> 3;
    if (field === 1 && (header & 7) === 2) key = inner.string();
    else if (field === 2 && (header & 7) === 2) value = inner.string();
    else inner.skip(header & 7);
  }
  if (key === undefined) throw new KplFormatError('tag without its required key');
  return value === undefined ? { key } : { key, value };
}

function readRecord(buf: Buffer, start: number, end: number, index: number): RawRecord {
  const r = new Reader(buf, start, end);
  let pk: number | undefined;
  let ehk: number | undefined;
  let dataStart = -1;
  let dataEnd = -1;
  let tags: { key: string; value?: string }[] | undefined;
  while (r.pos < end) {
    const header = r.varint();
    const field = header >>> 3;
    const wire = header & 7;
    if (field === 1 && wire === 0) pk = r.varint();
    else if (field === 2 && wire === 0) ehk = r.varint();
    else if (field === 3 && wire === 2) [dataStart, dataEnd] = r.bytes();
    else if (field === 4 && wire === 2) {
      const [s, e] = r.bytes();
      const tr = new Reader(buf, s, e);
      tags ??= [];
      tags.push(readTag(tr, e));
    } else r.skip(wire);
  }
  if (pk === undefined) throw new KplFormatError(`user record ${index} has no partition_key_index`);
  if (dataStart < 0) throw new KplFormatError(`user record ${index} has no data`);
  return { pk, ehk, dataStart, dataEnd, tags };
}

/**
 * Splits a KPL aggregated record into its user records (data are views into `data`, not copies).
 * Throws KplFormatError on a missing magic, a checksum mismatch or a malformed protobuf message.
 */
export function deaggregate(data: Uint8Array): UserRecord[] {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (!isAggregated(buf)) throw new KplFormatError('not a KPL aggregated record (magic 0xF3899AC2 missing)');
  if (buf.length < KPL_MAGIC.length + DIGEST_BYTES) {
    throw new KplFormatError(`aggregated record too short (${buf.length} bytes) to hold its MD5 checksum`);
  }
  const start = KPL_MAGIC.length;
  const end = buf.length - DIGEST_BYTES;
  const digest = createHash('md5').update(buf.subarray(start, end)).digest();
  if (!digest.equals(buf.subarray(end))) throw new KplFormatError('MD5 checksum mismatch in aggregated record');

  const r = new Reader(buf, start, end);
  const partitionKeys: string[] = [];
  const hashKeys: string[] = [];
  const raws: RawRecord[] = [];
  while (r.pos < end) {
    const header = r.varint();
    const field = header >>> 3;
    const wire = header & 7;
    if (field === 1 && wire === 2) partitionKeys.push(r.string());
    else if (field === 2 && wire === 2) hashKeys.push(r.string());
    else if (field === 3 && wire === 2) {
      const [s, e] = r.bytes();
      raws.push(readRecord(buf, s, e, raws.length));
    } else r.skip(wire);
  }
  return raws.map((raw, index) => {
    const partitionKey = partitionKeys[raw.pk];
    if (partitionKey === undefined)
      throw new KplFormatError(`user record ${index} points to partition key ${raw.pk} of ${partitionKeys.length}`);
    const record: UserRecord = { partitionKey, data: buf.subarray(raw.dataStart, raw.dataEnd) };
    if (raw.ehk !== undefined) {
      const explicitHashKey = hashKeys[raw.ehk];
      if (explicitHashKey === undefined)
        throw new KplFormatError(`user record ${index} points to explicit hash key ${raw.ehk} of ${hashKeys.length}`);
      record.explicitHashKey = explicitHashKey;
    }
    if (raw.tags) record.tags = raw.tags;
    return record;
  });
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

class Writer {
  readonly buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  varint(value: number): void {
    while (value >= 0x80) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }
  bytes(field: number, data: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }
}

/** Encoded size of the aggregate the records would make (magic and checksum included). */
export function aggregatedSize(records: readonly UserRecordInput[]): number {
  return encodePlan(records).total;
}

/** A key table of the aggregate: each distinct key once, records refer to it by index. */
class KeyTable {
  readonly bytes: Buffer[] = [];
  private readonly index = new Map<string, number>();
  /** Encoded size of the table's entries so far. */
  size = 0;

  indexOf(key: string): number {
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.bytes.length;
      this.index.set(key, i);
      const b = Buffer.from(key, 'utf8');
      this.bytes.push(b);
      this.size += 1 + varintSize(b.length) + b.length;
    }
    return i;
  }
}

function encodePlan(records: readonly UserRecordInput[]) {
  const pks = new KeyTable();
  const ehks = new KeyTable();
  const rows: { pk: number; ehk?: number; data: Uint8Array; size: number }[] = [];
  let recordsSize = 0;
  for (const record of records) {
    const pk = pks.indexOf(record.partitionKey);
    const ehk = record.explicitHashKey === undefined ? undefined : ehks.indexOf(record.explicitHashKey);
    const size =
      1 +
      varintSize(pk) +
      (ehk === undefined ? 0 : 1 + varintSize(ehk)) +
      1 +
      varintSize(record.data.length) +
      record.data.length;
    rows.push({ pk, ehk, data: record.data, size });
    recordsSize += 1 + varintSize(size) + size;
  }
  const body = pks.size + ehks.size + recordsSize;
  return { pkBytes: pks.bytes, ehkBytes: ehks.bytes, rows, body, total: KPL_MAGIC.length + body + DIGEST_BYTES };
}

/** Packs user records into one KPL aggregated record (the caller keeps it under Kinesis' 1 MiB limit). */
export function aggregate(records: readonly UserRecordInput[]): Buffer {
  if (records.length === 0) throw new Error('cannot aggregate zero records');
  const plan = encodePlan(records);
  const w = new Writer(plan.total);
  KPL_MAGIC.copy(w.buf, 0);
  w.pos = KPL_MAGIC.length;
  for (const b of plan.pkBytes) w.bytes(1, b);
  for (const b of plan.ehkBytes) w.bytes(2, b);
  for (const row of plan.rows) {
    w.varint((3 << 3) | 2);
    w.varint(row.size);
    w.varint(1 << 3);
    w.varint(row.pk);
    if (row.ehk !== undefined) {
      w.varint(2 << 3);
      w.varint(row.ehk);
    }
    w.bytes(3, row.data);
  }
  const end = w.pos;
  createHash('md5').update(w.buf.subarray(KPL_MAGIC.length, end)).digest().copy(w.buf, end);
  return w.buf;
}

/**
 * Groups user records into as few aggregated records as fit `maxBytes` each (data + the partition key Kinesis
 * puts it under, which is the first record's). A record too large to share is sent alone, unaggregated.
 */
export function aggregateBatches(
  records: readonly UserRecordInput[],
  maxBytes = KINESIS_MAX_RECORD_BYTES,
): { partitionKey: string; data: Buffer; count: number }[] {
  const out: { partitionKey: string; data: Buffer; count: number }[] = [];
  let group: UserRecordInput[] = [];
  let groupSize = KPL_MAGIC.length + DIGEST_BYTES;
  const flush = () => {
    if (group.length === 0) return;
    const partitionKey = group[0].partitionKey;
    out.push(
      group.length === 1
        ? { partitionKey, data: Buffer.from(group[0].data), count: 1 }
        : { partitionKey, data: aggregate(group), count: group.length },
    );
    group = [];
    groupSize = KPL_MAGIC.length + DIGEST_BYTES;
  };
  for (const record of records) {
    // upper bound of what the record adds (its keys counted as if new)
    const pkLen = Buffer.byteLength(record.partitionKey);
    const ehkLen = record.explicitHashKey === undefined ? 0 : Buffer.byteLength(record.explicitHashKey);
    const inner = 22 + varintSize(record.data.length) + record.data.length;
    const adds = 2 * (pkLen + 6) + (ehkLen ? ehkLen + 6 : 0) + inner + 6;
    if (group.length > 0 && groupSize + adds > maxBytes) flush();
    group.push(record);
    groupSize += adds;
  }
  flush();
  return out;
}
