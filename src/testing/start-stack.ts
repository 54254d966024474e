import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSearchClient } from '@aws-sdk/client-cloudsearch';
import { CloudSearchDomainClient } from '@aws-sdk/client-cloudsearch-domain';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type EmbeddedStack, startEmbeddedStack } from '../targets/embedded.js';
import type { TOPOLOGY } from '../topology/index.js';

/** Where the stack runs: the in-process emulators with the handler modules, or with the deployable bundles. */
export type StackTarget = 'embedded' | 'bundled';
export const STACK_TARGETS: readonly StackTarget[] = ['embedded', 'bundled'];

export interface StartStackOptions {
  /** Default `embedded`. */
  target?: StackTarget;
  /** State directory; default a fresh temporary one, removed by stop(). */
  dataDir?: string;
  /** Ports; 0 (the default for each) picks a free one, so stacks run beside `octember dev` and each other. */
  ports?: { api?: number; edge?: number; opensearch?: number; gremlin?: number; redis?: number };
  /** The `x-api-key` the API requires; default a random one. */
  apiKey?: string;
}

/** Configured AWS SDK v3 clients pointed at the stack (dummy credentials, path-style S3). */
export interface StackClients {
  s3: S3Client;
  kinesis: KinesisClient;
  firehose: FirehoseClient;
  textract: TextractClient;
  /** The CloudSearch domain's document and search API. */
  cloudsearch: CloudSearchDomainClient;
  /** The CloudSearch configuration API (DescribeDomains, DefineIndexField, ...). */
  cloudsearchConfig: CloudSearchClient;
}

export interface TestStack {
  target: StackTarget;
  /** Base URL of the API, stage included: `${apiUrl}/status/x.jpg`. */
  apiUrl: string;
  apiKey: string;
  endpoints: { api: string; aws: string; opensearch: string; gremlin: string; redis?: string };
  /** Names of the resources the topology describes (bucket, streams, ...). */
  resources: typeof TOPOLOGY.resources;
  clients: StackClients;
  /** `fetch` against the API with the key set: `api('/status/x.jpg')`. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Resolves once every delivered event has been handled (S3 notifications, stream mappings, their fan-out). */
  idle(): Promise<void>;
  /** Delivers whatever the delivery streams buffer now instead of at their buffering interval. */
  flushDeliveryStreams(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A whole stack for a test: the emulators, both pipelines provisioned from the topology, the functions and the API,
 * in this process on free ports with a data directory of its own. `bundled` runs each function from its deployable
 * bundle in a process of its own, beside only the AWS SDK.
 */
export async function startStack(options: StartStackOptions = {}): Promise<TestStack> {
  const target = options.target ?? 'embedded';
  if (!STACK_TARGETS.includes(target)) {
    throw new Error(`startStack: target ${target} is not one of ${STACK_TARGETS.join(', ')}`);
  }
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `octember-stack-${target}-`)));
  const apiKey = options.apiKey ?? `test-${Math.random().toString(36).slice(2, 12)}`;
  const ports = options.ports ?? {};
  let stack: EmbeddedStack;
  try {
    stack = await startEmbeddedStack({
      dataDir,
      apiKey,
      apiPort: ports.api ?? 0,
      edgePort: ports.edge ?? 0,
      ports: { opensearch: ports.opensearch ?? 0, gremlin: ports.gremlin ?? 0, redis: ports.redis ?? 0 },
      pollIntervalMs: 50,
      functions: target === 'bundled' ? 'bundled' : 'in-process',
    });
  } catch (error) {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { endpoints } = stack.services;
  const aws = endpoints.edge as string;
  const config = { ...stack.adapters.clientConfig, endpoint: aws };
  const clients: StackClients = {
    s3: new S3Client({ ...config, forcePathStyle: true }),
    kinesis: new KinesisClient({ ...config, requestHandler: new NodeHttpHandler() }),
    firehose: new FirehoseClient(config),
    textract: new TextractClient(config),
    cloudsearch: new CloudSearchDomainClient(config),
    cloudsearchConfig: new CloudSearchClient(config),
  };
  const apiUrl = `${stack.api.url}/${stack.topology.api.stage}`;
  return {
    target,
    apiUrl,
    apiKey,
    endpoints: {
      api: stack.api.url,
      aws,
      opensearch: endpoints.opensearch as string,
      gremlin: endpoints.gremlin as string,
      ...(endpoints.redis ? { redis: endpoints.redis } : {}),
    },
    resources: stack.topology.resources,
    clients,
    api: (path, init = {}) =>
      fetch(`${apiUrl}${path}`, {
        ...init,
        headers: { 'x-api-key': apiKey, ...(init.headers as Record<string, string>) },
      }),
    idle: () => stack.idle(),
    async flushDeliveryStreams() {
      await stack.services.firehose?.flush();
    },
    async stop() {
      for (const client of Object.values(clients)) client.destroy();
      await stack.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
