export { type CloudSearchEngine, domainIndexName } from './engine.js';
export { type CloudSearchServiceOptions, createCloudSearchService, topologySchemaFile } from './service.js';
