import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type _Record,
  DescribeStreamSummaryCommand,
  type DescribeStreamSummaryCommandOutput,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { logger as defaultLogger, type Logger } from '../lib/logger.js';
import { type CheckpointStore, mappingId, openCheckpointStore } from './checkpoint-store.js';
import { describeError, writeFailureRecord } from './failure-destination.js';
import { attemptSettled, type Invoker } from './invoker.js';
import { kinesisStreamRecord } from './kinesis-records.js';
import { functionArn, LOCAL_ACCOUNT_ID, LOCAL_REGION } from './lambda-context.js';

export interface KinesisEventSourceMappingOptions {
  kinesis: KinesisClient;
  streamName: string;
  functionName: string;
  invoker: Invoker;
  /** Most records per invocation (AWS default 100). */
  batchSize?: number;
  /** Where a shard without checkpoint starts (default TRIM_HORIZON). */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST';
  /** Pause between reads of a caught-up shard (AWS polls each shard once a second; default 1000). */
  pollIntervalMs?: number;
  /** How often the shard list is refreshed to pick up new shards (default 5 × pollIntervalMs). */
  shardRefreshIntervalMs?: number;
  /** Directory of the checkpoint files; without one, checkpoints live in memory only. */
  checkpointDir?: string;
  /** Retries of a failing batch before its records go to the on-failure destination (default 3). Bisecting is not a retry. */
  maxRetryAttempts?: number;
  bisectBatchOnFunctionError?: boolean;
  /** Honour `{ batchItemFailures }` responses (FunctionResponseTypes: ReportBatchItemFailures). */
  reportBatchItemFailures?: boolean;
  /** Directory receiving one JSON file per discarded batch; without it the records are logged in full. */
  onFailureDir?: string;
  /**
   * Concurrent batches per shard (1-10, AWS's ParallelizationFactor, default 1). Records are spread over that many
   * lanes by partition key, so one key's records stay in order; the shard's checkpoint only moves past a record once
   * every record before it is handled, so a crash redelivers rather than skips.
   */
  parallelizationFactor?: number;
  /** AWS's MaximumBatchingWindowInSeconds: accepted and reported in `settings` (records are not held back locally). */
  maximumBatchingWindowSeconds?: number;
  /** First retry delay, doubled per attempt up to 10 s (default 500). */
  retryBaseDelayMs?: number;
  logger?: Logger;
}

/** What the mapping was created with, as GetEventSourceMapping would report it. */
export interface KinesisEventSourceMappingSettings {
  streamName: string;
  functionName: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  parallelizationFactor: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  maximumRetryAttempts: number;
  onFailureDir?: string;
}

export interface KinesisEventSourceMapping {
  readonly settings: KinesisEventSourceMappingSettings;
  /** Stops polling after the in-flight invocation; records not checkpointed are delivered again after a restart. */
  stop(): Promise<void>;
  /** Resolves once every shard has been read up to its end as of the call (or the mapping stopped). */
  idle(): Promise<void>;
  /** Records were put on the stream: caught-up shards are read now instead of after the poll interval. */
  wake(): void;
}

/** A virtual shard: the records of the partition keys that hash to it, delivered one batch at a time. */
interface Lane {
  queue: _Record[];
  running?: Promise<void>;
}

interface ShardState {
  shard: Shard;
  lanes: Lane[];
  /** Records read and not yet handled, in stream order; the checkpoint is the last one of the handled prefix. */
  unhandled: _Record[];
  handled: Set<string>;
  /** Tick of the poll that last found the shard caught up. */
  caughtUpTick: number;
  ended: boolean;
  /** Seen while still open: its children continue from their beginning rather than the starting position. */
  sawOpen: boolean;
  run?: Promise<void>;
}

interface Batch {
  records: _Record[];
  attempt: number;
}

const MAX_RETRY_DELAY_MS = 10_000;
/** Records read ahead per lane beyond the batch in flight (bounds memory while keeping every lane fed). */
const READ_AHEAD_BATCHES = 2;

/** FNV-1a of the partition key: which lane (virtual shard) its records go to. */
export function laneOf(partitionKey: string, lanes: number): number {
  if (lanes <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < partitionKey.length; i++) {
    hash ^= partitionKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

export async function startKinesisEventSourceMapping(
  options: KinesisEventSourceMappingOptions,
): Promise<KinesisEventSourceMapping> {
  const {
    kinesis,
    streamName,
    functionName,
    invoker,
    batchSize = 100,
    startingPosition = 'TRIM_HORIZON',
    pollIntervalMs = 1000,
    maxRetryAttempts = 3,
    bisectBatchOnFunctionError = false,
    reportBatchItemFailures = false,
    retryBaseDelayMs = 500,
  } = options;
  const parallelizationFactor = options.parallelizationFactor ?? 1;
  if (!Number.isInteger(parallelizationFactor) || parallelizationFactor < 1 || parallelizationFactor > 10) {
    throw new Error(`parallelizationFactor must be an integer from 1 to 10, got ${parallelizationFactor}`);
  }
  const readAheadLimit = batchSize * parallelizationFactor * READ_AHEAD_BATCHES;
  const shardRefreshIntervalMs = options.shardRefreshIntervalMs ?? pollIntervalMs * 5;
  const log = (options.logger ?? defaultLogger).child({ eventSourceMapping: `${streamName}→${functionName}` });
  const checkpoints: CheckpointStore = await openCheckpointStore(
    options.checkpointDir,
    mappingId(streamName, functionName),
  );
  const abort = new AbortController();
  const shards = new Map<string, ShardState>();
  let tick = 0;
  let listedTick = -1;
  /** Checkpoint writes under way (idle() waits for them). */
  let checkpointWrites = 0;
  let stopped = false;
  let streamArn: string | undefined;
  let region = LOCAL_REGION;
  const idleWaiters: { since: number; resolve: () => void }[] = [];
  /** Bumped by wake(): a reader that saw an empty shard sleeps only if nothing was put since it asked. */
  let wakes = 0;
  const wakeSleepers = new Set<() => void>();
  /** Called whenever a lane finishes a batch (a reader waiting for room or for its lanes to drain looks again). */
  const progressWaiters = new Set<() => void>();

  const pause = async (ms: number) => {
    try {
      await sleep(ms, undefined, { signal: abort.signal });
    } catch {
      // aborted by stop()
    }
  };

  /** Sleeps up to `ms`, or until one of `waiters` is called (wake, progress) or the mapping stops. */
  const sleepUnless = (ms: number, waiters: Set<() => void>) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      abort.signal.addEventListener('abort', done);
      waiters.add(done);
    });
  const pollPause = (ms: number) => sleepUnless(ms, wakeSleepers);
  const progressPause = (ms: number) => sleepUnless(ms, progressWaiters);
  const callAll = (waiters: Set<() => void>) => {
    for (const done of [...waiters]) done();
  };
  const notifyProgress = () => callAll(progressWaiters);

  function isIdleSince(since: number): boolean {
    if (stopped) return true;
    if (listedTick <= since || checkpointWrites > 0) return false;
    for (const state of shards.values()) {
      if (!state.ended && state.caughtUpTick <= since) return false;
    }
    return true;
  }

  function checkIdle() {
    for (let i = idleWaiters.length - 1; i >= 0; i--) {
      if (isIdleSince(idleWaiters[i].since)) idleWaiters.splice(i, 1)[0].resolve();
    }
  }

  /** Learns the stream ARN and creation time once the stream exists; checkpoints of an older incarnation are dropped. */
  async function resolveStream(): Promise<boolean> {
    try {
      region = (await kinesis.config.region()) ?? region;
    } catch {
      // a client without a region keeps the local default
    }
    let summary: DescribeStreamSummaryCommandOutput;
    try {
      summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }), {
        abortSignal: abort.signal,
      });
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      streamArn ??= `arn:aws:kinesis:${region}:${LOCAL_ACCOUNT_ID}:stream/${streamName}`;
      return false;
    }
    streamArn =
      summary.StreamDescriptionSummary?.StreamARN ??
      `arn:aws:kinesis:${region}:${LOCAL_ACCOUNT_ID}:stream/${streamName}`;
    const createdAt = summary.StreamDescriptionSummary?.StreamCreationTimestamp?.toISOString();
    if (checkpoints.streamCreatedAt !== createdAt) {
      if (checkpoints.streamCreatedAt !== undefined) {
        log.warn(
          { streamName, was: checkpoints.streamCreatedAt, now: createdAt },
          'stream was recreated; starting over without the old checkpoints',
        );
      }
      await checkpoints.reset(createdAt);
    }
    return true;
  }

  async function listShards(): Promise<Shard[]> {
    const found: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
        { abortSignal: abort.signal },
      );
      found.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  }

  async function discoverShards() {
    let warnedMissing = false;
    let resolved = false;
    while (!stopped) {
      const started = ++tick;
      try {
        resolved ||= await resolveStream();
        if (!resolved)
          throw Object.assign(new Error(`stream ${streamName} not found`), { name: 'ResourceNotFoundException' });
        for (const shard of await listShards()) {
          const id = shard.ShardId;
          if (!id || shards.has(id)) continue;
          const state: ShardState = {
            shard,
            lanes: Array.from({ length: parallelizationFactor }, () => ({ queue: [] })),
            unhandled: [],
            handled: new Set(),
            caughtUpTick: -1,
            ended: checkpoints.get(id)?.ended === true,
            sawOpen: !shard.SequenceNumberRange?.EndingSequenceNumber,
          };
          shards.set(id, state);
          if (!state.ended) state.run = readShard(state);
        }
        listedTick = started;
        warnedMissing = false;
      } catch (error) {
        if (stopped) break;
        if ((error as Error).name === 'ResourceNotFoundException') {
          resolved = false; // a stream created again later gets its own checkpoints
          // Nothing to read yet: idle() must not hang on a stream that is still to be created.
          listedTick = started;
          if (!warnedMissing) log.warn({ streamName }, 'stream does not exist (yet); waiting for it');
          warnedMissing = true;
        } else {
          log.warn({ err: error }, 'shard discovery failed; retrying');
        }
      }
      checkIdle();
      await pause(shardRefreshIntervalMs);
    }
  }

  async function waitForParents(state: ShardState): Promise<boolean> {
    const parents = [state.shard.ParentShardId, state.shard.AdjacentParentShardId].filter((id): id is string => !!id);
    let followsParent = false;
    for (const parentId of parents) {
      const parent = shards.get(parentId);
      if (!parent) continue; // parent trimmed away or unknown: nothing to wait for
      followsParent ||= parent.sawOpen || checkpoints.get(parentId)?.sequenceNumber !== undefined;
      while (!stopped && !parent.ended) await pause(Math.min(pollIntervalMs, 200));
    }
    return followsParent;
  }

  async function shardIterator(
    shardId: string,
    fallback: ShardIteratorType,
    since?: Date,
    lastRead?: string,
  ): Promise<string | undefined> {
    if (lastRead) {
      // Records after the checkpoint were read already and are in the lanes: continue after them.
      const out = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shardId,
          ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
          StartingSequenceNumber: lastRead,
        }),
        { abortSignal: abort.signal },
      );
      return out.ShardIterator;
    }
    const checkpoint = checkpoints.get(shardId);
    if (checkpoint?.sequenceNumber) {
      try {
        const out = await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shardId,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            StartingSequenceNumber: checkpoint.sequenceNumber,
          }),
          { abortSignal: abort.signal },
        );
        return out.ShardIterator;
      } catch (error) {
        if ((error as Error).name !== 'InvalidArgumentException') throw error;
        log.warn(
          { shardId, checkpoint: checkpoint.sequenceNumber },
          'checkpoint no longer valid for the stream; reading from TRIM_HORIZON',
        );
        fallback = 'TRIM_HORIZON';
      }
    }
    // Re-reading a LATEST shard before its first checkpoint: resume from when reading began, not from now.
    const type: ShardIteratorType = fallback === 'LATEST' && since ? 'AT_TIMESTAMP' : fallback;
    const out = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: type,
        ...(type === 'AT_TIMESTAMP' ? { Timestamp: since } : {}),
      }),
      { abortSignal: abort.signal },
    );
    return out.ShardIterator;
  }

  async function readShard(state: ShardState): Promise<void> {
    try {
      await readShardRecords(state);
    } finally {
      // stop(): the batches in flight finish (their records are checkpointed) before the mapping reports stopped
      await Promise.allSettled(state.lanes.map((lane) => lane.running));
    }
  }

  const readLimit = Math.min(batchSize * parallelizationFactor, 10_000);

  async function readShardRecords(state: ShardState): Promise<void> {
    const shardId = state.shard.ShardId as string;
    const position: ShardIteratorType = (await waitForParents(state)) ? 'TRIM_HORIZON' : startingPosition;
    let iterator: string | undefined;
    let readingSince: Date | undefined;
    let lastRead: string | undefined;
    while (!stopped) {
      if (state.unhandled.length >= readAheadLimit) {
        await progressPause(pollIntervalMs);
        continue;
      }
      const started = ++tick;
      const wakesBefore = wakes;
      try {
        if (!iterator) {
          const requestedAt = new Date();
          iterator = await shardIterator(shardId, position, readingSince, lastRead);
          readingSince ??= requestedAt;
        }
        if (!iterator) {
          await finishShard(state);
          return;
        }
        const out: GetRecordsCommandOutput = await kinesis.send(
          new GetRecordsCommand({
            ShardIterator: iterator,
            Limit: readLimit,
          }),
          { abortSignal: abort.signal },
        );
        const records = out.Records ?? [];
        if (records.length > 0) {
          lastRead = records[records.length - 1].SequenceNumber;
          dispatch(state, records);
        }
        if (stopped) return;
        iterator = out.NextShardIterator;
        if (!iterator) {
          await finishShard(state);
          return;
        }
        const caughtUp = (out.MillisBehindLatest ?? 0) === 0 && records.length < readLimit;
        if (caughtUp && records.length > 0 && state.unhandled.length > 0 && wakes === wakesBefore) {
          // Read to the end and nothing put since: the next read would come back empty; it waits for a batch to be
          // done instead (what an empty read would lead to anyway).
          await progressPause(pollIntervalMs);
        } else if (records.length === 0 && (out.MillisBehindLatest ?? 0) === 0) {
          if (state.unhandled.length > 0) {
            // Caught up on reading, not on handling: look again once a batch is done.
            await progressPause(pollIntervalMs);
          } else if (wakes === wakesBefore) {
            state.caughtUpTick = started;
            checkIdle();
            await pollPause(pollIntervalMs);
          }
        }
      } catch (error) {
        if (stopped) return;
        const name = (error as Error).name;
        if (name === 'ResourceNotFoundException') {
          // The shard or the stream is gone (stream deleted); stop reading it, discovery picks up a new one.
          log.warn({ shardId }, 'shard no longer exists; stopped reading it');
          shards.delete(shardId);
          checkIdle();
          return;
        }
        log.warn({ shardId, err: error }, 'reading the shard failed; resuming after the last record read');
        iterator = undefined; // ExpiredIterator, throttling, network: continue after what the lanes already hold
        await pause(name === 'ProvisionedThroughputExceededException' ? pollIntervalMs : Math.max(pollIntervalMs, 200));
      }
    }
  }

  /** A closed shard read to its end: once its lanes are done, its children may start. */
  async function finishShard(state: ShardState) {
    while (!stopped && state.unhandled.length > 0) await progressPause(pollIntervalMs);
    if (!stopped) await markEnded(state);
  }

  /** Spreads records over the lanes by partition key and starts every idle lane that has work. */
  function dispatch(state: ShardState, records: _Record[]) {
    const shardId = state.shard.ShardId as string;
    for (const record of records) {
      state.unhandled.push(record);
      state.lanes[laneOf(record.PartitionKey ?? '', parallelizationFactor)].queue.push(record);
    }
    for (const lane of state.lanes) {
      if (lane.running || lane.queue.length === 0) continue;
      lane.running = (async () => {
        try {
          while (lane.queue.length > 0 && !stopped) {
            try {
              await deliver(state, shardId, lane.queue.splice(0, batchSize));
            } catch (error) {
              // Only the checkpoint write can throw here: the batch is handled, the checkpoint moves at the next write.
              log.error({ shardId, err: error }, 'could not write the checkpoint; retried with the next batch');
            }
            notifyProgress();
          }
        } finally {
          lane.running = undefined;
          notifyProgress();
        }
      })();
    }
  }

  async function markEnded(state: ShardState) {
    state.ended = true;
    const shardId = state.shard.ShardId as string;
    await checkpoints.set(shardId, { ...checkpoints.get(shardId), ended: true });
    log.info({ shardId }, 'shard closed and fully read');
    checkIdle();
  }

  function toEventRecord(shardId: string, record: _Record): KinesisStreamRecord {
    return kinesisStreamRecord({
      shardId,
      sequenceNumber: record.SequenceNumber ?? '',
      partitionKey: record.PartitionKey ?? '',
      data: record.Data ?? new Uint8Array(),
      arrival: record.ApproximateArrivalTimestamp,
      streamArn: streamArn as string,
      region,
      functionName,
      accountId: LOCAL_ACCOUNT_ID,
    });
  }

  type InvokeOutcome = { ok: true; failedIndexes: number[] } | { ok: false; error: unknown };

  async function invokeBatch(shardId: string, records: _Record[]): Promise<InvokeOutcome> {
    const event: KinesisStreamEvent = { Records: records.map((record) => toEventRecord(shardId, record)) };
    let result: unknown;
    try {
      result = await invoker.invoke(functionName, event);
    } catch (error) {
      return { ok: false, error };
    }
    if (!reportBatchItemFailures) return { ok: true, failedIndexes: [] };
    const failures = (result as KinesisStreamBatchResponse | null | undefined)?.batchItemFailures;
    if (failures == null || failures.length === 0) return { ok: true, failedIndexes: [] };
    const indexes: number[] = [];
    for (const failure of failures) {
      const index = records.findIndex((record) => record.SequenceNumber === failure?.itemIdentifier);
      // AWS treats an unknown or empty identifier as a failure of the whole batch.
      if (index < 0)
        return {
          ok: false,
          error: new Error(`invalid batchItemFailures itemIdentifier ${JSON.stringify(failure?.itemIdentifier)}`),
        };
      indexes.push(index);
    }
    return { ok: true, failedIndexes: [...new Set(indexes)].sort((a, b) => a - b) };
  }

  /**
   * `records` are handled (processed, or given to the on-failure destination). The shard's checkpoint moves to the
   * last record of the handled prefix of what was read: a record another lane still holds keeps it back.
   */
  async function markHandled(state: ShardState, records: _Record[]) {
    for (const record of records) state.handled.add(record.SequenceNumber as string);
    let last: _Record | undefined;
    let handledPrefix = 0;
    while (
      handledPrefix < state.unhandled.length &&
      state.handled.delete(state.unhandled[handledPrefix].SequenceNumber as string)
    ) {
      last = state.unhandled[handledPrefix++];
    }
    if (!last) return;
    state.unhandled.splice(0, handledPrefix);
    const shardId = state.shard.ShardId as string;
    // idle() waits for the write too: "handled" includes the checkpoint a restart would start from
    checkpointWrites++;
    try {
      await checkpoints.set(shardId, { ...checkpoints.get(shardId), sequenceNumber: last.SequenceNumber });
    } finally {
      checkpointWrites--;
      checkIdle();
    }
  }

  async function discard(shardId: string, batch: _Record[], discarded: _Record[], attempts: number, error: unknown) {
    const first = batch[0];
    const last = batch[batch.length - 1];
    const failure = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `${functionArn(functionName, region)}:$LATEST`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: attempts,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      KinesisBatchInfo: {
        shardId,
        startSequenceNumber: first.SequenceNumber,
        endSequenceNumber: last.SequenceNumber,
        approximateArrivalOfFirstRecord: first.ApproximateArrivalTimestamp?.toISOString(),
        approximateArrivalOfLastRecord: last.ApproximateArrivalTimestamp?.toISOString(),
        batchSize: batch.length,
        streamArn,
      },
      error: describeError(error),
      records: discarded.map((record) => toEventRecord(shardId, record)),
    };
    let file: string | undefined;
    if (options.onFailureDir) {
      file = await writeFailureRecord(options.onFailureDir, `${shardId}-${first.SequenceNumber}`, failure);
    }
    log.error(
      {
        shardId,
        startSequenceNumber: first.SequenceNumber,
        endSequenceNumber: last.SequenceNumber,
        discarded: discarded.length,
        file,
        ...(file ? {} : { failure }),
      },
      'records sent to the on-failure destination after the last retry',
    );
  }

  /** Runs one batch to completion: success, retries, bisection, partial responses, or the on-failure destination. */
  async function deliver(state: ShardState, shardId: string, records: _Record[]) {
    const queue: Batch[] = [{ records, attempt: 0 }];
    while (queue.length > 0 && !stopped) {
      const batch = queue.shift() as Batch;
      const outcome = await invokeBatch(shardId, batch.records);
      // a timed-out attempt still running in-process ends before its records are tried again
      if (!outcome.ok) await attemptSettled(outcome.error);
      if (outcome.ok && outcome.failedIndexes.length === 0) {
        await markHandled(state, batch.records);
        continue;
      }
      if (outcome.ok) {
        const firstFailed = outcome.failedIndexes[0];
        if (firstFailed > 0) await markHandled(state, batch.records.slice(0, firstFailed));
        if (batch.attempt >= maxRetryAttempts) {
          const failed = outcome.failedIndexes.map((index) => batch.records[index]);
          await discard(
            shardId,
            batch.records.slice(firstFailed),
            failed,
            batch.attempt + 1,
            new Error(`${failed.length} records reported in batchItemFailures`),
          );
          await markHandled(state, batch.records.slice(firstFailed));
          continue;
        }
        await pause(retryDelay(batch.attempt));
        queue.unshift({ records: batch.records.slice(firstFailed), attempt: batch.attempt + 1 });
        continue;
      }
      if (bisectBatchOnFunctionError && batch.records.length > 1) {
        const middle = Math.ceil(batch.records.length / 2);
        queue.unshift(
          { records: batch.records.slice(0, middle), attempt: batch.attempt },
          { records: batch.records.slice(middle), attempt: batch.attempt },
        );
        continue;
      }
      if (batch.attempt >= maxRetryAttempts) {
        await discard(shardId, batch.records, batch.records, batch.attempt + 1, outcome.error);
        await markHandled(state, batch.records);
        continue;
      }
      await pause(retryDelay(batch.attempt));
      queue.unshift({ records: batch.records, attempt: batch.attempt + 1 });
    }
  }

  function retryDelay(attempt: number) {
    return Math.min(retryBaseDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS);
  }

  const discovery = discoverShards();
  log.info(
    { streamName, functionName, batchSize, parallelizationFactor, startingPosition },
    'event source mapping started',
  );

  return {
    settings: {
      streamName,
      functionName,
      startingPosition,
      batchSize,
      maximumBatchingWindowSeconds: options.maximumBatchingWindowSeconds ?? 0,
      parallelizationFactor,
      bisectBatchOnFunctionError,
      reportBatchItemFailures,
      maximumRetryAttempts: maxRetryAttempts,
      ...(options.onFailureDir ? { onFailureDir: options.onFailureDir } : {}),
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      abort.abort();
      await discovery;
      await Promise.allSettled([...shards.values()].map((state) => state.run));
      checkIdle();
    },
    wake() {
      wakes++;
      callAll(wakeSleepers);
    },
    idle() {
      const since = ++tick;
      return new Promise<void>((resolve) => {
        idleWaiters.push({ since, resolve });
        checkIdle();
      });
    },
  };
}
