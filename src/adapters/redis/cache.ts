import type { Redis } from 'ioredis';
import type { Cache } from '../../ports/index.js';

/**
 * Invalidation by prefix without scanning the keyspace: every cached key is also listed in one sorted set per
 * prefix that ends at a `:` (`search:`, `search:edy:`, ...), scored by its expiry. `deletePrefix('search:edy:')`
 * reads that set and unlinks its members: the cost is the number of keys to drop, not the size of the database.
 * A prefix that does not end at a `:` falls back to SCAN.
 */
export const INDEX_PREFIX = 'octember:cache-index:';
/** Index depth: `a:b:c:` is indexed, deeper prefixes are not. */
const MAX_INDEXED_PREFIXES = 4;

/** The `:`-terminated prefixes of a key, shortest first (at most MAX_INDEXED_PREFIXES). */
export function indexedPrefixes(key: string): string[] {
  const out: string[] = [];
  for (let i = key.indexOf(':'); i !== -1 && out.length < MAX_INDEXED_PREFIXES; i = key.indexOf(':', i + 1)) {
    if (i < key.length - 1) out.push(key.slice(0, i + 1));
  }
  return out;
}

// KEYS[1] = the key, KEYS[2..] = its index sets; ARGV = value, ttl ms, now ms
const SET_SCRIPT = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local ttl = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
for i = 2, #KEYS do
  redis.call('ZADD', KEYS[i], now + ttl, KEYS[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`;

// KEYS[1] = an index set; ARGV[1] = now ms. Unlinks its live members and the set.
const DELETE_SCRIPT = `
local members = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], '+inf')
local deleted = 0
for i = 1, #members, 500 do
  deleted = deleted + redis.call('UNLINK', unpack(members, i, math.min(i + 499, #members)))
end
redis.call('DEL', KEYS[1])
return deleted`;

/** Escapes glob metacharacters so a prefix is matched literally by SCAN MATCH. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

export function createRedisCache(redis: Redis): Cache {
  return {
    async get(key) {
      return (await redis.get(key)) ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      const ttlMs = Math.max(1, Math.ceil(ttlSeconds)) * 1000;
      const indexes = indexedPrefixes(key).map((p) => `${INDEX_PREFIX}${p}`);
      await redis.eval(SET_SCRIPT, 1 + indexes.length, key, ...indexes, value, ttlMs, Date.now());
    },
    async deletePrefix(prefix) {
      if (prefix.endsWith(':') && (prefix.match(/:/g)?.length ?? 0) <= MAX_INDEXED_PREFIXES) {
        return Number(await redis.eval(DELETE_SCRIPT, 1, `${INDEX_PREFIX}${prefix}`, Date.now()));
      }
      let deleted = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) deleted += await redis.unlink(...keys);
      } while (cursor !== '0');
      return deleted;
    },
  };
}
