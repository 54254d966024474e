/** One user–item interaction event (Personalize's interactions dataset shape; timestamp in epoch seconds). */
export interface Interaction {
  user_id: string;
  item_id: string;
  event_type: string;
  timestamp: number;
}

export interface Recommendation {
  item_id: string;
  /** higher is better; the backend's own scale (overlap count locally, Personalize's score in AWS) */
  score: number;
}

/** Item recommendations for a user: Amazon Personalize in AWS, the interaction graph elsewhere. */
export interface Recommender {
  /** Best first; an unknown user gets an empty list. */
  recommend(userId: string, limit: number): Promise<Recommendation[]>;
}

/**
 * The interaction graph: `user -interacted-> item` edges, one per (user, item, event_type), carrying
 * `event_type`, the latest `timestamp` and `count` (distinct events). Writes are idempotent: the same event
 * delivered twice counts once.
 */
export interface InteractionGraph extends Recommender {
  recordInteractions(interactions: Interaction[]): Promise<void>;
}
