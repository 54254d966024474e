/**
 * The shape of the one description of both pipelines. Plain data: the embedded runtime, the containers runner and
 * the CDK stack are all built from it, and tests walk it to check that each target wires exactly what it says.
 */

/** A port a handler may depend on (the fields of the adapter set a function's entry builds). */
export type PortName =
  | 'objects'
  | 'streams'
  | 'ocr'
  | 'images'
  | 'status'
  | 'cache'
  | 'search'
  | 'graph'
  | 'catalogue'
  | 'interactions'
  | 'recommender';

/** Settings a function's entry reads from its environment (beyond the AWS SDK's own variables). */
export type EnvironmentVariable =
  | 'OCTEMBER_BUCKET'
  | 'OCTEMBER_IMAGE_STREAM'
  | 'OCTEMBER_TEXT_STREAM'
  | 'OCTEMBER_EVENTS_STREAM'
  | 'OPENSEARCH_URL'
  | 'OPENSEARCH_INDEX'
  /** `wait_for` makes card upserts searchable before they return (local targets; unset in AWS). */
  | 'OPENSEARCH_REFRESH'
  | 'GREMLIN_URL'
  | 'REDIS_URL'
  | 'CLOUDSEARCH_SEARCH_ENDPOINT'
  | 'CLOUDSEARCH_DOCUMENT_ENDPOINT'
  /** The domain whose index fields (DescribeIndexFields) the documents are built for. */
  | 'CLOUDSEARCH_DOMAIN'
  | 'PERSONALIZE_CAMPAIGN_ARN';

export interface FunctionDef {
  /** Function name without the deployment prefix, e.g. `trigger-text-extract`. */
  name: string;
  /** Module under `src/handlers/` (without extension) exporting `handler` and its `createX` factory. */
  handler: string;
  description: string;
  /** What the handler's factory is given; the entry builds only these. */
  ports: readonly PortName[];
  /** What the entry reads; a required one missing at cold start is an error naming it. */
  environment: readonly EnvironmentVariable[];
  /** Of `environment`, the ones without which the function cannot start on the aws target. */
  requiredEnvironment?: readonly EnvironmentVariable[];
  memoryMb: number;
  timeoutSeconds: number;
  /** Packages with native code, installed beside the bundle for Lambda's Linux x64 instead of bundled. */
  nativeModules?: readonly string[];
  /** What the function may do in AWS beyond reading its ports; its IAM policy is made of exactly this. */
  grants?: FunctionGrants;
}

/**
 * Access beyond reads, for the least-privilege IAM policy of each function. Streams written follow from the stream
 * variables a function reads, CloudSearch actions from its endpoint variables, stream reads from its mappings.
 */
export interface FunctionGrants {
  /** Bucket key prefixes the function reads (GetObject), writes (PutObject) or deletes (DeleteObject). */
  readPrefixes?: readonly string[];
  writePrefixes?: readonly string[];
  deletePrefixes?: readonly string[];
  /** Ports written through (search → OpenSearch writes, graph/interactions → Neptune writes); others are read. */
  writes?: readonly PortName[];
}

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export interface RouteDef {
  method: HttpMethod;
  /** Resource path without the stage, API Gateway syntax: `/{bucket}/{object+}` (greedy last part). */
  path: string;
  function: string;
  /** The body is delivered base64-encoded (binary media types). */
  binaryBody?: boolean;
}

export interface ApiDef {
  /** The stage, first path segment of every route (`/v1/...`). */
  stage: string;
  /** Media types API Gateway passes as binary. */
  binaryMediaTypes: readonly string[];
  /** Every method requires `x-api-key`; the usage plan's limits apply to the key, locally and in AWS. */
  usagePlan: {
    throttle: { rateLimit: number; burstLimit: number };
    quota: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' };
  };
  routes: readonly RouteDef[];
}

export type S3EventType = 's3:ObjectCreated:*' | 's3:ObjectRemoved:*';

/**
 * S3 bucket notification → function. AWS matches suffixes case-sensitively, so every spelling users send is listed
 * (one notification configuration per suffix).
 */
export interface S3TriggerDef {
  /** Configuration id (stable; also the SQS-bridged configuration's id on the containers target). */
  id: string;
  function: string;
  events: readonly S3EventType[];
  prefix: string;
  suffixes: readonly string[];
}

/** Kinesis event source mapping, with AWS's names and defaults. */
export interface StreamMappingDef {
  stream: string;
  function: string;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  /** Concurrent batches per shard (1-10); records of one partition key stay in order. */
  parallelizationFactor: number;
  bisectBatchOnFunctionError: boolean;
  /** FunctionResponseTypes: ReportBatchItemFailures. */
  reportBatchItemFailures: boolean;
  maximumRetryAttempts: number;
  /** Name of an entry in `resources.failureDestinations`. */
  onFailure: string;
}

export interface DeliveryStreamDef {
  name: string;
  /** Kinesis stream read by the delivery stream (KinesisStreamAsSource). */
  source: string;
  /** Processing Lambda (a function name), if any. */
  transform?: { function: string; bufferIntervalSeconds: number; bufferSizeMiB: number };
  buffering: { intervalSeconds: number; sizeMiB: number };
  /** Prefixes in Firehose syntax (`!{timestamp:yyyy/MM/dd/HH}` and `!{firehose:error-output-type}`). */
  prefix: string;
  errorOutputPrefix: string;
  compression: 'UNCOMPRESSED' | 'GZIP';
}

export interface StreamDef {
  name: string;
  /** The variable that passes its name to the functions that write it. */
  variable: EnvironmentVariable;
  /** Shards locally (ON_DEMAND in AWS). */
  shards: number;
}

export interface ResourcesDef {
  bucket: {
    /** Local name; in AWS the stack names it (bucket names are global) and passes it as OCTEMBER_BUCKET. */
    name: string;
    variable: EnvironmentVariable;
    /** Key prefixes, by role. */
    prefixes: {
      rawImages: string;
      byUser: string;
      textBackup: string;
      items: string;
      itemsManifests: string;
      itemsErrors: string;
      interactions: string;
    };
    /** Prefixes a client may write through `PUT /{bucket}/{object+}`; everything else is the pipelines' own. */
    uploadPrefixes: readonly string[];
  };
  streams: readonly StreamDef[];
  searchIndex: { name: string };
  cloudSearchDomain: {
    name: string;
    /** Schema file (IndexField shapes), relative to the project root. */
    schema: string;
  };
  graph: { kind: 'gremlin' };
  cache: { kind: 'redis'; ttlSeconds: number };
  /** Where records go that a stream mapping gives up on (a directory locally, an SQS queue in AWS). */
  failureDestinations: readonly string[];
  /**
   * The containers target's S3 → function bridge (LocalStack cannot invoke a function on the host): the bucket
   * notifies this queue, the runtime long-polls it; an event received `maxReceives` times moves to the dead letters.
   */
  s3EventQueue: { name: string; deadLetterName: string; maxReceives: number };
}

export interface Topology {
  functions: readonly FunctionDef[];
  api: ApiDef;
  s3Triggers: readonly S3TriggerDef[];
  streamMappings: readonly StreamMappingDef[];
  deliveryStreams: readonly DeliveryStreamDef[];
  resources: ResourcesDef;
}
