// The part of the local runtime both local targets share, walked from the topology: the functions (the handler
// modules in this process, or their deployable bundles each in a process of its own), one Kinesis event source
// mapping per stream mapping, and the API. How S3 events arrive and what backs the services is each target's own.
import { closeAll } from '../lib/close-all.js';
import { type ApiGateway, type ApiRoute, startApiGateway } from '../runtime/api-gateway.js';
import { checkpointsDir } from '../runtime/checkpoint-store.js';
import { failureDestinationDir } from '../runtime/failure-destination.js';
import type { Invoker } from '../runtime/invoker.js';
import { type KinesisEventSourceMapping, startKinesisEventSourceMapping } from '../runtime/kinesis-event-source.js';
import { stagedPath, TOPOLOGY } from '../topology/index.js';
import type { Topology } from '../topology/types.js';
import type { Adapters } from './adapters.js';
import { registerBundledFunctions } from './bundled-functions.js';
import { registerFunctions } from './functions.js';

/** How functions run: the handler modules in this process, or each deployable bundle in a process of its own. */
export type FunctionsMode = 'in-process' | 'bundled';

/** A running local target (embedded or containers): what the cockpit, the test API and `octember dev` drive. */
export interface LocalStack {
  target: 'embedded' | 'containers';
  functions: FunctionsMode;
  topology: Topology;
  dataDir: string;
  adapters: Adapters;
  invoker: Invoker;
  api: ApiGateway;
  mappings: KinesisEventSourceMapping[];
  /** Where the services answer: the AWS APIs (`AWS_ENDPOINT_URL`), OpenSearch, Gremlin, Redis (absent: in memory). */
  endpoints: { aws: string; opensearch: string; gremlin: string; redis?: string };
  /** From start until the API and every endpoint listen and the resources exist. */
  readyMs: number;
  /**
   * Loads every in-process function's module now rather than at its first invocation (a start does not wait for
   * them); rejects with the first module that fails to load.
   */
  warmUp(): Promise<void>;
  /** Resolves when every delivered event has been handled (S3 events, stream mappings, their fan-out). */
  idle(): Promise<void>;
  /** Delivers what the delivery streams buffer now where the target can; otherwise waits out their short buffer. */
  flushDeliveryStreams(): Promise<void>;
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

export interface LocalRuntimeOptions {
  adapters: Adapters;
  invoker: Invoker;
  topology: Topology;
  /** Checkpoints and on-failure destinations live here. */
  dataDir: string;
  apiKey: string;
  apiPort?: number;
  host?: string;
  /** Kinesis poll interval of the event source mappings (AWS polls once a second; locally faster). */
  pollIntervalMs?: number;
  functions?: FunctionsMode;
}

export interface LocalRuntime {
  api: ApiGateway;
  mappings: KinesisEventSourceMapping[];
  warmUp(): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalRuntime(opts: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { adapters, invoker, topology } = opts;
  const closers: (() => Promise<void>)[] = [];
  try {
    let warmUp = async (): Promise<void> => undefined;
    if (opts.functions === 'bundled') {
      const bundled = await registerBundledFunctions(invoker, adapters, topology);
      closers.unshift(() => bundled.close());
    } else {
      warmUp = registerFunctions(invoker, adapters, topology);
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
          checkpointDir: checkpointsDir(opts.dataDir),
          // Every failure destination of the topology is the function's folder of the data dir's failures/.
          onFailureDir: failureDestinationDir(opts.dataDir, mapping.function),
        }),
      ),
    );
    closers.unshift(async () => {
      await Promise.all(mappings.map((m) => m.stop()));
    });
    const api = await startApiGateway({
      port: opts.apiPort ?? 3000,
      host: opts.host ?? '127.0.0.1',
      apiKey: opts.apiKey,
      invoker,
      stage: topology.api.stage,
      routes: apiRoutes(topology),
      usagePlan: topology.api.usagePlan,
    });
    closers.unshift(() => api.close());
    return { api, mappings, warmUp, close: () => closeAll(closers) };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

/**
 * Settles until nothing moves: work fans out (upload → S3 event → stream → stream), so every source is waited for,
 * round after round.
 */
export function settle(...sources: (() => Promise<unknown>)[]): () => Promise<void> {
  return async () => {
    for (let round = 0; round < 4; round++) {
      for (const source of sources) await source();
    }
  };
}
