export { createMemoryCache } from './cache.js';
export { createMemoryEventStream, type MemoryEventStream, type RecordedPut } from './event-stream.js';
export { createMemoryObjectStore, type MemoryObjectStore } from './object-store.js';
export { createMemoryStatusStore } from './status-store.js';
