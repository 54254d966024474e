import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { TextractClient } from '@aws-sdk/client-textract';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Redis } from 'ioredis';
import { createCanvasImageCropper } from '../adapters/canvas/image-cropper.js';
import { createCatalogueForTarget } from '../adapters/cloudsearch/from-target.js';
import { createGremlinGraphStore } from '../adapters/gremlin/graph-store.js';
import { createGremlinInteractionGraph } from '../adapters/gremlin/interaction-graph.js';
import { createKinesisEventStream } from '../adapters/kinesis/event-stream.js';
import { createMemoryCache } from '../adapters/memory/cache.js';
import { createMemoryStatusStore } from '../adapters/memory/status-store.js';
import { createOpenSearchCardIndex } from '../adapters/opensearch/card-search-index.js';
import { createPersonalizeRecommender } from '../adapters/personalize/index.js';
import { createRedisCache, createRedisStatusStore } from '../adapters/redis/index.js';
import { createS3ObjectStore } from '../adapters/s3/object-store.js';
import { createTextractOcr } from '../adapters/textract/ocr.js';
import { logger } from '../lib/logger.js';
import type { Adapters, AwsClientConfig, Target } from './adapters.js';

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
  /** Use the SDK's default credential chain instead of the local dummy `test`/`test` (the aws target). */
  defaultCredentials?: boolean;
  target?: Target;
  /** OpenSearch for card search (OPENSEARCH_URL); default http://127.0.0.1:9200. */
  opensearchUrl?: string;
  /** `wait_for` makes card upserts searchable before they return (local targets); default false. */
  searchRefresh?: boolean | 'wait_for';
  /** Gremlin endpoint (GREMLIN_URL); default ws://127.0.0.1:8182/gremlin. */
  gremlinUrl?: string;
  /** CloudSearch domain endpoint (CLOUDSEARCH_ENDPOINT); default the AWS endpoint (the edge locally). */
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
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 3000 });
  // One warning per outage instead of ioredis' "Unhandled error event" on every reconnect attempt.
  let down = false;
  redis.on('error', (error) => {
    if (!down) logger.warn({ err: error, url }, 'Redis connection error');
    down = true;
  });
  redis.on('ready', () => {
    down = false;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot reach Redis at ${url}: ${(error as Error).message}`);
  }
  return redis;
}

/** The adapter set over AWS SDK v3 clients (+ Redis or memory); used by every target. */
export async function createSdkAdapters(options: SdkAdapterOptions = {}): Promise<Adapters> {
  const config = awsClientConfig(options);
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
  let redis: Redis | undefined;
  if (options.redisUrl) {
    redis = await connectRedis(options.redisUrl);
  } else {
    logger.warn('no REDIS_URL: image status and the API cache are kept in memory (lost on restart, not shared)');
  }
  const search = createOpenSearchCardIndex({
    node: options.opensearchUrl ?? DEFAULT_OPENSEARCH_URL,
    refresh: options.searchRefresh,
  });
  // Locally the edge serves CloudSearch; in AWS the domain's endpoints come from DescribeDomains.
  const catalogue = createCatalogueForTarget({
    clientConfig: config,
    searchEndpoint: options.cloudSearchEndpoint ?? options.endpoint,
  });
  let graph: ReturnType<typeof createGremlinGraphStore> | undefined;
  let interactions: ReturnType<typeof createGremlinInteractionGraph> | undefined;
  let personalize: ReturnType<typeof createPersonalizeRecommender> | undefined;
  return {
    target: options.target ?? 'embedded',
    clientConfig: config,
    clients: { s3, kinesis, textract },
    objects: createS3ObjectStore(s3),
    streams: createKinesisEventStream(kinesis),
    ocr: createTextractOcr(textract),
    images: createCanvasImageCropper(),
    status: redis ? createRedisStatusStore(redis) : createMemoryStatusStore(),
    cache: redis ? createRedisCache(redis) : createMemoryCache(),
    search,
    get graph() {
      graph ??= createGremlinGraphStore({ url: options.gremlinUrl ?? DEFAULT_GREMLIN_URL });
      return graph;
    },
    catalogue,
    get interactions() {
      interactions ??= createGremlinInteractionGraph({ url: options.gremlinUrl ?? DEFAULT_GREMLIN_URL });
      return interactions;
    },
    get recommender() {
      if (options.personalizeCampaignArn) {
        personalize ??= createPersonalizeRecommender({
          campaignArn: options.personalizeCampaignArn,
          clientConfig: config,
        });
        return personalize;
      }
      interactions ??= createGremlinInteractionGraph({ url: options.gremlinUrl ?? DEFAULT_GREMLIN_URL });
      return interactions;
    },
    redis,
    async close() {
      await graph?.close().catch(() => undefined);
      await interactions?.close().catch(() => undefined);
      await search.close().catch(() => undefined);
      catalogue.destroy();
      s3.destroy();
      kinesis.destroy();
      textract.destroy();
      if (redis) await redis.quit().catch(() => redis?.disconnect());
    },
  };
}
