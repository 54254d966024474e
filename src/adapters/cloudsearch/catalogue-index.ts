import { CloudSearchClient, DescribeIndexFieldsCommand } from '@aws-sdk/client-cloudsearch';
import {
  CloudSearchDomainClient,
  type CloudSearchDomainClientConfig,
  DocumentServiceException,
  SearchCommand,
  SearchException,
  UploadDocumentsCommand,
} from '@aws-sdk/client-cloudsearch-domain';
import type { IndexFieldDefinition } from '../../domain/cloudsearch-schema.js';
import {
  type CatalogueIndex,
  CatalogueQueryError,
  type CatalogueSearchRequest,
  type CatalogueSearchResult,
} from '../../ports/catalogue.js';

/**
 * CatalogueIndex over the CloudSearch domain API. `endpoint` is the domain's document/search endpoint
 * (DescribeDomains), or the edge port locally; a domain has separate doc and search endpoints in AWS.
 * With `domainName`, the domain's index fields are read through the configuration API: at `configEndpoint`, else at
 * the search endpoint when that is a local one (the emulator serves both APIs), else at the regional AWS endpoint.
 */
export function createCloudSearchCatalogue(config: {
  searchEndpoint: string;
  documentEndpoint?: string;
  clientConfig?: Omit<CloudSearchDomainClientConfig, 'endpoint'>;
  domainName?: string;
  configEndpoint?: string;
}): CatalogueIndex & { destroy(): void } {
  const withScheme = (e: string) => (/^https?:\/\//.test(e) ? e : `https://${e}`);
  const searchClient = new CloudSearchDomainClient({
    ...config.clientConfig,
    endpoint: withScheme(config.searchEndpoint),
  });
  const docClient = config.documentEndpoint
    ? new CloudSearchDomainClient({ ...config.clientConfig, endpoint: withScheme(config.documentEndpoint) })
    : searchClient;

  const configEndpoint =
    config.configEndpoint ??
    (/\.amazonaws\.com(:\d+)?(\/|$)/.test(config.searchEndpoint) ? undefined : config.searchEndpoint);
  const configClient = config.domainName
    ? new CloudSearchClient({
        ...(config.clientConfig as object),
        ...(configEndpoint ? { endpoint: withScheme(configEndpoint) } : {}),
      })
    : undefined;

  return {
    ...(configClient && config.domainName
      ? {
          async describeIndexFields() {
            const domainName = config.domainName as string;
            const out = await configClient.send(
              new DescribeIndexFieldsCommand({ DomainName: domainName, Deployed: true }),
            );
            const indexFields = (out.IndexFields ?? []).flatMap((f) =>
              f.Options ? [withoutUndefined(f.Options) as IndexFieldDefinition] : [],
            );
            return { domainName, indexFields };
          },
        }
      : {}),
    async uploadDocuments(batch) {
      try {
        const out = await docClient.send(
          new UploadDocumentsCommand({ documents: Buffer.from(batch), contentType: 'application/json' }),
        );
        return {
          adds: out.adds ?? 0,
          deletes: out.deletes ?? 0,
          warnings: (out.warnings ?? []).map((w) => w.message ?? ''),
        };
      } catch (err) {
        if (err instanceof DocumentServiceException) throw new Error(`CloudSearch rejected the batch: ${err.message}`);
        throw err;
      }
    },
    async search(request: CatalogueSearchRequest): Promise<CatalogueSearchResult> {
      try {
        const out = await searchClient.send(
          new SearchCommand({
            query: request.q,
            queryParser: request.parser,
            filterQuery: request.fq,
            size: request.size,
            start: request.start,
            sort: request.sort,
            return: request.return,
            queryOptions: request.options,
            facet: request.facets ? JSON.stringify(request.facets) : undefined,
          }),
        );
        const facets: CatalogueSearchResult['facets'] = {};
        for (const [name, info] of Object.entries(out.facets ?? {})) {
          facets[name] = (info.buckets ?? []).map((b) => ({ value: b.value ?? '', count: b.count ?? 0 }));
        }
        return {
          found: out.hits?.found ?? 0,
          start: out.hits?.start ?? 0,
          hits: (out.hits?.hit ?? []).map((h) => ({ id: h.id ?? '', fields: h.fields ?? {} })),
          facets,
        };
      } catch (err) {
        if (err instanceof SearchException) throw new CatalogueQueryError(err.message);
        throw err;
      }
    },
    destroy() {
      searchClient.destroy();
      if (docClient !== searchClient) docClient.destroy();
      configClient?.destroy();
    },
  };
}

/** SDK output objects may carry members set to undefined; a schema is plain JSON. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  );
}
