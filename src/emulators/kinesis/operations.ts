// Kinesis_20131202.* operations over the engine: input validation with AWS's error codes, output in AWS's shapes.
// Blobs arrive as Buffers and timestamps as Dates in the outputs; wire.ts encodes them for JSON or CBOR.
import type { KinesisEngine, PutEntry } from './engine.js';
import { checkPutLimits } from './limits.js';
import {
  counterOf,
  firstArrivedAtOrAfter,
  firstAtOrAfter,
  HASH_KEY_SPACE,
  isOpen,
  type Shard,
  type Stream,
  sequenceNumber,
  shardIdOf,
  shardIndexOfId,
} from './model.js';
import { blobOf, KinesisError, type WireFormat } from './wire.js';

export type Input = Record<string, unknown>;
export type Output = Record<string, unknown>;

export interface RequestContext {
  region: string;
  format: WireFormat;
}

/** Iterators and ListShards tokens are valid for five minutes, as on AWS. */
const TOKEN_LIFETIME_MS = 300_000;
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
/** Open shards per region (AWS's default shard quota in the largest regions). */
export const SHARD_LIMIT = 500;
const ON_DEMAND_SHARDS = 4;
const MIN_RETENTION_HOURS = 24;
const MAX_RETENTION_HOURS = 8760;
const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

const invalid = (message: string) => new KinesisError('InvalidArgumentException', message);
const validation = (member: string, value: unknown, constraint: string) =>
  new KinesisError(
    'ValidationException',
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value).slice(0, 200)}'`} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
const required = (member: string) => validation(member, undefined, 'Member must not be null');

function str(input: Input, name: string, member = lowerFirst(name)): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new KinesisError('SerializationException', `${name} must be a string`);
  if (value.length === 0) throw validation(member, value, 'Member must have length greater than or equal to 1');
  return value;
}

function int(input: Input, name: string, min: number, max: number, member = lowerFirst(name)): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new KinesisError('SerializationException', `${name} must be an integer`);
  if (n < min) throw validation(member, n, `Member must have value greater than or equal to ${min}`);
  if (n > max) throw validation(member, n, `Member must have value less than or equal to ${max}`);
  return n;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** epoch ms from a JSON (epoch seconds), CBOR (tag 1, epoch ms as the Java SDK sends) or Date timestamp. */
function timestamp(input: Input, name: string): number | undefined {
  let value = input[name];
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object' && value !== null && 'tag' in value && 'value' in value)
    value = (value as { value: unknown }).value;
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n))
    throw new KinesisError('SerializationException', `${name} must be a timestamp`);
  return n > 1e11 ? n : n * 1000; // seconds unless it can only be milliseconds
}

const notFound = (engine: KinesisEngine, name: string) =>
  new KinesisError('ResourceNotFoundException', `Stream ${name} under account ${engine.account} not found.`);

/** The stream a request names (StreamName or StreamARN); ACTIVE or UPDATING unless `anyStatus`. */
function streamOf(engine: KinesisEngine, ctx: RequestContext, input: Input, anyStatus = false): Stream {
  const name = str(input, 'StreamName');
  const arn = str(input, 'StreamARN', 'streamARN');
  if (name !== undefined && !STREAM_NAME.test(name))
    throw validation('streamName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  let region = ctx.region;
  let target = name;
  if (arn !== undefined) {
    const m = STREAM_ARN.exec(arn);
    if (!m)
      throw validation(
        'streamARN',
        arn,
        'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+',
      );
    if (name !== undefined && name !== m[3]) throw invalid(`StreamARN ${arn} does not match StreamName ${name}.`);
    if (m[2] !== engine.account) throw notFound(engine, m[3]);
    region = m[1];
    target = m[3];
  }
  if (target === undefined) throw invalid('Either StreamName or StreamARN must be provided.');
  const stream = engine.find(region, target);
  if (!stream) {
    if (anyStatus) {
      const deleting = engine.findDeleting(region, target);
      if (deleting) return deleting;
    }
    throw notFound(engine, target);
  }
  if (!anyStatus && engine.status(stream) === 'CREATING') throw notFound(engine, target);
  return stream;
}

function shardOf(engine: KinesisEngine, stream: Stream, shardId: string): Shard {
  const shard = stream.shards.find((s) => s.id === shardId);
  if (!shard)
    throw new KinesisError(
      'ResourceNotFoundException',
      `Shard ${shardId} in stream ${stream.name} under account ${engine.account} does not exist`,
    );
  return shard;
}

function shardJson(shard: Shard): Output {
  return {
    ShardId: shard.id,
    ...(shard.parent ? { ParentShardId: shard.parent } : {}),
    ...(shard.adjacentParent ? { AdjacentParentShardId: shard.adjacentParent } : {}),
    HashKeyRange: { StartingHashKey: String(shard.startHash), EndingHashKey: String(shard.endHash) },
    SequenceNumberRange: {
      StartingSequenceNumber: String(shard.startSeq),
      ...(shard.endSeq !== undefined ? { EndingSequenceNumber: String(shard.endSeq) } : {}),
    },
  };
}

const modeDetails = (stream: Stream) => ({ StreamMode: stream.mode });
const encryptionOf = (stream: Stream) =>
  stream.encryption ? { EncryptionType: 'KMS', KeyId: stream.encryption.keyId } : { EncryptionType: 'NONE' };

function token(fields: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ ...fields, t: Date.now() })).toString('base64');
}

function readToken(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

interface IteratorPosition {
  region: string;
  stream: string;
  createdAt: number;
  shardId: string;
  /** the first sequence number to read */
  from: bigint;
}

const iteratorOf = (p: IteratorPosition) =>
  token({ r: p.region, n: p.stream, c: p.createdAt, s: p.shardId, f: String(p.from) });

function parseSequenceNumber(text: string, member: string): bigint {
  if (!/^(0|[1-9]\d{0,128})$/.test(text))
    throw validation(member, text, 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})');
  return BigInt(text);
}

/** The shard's first sequence number not readable yet (where LATEST starts). */
function latest(shard: Shard): bigint {
  const pending = shard.records[shard.visible];
  if (pending) return pending.seq;
  return sequenceNumber(shard.index, shard.next);
}

function childShards(stream: Stream, shard: Shard): Output[] {
  return stream.shards
    .filter((s) => s.parent === shard.id || s.adjacentParent === shard.id)
    .map((s) => ({
      ShardId: s.id,
      ParentShards: [s.parent, s.adjacentParent].filter(Boolean),
      HashKeyRange: { StartingHashKey: String(s.startHash), EndingHashKey: String(s.endHash) },
    }));
}

function retention(input: Input): number {
  const hours = int(input, 'RetentionPeriodHours', 1, Number.MAX_SAFE_INTEGER);
  if (hours === undefined) throw required('retentionPeriodHours');
  if (hours < MIN_RETENTION_HOURS || hours > MAX_RETENTION_HOURS)
    throw invalid(
      `Minimum allowed retention period is ${MIN_RETENTION_HOURS} hours. Maximum allowed retention period is ${MAX_RETENTION_HOURS} hours.`,
    );
  return hours;
}

function tagsOf(value: unknown, member: string): Map<string, string> {
  if (value === undefined || value === null) return new Map();
  if (typeof value !== 'object' || Array.isArray(value))
    throw new KinesisError('SerializationException', `${member} must be a map`);
  const tags = new Map<string, string>();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key.length < 1 || key.length > 128) throw validation(member, key, 'Member must have length between 1 and 128');
    if (typeof v !== 'string' || v.length > 256)
      throw validation(member, v, 'Member must have length less than or equal to 256');
    tags.set(key, v);
  }
  return tags;
}

function addTags(stream: Stream, tags: Map<string, string>): void {
  const merged = new Set([...stream.tags.keys(), ...tags.keys()]);
  if (merged.size > 50)
    throw invalid(`Failed to add tags to stream ${stream.name}: a stream can have at most 50 tags.`);
  for (const [k, v] of tags) stream.tags.set(k, v);
}

function openShardCount(engine: KinesisEngine, region: string): number {
  let open = 0;
  for (const stream of engine.listStreams(region)) open += stream.shards.filter(isOpen).length;
  return open;
}

function checkShardLimit(engine: KinesisEngine, region: string, adding: number): void {
  const open = openShardCount(engine, region);
  if (open + adding > SHARD_LIMIT)
    throw new KinesisError(
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${engine.account} in ${region}. Current shard count for the account: ${open}. Limit: ${SHARD_LIMIT}. Number of additional shards that would have resulted from this request: ${adding}.`,
    );
}

function hashKey(text: string, member: string): bigint {
  if (!/^(0|[1-9]\d{0,38})$/.test(text))
    throw validation(member, text, 'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})');
  const value = BigInt(text);
  if (value >= HASH_KEY_SPACE)
    throw invalid(`Invalid ${member === 'explicitHashKey' ? 'ExplicitHashKey' : member}. ${text} is out of range.`);
  return value;
}

type Operation = (engine: KinesisEngine, ctx: RequestContext, input: Input) => Promise<Output> | Output;

export const OPERATIONS: Record<string, Operation> = {
  async CreateStream(engine, ctx, input) {
    const name = str(input, 'StreamName');
    if (name === undefined) throw required('streamName');
    if (!STREAM_NAME.test(name))
      throw validation('streamName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    const mode = (input.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode ?? 'PROVISIONED';
    if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND')
      throw validation(
        'streamModeDetails.streamMode',
        mode,
        'Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]',
      );
    let shards = int(input, 'ShardCount', 1, 100_000);
    if (mode === 'ON_DEMAND') {
      if (shards !== undefined) throw invalid('ShardCount must not be specified for a stream in ON_DEMAND mode.');
      shards = ON_DEMAND_SHARDS;
    } else if (shards === undefined) throw invalid('ShardCount is required for a stream in PROVISIONED mode.');
    const tags = tagsOf(input.Tags, 'tags');
    if (tags.size > 50) throw invalid('A stream can have at most 50 tags.');
    if (engine.find(ctx.region, name) || engine.findDeleting(ctx.region, name))
      throw new KinesisError(
        'ResourceInUseException',
        `Stream ${name} under account ${engine.account} already exists.`,
      );
    checkShardLimit(engine, ctx.region, shards);
    await engine.createStream({ region: ctx.region, name, shardCount: shards, mode, tags });
    return {};
  },

  async DeleteStream(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input, true);
    if (engine.status(stream) === 'DELETING') return {};
    await engine.deleteStream(stream);
    return {};
  },

  DescribeStream(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input, true);
    const limit = int(input, 'Limit', 1, 10_000) ?? 100;
    const after = str(input, 'ExclusiveStartShardId');
    const all = stream.shards;
    const start = after === undefined ? 0 : all.findIndex((s) => s.id > after);
    const page = start < 0 ? [] : all.slice(start, start + limit);
    return {
      StreamDescription: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: engine.status(stream),
        StreamModeDetails: modeDetails(stream),
        Shards: page.map(shardJson),
        HasMoreShards: start >= 0 && start + limit < all.length,
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: new Date(stream.createdAt),
        EnhancedMonitoring: [{ ShardLevelMetrics: stream.shardLevelMetrics }],
        ...encryptionOf(stream),
      },
    };
  },

  DescribeStreamSummary(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input, true);
    return {
      StreamDescriptionSummary: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: engine.status(stream),
        StreamModeDetails: modeDetails(stream),
        RetentionPeriodHours: stream.retentionHours,
        StreamCreationTimestamp: new Date(stream.createdAt),
        EnhancedMonitoring: [{ ShardLevelMetrics: stream.shardLevelMetrics }],
        ...encryptionOf(stream),
        OpenShardCount: stream.shards.filter(isOpen).length,
        ConsumerCount: 0,
      },
    };
  },

  ListStreams(engine, ctx, input) {
    const limit = int(input, 'Limit', 1, 10_000) ?? 100;
    let after = str(input, 'ExclusiveStartStreamName');
    const nextToken = str(input, 'NextToken');
    if (nextToken !== undefined) {
      const parsed = readToken(nextToken);
      if (!parsed || typeof parsed.a !== 'string') throw invalid('Invalid NextToken.');
      after = parsed.a;
    }
    const all = engine.listStreams(ctx.region);
    const page = all.filter((s) => after === undefined || s.name > after).slice(0, limit);
    const more = page.length > 0 && all.at(-1) !== page.at(-1);
    return {
      StreamNames: page.map((s) => s.name),
      HasMoreStreams: more,
      ...(more ? { NextToken: token({ a: page.at(-1)?.name }) } : {}),
      StreamSummaries: page.map((s) => ({
        StreamName: s.name,
        StreamARN: s.arn,
        StreamStatus: engine.status(s),
        StreamModeDetails: modeDetails(s),
        StreamCreationTimestamp: new Date(s.createdAt),
      })),
    };
  },

  ListShards(engine, ctx, input) {
    const nextToken = str(input, 'NextToken');
    const max = int(input, 'MaxResults', 1, 10_000) ?? 1000;
    let stream: Stream;
    let after: string | undefined;
    let filter: { Type?: string; ShardId?: string; Timestamp?: unknown } | undefined;
    if (nextToken !== undefined) {
      if (input.StreamName !== undefined || input.StreamARN !== undefined)
        throw invalid('NextToken and StreamName cannot be provided together.');
      const parsed = readToken(nextToken);
      if (!parsed || typeof parsed.n !== 'string' || typeof parsed.a !== 'string' || typeof parsed.r !== 'string')
        throw invalid('Invalid ShardId in NextToken.');
      if (Date.now() - Number(parsed.t) > TOKEN_LIFETIME_MS)
        throw new KinesisError('ExpiredNextTokenException', 'The timestamp of the NextToken has expired.');
      const found = engine.find(parsed.r, parsed.n);
      if (!found || found.createdAt !== parsed.c) throw notFound(engine, parsed.n);
      stream = found;
      after = parsed.a;
      filter = parsed.f as typeof filter;
    } else {
      stream = streamOf(engine, ctx, input, true);
      after = str(input, 'ExclusiveStartShardId');
      filter = input.ShardFilter as typeof filter;
    }
    let shards = stream.shards;
    if (filter && typeof filter === 'object') {
      const type = filter.Type;
      const now = Date.now();
      if (type === 'AFTER_SHARD_ID') {
        if (typeof filter.ShardId !== 'string') throw invalid('ShardId is required for the AFTER_SHARD_ID filter.');
        const id = filter.ShardId;
        shards = shards.filter((s) => s.id > id);
      } else if (type === 'AT_LATEST') shards = shards.filter(isOpen);
      else if (type === 'AT_TRIM_HORIZON') {
        const cutoff = now - stream.retentionHours * 3_600_000;
        shards = shards.filter((s) => s.closedAt === undefined || s.closedAt >= cutoff);
      } else if (type === 'AT_TIMESTAMP' || type === 'FROM_TIMESTAMP') {
        const at = timestamp(filter as Input, 'Timestamp');
        if (at === undefined) throw invalid(`Timestamp is required for the ${type} filter.`);
        shards = shards.filter(
          (s) => (s.closedAt === undefined || s.closedAt >= at) && (type === 'FROM_TIMESTAMP' || s.createdAt <= at),
        );
      } else if (type !== 'FROM_TRIM_HORIZON')
        throw validation(
          'shardFilter.type',
          type,
          'Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]',
        );
    }
    const rest = after === undefined ? shards : shards.filter((s) => s.id > after);
    const page = rest.slice(0, max);
    return {
      Shards: page.map(shardJson),
      ...(rest.length > page.length
        ? {
            NextToken: token({
              r: stream.region,
              n: stream.name,
              c: stream.createdAt,
              a: page.at(-1)?.id,
              ...(filter ? { f: filter } : {}),
            }),
          }
        : {}),
    };
  },

  async PutRecord(engine, ctx, input) {
    // request validation comes before the stream is looked up, as on AWS
    const violation = checkPutLimits('PutRecord', input, ctx.format);
    if (violation) throw new KinesisError(violation.type, violation.message);
    const stream = streamOf(engine, ctx, input);
    const explicit = str(input, 'ExplicitHashKey');
    const sequenceForOrdering = str(input, 'SequenceNumberForOrdering');
    if (sequenceForOrdering !== undefined) parseSequenceNumber(sequenceForOrdering, 'sequenceNumberForOrdering');
    const entry: PutEntry = {
      partitionKey: input.PartitionKey as string,
      data: blobOf(input.Data, ctx.format) as Buffer,
      ...(explicit !== undefined ? { explicitHashKey: hashKey(explicit, 'explicitHashKey') } : {}),
    };
    const [result] = await engine.put(stream, [entry]);
    return {
      ShardId: result.shardId,
      SequenceNumber: String(result.seq),
      EncryptionType: stream.encryption ? 'KMS' : 'NONE',
    };
  },

  async PutRecords(engine, ctx, input) {
    // request validation comes before the stream is looked up, as on AWS
    const violation = checkPutLimits('PutRecords', input, ctx.format);
    if (violation) throw new KinesisError(violation.type, violation.message);
    const stream = streamOf(engine, ctx, input);
    const entries = (input.Records as Input[]).map((record, i): PutEntry => {
      const explicit = str(record, 'ExplicitHashKey', `records.${i + 1}.member.explicitHashKey`);
      return {
        partitionKey: record.PartitionKey as string,
        data: blobOf(record.Data, ctx.format) as Buffer,
        ...(explicit !== undefined ? { explicitHashKey: hashKey(explicit, 'explicitHashKey') } : {}),
      };
    });
    const results = await engine.put(stream, entries);
    return {
      FailedRecordCount: 0,
      Records: results.map((r) => ({ SequenceNumber: String(r.seq), ShardId: r.shardId })),
      EncryptionType: stream.encryption ? 'KMS' : 'NONE',
    };
  },

  GetShardIterator(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const shardId = str(input, 'ShardId');
    if (shardId === undefined) throw required('shardId');
    const type = str(input, 'ShardIteratorType');
    if (type === undefined) throw required('shardIteratorType');
    const index = shardIndexOfId(shardId);
    const shard = shardOf(engine, stream, index === undefined ? shardId : shardIdOf(index));
    const startingText = str(input, 'StartingSequenceNumber');
    let from: bigint;
    switch (type) {
      case 'TRIM_HORIZON':
        from = shard.startSeq;
        break;
      case 'LATEST':
        from = latest(shard);
        break;
      case 'AT_SEQUENCE_NUMBER':
      case 'AFTER_SEQUENCE_NUMBER': {
        if (startingText === undefined)
          throw invalid(`StartingSequenceNumber is required for ShardIteratorType ${type}.`);
        const seq = parseSequenceNumber(startingText, 'startingSequenceNumber');
        const counter = counterOf(seq, shard.index);
        if (counter === undefined || seq < shard.startSeq || (shard.endSeq !== undefined && seq > shard.endSeq))
          throw invalid(
            `StartingSequenceNumber ${startingText} used in GetShardIterator on shard ${shard.id} in stream ${stream.name} under account ${engine.account} is invalid because it did not come from this stream.`,
          );
        from = type === 'AT_SEQUENCE_NUMBER' ? seq : seq + 1n;
        break;
      }
      case 'AT_TIMESTAMP': {
        const at = timestamp(input, 'Timestamp');
        if (at === undefined) throw invalid('Timestamp is required for ShardIteratorType AT_TIMESTAMP.');
        const i = firstArrivedAtOrAfter(shard, at);
        from = i < shard.visible ? shard.records[i].seq : latest(shard);
        break;
      }
      default:
        throw validation(
          'shardIteratorType',
          type,
          'Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, AT_SEQUENCE_NUMBER, AT_TIMESTAMP, TRIM_HORIZON, LATEST]',
        );
    }
    return {
      ShardIterator: iteratorOf({
        region: stream.region,
        stream: stream.name,
        createdAt: stream.createdAt,
        shardId: shard.id,
        from,
      }),
    };
  },

  GetRecords(engine, _ctx, input) {
    const text = str(input, 'ShardIterator');
    if (text === undefined) throw required('shardIterator');
    if (text.length > 512) throw validation('shardIterator', text, 'Member must have length less than or equal to 512');
    const limit = int(input, 'Limit', 1, 10_000) ?? 10_000;
    const parsed = readToken(text);
    if (
      !parsed ||
      typeof parsed.r !== 'string' ||
      typeof parsed.n !== 'string' ||
      typeof parsed.s !== 'string' ||
      typeof parsed.f !== 'string' ||
      !/^\d+$/.test(parsed.f)
    )
      throw invalid(`Invalid ShardIterator.`);
    const issued = Number(parsed.t);
    const now = Date.now();
    if (now - issued > TOKEN_LIFETIME_MS)
      throw new KinesisError(
        'ExpiredIteratorException',
        `Iterator expired. The iterator was created at time ${new Date(issued).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${TOKEN_LIFETIME_MS} milliseconds.`,
      );
    const stream = engine.find(parsed.r, parsed.n);
    if (!stream || stream.createdAt !== parsed.c) throw notFound(engine, parsed.n);
    const shard = shardOf(engine, stream, parsed.s);
    const start = firstAtOrAfter(shard, BigInt(parsed.f));
    const records: Output[] = [];
    let bytes = 0;
    let i = start;
    for (; i < shard.visible && records.length < limit; i++) {
      const r = shard.records[i];
      if (records.length > 0 && bytes + r.data.length > MAX_GET_RECORDS_BYTES) break;
      bytes += r.data.length;
      records.push({
        SequenceNumber: String(r.seq),
        ApproximateArrivalTimestamp: new Date(r.arrival),
        Data: r.data,
        PartitionKey: r.partitionKey,
        ...(r.encrypted ? { EncryptionType: 'KMS' } : {}),
      });
    }
    const next = i > start ? shard.records[i - 1].seq + 1n : BigInt(parsed.f);
    const atEnd = shard.endSeq !== undefined && i >= shard.records.length;
    const behind = i < shard.visible ? Math.max(1, now - shard.records[i].arrival) : 0;
    return {
      Records: records,
      ...(atEnd
        ? { ChildShards: childShards(stream, shard) }
        : {
            NextShardIterator: iteratorOf({
              region: stream.region,
              stream: stream.name,
              createdAt: stream.createdAt,
              shardId: shard.id,
              from: next,
            }),
          }),
      MillisBehindLatest: behind,
    };
  },

  async IncreaseStreamRetentionPeriod(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const hours = retention(input);
    if (hours < stream.retentionHours)
      throw invalid(
        `Requested retention period (${hours} hours) for stream ${stream.name} can not be shorter than existing retention period (${stream.retentionHours} hours). Use DecreaseRetentionPeriod API.`,
      );
    await engine.update(stream, (s) => {
      s.retentionHours = hours;
    });
    return {};
  },

  async DecreaseStreamRetentionPeriod(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const hours = retention(input);
    if (hours > stream.retentionHours)
      throw invalid(
        `Requested retention period (${hours} hours) for stream ${stream.name} can not be longer than existing retention period (${stream.retentionHours} hours). Use IncreaseRetentionPeriod API.`,
      );
    await engine.update(stream, (s) => {
      s.retentionHours = hours;
    });
    engine.trim(Date.now());
    return {};
  },

  async AddTagsToStream(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const tags = tagsOf(input.Tags, 'tags');
    if (tags.size === 0) throw required('tags');
    await engine.update(stream, (s) => addTags(s, tags));
    return {};
  },

  async RemoveTagsFromStream(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const keys = input.TagKeys;
    if (!Array.isArray(keys) || keys.length === 0) throw required('tagKeys');
    await engine.update(stream, (s) => {
      for (const key of keys) s.tags.delete(String(key));
    });
    return {};
  },

  ListTagsForStream(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input, true);
    const limit = int(input, 'Limit', 1, 50) ?? 50;
    const after = str(input, 'ExclusiveStartTagKey');
    const all = [...stream.tags].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const rest = after === undefined ? all : all.filter(([k]) => k > after);
    return {
      Tags: rest.slice(0, limit).map(([Key, Value]) => ({ Key, Value })),
      HasMoreTags: rest.length > limit,
    };
  },

  async TagResource(engine, ctx, input) {
    const stream = streamOf(engine, ctx, { StreamARN: input.ResourceARN });
    const tags = tagsOf(input.Tags, 'tags');
    await engine.update(stream, (s) => addTags(s, tags));
    return {};
  },

  async UntagResource(engine, ctx, input) {
    const stream = streamOf(engine, ctx, { StreamARN: input.ResourceARN });
    const keys = Array.isArray(input.TagKeys) ? input.TagKeys : [];
    await engine.update(stream, (s) => {
      for (const key of keys) s.tags.delete(String(key));
    });
    return {};
  },

  ListTagsForResource(engine, ctx, input) {
    const stream = streamOf(engine, ctx, { StreamARN: input.ResourceARN }, true);
    return { Tags: [...stream.tags].map(([Key, Value]) => ({ Key, Value })) };
  },

  async UpdateShardCount(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const target = int(input, 'TargetShardCount', 1, 100_000);
    if (target === undefined) throw required('targetShardCount');
    const scaling = str(input, 'ScalingType');
    if (scaling !== 'UNIFORM_SCALING')
      throw validation('scalingType', scaling, 'Member must satisfy enum value set: [UNIFORM_SCALING]');
    if (engine.status(stream) !== 'ACTIVE')
      throw new KinesisError(
        'ResourceInUseException',
        `Stream ${stream.name} under account ${engine.account} not ACTIVE, instead in state ${engine.status(stream)}`,
      );
    const current = stream.shards.filter(isOpen).length;
    if (target > current * 2 || target * 2 < current)
      throw invalid(
        `UpdateShardCount cannot scale up over double or down below half of the current shard count (${current}) of stream ${stream.name}.`,
      );
    if (target > current) checkShardLimit(engine, ctx.region, target - current);
    if (target !== current) await engine.rescale(stream, target);
    return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardCount: current, TargetShardCount: target };
  },

  async SplitShard(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const shardId = str(input, 'ShardToSplit');
    if (shardId === undefined) throw required('shardToSplit');
    const keyText = str(input, 'NewStartingHashKey');
    if (keyText === undefined) throw required('newStartingHashKey');
    const shard = shardOf(engine, stream, shardId);
    if (!isOpen(shard)) throw new KinesisError('ResourceInUseException', `Shard ${shardId} is closed.`);
    const key = hashKey(keyText, 'newStartingHashKey');
    if (key <= shard.startHash || key > shard.endHash)
      throw invalid(
        `NewStartingHashKey ${keyText} used in SplitShard() on shard ${shardId} in stream ${stream.name} under account ${engine.account} is not both greater than one plus the shard's StartingHashKey ${shard.startHash} and less than the shard's EndingHashKey ${shard.endHash}.`,
      );
    checkShardLimit(engine, ctx.region, 1);
    await engine.reshard(
      stream,
      [shard],
      [
        { range: [shard.startHash, key - 1n], parent: shard.id },
        { range: [key, shard.endHash], parent: shard.id },
      ],
    );
    return {};
  },

  async MergeShards(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const a = str(input, 'ShardToMerge');
    const b = str(input, 'AdjacentShardToMerge');
    if (a === undefined) throw required('shardToMerge');
    if (b === undefined) throw required('adjacentShardToMerge');
    const first = shardOf(engine, stream, a);
    const second = shardOf(engine, stream, b);
    if (!isOpen(first) || !isOpen(second))
      throw new KinesisError('ResourceInUseException', `Shards ${a} and ${b} must both be open to be merged.`);
    const [low, high] = first.startHash < second.startHash ? [first, second] : [second, first];
    if (low.endHash + 1n !== high.startHash)
      throw invalid(`Shards ${a} and ${b} in stream ${stream.name} under account ${engine.account} are not adjacent.`);
    await engine.reshard(
      stream,
      [first, second],
      [{ range: [low.startHash, high.endHash], parent: first.id, adjacentParent: second.id }],
    );
    return {};
  },

  async UpdateStreamMode(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    const mode = (input.StreamModeDetails as { StreamMode?: string } | undefined)?.StreamMode;
    if (mode !== 'PROVISIONED' && mode !== 'ON_DEMAND')
      throw validation(
        'streamModeDetails.streamMode',
        mode,
        'Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]',
      );
    await engine.update(stream, (s) => {
      s.mode = mode;
    });
    return {};
  },

  async StartStreamEncryption(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    if (str(input, 'EncryptionType') !== 'KMS')
      throw validation('encryptionType', input.EncryptionType, 'Member must satisfy enum value set: [KMS]');
    const keyId = str(input, 'KeyId');
    if (keyId === undefined) throw required('keyId');
    await engine.update(stream, (s) => {
      s.encryption = { keyId };
    });
    return {};
  },

  async StopStreamEncryption(engine, ctx, input) {
    const stream = streamOf(engine, ctx, input);
    await engine.update(stream, (s) => {
      s.encryption = undefined;
    });
    return {};
  },

  async EnableEnhancedMonitoring(engine, ctx, input) {
    return monitoring(engine, ctx, input, true);
  },

  async DisableEnhancedMonitoring(engine, ctx, input) {
    return monitoring(engine, ctx, input, false);
  },

  DescribeLimits(engine, ctx) {
    const streams = engine.listStreams(ctx.region);
    return {
      ShardLimit: SHARD_LIMIT,
      OpenShardCount: openShardCount(engine, ctx.region),
      OnDemandStreamCount: streams.filter((s) => s.mode === 'ON_DEMAND').length,
      OnDemandStreamCountLimit: 50,
    };
  },
};

const SHARD_LEVEL_METRICS = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
];

async function monitoring(engine: KinesisEngine, ctx: RequestContext, input: Input, enable: boolean): Promise<Output> {
  const stream = streamOf(engine, ctx, input);
  const asked = input.ShardLevelMetrics;
  if (!Array.isArray(asked) || asked.length === 0) throw required('shardLevelMetrics');
  const names = asked.includes('ALL') ? SHARD_LEVEL_METRICS : asked.map(String);
  for (const name of names)
    if (!SHARD_LEVEL_METRICS.includes(name))
      throw validation('shardLevelMetrics', name, `Member must satisfy enum value set: [${SHARD_LEVEL_METRICS}, ALL]`);
  const before = [...stream.shardLevelMetrics];
  await engine.update(stream, (s) => {
    const set = new Set(s.shardLevelMetrics);
    for (const name of names) {
      if (enable) set.add(name);
      else set.delete(name);
    }
    s.shardLevelMetrics = SHARD_LEVEL_METRICS.filter((m) => set.has(m));
  });
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    CurrentShardLevelMetrics: before,
    DesiredShardLevelMetrics: stream.shardLevelMetrics,
  };
}
