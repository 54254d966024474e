export type { Adapters, AwsClientConfig, Target } from './adapters.js';
export {
  awsClientConfig,
  connectRedis,
  createSdkAdapters,
  DEFAULT_REGION,
  type SdkAdapterOptions,
} from './sdk.js';
export { targetFromEnvironment } from './target-name.js';
