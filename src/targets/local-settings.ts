import type { Settings } from '../composition/settings.js';
import { TOPOLOGY } from '../topology/index.js';
import type { FunctionDef, Topology } from '../topology/types.js';

/** Where a local target's services answer. */
export interface LocalEndpoints {
  /** The AWS APIs (the kit's edge, LocalStack). */
  aws: string;
  opensearch: string;
  gremlin: string;
  /** Absent: status and cache live in memory (in-process only). */
  redis?: string;
  /** CloudSearch document and search endpoint (default `aws`). */
  cloudSearch?: string;
  personalizeCampaignArn?: string;
  /** `wait_for` makes card upserts searchable before they return. */
  searchRefresh?: boolean | 'wait_for';
}

/** Every variable of the topology with its value on a local target: names from the topology, endpoints given. */
export function localSettings(endpoints: LocalEndpoints, topology: Topology = TOPOLOGY): Settings {
  const { resources } = topology;
  const settings: Settings = {
    [resources.bucket.variable]: resources.bucket.name,
    ...Object.fromEntries(resources.streams.map((stream) => [stream.variable, stream.name])),
    OPENSEARCH_URL: endpoints.opensearch,
    OPENSEARCH_INDEX: resources.searchIndex.name,
    GREMLIN_URL: endpoints.gremlin,
    CLOUDSEARCH_DOCUMENT_ENDPOINT: endpoints.cloudSearch ?? endpoints.aws,
    CLOUDSEARCH_SEARCH_ENDPOINT: endpoints.cloudSearch ?? endpoints.aws,
    CLOUDSEARCH_DOMAIN: resources.cloudSearchDomain.name,
  };
  if (endpoints.redis) settings.REDIS_URL = endpoints.redis;
  if (endpoints.searchRefresh !== undefined) settings.OPENSEARCH_REFRESH = String(endpoints.searchRefresh);
  if (endpoints.personalizeCampaignArn) settings.PERSONALIZE_CAMPAIGN_ARN = endpoints.personalizeCampaignArn;
  return settings;
}

/** The part of `settings` a function reads (its topology `environment`). */
export function settingsOf(fn: FunctionDef, settings: Settings): Settings {
  const own: Settings = {};
  for (const name of fn.environment) if (settings[name] !== undefined) own[name] = settings[name];
  return own;
}
