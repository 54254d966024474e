/** A person as stored on a `person` vertex (what the PYMK API returns, plus the score). */
export interface PersonProfile {
  name: string | null;
  phone_number: string | null;
  company: string | null;
  job_title: string | null;
  email: string | null;
}

export interface PymkSuggestion extends PersonProfile {
  /** number of contacts in common with the user */
  score: number;
}

export interface UpsertContactResult {
  /** vertex id of the card's person */
  personId: string;
  /** vertex id standing for the owner (their own person, or the placeholder until their card arrives) */
  ownerVertexId: string;
  /** true when the card was the owner's own (and a placeholder, if any, was merged into it) */
  ownCard: boolean;
}

/**
 * The contact graph (Neptune in AWS, the Gremlin emulator or Gremlin Server locally): `person` vertices and
 * `knows` edges owner → person with a `weight`. Every write is idempotent.
 */
export interface GraphStore {
  /** Records that `owner` holds the card of `person`. */
  upsertContact(owner: string, person: PersonProfile, weight?: number): Promise<UpsertContactResult>;
  /**
   * Friends of friends of `user` ranked by common contacts. `user` is a person's email, an owner id (`edy`) or a
   * person's name (case-insensitive), tried in that order; an unknown user has no suggestions.
   */
  pymk(user: string, limit: number): Promise<PymkSuggestion[]>;
  close(): Promise<void>;
}
