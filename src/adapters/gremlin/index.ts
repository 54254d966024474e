export { createGremlinGraphStore, type GremlinGraphStoreOptions } from './graph-store.js';
