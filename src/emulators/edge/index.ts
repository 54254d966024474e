export { type EdgeOptions, type EdgeServer, startEdge } from './edge-server.js';
export { credentialScopeService, routeRequest } from './routing.js';
export type { EdgeService } from './service.js';
