import type { Adapters } from './adapters.js';
import { COMPOSE_DEFAULTS } from './containers-defaults.js';
import { createSdkAdapters } from './sdk.js';

/**
 * The adapter set of a handler running with OCTEMBER_TARGET=containers (a bundle, `lambdaEntry`): the same
 * variables as `octember dev --target containers` (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>,
 * OPENSEARCH_URL, GREMLIN_URL, REDIS_URL), defaulting to the compose ports. No probing: it connects on use.
 */
export function createContainersAdapters(env: NodeJS.ProcessEnv = process.env): Promise<Adapters> {
  const aws = env.AWS_ENDPOINT_URL || COMPOSE_DEFAULTS.aws;
  const kit = env.OCTEMBER_EMULATORS_URL || COMPOSE_DEFAULTS.kitEmulators;
  return createSdkAdapters({
    target: 'containers',
    endpoint: aws,
    s3Endpoint: env.AWS_ENDPOINT_URL_S3 || aws,
    kinesisEndpoint: env.AWS_ENDPOINT_URL_KINESIS || aws,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION,
    opensearchUrl: env.OPENSEARCH_URL || COMPOSE_DEFAULTS.opensearch,
    gremlinUrl: env.GREMLIN_URL || COMPOSE_DEFAULTS.gremlin,
    // Textract and CloudSearch come from the kit's emulators container (LocalStack's community image has neither).
    textractEndpoint: env.AWS_ENDPOINT_URL_TEXTRACT || kit,
    cloudSearchEndpoint:
      env.AWS_ENDPOINT_URL_CLOUDSEARCH_DOMAIN || env.AWS_ENDPOINT_URL_CLOUDSEARCH || env.CLOUDSEARCH_ENDPOINT || kit,
    redisUrl: env.REDIS_URL || COMPOSE_DEFAULTS.redis,
  });
}
