/**
 * Every handler module by its topology `handler` name, as import() calls with literal paths: the CLI's bundle
 * (bin/octember.mjs) follows them. A function of the topology whose module is missing here fails to load, saying so.
 */
export const HANDLER_MODULES: Readonly<Record<string, () => Promise<unknown>>> = {
  'csv-to-cloudsearch': () => import('./csv-to-cloudsearch.js'),
  'events-api': () => import('./events-api.js'),
  'get-text-from-image': () => import('./get-text-from-image.js'),
  'interactions-to-graph': () => import('./interactions-to-graph.js'),
  'items-api': () => import('./items-api.js'),
  'kpl-deaggregate': () => import('./kpl-deaggregate.js'),
  'put-object-api': () => import('./put-object-api.js'),
  'pymk-api': () => import('./pymk-api.js'),
  'recommendations-api': () => import('./recommendations-api.js'),
  'search-api': () => import('./search-api.js'),
  'status-api': () => import('./status-api.js'),
  'trigger-text-extract': () => import('./trigger-text-extract.js'),
  'upsert-to-graph': () => import('./upsert-to-graph.js'),
  'upsert-to-search': () => import('./upsert-to-search.js'),
};
