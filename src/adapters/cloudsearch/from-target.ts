import { CloudSearchClient, DescribeDomainsCommand } from '@aws-sdk/client-cloudsearch';
import type { CloudSearchDomainClientConfig } from '@aws-sdk/client-cloudsearch-domain';
import { CLOUDSEARCH_DOMAIN } from '../../domain/names.js';
import type { CatalogueIndex } from '../../ports/catalogue.js';
import { createCloudSearchCatalogue } from './catalogue-index.js';

export interface CatalogueTargetOptions {
  /** Shared SDK settings of the target (region, credentials, and the edge endpoint locally). */
  clientConfig: { region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };
  domainName?: string;
  /** Explicit endpoints (OCTEMBER_CLOUDSEARCH_SEARCH_ENDPOINT / ..._DOC_ENDPOINT); otherwise found via DescribeDomains. */
  searchEndpoint?: string;
  documentEndpoint?: string;
}

/**
 * The catalogue for a target. With an explicit endpoint (the local edge, LocalStack) requests go there; in AWS the
 * domain's own doc/search endpoints are looked up once with DescribeDomains (the provisioning script created it).
 */
export function createCatalogueForTarget(options: CatalogueTargetOptions): CatalogueIndex & { destroy(): void } {
  const { endpoint, ...rest } = options.clientConfig;
  const clientConfig: Omit<CloudSearchDomainClientConfig, 'endpoint'> = rest;
  const searchEndpoint = options.searchEndpoint ?? process.env.OCTEMBER_CLOUDSEARCH_SEARCH_ENDPOINT ?? endpoint;
  const documentEndpoint = options.documentEndpoint ?? process.env.OCTEMBER_CLOUDSEARCH_DOC_ENDPOINT ?? searchEndpoint;
  const domainName = options.domainName ?? CLOUDSEARCH_DOMAIN;
  if (searchEndpoint) return createCloudSearchCatalogue({ searchEndpoint, documentEndpoint, clientConfig, domainName });

  let resolved: Promise<ReturnType<typeof createCloudSearchCatalogue>> | undefined;
  const catalogue = () => {
    resolved ??= (async () => {
      const config = new CloudSearchClient(rest);
      try {
        const out = await config.send(new DescribeDomainsCommand({ DomainNames: [domainName] }));
        const status = out.DomainStatusList?.[0];
        const search = status?.SearchService?.Endpoint;
        if (!search)
          throw new Error(
            `CloudSearch domain ${domainName} has no search endpoint yet (run scripts/provision-cloudsearch.ts)`,
          );
        return createCloudSearchCatalogue({
          searchEndpoint: search,
          documentEndpoint: status?.DocService?.Endpoint ?? search,
          clientConfig,
          domainName,
        });
      } finally {
        config.destroy();
      }
    })().catch((err) => {
      resolved = undefined;
      throw err;
    });
    return resolved;
  };
  return {
    async uploadDocuments(batch) {
      return (await catalogue()).uploadDocuments(batch);
    },
    async search(request) {
      return (await catalogue()).search(request);
    },
    async describeIndexFields() {
      const resolvedCatalogue = await catalogue();
      if (!resolvedCatalogue.describeIndexFields) throw new Error('the catalogue cannot describe its index fields');
      return resolvedCatalogue.describeIndexFields();
    },
    destroy() {
      void resolved?.then((c) => c.destroy()).catch(() => {});
    },
  };
}
