import type { Cache } from '../../ports/index.js';

/** In-process Cache with per-entry expiry; the fallback when no Redis is reachable. */
export function createMemoryCache(options: { now?: () => number } = {}): Cache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    async set(key, value, ttlSeconds) {
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
    },
    async deletePrefix(prefix) {
      let deleted = 0;
      for (const [key, entry] of entries) {
        if (!key.startsWith(prefix)) continue;
        entries.delete(key);
        if (entry.expiresAt > now()) deleted += 1;
      }
      return deleted;
    },
  };
}
