import {
  GetRecommendationsCommand,
  PersonalizeRuntimeClient,
  type PersonalizeRuntimeClientConfig,
} from '@aws-sdk/client-personalize-runtime';
import type { Recommendation, Recommender } from '../../ports/recommender.js';

export interface PersonalizeRecommenderOptions {
  /** The campaign of a user-personalization solution (e.g. from OCTEMBER_PERSONALIZE_CAMPAIGN_ARN). */
  campaignArn: string;
  clientConfig?: PersonalizeRuntimeClientConfig;
  /** An existing client (tests); otherwise one is built from clientConfig. */
  client?: PersonalizeRuntimeClient;
}

/** Recommender over Amazon Personalize GetRecommendations (the aws target). */
export function createPersonalizeRecommender(
  options: PersonalizeRecommenderOptions,
): Recommender & { destroy(): void } {
  if (!options.campaignArn) throw new Error('a Personalize campaign ARN is required for the Personalize recommender');
  const client = options.client ?? new PersonalizeRuntimeClient(options.clientConfig ?? {});
  return {
    async recommend(userId, limit): Promise<Recommendation[]> {
      if (limit <= 0) return [];
      const out = await client.send(
        new GetRecommendationsCommand({ campaignArn: options.campaignArn, userId, numResults: Math.min(limit, 500) }),
      );
      return (out.itemList ?? [])
        .filter((item) => item.itemId)
        .map((item) => ({ item_id: item.itemId as string, score: item.score ?? 0 }));
    },
    destroy: () => client.destroy(),
  };
}
