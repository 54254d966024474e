import { createCloudSearchCatalogue } from '../../adapters/cloudsearch/catalogue-index.js';
import type { PortBuilder } from '../types.js';

/**
 * The CloudSearch domain: documents go to CLOUDSEARCH_DOCUMENT_ENDPOINT, searches to CLOUDSEARCH_SEARCH_ENDPOINT
 * (separate hosts in AWS, found with DescribeDomains by the provisioning script; both the edge locally). A function
 * given only one of them fails on the other operation, naming the missing variable.
 */
export const catalogue: PortBuilder<'catalogue'> = (context) => {
  const { forcePathStyle: _, endpoint: __, ...clientConfig } = context.aws;
  const client = (kind: 'search' | 'document') =>
    context.shared(
      `cloudsearch-${kind}`,
      () => {
        const endpoint = context.required(
          kind === 'search' ? 'CLOUDSEARCH_SEARCH_ENDPOINT' : 'CLOUDSEARCH_DOCUMENT_ENDPOINT',
        );
        return createCloudSearchCatalogue({ searchEndpoint: endpoint, documentEndpoint: endpoint, clientConfig });
      },
      (c) => c.destroy(),
    );
  return {
    uploadDocuments: (batch) => client('document').uploadDocuments(batch),
    search: (request) => client('search').search(request),
  };
};
