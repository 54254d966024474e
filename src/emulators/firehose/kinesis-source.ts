// Reads a Kinesis stream for a KinesisStreamAsSource delivery stream. Like Firehose, KPL-aggregated records are
// split into their user records before buffering (and before the transform). Checkpoints are saved after the
// records are in the write-ahead log, so a restart continues where it left off without losing anything.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { deaggregate, isAggregated, KplFormatError } from '../../domain/kpl.js';
import { writeFileDurably } from '../../lib/durable-file.js';
import type { Logger } from '../../lib/logger.js';
import { quarantine } from '../../lib/startup-notes.js';
import type { IncomingRecord } from './delivery-stream.js';

export interface KinesisSourceOptions {
  kinesis: KinesisClient;
  streamName: string;
  /** epoch ms: records that arrived before the delivery stream existed are not read (Firehose starts at LATEST) */
  startAt: number;
  checkpointFile: string;
  pollIntervalMs: number;
  accept(records: IncomingRecord[]): Promise<unknown>;
  logger: Logger;
}

export interface KinesisSource {
  /** Resolves after a full pass over the shards, started after the call, found nothing new. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** Passes between two listings of the stream's shards while none ends. */
const SHARD_LIST_PASSES = 10;

interface Checkpoints {
  [shardId: string]: { sequenceNumber?: string; ended?: boolean };
}

export function startKinesisSource(opts: KinesisSourceOptions): KinesisSource {
  const abort = new AbortController();
  const iterators = new Map<string, string>();
  let checkpoints: Checkpoints = {};
  let pass = 0;
  const waiters: { after: number; resolve: () => void }[] = [];
  let stopped = false;

  /** Ends the wait after a pass that took records (idle() wants a pass that finds nothing). */
  let endNap: (() => void) | undefined;
  const napUntilAsked = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', done);
        endNap = undefined;
        resolve();
      };
      const timer = setTimeout(done, opts.pollIntervalMs);
      abort.signal.addEventListener('abort', done);
      endNap = done;
    });

  const saveCheckpoints = () => writeFileDurably(opts.checkpointFile, JSON.stringify(checkpoints));

  const iteratorFor = async (shardId: string): Promise<string | undefined> => {
    const known = iterators.get(shardId);
    if (known) return known;
    const seq = checkpoints[shardId]?.sequenceNumber;
    const out = await opts.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: opts.streamName,
        ShardId: shardId,
        ...(seq
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: seq }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
      { abortSignal: abort.signal },
    );
    return out.ShardIterator;
  };

  const toIncoming = (
    shardId: string,
    record: { Data?: Uint8Array; PartitionKey?: string; SequenceNumber?: string; ApproximateArrivalTimestamp?: Date },
  ): IncomingRecord[] => {
    const data = Buffer.from(record.Data ?? new Uint8Array());
    const base = {
      shardId,
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber: record.SequenceNumber ?? '',
      approximateArrivalTimestamp: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
    };
    if (isAggregated(data)) {
      try {
        return deaggregate(data).map((user, subsequenceNumber) => ({
          data: user.data,
          kinesis: { ...base, partitionKey: user.partitionKey, subsequenceNumber },
        }));
      } catch (err) {
        if (!(err instanceof KplFormatError)) throw err;
        opts.logger.warn(
          { stream: opts.streamName, sequenceNumber: base.sequenceNumber, err: err.message },
          'firehose: undecodable KPL record delivered as is',
        );
      }
    }
    return [{ data, kinesis: base }];
  };

  /** The stream's shards as last listed; listed again every SHARD_LIST_PASSES passes, after a shard ended or a failed
   * pass (a reshard closes its parents, so their children are found at once). */
  let shards: Shard[] | undefined;
  let listedAtPass = 0;
  const listShards = async (): Promise<Shard[]> => {
    const found: Shard[] = [];
    let nextToken: string | undefined;
    do {
      const page = await opts.kinesis.send(
        new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: opts.streamName }),
        { abortSignal: abort.signal },
      );
      found.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  };

  /** Reads every open shard once (more while behind); returns the number of records taken. */
  const readPass = async (): Promise<number> => {
    let taken = 0;
    if (!shards || pass - listedAtPass >= SHARD_LIST_PASSES) {
      shards = await listShards();
      listedAtPass = pass;
    }
    for (const shard of shards) {
      const shardId = shard.ShardId as string;
      if (checkpoints[shardId]?.ended) continue;
      for (;;) {
        const iterator = await iteratorFor(shardId);
        if (!iterator) break;
        let page: GetRecordsCommandOutput;
        try {
          page = await opts.kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }), {
            abortSignal: abort.signal,
          });
        } catch (err) {
          if ((err as Error).name === 'ExpiredIteratorException') {
            iterators.delete(shardId);
            continue;
          }
          throw err;
        }
        const records = page.Records ?? [];
        const fresh = records.filter((r) => (r.ApproximateArrivalTimestamp?.getTime() ?? Date.now()) >= opts.startAt);
        if (fresh.length > 0) {
          await opts.accept(fresh.flatMap((r) => toIncoming(shardId, r)));
          taken += fresh.length;
        }
        checkpoints[shardId] ??= {};
        const state = checkpoints[shardId];
        if (records.length > 0) state.sequenceNumber = records[records.length - 1].SequenceNumber;
        if (!page.NextShardIterator) {
          state.ended = true;
          shards = undefined;
        }
        if (records.length > 0 || state.ended) await saveCheckpoints();
        if (page.NextShardIterator) iterators.set(shardId, page.NextShardIterator);
        else iterators.delete(shardId);
        if (state.ended || records.length === 0 || !page.MillisBehindLatest) break;
      }
    }
    return taken;
  };

  const loop = async () => {
    checkpoints = {};
    try {
      const text = await readFile(opts.checkpointFile, 'utf8');
      try {
        checkpoints = JSON.parse(text) as Checkpoints;
      } catch {
        await quarantine(
          opts.checkpointFile,
          'firehose',
          `the Kinesis checkpoint of the delivery stream reading ${opts.streamName} is unreadable: it reads the stream again from its first record`,
        );
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        opts.logger.warn({ err, file: opts.checkpointFile }, 'firehose: cannot read the Kinesis checkpoint');
    }
    let warned = false;
    while (!stopped) {
      const started = ++pass;
      let taken = 0;
      try {
        taken = await readPass();
        warned = false;
      } catch (err) {
        if (stopped) break;
        shards = undefined;
        if (!warned)
          opts.logger.warn({ err, stream: opts.streamName }, 'firehose: cannot read the source stream; retrying');
        warned = true;
      }
      // caught up, or the stream cannot be read (missing): nothing more to wait for either way
      if (taken === 0) {
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (waiters[i].after < started) waiters.splice(i, 1)[0].resolve();
        }
      }
      if (taken === 0) await sleep(opts.pollIntervalMs, undefined, { signal: abort.signal }).catch(() => undefined);
      // Taken records leave the pass caught up (it reads on while behind). Looking again at once read one record a
      // pass as records trickled in, a ListShards and a GetRecords each, for a buffer flushed once a minute; the next
      // pass waits, unless idle() asks for one.
      else if (waiters.length === 0) await napUntilAsked();
    }
    for (const w of waiters.splice(0)) w.resolve();
  };
  const running = loop();

  return {
    idle: () =>
      new Promise<void>((resolve) => {
        if (stopped) resolve();
        else {
          waiters.push({ after: pass, resolve });
          endNap?.();
        }
      }),
    async stop() {
      stopped = true;
      abort.abort();
      await running;
    },
  };
}
