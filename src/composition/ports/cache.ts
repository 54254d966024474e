import { createMemoryCache } from '../../adapters/memory/cache.js';
import { createRedisCache } from '../../adapters/redis/cache.js';
import type { PortBuilder } from '../types.js';
import { redisConnection, redisPort, warnInMemory } from './redis.js';

export const cache: PortBuilder<'cache'> = (context) => {
  const redis = redisConnection(context);
  if (redis) return redisPort(createRedisCache(redis), context.required('REDIS_URL'));
  warnInMemory();
  return context.shared('memory-cache', createMemoryCache);
};
