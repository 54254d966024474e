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
   * Concurrent batches per shard (1-10, AWS's ParallelizationFactor). Accepted and reported in `settings`; batches of
   * one shard are still processed one at a time here (concurrent processing per partition key comes later).
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
}

interface ShardState {
  shard: Shard;
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
  let stopped = false;
  let streamArn: string | undefined;
  let region = LOCAL_REGION;
  const idleWaiters: { since: number; resolve: () => void }[] = [];

  const pause = async (ms: number) => {
    try {
      await sleep(ms, undefined, { signal: abort.signal });
    } catch {
      // aborted by stop()
    }
  };

  function isIdleSince(since: number): boolean {
    if (stopped) return true;
    if (listedTick <= since) return false;
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
  ): Promise<string | undefined> {
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
    const shardId = state.shard.ShardId as string;
    const position: ShardIteratorType = (await waitForParents(state)) ? 'TRIM_HORIZON' : startingPosition;
    let iterator: string | undefined;
    let readingSince: Date | undefined;
    while (!stopped) {
      const started = ++tick;
      try {
        if (!iterator) {
          const requestedAt = new Date();
          iterator = await shardIterator(shardId, position, readingSince);
          readingSince ??= requestedAt;
        }
        if (!iterator) {
          await markEnded(state);
          return;
        }
        const out: GetRecordsCommandOutput = await kinesis.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }),
          {
            abortSignal: abort.signal,
          },
        );
        const records = out.Records ?? [];
        if (records.length > 0) await deliver(shardId, records);
        if (stopped) return;
        iterator = out.NextShardIterator;
        if (!iterator) {
          await markEnded(state);
          return;
        }
        if (records.length === 0 && (out.MillisBehindLatest ?? 0) === 0) {
          state.caughtUpTick = started;
          checkIdle();
          await pause(pollIntervalMs);
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
        log.warn({ shardId, err: error }, 'reading the shard failed; resuming from the checkpoint');
        iterator = undefined; // ExpiredIterator, throttling, network: start again after the checkpoint
        await pause(name === 'ProvisionedThroughputExceededException' ? pollIntervalMs : Math.max(pollIntervalMs, 200));
      }
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

  async function checkpointAt(shardId: string, record: _Record) {
    await checkpoints.set(shardId, { ...checkpoints.get(shardId), sequenceNumber: record.SequenceNumber });
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
  async function deliver(shardId: string, records: _Record[]) {
    const queue: Batch[] = [{ records, attempt: 0 }];
    while (queue.length > 0 && !stopped) {
      const batch = queue.shift() as Batch;
      const outcome = await invokeBatch(shardId, batch.records);
      // a timed-out attempt still running in-process ends before its records are tried again
      if (!outcome.ok) await attemptSettled(outcome.error);
      const last = batch.records[batch.records.length - 1];
      if (outcome.ok && outcome.failedIndexes.length === 0) {
        await checkpointAt(shardId, last);
        continue;
      }
      if (outcome.ok) {
        const firstFailed = outcome.failedIndexes[0];
        if (firstFailed > 0) await checkpointAt(shardId, batch.records[firstFailed - 1]);
        if (batch.attempt >= maxRetryAttempts) {
          const failed = outcome.failedIndexes.map((index) => batch.records[index]);
          await discard(
            shardId,
            batch.records.slice(firstFailed),
            failed,
            batch.attempt + 1,
            new Error(`${failed.length} records reported in batchItemFailures`),
          );
          await checkpointAt(shardId, last);
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
        await checkpointAt(shardId, last);
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
  log.info({ streamName, functionName, batchSize, startingPosition }, 'event source mapping started');

  return {
    settings: {
      streamName,
      functionName,
      startingPosition,
      batchSize,
      maximumBatchingWindowSeconds: options.maximumBatchingWindowSeconds ?? 0,
      parallelizationFactor: options.parallelizationFactor ?? 1,
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
    idle() {
      const since = ++tick;
      return new Promise<void>((resolve) => {
        idleWaiters.push({ since, resolve });
        checkIdle();
      });
    },
  };
}
