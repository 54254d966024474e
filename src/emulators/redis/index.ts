export { findOnPath, ping, type RedisHandle, type RedisOptions, startRedis } from './redis-server.js';
