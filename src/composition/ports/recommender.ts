import { createPersonalizeRecommender } from '../../adapters/personalize/recommender.js';
import type { PortBuilder } from '../types.js';
import { interactions } from './interactions.js';

/** Amazon Personalize when PERSONALIZE_CAMPAIGN_ARN names a campaign, else the interaction graph. */
export const recommender: PortBuilder<'recommender'> = (context) => {
  const campaignArn = context.setting('PERSONALIZE_CAMPAIGN_ARN');
  if (!campaignArn) return interactions(context);
  const { forcePathStyle: _, ...clientConfig } = context.aws;
  return context.shared(
    'personalize',
    () => createPersonalizeRecommender({ campaignArn, clientConfig }),
    (r) => r.destroy(),
  );
};
