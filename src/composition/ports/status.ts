import { createMemoryStatusStore } from '../../adapters/memory/status-store.js';
import { createRedisStatusStore } from '../../adapters/redis/status-store.js';
import type { PortBuilder } from '../types.js';
import { redisConnection, redisPort, warnInMemory } from './redis.js';

export const status: PortBuilder<'status'> = (context) => {
  const redis = redisConnection(context);
  if (redis) return redisPort(createRedisStatusStore(redis), context.required('REDIS_URL'));
  warnInMemory();
  return context.shared('memory-status', createMemoryStatusStore);
};
