import { TextractClient } from '@aws-sdk/client-textract';
import type { Redis } from 'ioredis';
import { PORT_BUILDERS } from '../composition/ports/index.js';
import { s3Client } from '../composition/ports/objects.js';
import { textractClient } from '../composition/ports/ocr.js';
import { lazyRedis, warnInMemory } from '../composition/ports/redis.js';
import { cardIndex } from '../composition/ports/search.js';
import { kinesisClient } from '../composition/ports/streams.js';
import { createCompositionContext } from '../composition/settings.js';
import type { Adapters, AwsClientConfig, Target } from './adapters.js';
import { localSettings } from './local-settings.js';

export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:4566';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_OPENSEARCH_URL = 'http://127.0.0.1:9200';
export const DEFAULT_GREMLIN_URL = 'ws://127.0.0.1:8182/gremlin';

export interface SdkAdapterOptions {
  /** AWS endpoint (the edge port, LocalStack); undefined = the SDK's own resolution (real AWS, AWS_ENDPOINT_URL). */
  endpoint?: string;
  region?: string;
  /** Redis for status and cache; without it both live in memory (one warning line). */
  redisUrl?: string;
  /** Use the SDK's default credential chain instead of the local dummy `test`/`test`. */
  defaultCredentials?: boolean;
  target?: Target;
  /** OpenSearch for card search (OPENSEARCH_URL); default http://127.0.0.1:9200. */
  opensearchUrl?: string;
  /** `wait_for` makes card upserts searchable before they return (local targets); default false. */
  searchRefresh?: boolean | 'wait_for';
  /** Gremlin endpoint (GREMLIN_URL); default ws://127.0.0.1:8182/gremlin. */
  gremlinUrl?: string;
  /** CloudSearch document + search endpoint; default the AWS endpoint (the edge locally). */
  cloudSearchEndpoint?: string;
  /** S3 / Kinesis endpoints when they differ from `endpoint` (AWS_ENDPOINT_URL_S3 / _KINESIS on the containers target). */
  s3Endpoint?: string;
  kinesisEndpoint?: string;
  /** Textract endpoint when it differs from `endpoint` (the containers target: LocalStack has no OCR). */
  textractEndpoint?: string;
  /** Amazon Personalize campaign (PERSONALIZE_CAMPAIGN_ARN); without it recommendations come from the graph. */
  personalizeCampaignArn?: string;
}

/** Client settings every SDK client of a target shares; other adapter builders (Firehose, CloudSearch...) reuse it. */
export function awsClientConfig(options: SdkAdapterOptions): AwsClientConfig {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  return {
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.defaultCredentials ? {} : { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
  };
}

/** Connects to Redis and fails fast (with the URL in the message) when nothing answers. */
export async function connectRedis(url: string): Promise<Redis> {
  const redis = lazyRedis(url);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${url}: ${(error as Error).message}`);
  }
  return redis;
}

/**
 * Every port over AWS SDK v3 clients (+ Redis or memory, OpenSearch, Gremlin), composed with the Lambda entries' own
 * port builders from the settings of a local target. Redis is connected up front so a wrong URL fails at start.
 */
export async function createSdkAdapters(options: SdkAdapterOptions = {}): Promise<Adapters> {
  const config = awsClientConfig(options);
<<<<<<< HEAD
  const s3 = new S3Client({
    ...config,
    ...(options.s3Endpoint ? { endpoint: options.s3Endpoint } : {}),
    forcePathStyle: !!(options.s3Endpoint ?? options.endpoint),
  });
  // HTTP/1.1 handler: kinesis-local (and LocalStack's kinesis-mock) do not speak HTTP/2.
  const kinesis = new KinesisClient({
    ...config,
    ...(options.kinesisEndpoint ? { endpoint: options.kinesisEndpoint } : {}),
    requestHandler: new NodeHttpHandler(),
  });
  const textract = new TextractClient(
    options.textractEndpoint ? { ...config, endpoint: options.textractEndpoint } : config,
  );
=======
  const settings = localSettings({
    aws: options.endpoint ?? DEFAULT_LOCAL_ENDPOINT,
    opensearch: options.opensearchUrl ?? DEFAULT_OPENSEARCH_URL,
    gremlin: options.gremlinUrl ?? DEFAULT_GREMLIN_URL,
    redis: options.redisUrl,
    cloudSearch: options.cloudSearchEndpoint ?? options.endpoint,
    personalizeCampaignArn: options.personalizeCampaignArn,
    searchRefresh: options.searchRefresh,
  });
  const context = createCompositionContext({
    functionName: '*',
    settings,
    aws: { ...config, forcePathStyle: Boolean(options.endpoint) },
  });
>>>>>>> topo
  let redis: Redis | undefined;
  if (options.redisUrl) {
    const connected = await connectRedis(options.redisUrl);
    redis = context.shared(
      'redis',
      () => connected,
      (r) => r.quit().catch(() => r.disconnect()),
    );
  } else {
    warnInMemory();
  }
  if (options.textractEndpoint) {
    const { endpoint: _, ...rest } = config;
    context.shared(
      'textract',
      () => new TextractClient({ ...rest, endpoint: options.textractEndpoint }),
      (c) => c.destroy(),
    );
  }
  const ports = Object.fromEntries(
    Object.entries(PORT_BUILDERS).map(([name, build]) => [name, (build as (c: typeof context) => unknown)(context)]),
  ) as Omit<Adapters, 'target' | 'search' | 'settings' | 'clients' | 'clientConfig' | 'redis' | 'close'>;
  return {
    ...ports,
    target: options.target ?? 'embedded',
    search: cardIndex(context),
    settings,
    clientConfig: config,
    clients: { s3: s3Client(context), kinesis: kinesisClient(context), textract: textractClient(context) },
    redis,
    close: () => context.close(),
  };
}
