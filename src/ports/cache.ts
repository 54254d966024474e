/** A string cache with expiry (Redis on every target, or an in-memory stand-in). */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Deletes every key that starts with the prefix; used to invalidate one user's cached answers. */
  deletePrefix(prefix: string): Promise<number>;
}
