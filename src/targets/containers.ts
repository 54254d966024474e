import type { Adapters } from './adapters.js';
import { createSdkAdapters, DEFAULT_LOCAL_ENDPOINT } from './sdk.js';

/** LocalStack + Redis containers (docker compose): the edge at AWS_ENDPOINT_URL, Redis at REDIS_URL or :6379. */
export function createContainersAdapters(env: NodeJS.ProcessEnv = process.env): Promise<Adapters> {
  return createSdkAdapters({
    target: 'containers',
    endpoint: env.AWS_ENDPOINT_URL || DEFAULT_LOCAL_ENDPOINT,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION,
    opensearchUrl: env.OPENSEARCH_URL,
    gremlinUrl: env.GREMLIN_URL,
    // Textract and CloudSearch come from the kit's emulators container (LocalStack's community image has neither).
    textractEndpoint: env.OCTEMBER_EMULATORS_URL || 'http://127.0.0.1:4577',
    cloudSearchEndpoint: env.CLOUDSEARCH_ENDPOINT || env.OCTEMBER_EMULATORS_URL || 'http://127.0.0.1:4577',
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
  });
}
