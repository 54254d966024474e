import { createOpenSearchCardIndex } from '../../adapters/opensearch/card-search-index.js';
import { SEARCH_INDEX } from '../../domain/names.js';
import { credentialsOf, isAwsEndpoint, regionOf } from '../aws-signing.js';
import type { CompositionContext, PortBuilder } from '../types.js';

export function cardIndex(context: CompositionContext) {
  return context.shared(
    'opensearch',
    () => {
      const node = context.required('OPENSEARCH_URL');
      const refresh = context.setting('OPENSEARCH_REFRESH');
      return createOpenSearchCardIndex({
        node,
        index: context.setting('OPENSEARCH_INDEX') ?? SEARCH_INDEX,
        ...(refresh ? { refresh: refresh === 'wait_for' ? 'wait_for' : refresh === 'true' } : {}),
        // Amazon OpenSearch Service with an IAM resource policy: every request SigV4-signed (service `es`).
        ...(isAwsEndpoint(node, 'es')
          ? { sigv4: { region: regionOf(context.aws), service: 'es' as const, getCredentials: credentialsOf(context) } }
          : {}),
      });
    },
    (index) => index.close(),
  );
}

export const search: PortBuilder<'search'> = (context) => cardIndex(context);
