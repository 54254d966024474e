// The OpenSearch adapter against the OpenSearch emulator (the real REST API through @opensearch-project/opensearch):
// the CardSearchIndex contract.
import { createOpenSearchCardIndex } from '../../src/adapters/opensearch/card-search-index.js';
import { startOpenSearch } from '../../src/emulators/opensearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { cardSearchContract } from '../contracts/card-search.contract.js';

cardSearchContract('opensearch over the OpenSearch emulator', async () => {
  const server = await startOpenSearch({
    engine: new SearchEngine(),
    port: 0,
    host: '127.0.0.1',
    fallbackToNextPort: false,
  });
  const index = createOpenSearchCardIndex({ node: server.url, refresh: 'wait_for' });
  return {
    index,
    async close() {
      await index.close();
      await server.close();
    },
  };
});
