<<<<<<< HEAD
/**
 * `octember-kit/testing`: a whole stack for your own tests, in-process, on free ports, in its own data dir.
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
import { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TextractClient } from '@aws-sdk/client-textract';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { attachCockpit } from '../cockpit/attach.js';
import type { TracedInvocation } from '../cockpit/trace-store.js';
import { DEFAULT_API_KEY } from '../domain/names.js';
import type { EmbeddedStack } from '../targets/embedded.js';
import { TOPOLOGY } from '../topology/index.js';

export type { TracedInvocation as Invocation } from '../cockpit/trace-store.js';

export interface StartStackOptions {
  /** Only `embedded` (the kit's own emulators, in-process) for now. */
  target?: 'embedded';
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
  /** The AWS edge (S3, Kinesis, Firehose, Textract, CloudSearch): use as `AWS_ENDPOINT_URL`. */
  aws: string;
  opensearch?: string;
  gremlin?: string;
  redis?: string;
  /** The dashboard. */
  dashboard: string;
}

export interface TestStack {
  target: 'embedded';
  /** Root URL of the API port (`${apiUrl}/v1/...`). */
  apiUrl: string;
  apiKey: string;
  endpoints: StackEndpoints;
  /** AWS SDK v3 clients configured for this stack (endpoint, region, dummy credentials). */
  clients: { s3: S3Client; kinesis: KinesisClient; textract: TextractClient; firehose: FirehoseClient };
  /** Environment for code under test that builds its own clients (`AWS_ENDPOINT_URL`, `OPENSEARCH_URL`, ...). */
  env: Record<string, string>;
  /** `fetch` against the API with the key: `await stack.request('/status/edy_1.jpg')`. */
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
  /** Settles once every event delivered so far has been handled (notifications, stream mappings). */
  idle(): Promise<void>;
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

/** Starts the embedded target in this process: every emulator on a free port, the runtime, the API, the cockpit. */
export async function startStack(options: StartStackOptions = {}): Promise<TestStack> {
  const started = performance.now();
  if (options.target && options.target !== 'embedded') {
    throw new Error(`startStack: target ${options.target} is not available here; use 'embedded'`);
  }
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'octember-test-')));
  const apiKey = options.apiKey ?? DEFAULT_API_KEY;
  const { startEmbeddedStack } = await import('../targets/embedded.js');
  let stack: EmbeddedStack;
  try {
    stack = await startEmbeddedStack({
      dataDir,
      apiKey,
      apiPort: 0,
      edgePort: 0,
      ports: { opensearch: 0, gremlin: 0, redis: 0 },
      pollIntervalMs: 50,
    });
  } catch (error) {
    if (ownDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const attached = await attachCockpit(stack, { dataDir, apiKey });
  const { traces } = attached.cockpit;
  const aws = stack.services.endpoints.edge as string;
  const firehose = new FirehoseClient({ ...stack.adapters.clientConfig, requestHandler: new NodeHttpHandler() });
  const endpoints: StackEndpoints = {
    api: `${stack.api.url}/${TOPOLOGY.api.stage}`,
    aws,
    opensearch: stack.services.endpoints.opensearch,
    gremlin: stack.services.endpoints.gremlin,
    redis: stack.services.endpoints.redis,
    dashboard: `${stack.api.url}/`,
  };
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: aws,
    AWS_REGION: stack.adapters.clientConfig.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    OCTEMBER_API_KEY: apiKey,
    ...(endpoints.opensearch ? { OPENSEARCH_URL: endpoints.opensearch } : {}),
    ...(endpoints.gremlin ? { GREMLIN_URL: endpoints.gremlin } : {}),
    ...(endpoints.redis ? { REDIS_URL: endpoints.redis } : {}),
  };
  let stopped = false;
  return {
    target: 'embedded',
    apiUrl: stack.api.url,
    apiKey,
    endpoints,
    clients: { ...stack.adapters.clients, firehose },
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
    async stop() {
      if (stopped) return;
      stopped = true;
      firehose.destroy();
      await attached.close();
      await stack.close();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
=======
export {
  STACK_TARGETS,
  type StackClients,
  type StackTarget,
  type StartStackOptions,
  startStack,
  type TestStack,
} from './start-stack.js';
>>>>>>> topo
