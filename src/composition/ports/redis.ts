import { Redis } from 'ioredis';
import { logger } from '../../lib/logger.js';
import { withRetry } from '../../lib/retry.js';
import type { CompositionContext } from '../types.js';

/**
 * The process's one Redis connection (REDIS_URL), opened by its first command. One warning per outage instead of
 * ioredis' "Unhandled error event" on every reconnect attempt; commands fail after two retries, naming the URL.
 */
export function redisConnection(context: CompositionContext): Redis | undefined {
  const url = context.setting('REDIS_URL');
  if (!url) return undefined;
  return context.shared(
    'redis',
    () => lazyRedis(url),
    (redis) => redis.quit().catch(() => redis.disconnect()),
  );
}

export function lazyRedis(url: string): Redis {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 3000 });
  let down = false;
  redis.on('error', (error) => {
    if (!down) logger.warn({ err: error, url }, 'Redis connection error');
    down = true;
  });
  redis.on('ready', () => {
    down = false;
  });
  return redis;
}

/** Error replies of a server that cannot serve for a moment (a busy script, loading, failover): worth a retry. */
const TRANSIENT_REPLIES = new Set(['BUSY', 'LOADING', 'TRYAGAIN', 'MASTERDOWN', 'CLUSTERDOWN']);

export function isTransientRedisReply(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError' && TRANSIENT_REPLIES.has(error.message.split(' ', 1)[0]);
}

/**
 * The port's methods (each one idempotent) retried with backoff on a transient error reply; their rejections say
 * which Redis did not answer.
 */
export function redisPort<T extends object>(port: T, url: string): T {
  const wrapped = {} as T;
  for (const key of Object.keys(port) as (keyof T)[]) {
    const method = port[key];
    if (typeof method !== 'function') continue;
    wrapped[key] = (async (...args: unknown[]) => {
      try {
        return await withRetry(() => method.apply(port, args), { retryable: isTransientRedisReply });
      } catch (error) {
        throw new Error(`Redis at ${url}: ${(error as Error).message}`, { cause: error });
      }
    }) as T[keyof T];
  }
  return wrapped;
}

let warned = false;
/** Without REDIS_URL (local targets only: the aws topology requires it) state lives in this process's memory. */
export function warnInMemory(): void {
  if (warned) return;
  warned = true;
  logger.warn('no REDIS_URL: image status and the API cache are kept in memory (lost on restart, not shared)');
}
