// The containers target's runtime (`octember dev --target containers`): no emulator of its own. It checks that the
// external services answer (LocalStack, the kit's Textract + CloudSearch container, OpenSearch, Gremlin Server,
// Redis; or `octember emulate` standing in for all of them), provisions what the topology needs, and runs the
// shared local runtime against them: S3 events through an SQS queue it long-polls, and a Lambda Invoke endpoint for
// Firehose processors (on LocalStack those run as LocalStack Lambdas instead).
import { performance } from 'node:perf_hooks';
import { CloudSearchClient } from '@aws-sdk/client-cloudsearch';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { closeAll } from '../lib/close-all.js';
import { createInvoker } from '../runtime/invoker.js';
import { type LambdaInvokeApi, startLambdaInvokeApi } from '../runtime/lambda-invoke-api.js';
import { TOPOLOGY, type Topology } from '../topology/index.js';
import {
  type ContainersEndpoints,
  checkContainersServices,
  resolveContainersEndpoints,
} from './containers-endpoints.js';
import { ensureLocalStackProcessors } from './containers-localstack.js';
import { type Provisioned, provisionContainersResources } from './containers-provision.js';
import { type S3EventBridge, startS3EventBridge } from './containers-s3-events.js';
import { DEFAULT_LAMBDA_PORT } from './containers-standin.js';
import { type FunctionsMode, type LocalStack, settle, startLocalRuntime } from './local-runtime.js';
import { createSdkAdapters, DEFAULT_REGION, targetClientConfig } from './sdk.js';

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
  /** Firehose buffering (default LOCAL_DELIVERY_BUFFER_SECONDS, as on the embedded target). */
  deliveryBufferSeconds?: number;
  /** Multiplies retry delays (S3 event retries); tests use a small value. */
  retryDelayScale?: number;
  topology?: Topology;
  /** Default `in-process`; `bundled` runs each function's deployable bundle beside only the AWS SDK. */
  functions?: FunctionsMode;
  /** Start-up lines (what is provisioned); default: silent. */
  log?: (line: string) => void;
}

export interface ContainersRuntime extends LocalStack {
  target: 'containers';
  /** What backs the services, resolved from the environment, and where each endpoint came from. */
  services: ContainersEndpoints;
  lambdaApi: LambdaInvokeApi;
  provisioned: Provisioned;
  s3Events: S3EventBridge;
  /** Processor functions created in LocalStack's Lambda at this start (empty on other AWS endpoints). */
  localStackFunctions: string[];
}

export async function startContainersRuntime(opts: ContainersRuntimeOptions): Promise<ContainersRuntime> {
  const started = performance.now();
  const env = opts.env ?? process.env;
  const topology: Topology = opts.topology ?? TOPOLOGY;
  const functions = opts.functions ?? 'in-process';
  const services = opts.endpoints ?? (await resolveContainersEndpoints(env));
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || DEFAULT_REGION;
  await checkContainersServices(services, region);

  const closers: (() => Promise<void>)[] = [];
  try {
    const { cloudsearchDomain, ...serviceEndpoints } = services.aws;
    const adapters = await createSdkAdapters({
      target: 'containers',
      region,
      endpoint: services.aws.s3,
      serviceEndpoints,
      cloudSearchEndpoint: cloudsearchDomain,
      opensearchUrl: services.opensearch,
      gremlinUrl: services.gremlin,
      redisUrl: services.redis,
      searchRefresh: 'wait_for',
    });
    closers.unshift(() => adapters.close());
    const sqs = new SQSClient({ ...targetClientConfig(adapters, 'sqs'), requestHandler: new NodeHttpHandler() });
    const firehose = new FirehoseClient(targetClientConfig(adapters, 'firehose'));
    const cloudsearch = new CloudSearchClient(targetClientConfig(adapters, 'cloudsearch'));
    const lambda = new LambdaClient(targetClientConfig(adapters, 'lambda'));
    closers.push(async () => {
      for (const client of [sqs, firehose, cloudsearch, lambda]) client.destroy();
    });

    // LocalStack's Firehose calls its processors in LocalStack's Lambda: they must exist there first.
    const localStackFunctions =
      services.awsKind === 'localstack' ? await ensureLocalStackProcessors(lambda, topology) : [];
    const [provisioned] = await Promise.all([
      provisionContainersResources(
        { s3: adapters.clients.s3, sqs, kinesis: adapters.clients.kinesis, firehose, cloudsearch, region },
        { deliveryBufferSeconds: opts.deliveryBufferSeconds, topology, log: opts.log },
      ),
      adapters.search.ensureIndex(),
    ]);

    const invoker = createInvoker({ dataDir: opts.dataDir, retryDelayScale: opts.retryDelayScale });
    const host = opts.host ?? '127.0.0.1';
    const runtime = await startLocalRuntime({
      adapters,
      invoker,
      topology,
      dataDir: opts.dataDir,
      apiKey: opts.apiKey,
      apiPort: opts.apiPort,
      host,
      pollIntervalMs: opts.pollIntervalMs ?? 200,
      functions,
    });
    closers.unshift(() => runtime.close());

    const lambdaApi = await startLambdaInvokeApi({ invoker, port: opts.lambdaPort ?? DEFAULT_LAMBDA_PORT, host });
    closers.unshift(() => lambdaApi.close());

    const scale = opts.retryDelayScale ?? 1;
    const s3Events = startS3EventBridge({
      sqs,
      queueUrl: provisioned.queueUrl,
      invoker,
      topology,
      waitSeconds: opts.s3EventWaitSeconds,
      retryDelaysSeconds: [1, 2].map((d) => Math.round(d * scale)),
    });
    closers.unshift(() => s3Events.stop());

    const idle = settle(
      () => s3Events.idle(),
      () => invoker.idle(),
      () => Promise.all(runtime.mappings.map((m) => m.idle())),
    );
    return {
      target: 'containers',
      functions,
      topology,
      dataDir: opts.dataDir,
      services,
      adapters,
      invoker,
      api: runtime.api,
      mappings: runtime.mappings,
      warmUp: runtime.warmUp,
      endpoints: {
        aws: services.awsBase,
        opensearch: services.opensearch,
        gremlin: services.gremlin,
        redis: services.redis,
      },
      lambdaApi,
      provisioned,
      s3Events,
      localStackFunctions,
      readyMs: performance.now() - started,
      idle,
      // The services own their Firehose: deliveries come after the (short) local buffering interval.
      flushDeliveryStreams: idle,
      close: () => closeAll(closers),
    };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}
