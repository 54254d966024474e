// The CloudSearch adapter against the CloudSearch emulator (the domain API through
// @aws-sdk/client-cloudsearch-domain): the CatalogueIndex contract.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCloudSearchCatalogue } from '../../src/adapters/cloudsearch/catalogue-index.js';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { catalogueContract } from '../contracts/catalogue.contract.js';

catalogueContract('cloudsearch over the CloudSearch emulator', async () => {
  const service = createCloudSearchService({ engine: new SearchEngine() });
  const server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const catalogue = createCloudSearchCatalogue({
    searchEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientConfig: { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  });
  return {
    catalogue,
    async close() {
      catalogue.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
