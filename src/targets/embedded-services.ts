import { mkdir, rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { EdgeService } from '../emulators/edge/service.js';
import { closeAll } from '../lib/close-all.js';
import { logger } from '../lib/logger.js';

import { SERVICE_NAMES, type ServiceName } from './service-names.js';

export { SERVICE_NAMES, type ServiceName };

export interface EmbeddedServicesOptions {
  dataDir: string;
  fresh?: boolean;
  services?: readonly ServiceName[];
  host?: string;
  ports?: { edge?: number; opensearch?: number; gremlin?: number; redis?: number };
  gremlinDialect?: 'neptune' | 'tinkerpop';
  /** S3 accounts file or JSON (default: OCTEMBER_S3_ACCOUNTS, else the test/test account) */
  s3Accounts?: string;
  /** CloudSearch domain schema file replacing the topology's (`--cloudsearch-schema`). */
  cloudSearchSchema?: string;
  /** Where S3 bucket notifications go; the local runtime attaches itself here after start. */
  onS3Notification?: (notification: import('../emulators/s3/index.js').S3Notification) => void;
  /** Records were put on a stream (the local runtime's event source mappings read it at once). */
  onKinesisPut?: (streamName: string) => void;
}

export interface EmbeddedEndpoints {
  /** Absent when no AWS service was selected. */
  edge?: string;
  opensearch?: string;
  gremlin?: string;
  redis?: string;
}

export interface EmbeddedServices {
  endpoints: EmbeddedEndpoints;
  services: readonly ServiceName[];
  /** Milliseconds from start until every endpoint listened. */
  readyMs: number;
  /** Loads the OCR model (call once everything listens; its time is reported apart from readyMs). */
  warmUpOcr: (() => Promise<{ ms: number }>) | undefined;
  s3?: import('../emulators/s3/index.js').S3Service;
  sqs?: import('../emulators/sqs/index.js').SqsService;
  firehose?: import('../emulators/firehose/index.js').FirehoseService;
  searchEngine?: import('../emulators/search-engine/index.js').SearchEngine;
  close(): Promise<void>;
}

export function parseServices(list: string): ServiceName[] {
  const names = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown service(s): ${unknown.join(', ')}; choose from ${SERVICE_NAMES.join(', ')}`);
  }
  return names as ServiceName[];
}

/** Starts the selected emulators. Everything listens before this resolves; the OCR model loads in the background. */
export async function startEmbeddedServices(opts: EmbeddedServicesOptions): Promise<EmbeddedServices> {
  const started = performance.now();
  const wanted = new Set(opts.services ?? SERVICE_NAMES);
  const host = opts.host ?? '127.0.0.1';
  const ports = opts.ports ?? {};
  if (opts.fresh) await rm(opts.dataDir, { recursive: true, force: true });
  await mkdir(opts.dataDir, { recursive: true });

  const closers: (() => Promise<void>)[] = [];
  let closeFirehose: (() => Promise<void>) | undefined;
  const edgeServices: EdgeService[] = [];
  const endpoints: Partial<EmbeddedEndpoints> = {};
  let ocrReady: Promise<{ ms: number }> | undefined;
  let warmUpOcr: (() => Promise<{ ms: number }>) | undefined;
  const result: Partial<EmbeddedServices> = {};

  try {
    // Everything starts at once (redis-server, a child process, is the slowest, so it goes first). Kinesis is the
    // in-process engine: opening its snapshot and journal is all its start-up.
    const redis = wanted.has('redis')
      ? import('../emulators/redis/index.js').then((m) => m.startRedis({ dataDir: opts.dataDir, port: ports.redis }))
      : undefined;
    const kinesis = wanted.has('kinesis')
      ? import('../emulators/kinesis/index.js').then((m) =>
          m.startKinesis({ dataDir: opts.dataDir, onRecordsPut: opts.onKinesisPut }),
        )
      : undefined;
    const tasks: Promise<void>[] = [];
    const sqs = wanted.has('sqs')
      ? import('../emulators/sqs/index.js').then((m) => m.createSqsService({ dataDir: opts.dataDir }))
      : undefined;
    // S3 → SQS notifications go to the SQS emulator; the rest (Lambda destinations) to the local runtime.
    const notify = await import('../emulators/s3/notifications.js').then((m) =>
      m.routeNotifications({
        sendToQueue: sqs ? async (arn, body) => (await sqs).sendToArn(arn, body) : undefined,
        other: (n) => opts.onS3Notification?.(n),
        onDropped: (n, reason) =>
          logger.warn(
            { destination: n.destinationArn, key: n.record.s3.object.key, reason },
            'S3 notification dropped',
          ),
      }),
    );
    const s3 = wanted.has('s3')
      ? import('../emulators/s3/index.js').then((m) =>
          m.createS3Service({ dataDir: opts.dataDir, notify, accounts: opts.s3Accounts }),
        )
      : undefined;
    if (sqs) {
      tasks.push(
        sqs.then((service) => {
          result.sqs = service;
          edgeServices.push(service);
          closers.push(() => service.close());
        }),
      );
    }
    if (s3) {
      tasks.push(
        s3.then((service) => {
          result.s3 = service;
          edgeServices.push(service);
        }),
      );
    }
    if (wanted.has('textract')) {
      tasks.push(
        (async () => {
          const { TesseractPool, createTextractService } = await import('../emulators/textract/index.js');
          const pool = TesseractPool.create({ size: Math.min(cpus().length, 4) });
          closers.push(() => pool.close());
          // The model loads after every endpoint listens: on 2 cores it would otherwise slow the start-up.
          warmUpOcr = () => {
            ocrReady ??= pool.warmUp();
            return ocrReady;
          };
          const s3Service = await s3;
          edgeServices.push(
            createTextractService({
              pool,
              readS3Object: s3Service
                ? async (bucket, key) => (await s3Service.store.getObject(bucket, key))?.body
                : await remoteS3Reader(),
            }),
          );
        })(),
      );
    }
    if (wanted.has('opensearch') || wanted.has('cloudsearch')) {
      tasks.push(
        (async () => {
          const { SearchEngine } = await import('../emulators/search-engine/index.js');
          const engine = new SearchEngine({ dataDir: opts.dataDir });
          result.searchEngine = engine;
          closers.push(async () => engine.close());
          if (wanted.has('opensearch')) {
            const { startOpenSearch } = await import('../emulators/opensearch/index.js');
            const server = await startOpenSearch({ port: ports.opensearch ?? 9200, host, engine });
            endpoints.opensearch = server.url;
            closers.push(() => server.close());
          }
          if (wanted.has('cloudsearch')) {
            const { createCloudSearchService } = await import('../emulators/cloudsearch/index.js');
            edgeServices.push(
              createCloudSearchService({ engine, dataDir: opts.dataDir, schemaFile: opts.cloudSearchSchema }),
            );
          }
        })(),
      );
    }
    if (wanted.has('gremlin')) {
      tasks.push(
        (async () => {
          const { startGremlinServer } = await import('../emulators/gremlin/index.js');
          const server = await startGremlinServer({
            port: ports.gremlin ?? 8182,
            host,
            dialect: opts.gremlinDialect ?? 'neptune',
            dataDir: opts.dataDir,
          });
          endpoints.gremlin = server.url;
          closers.push(() => server.close());
        })(),
      );
    }
    if (wanted.has('firehose')) {
      tasks.push(
        (async () => {
          const { createFirehoseService } = await import('../emulators/firehose/index.js');
          const firehose = await createFirehoseService({ dataDir: opts.dataDir });
          result.firehose = firehose;
          edgeServices.push(firehose);
          closeFirehose = async () => {
            await firehose.flush().catch(() => undefined);
            await firehose.close();
          };
        })(),
      );
    }
    if (kinesis) {
      tasks.push(
        kinesis.then((service) => {
          edgeServices.push(service);
          closers.push(() => service.close());
        }),
      );
    }
    if (redis) {
      tasks.push(
        redis.then((server) => {
          if (!server) return;
          endpoints.redis = server.url;
          closers.push(() => server.close());
        }),
      );
    }
    const settled = await Promise.allSettled(tasks);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    if (edgeServices.length > 0) {
      const { startEdge } = await import('../emulators/edge/index.js');
      const edge = await startEdge({ port: ports.edge ?? 4566, host, services: edgeServices });
      endpoints.edge = edge.url;
      closers.unshift(() => edge.close());
    }
    // Firehose reads its source streams through the edge: it stops before the edge closes (no refused reads logged).
    if (closeFirehose) closers.unshift(closeFirehose);
  } catch (error) {
    if (closeFirehose && !closers.includes(closeFirehose)) closers.unshift(closeFirehose);
    await closeAll(closers);
    throw error;
  }

  return {
    ...result,
    endpoints: endpoints as EmbeddedEndpoints,
    services: [...wanted],
    readyMs: performance.now() - started,
    warmUpOcr,
    close: () => closeAll(closers),
  };
}

/** Textract without the S3 emulator (the containers target) reads documents from OCTEMBER_S3_ENDPOINT (LocalStack). */
async function remoteS3Reader(): Promise<(bucket: string, key: string) => Promise<Uint8Array | undefined>> {
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const endpoint = process.env.OCTEMBER_S3_ENDPOINT ?? process.env.AWS_ENDPOINT_URL;
  const client = new S3Client({
    forcePathStyle: true,
    region: process.env.AWS_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } } : {}),
  });
  return async (bucket, key) => {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return out.Body ? await out.Body.transformToByteArray() : undefined;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey' || (error as Error).name === 'NoSuchBucket') return undefined;
      throw error;
    }
  };
}
