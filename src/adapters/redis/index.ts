export { createRedisCache } from './cache.js';
export { createRedisStatusStore, STATUS_KEY_PREFIX, statusKey } from './status-store.js';
