import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { closeAll } from '../lib/close-all.js';
import { type ApiGateway, type ApiRoute, startApiGateway } from '../runtime/api-gateway.js';
import { createInvoker, type Invoker } from '../runtime/invoker.js';
import { type KinesisEventSourceMapping, startKinesisEventSourceMapping } from '../runtime/kinesis-event-source.js';
import { createS3NotificationDispatcher } from '../runtime/s3-notifications.js';
import { stagedPath, TOPOLOGY } from '../topology/index.js';
import type { Topology } from '../topology/types.js';
import type { Adapters } from './adapters.js';
import { registerBundledFunctions } from './bundled-functions.js';
import { type EmbeddedServices, startEmbeddedServices } from './embedded-services.js';
import { registerFunctions } from './functions.js';
import { localArns, provisionBucketAndStreams, provisionDeliveryStreams } from './provision.js';
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
<<<<<<< HEAD
  /** CloudSearch domain schema file replacing the topology's (`--cloudsearch-schema`). */
  cloudSearchSchema?: string;
=======
  /** The description to run (default: both pipelines). */
  topology?: Topology;
  /**
   * How functions run: `in-process` (default: the handler modules, sharing one adapter set) or `bundled` (each
   * function's deployable bundle in a process of its own beside only the AWS SDK, as in Lambda).
   */
  functions?: 'in-process' | 'bundled';
>>>>>>> topo
}

export interface EmbeddedStack {
  services: EmbeddedServices;
  adapters: Adapters;
  invoker: Invoker;
  api: ApiGateway;
  mappings: KinesisEventSourceMapping[];
  topology: Topology;
  functions: 'in-process' | 'bundled';
  /** From start until the API and every endpoint listen and the resources exist. */
  readyMs: number;
  /** Resolves when every delivered event has been handled (async invocations and stream mappings caught up). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The topology's routes as the local API Gateway serves them (stage included). */
export function apiRoutes(topology: Topology = TOPOLOGY): ApiRoute[] {
  return topology.api.routes.map((route) => ({
    method: route.method,
    path: stagedPath(route.path, topology),
    functionName: route.function,
    ...(route.binaryBody ? { binaryBody: true } : {}),
  }));
}

/**
 * `octember dev`: the emulators, then everything the topology describes, provisioned through the AWS APIs as in AWS
 * (bucket + notifications, streams, delivery streams, index), the functions in the local runtime, one event source
 * mapping per stream mapping, and the API.
 */
export async function startEmbeddedStack(opts: EmbeddedStackOptions): Promise<EmbeddedStack> {
  const started = performance.now();
  const topology = opts.topology ?? TOPOLOGY;
  const host = opts.host ?? '127.0.0.1';
  const invoker = createInvoker({ dataDir: opts.dataDir });
  const notify = createS3NotificationDispatcher(invoker);
  const services = await startEmbeddedServices({
    dataDir: opts.dataDir,
    fresh: opts.fresh,
    host,
    ports: { edge: opts.edgePort, ...opts.ports },
    cloudSearchSchema: opts.cloudSearchSchema,
    onS3Notification: (n) => {
      notify(n);
    },
  });
  const closers: (() => Promise<void>)[] = [() => services.close()];
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
    const arns = localArns(adapters.clientConfig.region);

    await Promise.all([
      provisionBucketAndStreams(adapters.clients, arns, topology),
      adapters.search.ensureIndex(),
      services.firehose?.attach({
        putObject: async (bucket, key, body) => {
          await services.s3?.store.putObject(bucket, key, body);
        },
        invokeLambda: (name, event) => invoker.invoke(name, event),
        kinesis: adapters.clients.kinesis,
      }),
    ]);
    if (services.firehose) {
      const firehose = new FirehoseClient({ ...adapters.clientConfig, endpoint: edge });
      try {
        await provisionDeliveryStreams(firehose, arns, topology);
      } finally {
        firehose.destroy();
      }
    }
    if (opts.functions === 'bundled') {
      const bundled = await registerBundledFunctions(invoker, adapters, topology);
      closers.unshift(() => bundled.close());
    } else {
      await registerFunctions(invoker, adapters, topology);
    }

    const mappings = await Promise.all(
      topology.streamMappings.map((mapping) =>
        startKinesisEventSourceMapping({
          kinesis: adapters.clients.kinesis,
          streamName: mapping.stream,
          functionName: mapping.function,
          invoker,
          startingPosition: mapping.startingPosition,
          batchSize: mapping.batchSize,
          maximumBatchingWindowSeconds: mapping.maximumBatchingWindowSeconds,
          parallelizationFactor: mapping.parallelizationFactor,
          bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
          reportBatchItemFailures: mapping.reportBatchItemFailures,
          maxRetryAttempts: mapping.maximumRetryAttempts,
          pollIntervalMs: opts.pollIntervalMs ?? 100,
          checkpointDir: join(opts.dataDir, 'checkpoints'),
          // The destination is a directory per failure destination of the topology, one folder per function.
          onFailureDir: join(opts.dataDir, 'failures', mapping.onFailure, mapping.function),
        }),
      ),
    );
    closers.unshift(async () => {
      await Promise.all(mappings.map((m) => m.stop()));
    });

    const api = await startApiGateway({
      port: opts.apiPort ?? 3000,
      host,
      apiKey: opts.apiKey,
      invoker,
      stage: topology.api.stage,
      routes: apiRoutes(topology),
      usagePlan: topology.api.usagePlan,
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
      topology,
      functions: opts.functions ?? 'in-process',
      readyMs: performance.now() - started,
      idle,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}
