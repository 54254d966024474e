/**
 * `octember-kit/testing`: a whole stack for your own tests, on free ports, in its own data dir.
 *
 *   const stack = await startStack();
 *   await stack.clients.s3.send(new PutObjectCommand({ Bucket: 'octember-bizcard', Key: 'bizcard-raw-img/edy_1.jpg', Body }));
 *   const ocr = await stack.waitFor({ function: 'get-text-from-image', outcome: 'success' });
 *   await stack.stop();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CloudSearchClient } from '@aws-sdk/client-cloudsearch';
import { CloudSearchDomainClient } from '@aws-sdk/client-cloudsearch-domain';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TextractClient } from '@aws-sdk/client-textract';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { attachCockpit } from '../cockpit/attach.js';
import type { TracedInvocation } from '../cockpit/trace-store.js';
import { SERVICE_ENDPOINT_VARIABLES } from '../composition/service-client-config.js';
import type { AwsService } from '../composition/types.js';
import { DEFAULT_API_KEY } from '../domain/names.js';
import type { ContainersBackend } from '../targets/containers-backends.js';
import type { LocalStack } from '../targets/local-runtime.js';
import { targetClientConfig } from '../targets/sdk.js';
import type { TOPOLOGY } from '../topology/index.js';

export type { TracedInvocation as Invocation } from '../cockpit/trace-store.js';
export type { ContainersBackend } from '../targets/containers-backends.js';

/**
 * Where the stack runs: `embedded` (the kit's emulators and the handler modules, in this process), `bundled` (the
 * same emulators, each function from its deployable bundle in a process of its own beside only the AWS SDK), or
 * `containers` (the containers target's runtime against external services: see `over`).
 */
export type StackTarget = 'embedded' | 'bundled' | 'containers';
export const STACK_TARGETS: readonly StackTarget[] = ['embedded', 'bundled', 'containers'];

export interface StartStackOptions {
  /** Default `embedded`. */
  target?: StackTarget;
  /**
   * `containers` only: what serves the services. `emulate` (default): `octember emulate --gremlin-dialect tinkerpop`
   * with a real redis-server, started here; `testcontainers` or `compose`: containers (needs a Docker engine).
   */
  over?: ContainersBackend;
  /** Where state lives; default a fresh temporary directory, removed by `stop()`. */
  dataDir?: string;
  /** The `x-api-key` every API route requires (default `local-dev-key`). */
  apiKey?: string;
}

export interface InvocationMatch {
  function?: string;
  outcome?: 'success' | 'error';
  source?: string;
}

export interface WaitForOptions {
  /** Give up after this long (default 10 000 ms): the error lists the invocations seen. */
  timeoutMs?: number;
  /** Only invocations after this one (its `id`), e.g. the result of an earlier `waitFor`. */
  after?: TracedInvocation | number;
}

export interface StackEndpoints {
  /** API Gateway, with the stage: `http://127.0.0.1:PORT/v1`. */
  api: string;
  /** The AWS APIs (S3, Kinesis, Firehose, Textract, CloudSearch...): use as `AWS_ENDPOINT_URL`. */
  aws: string;
  opensearch: string;
  gremlin: string;
  /** Absent when status and cache live in memory (no redis-server). */
  redis?: string;
  /** The dashboard. */
  dashboard: string;
}

/** AWS SDK v3 clients configured for the stack (endpoints, region, dummy credentials, path-style S3). */
export interface StackClients {
  s3: S3Client;
  kinesis: KinesisClient;
  firehose: FirehoseClient;
  textract: TextractClient;
  /** The CloudSearch domain's document and search API. */
  cloudsearch: CloudSearchDomainClient;
  /** The CloudSearch configuration API (DescribeDomains, DescribeIndexFields, ...). */
  cloudsearchConfig: CloudSearchClient;
}

export interface TestStack {
  target: StackTarget;
  /** Root URL of the API port (`${apiUrl}/v1/...`; the dashboard is at its root). */
  apiUrl: string;
  apiKey: string;
  endpoints: StackEndpoints;
  /** Names of the resources the topology describes (bucket, streams, index, domain...). */
  resources: typeof TOPOLOGY.resources;
  clients: StackClients;
  /** Environment for code under test that builds its own clients (`AWS_ENDPOINT_URL`, `OPENSEARCH_URL`, ...). */
  env: Record<string, string>;
  /** `fetch` against the API, stage included, with the key: `await stack.request('/status/edy_1.jpg')`. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Empties objects, documents, the graph, Redis and failure records, and forgets invocations; resources stay. */
  reset(): Promise<void>;
  /** Invocations so far (oldest first), of one function or all. */
  invocations(functionName?: string): TracedInvocation[];
  /** Resolves with the first invocation (already seen, or to come) that matches. */
  waitFor(
    match: InvocationMatch | ((inv: TracedInvocation) => boolean),
    options?: WaitForOptions,
  ): Promise<TracedInvocation>;
  /** Settles once every event delivered so far has been handled (S3 events, stream mappings, their fan-out). */
  idle(): Promise<void>;
  /** Delivers what the delivery streams buffer now (containers: waits out their one-second buffer instead). */
  flushDeliveryStreams(): Promise<void>;
  /** From `startStack()` until everything listened and the resources existed, ms. */
  readyMs: number;
  stop(): Promise<void>;
}

function matcher(match: InvocationMatch | ((inv: TracedInvocation) => boolean)) {
  if (typeof match === 'function') return match;
  return (inv: TracedInvocation) =>
    (match.function === undefined || inv.function === match.function) &&
    (match.outcome === undefined || inv.outcome === match.outcome) &&
    (match.source === undefined || inv.source === match.source);
}

function describeMatch(match: InvocationMatch | ((inv: TracedInvocation) => boolean)): string {
  return typeof match === 'function' ? 'the predicate' : JSON.stringify(match);
}

/** The local stack of a target, started on free ports; `stop` also stops what was started for it. */
async function startLocal(
  target: StackTarget,
  options: StartStackOptions,
  dataDir: string,
  apiKey: string,
): Promise<{ stack: LocalStack; stopServices(): Promise<void> }> {
  if (target !== 'containers') {
    const { startEmbeddedStack } = await import('../targets/embedded.js');
    const stack = await startEmbeddedStack({
      dataDir,
      apiKey,
      apiPort: 0,
      edgePort: 0,
      ports: { opensearch: 0, gremlin: 0, redis: 0 },
      pollIntervalMs: 50,
      functions: target === 'bundled' ? 'bundled' : 'in-process',
    });
    return { stack, stopServices: async () => {} };
  }
  const { freePort, startContainersServices } = await import('../targets/containers-backends.js');
  const { startContainersRuntime } = await import('../targets/containers-runner.js');
  const lambdaPort = await freePort();
  const services = await startContainersServices(options.over ?? 'emulate', { dataDir, lambdaPort });
  try {
    const stack = await startContainersRuntime({
      dataDir: join(dataDir, 'runtime'),
      apiKey,
      apiPort: 0,
      lambdaPort,
      env: { ...process.env, ...services.env },
      pollIntervalMs: 100,
      deliveryBufferSeconds: 1,
      retryDelayScale: 0.01,
    });
    return { stack, stopServices: () => services.stop() };
  } catch (error) {
    await services.stop();
    throw error;
  }
}

/** Starts a stack for a test: both pipelines provisioned from the topology, the functions, the API, the cockpit. */
export async function startStack(options: StartStackOptions = {}): Promise<TestStack> {
  const started = performance.now();
  const target = options.target ?? 'embedded';
  if (!STACK_TARGETS.includes(target)) {
    throw new Error(`startStack: target ${target} is not one of ${STACK_TARGETS.join(', ')}`);
  }
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `octember-test-${target}-`)));
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  let local: Awaited<ReturnType<typeof startLocal>>;
  try {
    local = await startLocal(target, options, dataDir, apiKey);
  } catch (error) {
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { stack } = local;
  const attached = await attachCockpit(stack, { apiKey });
  const { traces } = attached.cockpit;
  const { adapters } = stack;
  const searchEndpoint = adapters.settings.CLOUDSEARCH_SEARCH_ENDPOINT ?? stack.endpoints.aws;
  const clients: StackClients = {
    ...adapters.clients,
    firehose: new FirehoseClient({
      ...targetClientConfig(adapters, 'firehose'),
      requestHandler: new NodeHttpHandler(),
    }),
    cloudsearch: new CloudSearchDomainClient({ ...adapters.clientConfig, endpoint: searchEndpoint }),
    cloudsearchConfig: new CloudSearchClient(targetClientConfig(adapters, 'cloudsearch')),
  };
  const endpoints: StackEndpoints = {
    api: `${stack.api.url}/${stack.topology.api.stage}`,
    ...stack.endpoints,
    dashboard: `${stack.api.url}/`,
  };
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: endpoints.aws,
    ...Object.fromEntries(
      Object.entries(adapters.serviceEndpoints).map(([service, url]) => [
        SERVICE_ENDPOINT_VARIABLES[service as AwsService],
        url,
      ]),
    ),
    AWS_REGION: adapters.clientConfig.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    OCTEMBER_API_KEY: apiKey,
    OPENSEARCH_URL: endpoints.opensearch,
    GREMLIN_URL: endpoints.gremlin,
    ...(endpoints.redis ? { REDIS_URL: endpoints.redis } : {}),
  };
  let stopped = false;
  return {
    target,
    apiUrl: stack.api.url,
    apiKey,
    endpoints,
    resources: stack.topology.resources,
    clients,
    env,
    readyMs: performance.now() - started,
    request(path, init = {}) {
      const url = path.startsWith('http') ? path : `${endpoints.api}${path.startsWith('/') ? '' : '/'}${path}`;
      return fetch(url, { ...init, headers: { 'x-api-key': apiKey, ...(init.headers as Record<string, string>) } });
    },
    reset: () => attached.reset(),
    invocations(functionName) {
      return traces.list({ function: functionName, limit: Number.MAX_SAFE_INTEGER }).reverse();
    },
    waitFor(match, waitOptions = {}) {
      const test = matcher(match);
      const after = typeof waitOptions.after === 'object' ? waitOptions.after.id : (waitOptions.after ?? 0);
      const seen = traces
        .list({ after, limit: Number.MAX_SAFE_INTEGER })
        .reverse()
        .find((inv) => test(inv));
      if (seen) return Promise.resolve(seen);
      const timeoutMs = waitOptions.timeoutMs ?? 10_000;
      return new Promise((resolve, reject) => {
        const unsubscribe = traces.subscribe((inv) => {
          if (inv.id <= after || !test(inv)) return;
          clearTimeout(timer);
          unsubscribe();
          resolve(inv);
        });
        const timer = setTimeout(() => {
          unsubscribe();
          const recent = traces
            .list({ limit: 10 })
            .map((inv) => `${inv.function} ${inv.outcome}${inv.error ? ` (${inv.error.errorMessage})` : ''}`);
          reject(
            new Error(
              `waitFor(${describeMatch(match)}): no matching invocation within ${timeoutMs} ms; ` +
                `latest: ${recent.length > 0 ? recent.join('; ') : 'none'}`,
            ),
          );
        }, timeoutMs);
      });
    },
    idle: () => stack.idle(),
    flushDeliveryStreams: () => stack.flushDeliveryStreams(),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const client of [clients.firehose, clients.cloudsearch, clients.cloudsearchConfig]) client.destroy();
      await attached.close();
      await stack.close();
      await local.stopServices();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
