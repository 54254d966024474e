import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type { TextractClient } from '@aws-sdk/client-textract';
import type { Redis } from 'ioredis';
import type { CardSearchIndex } from '../ports/card-search.js';
import type { CatalogueIndex } from '../ports/catalogue.js';
import type { GraphStore } from '../ports/graph-store.js';
import type { ImageCropper } from '../ports/image-cropper.js';
import type { Cache, EventStream, ObjectStore, Ocr, StatusStore } from '../ports/index.js';
import type { InteractionGraph, Recommender } from '../ports/recommender.js';

export type Target = 'embedded' | 'containers' | 'aws';

/** Settings shared by every AWS SDK client of one target. */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Everything a handler may depend on, built once per process for one target.
 * Later ports (search, graph, catalogue, ...) are added here as further fields.
 */
export interface Adapters {
  target: Target;
  objects: ObjectStore;
  streams: EventStream;
  ocr: Ocr;
  /** Crops of card photos for a second OCR pass over doubtful fields. */
  images: ImageCropper;
  status: StatusStore;
  cache: Cache;
  /** Business-card search (OpenSearch); connects on first use; `ensureIndex` creates the index up front. */
  search: CardSearchIndex & { ensureIndex(): Promise<void> };
  /** The contact graph (Neptune / Gremlin); connects on first use. */
  graph: GraphStore;
  /** The item catalogue (CloudSearch domain). */
  catalogue: CatalogueIndex;
  /** user -interacted-> item edges in the graph; connects on first use. */
  interactions: InteractionGraph;
  /** Amazon Personalize when a campaign is configured (aws), else the interaction graph. */
  recommender: Recommender;
  /** The raw clients, for runtime pieces (event source mappings) and adapter builders that need them. */
  clients: { s3: S3Client; kinesis: KinesisClient; textract: TextractClient };
  clientConfig: AwsClientConfig;
  /** Present when status and cache are backed by Redis. */
  redis?: Redis;
  close(): Promise<void>;
}
