export {
  OPENSEARCH_VERSION,
  type OpenSearchServer,
  route,
  type StartOpenSearchOptions,
  startOpenSearch,
} from './server.js';
