import type { Target } from './adapters.js';

export type { Adapters, AwsClientConfig, Target } from './adapters.js';
export {
  awsClientConfig,
  connectRedis,
  createSdkAdapters,
  DEFAULT_REGION,
  type SdkAdapterOptions,
} from './sdk.js';

export function targetFromEnvironment(env: NodeJS.ProcessEnv = process.env): Target {
  const target = (env.OCTEMBER_TARGET || 'embedded').toLowerCase();
  if (target === 'embedded' || target === 'containers' || target === 'aws') return target;
  throw new Error(`OCTEMBER_TARGET=${env.OCTEMBER_TARGET} is not one of embedded, containers, aws`);
}
