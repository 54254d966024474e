import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET, EVENTS_STREAM, IMAGE_STREAM, ITEMS_PREFIX, RAW_IMAGE_PREFIX, TEXT_STREAM } from '../domain/names.js';
import { FUNCTIONS, lambdaArn } from '../infra/functions.js';
import { closeAll } from '../lib/close-all.js';
import { type ApiGateway, type ApiRoute, startApiGateway } from '../runtime/api-gateway.js';
import { openAsyncJournal } from '../runtime/async-journal.js';
import { createInvoker, type Invoker } from '../runtime/invoker.js';
import { type KinesisEventSourceMapping, startKinesisEventSourceMapping } from '../runtime/kinesis-event-source.js';
import { createS3NotificationDispatcher } from '../runtime/s3-notifications.js';
import type { Adapters } from './adapters.js';
import { type EmbeddedServices, startEmbeddedServices } from './embedded-services.js';
import { registerFunctions } from './functions.js';
import { createSdkAdapters } from './sdk.js';

export interface EmbeddedStackOptions {
  dataDir: string;
  fresh?: boolean;
  apiPort?: number;
  edgePort?: number;
  /** Ports of the other servers; 0 picks free ones (tests run beside a developer's `npm run dev`). */
  ports?: { opensearch?: number; gremlin?: number; redis?: number };
  apiKey: string;
  host?: string;
  /** Kinesis poll interval of the event source mappings (AWS polls once a second; locally faster). */
  pollIntervalMs?: number;
}

export interface EmbeddedStack {
  services: EmbeddedServices;
  adapters: Adapters;
  invoker: Invoker;
  api: ApiGateway;
  mappings: KinesisEventSourceMapping[];
  /** From start until the API and every endpoint listen and the resources exist. */
  readyMs: number;
  /** Resolves when every delivered event has been handled (async invocations and stream mappings caught up). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const ROUTES: ApiRoute[] = [
  { method: 'PUT', path: '/v1/{bucket}/{object+}', functionName: FUNCTIONS.putObjectApi.name, binaryBody: true },
  { method: 'GET', path: '/v1/status/{imageId}', functionName: FUNCTIONS.statusApi.name },
  { method: 'GET', path: '/v1/search', functionName: FUNCTIONS.searchApi.name },
  { method: 'GET', path: '/v1/pymk', functionName: FUNCTIONS.pymkApi.name },
  { method: 'GET', path: '/v1/items', functionName: FUNCTIONS.itemsApi.name },
  { method: 'POST', path: '/v1/events', functionName: FUNCTIONS.eventsApi.name },
  { method: 'GET', path: '/v1/recommendations', functionName: FUNCTIONS.recommendationsApi.name },
];

/** Stream → functions, as the CDK app wires them in AWS. */
const STREAM_CONSUMERS: [string, string][] = [
  [IMAGE_STREAM, FUNCTIONS.getTextFromImage.name],
  [TEXT_STREAM, FUNCTIONS.upsertToSearch.name],
  [TEXT_STREAM, FUNCTIONS.upsertToGraph.name],
  [EVENTS_STREAM, FUNCTIONS.interactionsToGraph.name],
];

/** `octember dev`: the emulators, the resources the pipelines need, the local Lambda runtime and the API. */
export async function startEmbeddedStack(opts: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const started = performance.now();
  const host = opts.host ?? '127.0.0.1';
  const invoker = createInvoker({ dataDir: opts.dataDir });
  if (opts.fresh) await rm(opts.dataDir, { recursive: true, force: true });
  // S3 → Lambda events are journaled before S3 answers, and re-driven after a crash (see async-journal.ts).
  const journal = await openAsyncJournal(join(opts.dataDir, 'runtime'));
  const notify = createS3NotificationDispatcher(invoker, undefined, journal);
  const services = await startEmbeddedServices({
    dataDir: opts.dataDir,
    host,
    ports: { edge: opts.edgePort, ...opts.ports },
    onS3Notification: (n) => {
      notify(n);
    },
  });
  const closers: (() => Promise<void>)[] = [() => services.close(), () => journal.close()];
  try {
    const edge = services.endpoints.edge;
    if (!edge) throw new Error('the embedded stack needs the AWS edge');
    const adapters = await createSdkAdapters({
      target: 'embedded',
      endpoint: edge,
      redisUrl: services.endpoints.redis,
      opensearchUrl: services.endpoints.opensearch,
      gremlinUrl: services.endpoints.gremlin,
      searchRefresh: 'wait_for',
    });
    closers.unshift(() => adapters.close());

    await Promise.all([
      createResources(adapters.clients.s3, adapters.clients.kinesis),
      adapters.search.ensureIndex(),
      services.firehose?.attach({
        putObject: async (bucket, key, body) => {
          await services.s3?.store.putObject(bucket, key, body);
        },
        invokeLambda: (name, event) => invoker.invoke(name, event),
        kinesis: adapters.clients.kinesis,
      }),
    ]);
    if (services.firehose) await createDeliveryStreams(edge, adapters);
    registerFunctions(invoker, adapters);

    const mappings = await Promise.all(
      STREAM_CONSUMERS.map(([streamName, functionName]) =>
        startKinesisEventSourceMapping({
          kinesis: adapters.clients.kinesis,
          streamName,
          functionName,
          invoker,
          startingPosition: 'TRIM_HORIZON',
          pollIntervalMs: opts.pollIntervalMs ?? 100,
          checkpointDir: join(opts.dataDir, 'checkpoints'),
          onFailureDir: join(opts.dataDir, 'failures', functionName),
          reportBatchItemFailures: true,
          bisectBatchOnFunctionError: true,
        }),
      ),
    );
    closers.unshift(async () => {
      await Promise.all(mappings.map((m) => m.stop()));
    });
    journal.recover(invoker);

    const api = await startApiGateway({
      port: opts.apiPort ?? 3000,
      host,
      apiKey: opts.apiKey,
      invoker,
      routes: ROUTES,
    });
    closers.unshift(() => api.close());

    const idle = async () => {
      // Work fans out (upload → notification → stream → stream), so settle until nothing moves.
      for (let round = 0; round < 4; round++) {
        await invoker.idle();
        await Promise.all(mappings.map((m) => m.idle()));
      }
    };
    return {
      services,
      adapters,
      invoker,
      api,
      mappings,
      readyMs: performance.now() - started,
      idle,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function createResources(s3: S3Client, kinesis: KinesisClient): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET })).catch(ignore('BucketAlreadyOwnedByYou'));
  const lambdaConfig = (fn: string, events: string[], prefix: string, suffix?: string) => ({
    Id: fn,
    LambdaFunctionArn: lambdaArn(fn),
    Events: events as never[],
    Filter: {
      Key: {
        FilterRules: [
          { Name: 'prefix' as const, Value: prefix },
          ...(suffix ? [{ Name: 'suffix' as const, Value: suffix }] : []),
        ],
      },
    },
  });
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          lambdaConfig(FUNCTIONS.triggerTextExtract.name, ['s3:ObjectCreated:*'], RAW_IMAGE_PREFIX),
          lambdaConfig(
            FUNCTIONS.csvToCloudSearch.name,
            ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
            ITEMS_PREFIX,
            '.csv',
          ),
        ],
      },
    }),
  );
  await Promise.all(
    [IMAGE_STREAM, TEXT_STREAM, EVENTS_STREAM].map(async (StreamName) => {
      await kinesis
        .send(new CreateStreamCommand({ StreamName, ShardCount: 1 }))
        .catch(ignore('ResourceInUseException'));
      for (let attempt = 0; attempt < 100; attempt++) {
        const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
        if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`stream ${StreamName} did not become ACTIVE`);
    }),
  );
}

async function createDeliveryStreams(edge: string, adapters: Adapters): Promise<void> {
  const { createDeliveryStreams: create } = await import('./delivery-streams.js');
  await create(edge, adapters);
}

function ignore(errorName: string) {
  return (error: unknown) => {
    if ((error as Error).name !== errorName) throw error;
  };
}
