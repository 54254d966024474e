import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TextractClient } from '@aws-sdk/client-textract';
import type { Redis } from 'ioredis';
import type { Settings } from '../composition/settings.js';
import type { AwsService, Ports } from '../composition/types.js';
import type { CardSearchIndex } from '../ports/card-search.js';

export type Target = 'embedded' | 'containers' | 'aws';

/** Settings shared by every AWS SDK client of one target. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Every port of the topology over one local target's services, built once per process from the same port builders
 * the Lambda entries use, and shared by the functions the in-process runtime runs.
 */
export interface Adapters extends Ports {
  target: Target;
  /** Business-card search (OpenSearch); `ensureIndex` creates the index up front. */
  search: CardSearchIndex & { ensureIndex(): Promise<void> };
  /** Every variable of the topology with its value on this target (each function reads its own part). */
  settings: Settings;
  /** The raw clients, for runtime pieces (event source mappings, provisioning). */
  clients: { s3: S3Client; kinesis: KinesisClient; textract: TextractClient };
  clientConfig: AwsClientConfig;
  /** Services answering elsewhere than `clientConfig.endpoint` (AWS_ENDPOINT_URL_<SERVICE>). */
  serviceEndpoints: Partial<Record<AwsService, string>>;
  /** Present when status and cache are backed by Redis. */
  redis?: Redis;
  close(): Promise<void>;
}
