// Where the containers target finds its services: the AWS SDK's standard variables (AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE>), OPENSEARCH_URL, GREMLIN_URL and REDIS_URL, defaulting to the compose ports; and a
// check that each one answers, failing with one message that names every service that does not.
import { CloudSearchClient, DescribeDomainsCommand } from '@aws-sdk/client-cloudsearch';
import { FirehoseClient, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { SERVICE_ENDPOINT_VARIABLES } from '../composition/service-client-config.js';
import type { AwsService } from '../composition/types.js';
import { COMPOSE_DEFAULTS } from './containers-defaults.js';

export { COMPOSE_DEFAULTS };

/** The services the containers target uses, the CloudSearch domain API (documents, search) apart. */
export type AwsServiceKey = Exclude<AwsService, 'personalize'> | 'cloudsearchDomain';

const ENV_NAMES: Record<AwsServiceKey, string> = {
  ...SERVICE_ENDPOINT_VARIABLES,
  cloudsearchDomain: 'AWS_ENDPOINT_URL_CLOUDSEARCH_DOMAIN',
};

export interface ContainersEndpoints {
  /** AWS_ENDPOINT_URL: where every AWS service without an endpoint of its own answers. */
  awsBase: string;
  aws: Record<AwsServiceKey, string>;
  opensearch: string;
  gremlin: string;
  redis: string;
  /** What serves AWS_ENDPOINT_URL: LocalStack, the kit's own edge (`octember emulate`), or something else. */
  awsKind: 'localstack' | 'octember' | 'unknown';
  /** Where each endpoint came from, for the start-up lines. */
  sources: Record<string, string>;
}

/**
 * Resolves every endpoint. Textract and CloudSearch default to the kit's emulators container (4577) unless the AWS
 * endpoint itself serves them (the kit's edge does: `octember emulate` stands in for the whole compose file).
 */
export async function resolveContainersEndpoints(env: NodeJS.ProcessEnv = process.env): Promise<ContainersEndpoints> {
  const sources: Record<string, string> = {};
  const base = env.AWS_ENDPOINT_URL || COMPOSE_DEFAULTS.aws;
  sources.aws = env.AWS_ENDPOINT_URL ? 'AWS_ENDPOINT_URL' : 'default (compose)';
  const awsKind = await probeEdgeKind(base);
  const edgeServesKitServices = awsKind === 'octember';
  const pick = (key: AwsServiceKey, fallback: string): string => {
    const name = ENV_NAMES[key];
    if (env[name]) {
      sources[key] = name;
      return env[name] as string;
    }
    return fallback;
  };
  const kit = edgeServesKitServices ? base : COMPOSE_DEFAULTS.kitEmulators;
  const cloudsearch = pick('cloudsearch', env.CLOUDSEARCH_ENDPOINT || kit);
  const aws: Record<AwsServiceKey, string> = {
    s3: pick('s3', base),
    sqs: pick('sqs', base),
    kinesis: pick('kinesis', base),
    firehose: pick('firehose', base),
    lambda: pick('lambda', base),
    textract: pick('textract', kit),
    cloudsearch,
    cloudsearchDomain: pick('cloudsearchDomain', cloudsearch),
  };
  sources.opensearch = env.OPENSEARCH_URL ? 'OPENSEARCH_URL' : 'default (compose)';
  sources.gremlin = env.GREMLIN_URL ? 'GREMLIN_URL' : 'default (compose)';
  sources.redis = env.REDIS_URL ? 'REDIS_URL' : 'default (compose)';
  return {
    awsBase: base,
    aws,
    opensearch: env.OPENSEARCH_URL || COMPOSE_DEFAULTS.opensearch,
    gremlin: env.GREMLIN_URL || COMPOSE_DEFAULTS.gremlin,
    redis: env.REDIS_URL || COMPOSE_DEFAULTS.redis,
    awsKind,
    sources,
  };
}

/** LocalStack answers /_localstack/health only; the kit's edge answers /_octember/health as well. */
async function probeEdgeKind(url: string): Promise<ContainersEndpoints['awsKind']> {
  const answers = async (path: string) => {
    try {
      const response = await fetch(new URL(path, url), { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  };
  if (await answers('/_octember/health')) return 'octember';
  if (await answers('/_localstack/health')) return 'localstack';
  return 'unknown';
}

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
const PROBE_TIMEOUT_MS = 3000;

interface Probe {
  service: string;
  url: string;
  hint: string;
  check(): Promise<unknown>;
}

/** Checks that every service answers; throws one error naming each one that does not, with what to do. */
export async function checkContainersServices(endpoints: ContainersEndpoints, region = LOCAL.region): Promise<void> {
  // One handler per client: destroying a client destroys its handler.
  const sdk = () => ({
    ...LOCAL,
    region,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ connectionTimeout: PROBE_TIMEOUT_MS, requestTimeout: PROBE_TIMEOUT_MS }),
  });
  const aws = endpoints.aws;
  const compose = 'docker compose up -d --wait';
  const probes: Probe[] = [
    {
      service: 'S3',
      url: aws.s3,
      hint: `${compose}, or AWS_ENDPOINT_URL_S3`,
      check: () =>
        sdkCall(new S3Client({ ...sdk(), endpoint: aws.s3, forcePathStyle: true }), new ListBucketsCommand({})),
    },
    {
      service: 'SQS',
      url: aws.sqs,
      hint: `${compose}, or AWS_ENDPOINT_URL_SQS`,
      check: () => sdkCall(new SQSClient({ ...sdk(), endpoint: aws.sqs }), new ListQueuesCommand({})),
    },
    {
      service: 'Kinesis',
      url: aws.kinesis,
      hint: `${compose}, or AWS_ENDPOINT_URL_KINESIS`,
      check: () => sdkCall(new KinesisClient({ ...sdk(), endpoint: aws.kinesis }), new ListStreamsCommand({})),
    },
    {
      service: 'Firehose',
      url: aws.firehose,
      hint: `${compose}, or AWS_ENDPOINT_URL_FIREHOSE`,
      check: () =>
        sdkCall(new FirehoseClient({ ...sdk(), endpoint: aws.firehose }), new ListDeliveryStreamsCommand({})),
    },
    {
      service: 'Textract',
      url: aws.textract,
      hint: `${compose} (the octember-emulators service), or AWS_ENDPOINT_URL_TEXTRACT`,
      check: () => httpAnswers(aws.textract),
    },
    {
      service: 'CloudSearch',
      url: aws.cloudsearch,
      hint: `${compose} (the octember-emulators service), or AWS_ENDPOINT_URL_CLOUDSEARCH`,
      check: () =>
        sdkCall(new CloudSearchClient({ ...sdk(), endpoint: aws.cloudsearch }), new DescribeDomainsCommand({})),
    },
    {
      service: 'OpenSearch',
      url: endpoints.opensearch,
      hint: `${compose}, or OPENSEARCH_URL`,
      check: () => httpAnswers(endpoints.opensearch),
    },
    {
      service: 'Gremlin Server',
      url: endpoints.gremlin,
      hint: `${compose}, or GREMLIN_URL`,
      check: () => websocketOpens(endpoints.gremlin),
    },
    {
      service: 'Redis',
      url: endpoints.redis,
      hint: `${compose}, or REDIS_URL`,
      check: () => redisPings(endpoints.redis),
    },
  ];
  const results = await Promise.allSettled(probes.map((p) => p.check()));
  const failures = probes
    .map((probe, i) => ({ probe, result: results[i] }))
    .filter((r): r is { probe: Probe; result: PromiseRejectedResult } => r.result.status === 'rejected');
  if (failures.length === 0) return;
  const lines = failures.map(
    ({ probe, result }) =>
      `  ${probe.service} at ${probe.url} does not answer (${reason(result.reason)}); start it: ${probe.hint}`,
  );
  const names = failures.map((f) => f.probe.service).join(', ');
  throw new Error(`containers target: ${names} not reachable\n${lines.join('\n')}`);
}

async function sdkCall(
  client: { send(command: never): Promise<unknown>; destroy(): void },
  command: unknown,
): Promise<void> {
  try {
    await client.send(command as never);
  } finally {
    client.destroy();
  }
}

async function httpAnswers(url: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  await response.body?.cancel();
}

function websocketOpens(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { handshakeTimeout: PROBE_TIMEOUT_MS });
    socket.once('open', () => {
      socket.close();
      resolve();
    });
    socket.once('error', reject);
  });
}

async function redisPings(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: PROBE_TIMEOUT_MS,
    retryStrategy: () => null,
  });
  // ioredis rejects with "Connection is closed"; the socket's own error says why.
  let cause: Error | undefined;
  redis.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw cause ?? error;
  } finally {
    redis.disconnect();
  }
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException; $metadata?: { httpStatusCode?: number } };
  const code = e.code ?? e.cause?.code;
  if (code) return code;
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out';
  return e.message || String(error);
}
