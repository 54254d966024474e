// Kinesis Data Firehose emulator (AWS JSON 1.1, X-Amz-Target Firehose_20150804.*) with S3 destinations,
// Lambda processors, Kinesis-stream sources and a write-ahead log so nothing accepted is lost across restarts.

import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { sendJson } from '../../lib/http.js';
import { logger as defaultLogger, type Logger } from '../../lib/logger.js';
import { quarantine } from '../../lib/startup-notes.js';
import { internalFailure, readAwsJsonBody, sendAwsJsonError } from '../aws-errors/index.js';
import type { EdgeService } from '../edge/service.js';
import {
  type DeliveryStreamDefinition,
  describe,
  FirehoseError,
  parseCreateRequest,
  validateStreamName,
} from './definition.js';
import { type DeliverySink, DeliveryStreamRuntime } from './delivery-stream.js';
import { type KinesisSource, startKinesisSource } from './kinesis-source.js';

export type { DeliveryStreamDefinition } from './definition.js';
export { FirehoseError } from './definition.js';

export interface FirehoseDeps {
  putObject(bucket: string, key: string, body: Buffer): Promise<void>;
  invokeLambda(functionName: string, event: unknown): Promise<unknown>;
  /** Needed by KinesisStreamAsSource delivery streams. */
  kinesis?: KinesisClient;
}

export interface FirehoseServiceOptions {
  dataDir: string;
  /** Buffering interval of streams created without IntervalInSeconds (embedded default 5 s; AWS's is 300 s). */
  bufferIntervalSeconds?: number;
  /** How often Kinesis sources poll a caught-up stream (default 1000 ms). */
  kinesisPollIntervalMs?: number;
  region?: string;
  logger?: Logger;
}

export interface FirehoseService extends EdgeService {
  /** Connects the destinations; buffered data (also from an earlier run) is delivered from then on. */
  attach(deps: FirehoseDeps): void;
  /** Delivers buffered data now (one stream or all), after Kinesis sources caught up with their streams. */
  flush(name?: string): Promise<void>;
  /** Stops timers and pollers; undelivered records stay in the log for the next start. */
  close(): Promise<void>;
}

const MAX_REQUEST_BYTES = 16 * 1024 * 1024;
const MAX_BATCH_RECORDS = 500;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const MAX_RECORD_BYTES = 1000 * 1024;

type Json = Record<string, unknown>;

export async function createFirehoseService(opts: FirehoseServiceOptions): Promise<FirehoseService> {
  const root = join(opts.dataDir, 'firehose');
  const log = (opts.logger ?? defaultLogger).child({ service: 'firehose' });
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const defaultIntervalSeconds = opts.bufferIntervalSeconds ?? 5;
  const streams = new Map<string, DeliveryStreamRuntime>();
  const sources = new Map<string, KinesisSource>();
  let deps: FirehoseDeps | undefined;
  let closed = false;

  const streamDir = (name: string) => join(root, 'streams', name);
  const sink = (): DeliverySink | undefined => deps;

  const openRuntime = async (def: DeliveryStreamDefinition) => {
    const runtime = await DeliveryStreamRuntime.open(def, join(streamDir(def.name), 'wal'), {
      sink,
      region,
      logger: log,
    });
    streams.set(def.name, runtime);
    return runtime;
  };

  const startSource = (runtime: DeliveryStreamRuntime) => {
    const def = runtime.def;
    if (!def.source || !deps?.kinesis || sources.has(def.name) || closed) return;
    sources.set(
      def.name,
      startKinesisSource({
        kinesis: deps.kinesis,
        streamName: def.source.streamName,
        // arrival timestamps have second precision on some implementations
        startAt: Math.floor(def.createdAt / 1000) * 1000 - 1000,
        checkpointFile: join(streamDir(def.name), 'kinesis-checkpoints.json'),
        pollIntervalMs: opts.kinesisPollIntervalMs ?? 1000,
        accept: (records) => runtime.accept(records),
        logger: log,
      }),
    );
  };

  // stream definitions of earlier runs
  await mkdir(join(root, 'streams'), { recursive: true });
  for (const name of await readdir(join(root, 'streams'))) {
    try {
      const def = JSON.parse(
        await readFile(join(streamDir(name), 'definition.json'), 'utf8'),
      ) as DeliveryStreamDefinition;
      await openRuntime(def);
    } catch (err) {
      const file = join(streamDir(name), 'definition.json');
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        log.warn({ name }, 'firehose: a delivery stream directory without definition.json is ignored');
        continue;
      }
      // kept for inspection with its write-ahead log; reported in the start-up summary
      await quarantine(
        file,
        'firehose',
        `delivery stream ${name} is not loaded: its definition is unreadable (${(err as Error).message}); its undelivered records stay in ${join(streamDir(name), 'wal')}`,
      ).catch((error) => log.warn({ err: error, name }, 'firehose: could not move an unreadable definition aside'));
    }
  }

  const requireStream = (name: unknown): DeliveryStreamRuntime => {
    const runtime = streams.get(validateStreamName(name));
    if (!runtime) {
      throw new FirehoseError(
        'ResourceNotFoundException',
        `Firehose ${String(name)} under account ${'000000000000'} not found.`,
      );
    }
    return runtime;
  };

  const decodeData = (value: unknown, member: string): Buffer => {
    if (typeof value !== 'string')
      throw new FirehoseError(
        'ValidationException',
        `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
      );
    return Buffer.from(value, 'base64');
  };

  const directPutOnly = (runtime: DeliveryStreamRuntime) => {
    if (runtime.def.type !== 'DirectPut') {
      throw new FirehoseError(
        'InvalidArgumentException',
        `This operation is not permitted on KinesisStreamAsSource delivery stream type.`,
      );
    }
  };

  const operations: Record<string, (input: Json) => Promise<Json>> = {
    async CreateDeliveryStream(input) {
      const def = parseCreateRequest(input, { region, defaultIntervalSeconds, now: Date.now() });
      if (streams.has(def.name)) {
        throw new FirehoseError(
          'ResourceInUseException',
          `Firehose ${def.name} under accountId 000000000000 already exists`,
        );
      }
      const dir = streamDir(def.name);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'definition.json.tmp'), JSON.stringify(def));
      await rename(join(dir, 'definition.json.tmp'), join(dir, 'definition.json'));
      const runtime = await openRuntime(def);
      startSource(runtime);
      return { DeliveryStreamARN: def.arn };
    },

    async DescribeDeliveryStream(input) {
      return { DeliveryStreamDescription: describe(requireStream(input.DeliveryStreamName).def) };
    },

    async ListDeliveryStreams(input) {
      const limit = typeof input.Limit === 'number' ? input.Limit : 10;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10000) {
        throw new FirehoseError(
          'ValidationException',
          `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000`,
        );
      }
      const start = input.ExclusiveStartDeliveryStreamName as string | undefined;
      const names = [...streams.values()]
        .filter((s) => !input.DeliveryStreamType || s.def.type === input.DeliveryStreamType)
        .map((s) => s.def.name)
        .sort()
        .filter((name) => !start || name > start);
      return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit };
    },

    async DeleteDeliveryStream(input) {
      const runtime = requireStream(input.DeliveryStreamName);
      const name = runtime.def.name;
      // deliver what was accepted before the stream goes away
      const source = sources.get(name);
      if (source) {
        await source.stop();
        sources.delete(name);
      }
      if (deps && runtime.pendingRecords > 0) await runtime.flush();
      else if (runtime.pendingRecords > 0) {
        log.warn(
          { name, records: runtime.pendingRecords },
          'firehose: deleting a delivery stream with undelivered records (no destination attached)',
        );
      }
      streams.delete(name);
      await runtime.close();
      await rm(streamDir(name), { recursive: true, force: true });
      return {};
    },

    async PutRecord(input) {
      const runtime = requireStream(input.DeliveryStreamName);
      directPutOnly(runtime);
      const data = decodeData((input.Record as Json | undefined)?.Data, 'record.data');
      if (data.length > MAX_RECORD_BYTES) {
        throw new FirehoseError(
          'ValidationException',
          `1 validation error detected: Value at 'record.data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`,
        );
      }
      const [id] = await runtime.accept([{ data }]);
      return { RecordId: id, Encrypted: false };
    },

    async PutRecordBatch(input) {
      const runtime = requireStream(input.DeliveryStreamName);
      directPutOnly(runtime);
      const records = input.Records;
      if (!Array.isArray(records) || records.length === 0 || records.length > MAX_BATCH_RECORDS) {
        throw new FirehoseError(
          'ValidationException',
          `1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BATCH_RECORDS} and greater than or equal to 1`,
        );
      }
      const decoded = records.map((r, i) => decodeData((r as Json | null)?.Data, `records.${i + 1}.member.data`));
      // as AWS does: an oversized record fails the whole request (a validation error), not just its entry
      const oversized = decoded.flatMap((d, i) =>
        d.length > MAX_RECORD_BYTES
          ? [
              `Value 'java.nio.HeapByteBuffer[pos=0 lim=${d.length} cap=${d.length}]' at 'records.${i + 1}.member.data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES}`,
            ]
          : [],
      );
      if (oversized.length > 0) {
        throw new FirehoseError(
          'ValidationException',
          `${oversized.length} validation error${oversized.length > 1 ? 's' : ''} detected: ${oversized.join('; ')}`,
        );
      }
      const total = decoded.reduce((sum, d) => sum + d.length, 0);
      if (total > MAX_BATCH_BYTES) {
        throw new FirehoseError('InvalidArgumentException', 'Records size exceeds 4 MB limit');
      }
      const ids = await runtime.accept(decoded.map((data) => ({ data })));
      const responses = ids.map((id) => ({ RecordId: id }));
      return { FailedPutCount: 0, Encrypted: false, RequestResponses: responses };
    },
  };

  return {
    name: 'firehose',
    signingNames: ['firehose'],
    targetPrefixes: ['Firehose_20150804'],

    async handle(req: IncomingMessage, res: ServerResponse) {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('Firehose_20150804.') ? target.slice('Firehose_20150804.'.length) : '';
      const body = await readAwsJsonBody(req, res, MAX_REQUEST_BYTES);
      if (!body) return;
      const op = operations[operation];
      if (!op) {
        sendAwsJsonError(
          res,
          new FirehoseError(
            'UnknownOperationException',
            `Operation ${operation || target} is not supported by the Firehose emulator`,
          ),
        );
        return;
      }
      let input: Json;
      try {
        input = body.length ? (JSON.parse(body.toString('utf8')) as Json) : {};
      } catch {
        sendAwsJsonError(res, new FirehoseError('SerializationException', 'Request body is not valid JSON'));
        return;
      }
      try {
        const out = await op(input);
        sendJson(res, 200, out, { 'content-type': 'application/x-amz-json-1.1' });
      } catch (err) {
        if (!(err instanceof FirehoseError)) log.error({ err, operation }, 'firehose: internal error');
        sendAwsJsonError(res, err instanceof FirehoseError ? err : internalFailure());
      }
    },

    attach(newDeps) {
      deps = newDeps;
      for (const runtime of streams.values()) {
        startSource(runtime);
        runtime.resume();
      }
    },

    async flush(name) {
      const targets = name === undefined ? [...streams.values()] : [requireStream(name)];
      for (const runtime of targets) {
        await sources.get(runtime.def.name)?.idle();
        await runtime.flush();
      }
    },

    async close() {
      closed = true;
      await Promise.all([...sources.values()].map((s) => s.stop()));
      sources.clear();
      await Promise.all([...streams.values()].map((s) => s.close()));
      streams.clear();
    },
  };
}
