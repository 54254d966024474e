import { createCloudSearchCatalogue } from '../../adapters/cloudsearch/catalogue-index.js';
import type { CatalogueIndex } from '../../ports/catalogue.js';
import type { PortBuilder } from '../types.js';

/**
 * The CloudSearch domain: documents go to CLOUDSEARCH_DOCUMENT_ENDPOINT, searches to CLOUDSEARCH_SEARCH_ENDPOINT
 * (separate hosts in AWS, found with DescribeDomains by the provisioning script; both the edge locally). A function
 * given only one of them fails on the other operation, naming the missing variable. With CLOUDSEARCH_DOMAIN the
 * domain describes its own index fields (DescribeIndexFields, through the configuration API).
 */
export const catalogue: PortBuilder<'catalogue'> = (context) => {
  const { forcePathStyle: _, endpoint: __, serviceEndpoints: ___, ...clientConfig } = context.aws;
  const domainName = context.setting('CLOUDSEARCH_DOMAIN');
  const client = (kind: 'search' | 'document') =>
    context.shared(
      `cloudsearch-${kind}`,
      () => {
        const endpoint = context.required(
          kind === 'search' ? 'CLOUDSEARCH_SEARCH_ENDPOINT' : 'CLOUDSEARCH_DOCUMENT_ENDPOINT',
        );
        return createCloudSearchCatalogue({
          searchEndpoint: endpoint,
          documentEndpoint: endpoint,
          clientConfig,
          ...(domainName ? { domainName } : {}),
        });
      },
      (c) => c.destroy(),
    );
  const index: CatalogueIndex = {
    uploadDocuments: (batch) => client('document').uploadDocuments(batch),
    search: (request) => client('search').search(request),
  };
  if (domainName) {
    // The writer builds documents for the domain's fields: the document side describes them.
    index.describeIndexFields = () => {
      const { describeIndexFields } = client('document');
      if (!describeIndexFields) throw new Error(`CloudSearch domain ${domainName} cannot be described`);
      return describeIndexFields();
    };
  }
  return index;
};
