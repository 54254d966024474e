import type { Cache } from '../../ports/index.js';

export interface MemoryCacheOptions {
  now?: () => number;
  /** Most entries kept; the least recently used go first (default 10 000). */
  maxEntries?: number;
}

/** In-process Cache with per-entry expiry and an LRU bound; the fallback when no Redis is reachable. */
export function createMemoryCache(options: MemoryCacheOptions = {}): Cache & { readonly size: number } {
  const now = options.now ?? Date.now;
  const maxEntries = Math.max(1, options.maxEntries ?? 10_000);
  // a Map iterates in insertion order: re-inserting on use keeps the least recently used first
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    get size() {
      return entries.size;
    },
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    async set(key, value, ttlSeconds) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
      if (entries.size <= maxEntries) return;
      const time = now();
      for (const [k, e] of entries) if (e.expiresAt <= time) entries.delete(k);
      for (const k of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(k);
      }
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
