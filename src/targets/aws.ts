import type { Adapters } from './adapters.js';
import { createSdkAdapters } from './sdk.js';

/** Real AWS: the SDK's default endpoint, region and credential chain; ElastiCache through REDIS_URL. */
export function createAwsAdapters(env: NodeJS.ProcessEnv = process.env): Promise<Adapters> {
  return createSdkAdapters({
    target: 'aws',
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION,
    opensearchUrl: env.OPENSEARCH_URL,
    gremlinUrl: env.GREMLIN_URL,
    cloudSearchEndpoint: env.CLOUDSEARCH_ENDPOINT,
    personalizeCampaignArn: env.PERSONALIZE_CAMPAIGN_ARN,
    redisUrl: env.REDIS_URL || undefined,
    defaultCredentials: true,
  });
}
