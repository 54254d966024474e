import type { Adapters, Target } from './adapters.js';
import { createAwsAdapters } from './aws.js';
import { createContainersAdapters } from './containers.js';
import { createSdkAdapters, DEFAULT_LOCAL_ENDPOINT } from './sdk.js';

export type { Adapters, AwsClientConfig, Target } from './adapters.js';
export { createAwsAdapters } from './aws.js';
export { createContainersAdapters } from './containers.js';
export {
  awsClientConfig,
  connectRedis,
  createSdkAdapters,
  DEFAULT_LOCAL_ENDPOINT,
  DEFAULT_REGION,
  type SdkAdapterOptions,
} from './sdk.js';

export function targetFromEnvironment(env: NodeJS.ProcessEnv = process.env): Target {
  const target = (env.OCTEMBER_TARGET || 'embedded').toLowerCase();
  if (target === 'embedded' || target === 'containers' || target === 'aws') return target;
  throw new Error(`OCTEMBER_TARGET=${env.OCTEMBER_TARGET} is not one of embedded, containers, aws`);
}

let fromEnvironment: Promise<Adapters> | undefined;

/**
 * The adapter set for OCTEMBER_TARGET (embedded by default), built once per process and shared
 * by every handler module loaded in it (what `lambdaEntry` uses on AWS).
 */
export function adaptersFromEnvironment(): Promise<Adapters> {
  fromEnvironment ??= buildAdapters(process.env).catch((error) => {
    fromEnvironment = undefined;
    throw error;
  });
  return fromEnvironment;
}

function buildAdapters(env: NodeJS.ProcessEnv): Promise<Adapters> {
  switch (targetFromEnvironment(env)) {
    case 'aws':
      return createAwsAdapters(env);
    case 'containers':
      return createContainersAdapters(env);
    default:
      return createSdkAdapters({
        target: 'embedded',
        endpoint: env.AWS_ENDPOINT_URL || DEFAULT_LOCAL_ENDPOINT,
        region: env.AWS_REGION || env.AWS_DEFAULT_REGION,
        redisUrl: env.REDIS_URL || undefined,
        opensearchUrl: env.OPENSEARCH_URL,
        gremlinUrl: env.GREMLIN_URL,
        cloudSearchEndpoint: env.CLOUDSEARCH_ENDPOINT,
      });
  }
}
