// The containers target's runtime (`octember dev --target containers`): no emulator of its own. It checks that the
// external services answer (LocalStack, the kit's Textract + CloudSearch container, OpenSearch, Gremlin Server,
// Redis; or `octember emulate` standing in for all of them), provisions what the topology needs, and runs the
// handlers locally: S3 events through an SQS queue it long-polls, Kinesis event source mappings, the API, and a
// Lambda Invoke endpoint for Firehose processors (on LocalStack those run as LocalStack Lambdas instead).
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CloudSearchClient } from '@aws-sdk/client-cloudsearch';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { closeAll } from '../lib/close-all.js';
import { type ApiGateway, startApiGateway } from '../runtime/api-gateway.js';
import { createInvoker, type Invoker } from '../runtime/invoker.js';
import { type KinesisEventSourceMapping, startKinesisEventSourceMapping } from '../runtime/kinesis-event-source.js';
import { type LambdaInvokeApi, startLambdaInvokeApi } from '../runtime/lambda-invoke-api.js';
import { stagedPath, TOPOLOGY, type Topology } from '../topology/index.js';
import type { Adapters } from './adapters.js';
import {
  type ContainersEndpoints,
  checkContainersServices,
  resolveContainersEndpoints,
} from './containers-endpoints.js';
import { ensureLocalStackProcessors } from './containers-localstack.js';
import { type Provisioned, provisionContainersResources } from './containers-provision.js';
import { type S3EventBridge, startS3EventBridge } from './containers-s3-events.js';
import { DEFAULT_LAMBDA_PORT } from './containers-standin.js';
import { registerFunctions } from './functions.js';
import { createSdkAdapters, DEFAULT_REGION } from './sdk.js';

export interface ContainersRuntimeOptions {
  /** Checkpoints of the stream mappings and failure records live here. */
  dataDir: string;
  apiKey: string;
  apiPort?: number;
  host?: string;
  /** Lambda Invoke API port (default 3001, SAM's start-lambda port; 0 = any free one). */
  lambdaPort?: number;
  /** Endpoints; default: from the environment (AWS_ENDPOINT_URL..., OPENSEARCH_URL, GREMLIN_URL, REDIS_URL). */
  endpoints?: ContainersEndpoints;
  env?: NodeJS.ProcessEnv;
  /** Kinesis poll interval of the stream mappings (default 200 ms; AWS polls once a second). */
  pollIntervalMs?: number;
  /** Long-poll wait of the S3 event queue (default 20 s). */
  s3EventWaitSeconds?: number;
  /** Firehose buffering locally (default 5 s, like the embedded target; AWS's are in the topology). */
  deliveryBufferSeconds?: number;
  /** Multiplies retry delays (S3 event retries); tests use a small value. */
  retryDelayScale?: number;
  topology?: Topology;
  /** Start-up lines (what is provisioned); default: silent. */
  log?: (line: string) => void;
}

export interface ContainersRuntime {
  endpoints: ContainersEndpoints;
  adapters: Adapters;
  invoker: Invoker;
  api: ApiGateway;
  lambdaApi: LambdaInvokeApi;
  provisioned: Provisioned;
  mappings: KinesisEventSourceMapping[];
  s3Events: S3EventBridge;
  /** Processor functions created in LocalStack's Lambda at this start (empty on other AWS endpoints). */
  localStackFunctions: string[];
  readyMs: number;
  /** Resolves when the S3 event queue is empty and every invocation and stream mapping caught up. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startContainersRuntime(opts: ContainersRuntimeOptions): Promise<ContainersRuntime> {
  const started = performance.now();
  const env = opts.env ?? process.env;
  const topology: Topology = opts.topology ?? TOPOLOGY;
  const endpoints = opts.endpoints ?? (await resolveContainersEndpoints(env));
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION;
  await checkContainersServices(endpoints, region);

  const closers: (() => Promise<void>)[] = [];
  try {
    const adapters = await createSdkAdapters({
      target: 'containers',
      region,
      endpoint: endpoints.aws.s3,
      s3Endpoint: endpoints.aws.s3,
      kinesisEndpoint: endpoints.aws.kinesis,
      textractEndpoint: endpoints.aws.textract,
      cloudSearchEndpoint: endpoints.aws.cloudsearchDomain,
      opensearchUrl: endpoints.opensearch,
      gremlinUrl: endpoints.gremlin,
      redisUrl: endpoints.redis,
      searchRefresh: 'wait_for',
    });
    closers.unshift(() => adapters.close());
    const local = { ...adapters.clientConfig };
    delete local.endpoint;
    const sqs = new SQSClient({ ...local, endpoint: endpoints.aws.sqs, requestHandler: new NodeHttpHandler() });
    const firehose = new FirehoseClient({ ...local, endpoint: endpoints.aws.firehose });
    const cloudsearch = new CloudSearchClient({ ...local, endpoint: endpoints.aws.cloudsearch });
    const lambda = new LambdaClient({ ...local, endpoint: endpoints.aws.lambda });
    closers.push(async () => {
      for (const client of [sqs, firehose, cloudsearch, lambda]) client.destroy();
    });

    // LocalStack's Firehose calls its processors in LocalStack's Lambda: they must exist there first.
    const localStackFunctions =
      endpoints.awsKind === 'localstack' ? await ensureLocalStackProcessors(lambda, topology) : [];
    const [provisioned] = await Promise.all([
      provisionContainersResources(
        { s3: adapters.clients.s3, sqs, kinesis: adapters.clients.kinesis, firehose, cloudsearch, region },
        { deliveryBufferSeconds: opts.deliveryBufferSeconds ?? 5, topology, log: opts.log },
      ),
      adapters.search.ensureIndex(),
    ]);

    const invoker = createInvoker({ dataDir: opts.dataDir, retryDelayScale: opts.retryDelayScale });
    registerFunctions(invoker, adapters);

    const host = opts.host ?? '127.0.0.1';
    const lambdaApi = await startLambdaInvokeApi({ invoker, port: opts.lambdaPort ?? DEFAULT_LAMBDA_PORT, host });
    closers.unshift(() => lambdaApi.close());

    const mappings = await Promise.all(
      topology.streamMappings.map((m) =>
        startKinesisEventSourceMapping({
          kinesis: adapters.clients.kinesis,
          streamName: m.stream,
          functionName: m.function,
          invoker,
          batchSize: m.batchSize,
          startingPosition: m.startingPosition,
          pollIntervalMs: opts.pollIntervalMs ?? 200,
          checkpointDir: join(opts.dataDir, 'checkpoints'),
          onFailureDir: join(opts.dataDir, 'failures', m.function),
          maxRetryAttempts: m.maximumRetryAttempts,
          reportBatchItemFailures: m.reportBatchItemFailures,
          bisectBatchOnFunctionError: m.bisectBatchOnFunctionError,
        }),
      ),
    );
    closers.unshift(async () => {
      await Promise.all(mappings.map((m) => m.stop()));
    });

    const scale = opts.retryDelayScale ?? 1;
    const s3Events = startS3EventBridge({
      sqs,
      queueUrl: provisioned.queueUrl,
      invoker,
      functionById: provisioned.functionById,
      topology,
      waitSeconds: opts.s3EventWaitSeconds,
      retryDelaysSeconds: [1, 2].map((d) => Math.round(d * scale)),
    });
    closers.unshift(() => s3Events.stop());

    const api = await startApiGateway({
      port: opts.apiPort ?? 3000,
      host,
      apiKey: opts.apiKey,
      invoker,
      stage: topology.api.stage,
      routes: topology.api.routes.map((r) => ({
        method: r.method,
        path: stagedPath(r.path, topology),
        functionName: r.function,
        binaryBody: r.binaryBody,
      })),
    });
    closers.unshift(() => api.close());

    const idle = async () => {
      // Work fans out (upload → S3 event → stream → stream); settle until a whole round finds nothing to do.
      for (let round = 0; round < 4; round++) {
        await s3Events.idle();
        await invoker.idle();
        await Promise.all(mappings.map((m) => m.idle()));
      }
    };
    return {
      endpoints,
      adapters,
      invoker,
      api,
      lambdaApi,
      provisioned,
      mappings,
      s3Events,
      localStackFunctions,
      readyMs: performance.now() - started,
      idle,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}
