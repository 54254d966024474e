import { createPersonalizeRecommender } from '../../adapters/personalize/recommender.js';
import { serviceClientConfig } from '../service-client-config.js';
import type { PortBuilder } from '../types.js';
import { interactions } from './interactions.js';

/** Amazon Personalize when PERSONALIZE_CAMPAIGN_ARN names a campaign, else the interaction graph. */
export const recommender: PortBuilder<'recommender'> = (context) => {
  const campaignArn = context.setting('PERSONALIZE_CAMPAIGN_ARN');
  if (!campaignArn) return interactions(context);
  return context.shared(
    'personalize',
    () => createPersonalizeRecommender({ campaignArn, clientConfig: serviceClientConfig(context.aws, 'personalize') }),
    (r) => r.destroy(),
  );
};
