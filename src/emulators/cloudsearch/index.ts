export { type CloudSearchEngine, domainIndexName } from './engine.js';
export { type CloudSearchServiceOptions, createCloudSearchService } from './service.js';
