import type { Redis } from 'ioredis';
import { PORT_BUILDERS } from '../composition/ports/index.js';
import { s3Client } from '../composition/ports/objects.js';
import { textractClient } from '../composition/ports/ocr.js';
import { lazyRedis, warnInMemory } from '../composition/ports/redis.js';
import { cardIndex } from '../composition/ports/search.js';
import { kinesisClient } from '../composition/ports/streams.js';
import { serviceClientConfig } from '../composition/service-client-config.js';
import { createCompositionContext } from '../composition/settings.js';
import type { AwsService } from '../composition/types.js';
import type { Adapters, AwsClientConfig, Target } from './adapters.js';
import { COMPOSE_DEFAULTS } from './containers-defaults.js';
import { localSettings } from './local-settings.js';

export const DEFAULT_REGION = 'us-east-1';

export interface SdkAdapterOptions {
  /** AWS endpoint (the edge port, LocalStack); undefined = the SDK's own resolution (real AWS, AWS_ENDPOINT_URL). */
  endpoint?: string;
  region?: string;
  /** Redis for status and cache; without it both live in memory (one warning line). */
  redisUrl?: string;
  /** Use the SDK's default credential chain instead of the local dummy `test`/`test`. */
  defaultCredentials?: boolean;
  target?: Target;
  /** OpenSearch for card search (OPENSEARCH_URL); default the compose port. */
  opensearchUrl?: string;
  /** `wait_for` makes card upserts searchable before they return (local targets); default false. */
  searchRefresh?: boolean | 'wait_for';
  /** Gremlin endpoint (GREMLIN_URL); default the compose port. */
  gremlinUrl?: string;
  /** CloudSearch document + search endpoint; default the AWS endpoint (the edge locally). */
  cloudSearchEndpoint?: string;
  /**
   * Services answering elsewhere than `endpoint` (the containers target: AWS_ENDPOINT_URL_<SERVICE>; Textract at the
   * kit's container since LocalStack has no OCR). Bundled functions get them as those variables.
   */
  serviceEndpoints?: Partial<Record<AwsService, string>>;
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

/** SDK client settings of one service on the target (runtime pieces: provisioning, the S3 event bridge). */
export function targetClientConfig(adapters: Adapters, service: AwsService) {
  return serviceClientConfig({ ...adapters.clientConfig, serviceEndpoints: adapters.serviceEndpoints }, service);
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
  const settings = localSettings({
    aws: options.endpoint ?? COMPOSE_DEFAULTS.aws,
    opensearch: options.opensearchUrl ?? COMPOSE_DEFAULTS.opensearch,
    gremlin: options.gremlinUrl ?? COMPOSE_DEFAULTS.gremlin,
    redis: options.redisUrl,
    cloudSearch: options.cloudSearchEndpoint ?? options.endpoint,
    personalizeCampaignArn: options.personalizeCampaignArn,
    searchRefresh: options.searchRefresh,
  });
  const serviceEndpoints = options.serviceEndpoints ?? {};
  const context = createCompositionContext({
    functionName: '*',
    settings,
    aws: { ...config, serviceEndpoints, forcePathStyle: Boolean(serviceEndpoints.s3 ?? options.endpoint) },
  });
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
  const ports = Object.fromEntries(
    Object.entries(PORT_BUILDERS).map(([name, build]) => [name, (build as (c: typeof context) => unknown)(context)]),
  ) as Omit<
    Adapters,
    'target' | 'search' | 'settings' | 'clients' | 'clientConfig' | 'serviceEndpoints' | 'redis' | 'close'
  >;
  return {
    ...ports,
    target: options.target ?? 'embedded',
    search: cardIndex(context),
    settings,
    clientConfig: config,
    serviceEndpoints,
    clients: { s3: s3Client(context), kinesis: kinesisClient(context), textract: textractClient(context) },
    redis,
    close: () => context.close(),
  };
}
