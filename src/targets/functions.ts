import { createCsvToCloudSearch } from '../handlers/csv-to-cloudsearch.js';
import { createEventsApi } from '../handlers/events-api.js';
import { createGetTextFromImage } from '../handlers/get-text-from-image.js';
import { createInteractionsToGraph } from '../handlers/interactions-to-graph.js';
import { createItemsApi } from '../handlers/items-api.js';
import { createKplDeaggregate } from '../handlers/kpl-deaggregate.js';
import { createPutObjectApi } from '../handlers/put-object-api.js';
import { createPymkApi } from '../handlers/pymk-api.js';
import { createRecommendationsApi } from '../handlers/recommendations-api.js';
import { createSearchApi } from '../handlers/search-api.js';
import { createStatusApi } from '../handlers/status-api.js';
import { createTriggerTextExtract } from '../handlers/trigger-text-extract.js';
import { createUpsertToGraph } from '../handlers/upsert-to-graph.js';
import { createUpsertToSearch } from '../handlers/upsert-to-search.js';
import { FUNCTIONS } from '../infra/functions.js';
import type { Invoker, LambdaFunction } from '../runtime/invoker.js';
import type { Adapters } from './adapters.js';

/**
 * Registers every Lambda of both pipelines with the local runtime, built from the same factories the
 * AWS entry points use (`lambdaEntry`), over the adapter set of the running target.
 */
export function registerFunctions(invoker: Invoker, adapters: Adapters): void {
  const factories: Record<keyof typeof FUNCTIONS, (a: Adapters) => LambdaFunction> = {
    triggerTextExtract: createTriggerTextExtract,
    getTextFromImage: createGetTextFromImage,
    putObjectApi: createPutObjectApi,
    statusApi: createStatusApi,
    upsertToSearch: createUpsertToSearch,
    searchApi: createSearchApi,
    upsertToGraph: createUpsertToGraph,
    pymkApi: createPymkApi,
    csvToCloudSearch: (a) => createCsvToCloudSearch(a),
    itemsApi: createItemsApi,
    kplDeaggregate: createKplDeaggregate,
    eventsApi: createEventsApi,
    interactionsToGraph: createInteractionsToGraph,
    recommendationsApi: createRecommendationsApi,
  };
  for (const [key, spec] of Object.entries(FUNCTIONS) as [
    keyof typeof FUNCTIONS,
    (typeof FUNCTIONS)[keyof typeof FUNCTIONS],
  ][]) {
    invoker.register(spec.name, factories[key](adapters), { timeoutMs: spec.timeoutSeconds * 1000 });
  }
}
