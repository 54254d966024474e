import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeAll } from '../lib/close-all.js';
import { openAsyncJournal } from '../runtime/async-journal.js';
import { createInvoker } from '../runtime/invoker.js';
import { createS3NotificationDispatcher } from '../runtime/s3-notifications.js';
import { TOPOLOGY } from '../topology/index.js';
import type { Topology } from '../topology/types.js';
import { type EmbeddedServices, startEmbeddedServices } from './embedded-services.js';
import type { FunctionsMode, LocalStack } from './local-runtime.js';

export interface EmbeddedStackOptions {
  dataDir: string;
  fresh?: boolean;
  apiPort?: number;
  edgePort?: number;
  /** Ports of the other servers; 0 picks free ones (tests run beside a developer's `npm run dev`). */
  ports?: { opensearch?: number; gremlin?: number; redis?: number };
  apiKey: string;
  host?: string;
  /** Kinesis poll interval of the event source mappings (default 1000 like AWS; a put through the edge wakes them). */
  pollIntervalMs?: number;
  /** CloudSearch domain schema file replacing the topology's (`--cloudsearch-schema`). */
  cloudSearchSchema?: string;
  /** The description to run (default: both pipelines). */
  topology?: Topology;
  /** Default `in-process`; `bundled` runs each function's deployable bundle beside only the AWS SDK, as in Lambda. */
  functions?: FunctionsMode;
}

export interface EmbeddedStack extends LocalStack {
  target: 'embedded';
  services: EmbeddedServices;
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
  const functions = opts.functions ?? 'in-process';
  const invoker = createInvoker({ dataDir: opts.dataDir });
  if (opts.fresh) await rm(opts.dataDir, { recursive: true, force: true });
  // S3 → Lambda events are journaled before S3 answers, and re-driven after a crash (see async-journal.ts).
  const journal = await openAsyncJournal(join(opts.dataDir, 'runtime'));
  const notify = createS3NotificationDispatcher(invoker, undefined, journal);
  // A put on a stream wakes its mappings: a card moves on at once, and the poll interval is only the fallback.
  let wakeMappings: (streamName: string) => void = () => undefined;
  const servicesStarting = startEmbeddedServices({
    dataDir: opts.dataDir,
    host,
    ports: { edge: opts.edgePort, ...opts.ports },
    cloudSearchSchema: opts.cloudSearchSchema,
    onS3Notification: (n) => {
      notify(n);
    },
    onKinesisPut: (streamName) => wakeMappings(streamName),
  });
  // The SDK clients, the adapters and the runtime load while the emulators start: loaded first, they used to delay
  // everything else by their loading time.
  const loading = Promise.all([
    import('./sdk.js'),
    import('./provision.js'),
    import('./local-runtime.js'),
    import('@aws-sdk/client-firehose'),
  ]);
  loading.catch(() => undefined); // awaited below; a failed start of the emulators must not leave it unhandled
  const services = await servicesStarting;
  const closers: (() => Promise<void>)[] = [() => services.close(), () => journal.close()];
  try {
    const [{ createSdkAdapters }, { localArns, provisionTopology }, { settle, startLocalRuntime }, { FirehoseClient }] =
      await loading;
    const { edge, opensearch, gremlin, redis } = services.endpoints;
    if (!edge || !opensearch || !gremlin)
      throw new Error('the embedded stack needs the AWS edge, OpenSearch and Gremlin');
    const adapters = await createSdkAdapters({
      target: 'embedded',
      endpoint: edge,
      redisUrl: redis,
      opensearchUrl: opensearch,
      gremlinUrl: gremlin,
      searchRefresh: 'wait_for',
    });
    closers.unshift(() => adapters.close());
    const { s3, kinesis } = adapters.clients;
    services.firehose?.attach({
      putObject: async (bucket, key, body) => {
        await services.s3?.store.putObject(bucket, key, body);
      },
      invokeLambda: (name, event) => invoker.invoke(name, event),
      kinesis,
    });
    const firehose = new FirehoseClient({ ...adapters.clientConfig, endpoint: edge });
    try {
      await Promise.all([
        provisionTopology({ s3, kinesis, firehose }, localArns(adapters.clientConfig.region), topology),
        adapters.search.ensureIndex(),
      ]);
    } finally {
      firehose.destroy();
    }

    const runtime = await startLocalRuntime({
      adapters,
      invoker,
      topology,
      dataDir: opts.dataDir,
      apiKey: opts.apiKey,
      apiPort: opts.apiPort,
      host,
      // Puts through the edge wake the mappings; polling once a second (as AWS does) only backs that up.
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      functions,
    });
    closers.unshift(() => runtime.close());
    wakeMappings = (streamName) => {
      for (const mapping of runtime.mappings) if (mapping.settings.streamName === streamName) mapping.wake();
    };
    journal.recover(invoker);

    return {
      target: 'embedded',
      functions,
      topology,
      dataDir: opts.dataDir,
      services,
      adapters,
      invoker,
      api: runtime.api,
      mappings: runtime.mappings,
      warmUp: runtime.warmUp,
      endpoints: { aws: edge, opensearch, gremlin, ...(redis ? { redis } : {}) },
      readyMs: performance.now() - started,
      idle: settle(
        () => invoker.idle(),
        () => Promise.all(runtime.mappings.map((m) => m.idle())),
      ),
      flushDeliveryStreams: async () => {
        await services.firehose?.flush();
      },
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}
