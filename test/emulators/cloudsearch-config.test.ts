import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudSearchClient,
  DescribeDomainsCommand,
  DescribeIndexFieldsCommand,
  ListDomainNamesCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudsearch';
import { CloudSearchDomainClient, SearchCommand, UploadDocumentsCommand } from '@aws-sdk/client-cloudsearch-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionDomain, provisioningCalls } from '../../scripts/provision-cloudsearch.js';
import { buildDomainSchema, loadDomainSchema } from '../../src/domain/cloudsearch-schema.js';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let server: Server;
let endpoint: string;
let config: CloudSearchClient;

beforeAll(async () => {
  const service = createCloudSearchService({ engine: new SearchEngine() });
  server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = new CloudSearchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  config?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('CloudSearch configuration API', () => {
  it('describes the schema-file domain with a local endpoint', async () => {
    const schema = loadDomainSchema();
    const out = await config.send(new DescribeDomainsCommand({}));
    const domain = out.DomainStatusList?.find((d) => d.DomainName === schema.domainName);
    expect(domain?.Created).toBe(true);
    expect(domain?.SearchService?.Endpoint).toContain(new URL(endpoint).host);
    const names = await config.send(new ListDomainNamesCommand({}));
    expect(names.DomainNames?.[schema.domainName]).toBe('2013-01-01');
    const fields = await config.send(new DescribeIndexFieldsCommand({ DomainName: schema.domainName }));
    expect(fields.IndexFields?.map((f) => f.Options?.IndexFieldName)).toEqual(
      schema.definitions.map((d) => d.IndexFieldName),
    );
  });

  it('the provisioning script creates a working domain from a schema', async () => {
    const schema = buildDomainSchema({
      DomainName: 'films-test',
      IndexFields: [
        { IndexFieldName: 'title', IndexFieldType: 'text' },
        { IndexFieldName: 'year', IndexFieldType: 'int', IntOptions: { FacetEnabled: true, SortEnabled: true } },
      ],
    });
    expect(provisioningCalls(schema).map((c) => c.action)).toEqual([
      'CreateDomain',
      'DefineIndexField',
      'DefineIndexField',
      'IndexDocuments',
    ]);
    const result = await provisionDomain(config, schema, { wait: true, pollMs: 10 });
    expect(result.searchEndpoint).toBeTruthy();
    const described = await config.send(new DescribeIndexFieldsCommand({ DomainName: 'films-test' }));
    expect(described.IndexFields?.map((f) => [f.Options?.IndexFieldName, f.Options?.IndexFieldType])).toEqual([
      ['title', 'text'],
      ['year', 'int'],
    ]);
    expect(described.IndexFields?.[1].Options?.IntOptions?.FacetEnabled).toBe(true);

    const domain = new CloudSearchDomainClient({
      endpoint: `http://${result.searchEndpoint}`,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    try {
      const films = [
        { id: 'f1', title: 'Alien', year: 1979 },
        { id: 'f2', title: 'Aliens', year: 1986 },
      ];
      await domain.send(
        new UploadDocumentsCommand({
          documents: Buffer.from(JSON.stringify(films.map(({ id, ...fields }) => ({ type: 'add', id, fields })))),
          contentType: 'application/json',
        }),
      );
      const out = await domain.send(new SearchCommand({ query: 'year:[1980,}', queryParser: 'structured' }));
      expect(out.hits?.hit?.map((h) => h.id)).toEqual(films.filter((f) => f.year >= 1980).map((f) => f.id));
      // The schema-file domain does not know this domain's documents.
      const other = await fetch(`${endpoint}/2013-01-01/search?q=alien`);
      expect(((await other.json()) as { hits: { found: number } }).hits.found).toBe(0);
    } finally {
      domain.destroy();
    }
  });

  it('remembers created domains and their documents across restarts with a data dir', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'octember-cs-'));
    const boot = async () => {
      const engine = new SearchEngine({ dataDir });
      const service = createCloudSearchService({ engine, dataDir });
      const srv = createServer((req, res) => void service.handle(req, res));
      await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
      const client = new CloudSearchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
      const stop = async () => {
        client.destroy();
        await new Promise<void>((resolve) => srv.close(() => resolve()));
        engine.close();
      };
      return { url, client, stop };
    };
    try {
      const first = await boot();
      const schema = buildDomainSchema({
        DomainName: 'kept-domain',
        IndexFields: [{ IndexFieldName: 'title', IndexFieldType: 'text' }],
      });
      await provisionDomain(first.client, schema);
      const upload = await fetch(`${first.url}/cloudsearch/kept-domain/2013-01-01/documents/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ type: 'add', id: 'k1', fields: { title: 'persistent penguin' } }]),
      });
      expect(upload.status).toBe(200);
      await first.stop();

      const second = await boot();
      try {
        const names = (await second.client.send(new DescribeDomainsCommand({}))).DomainStatusList?.map(
          (d) => d.DomainName,
        );
        expect(names).toContain('kept-domain');
        const found = await fetch(`${second.url}/cloudsearch/kept-domain/2013-01-01/search?q=penguin`);
        expect(((await found.json()) as { hits: { hit: { id: string }[] } }).hits.hit.map((h) => h.id)).toEqual(['k1']);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('copies SourceField(s) values and fills DefaultValue at indexing, as CloudSearch does', async () => {
    const schema = buildDomainSchema({
      DomainName: 'copies-test',
      IndexFields: [
        { IndexFieldName: 'name', IndexFieldType: 'literal' },
        { IndexFieldName: 'kind', IndexFieldType: 'literal', LiteralOptions: { DefaultValue: 'unknown' } },
        { IndexFieldName: 'size', IndexFieldType: 'int', IntOptions: { DefaultValue: 1 } },
        { IndexFieldName: 'name_text', IndexFieldType: 'text', TextOptions: { SourceField: 'name' } },
        { IndexFieldName: 'everything', IndexFieldType: 'text-array', TextArrayOptions: { SourceFields: 'name,kind' } },
      ],
    });
    const { searchEndpoint } = await provisionDomain(config, schema);
    const domain = new CloudSearchDomainClient({
      endpoint: `http://${searchEndpoint}`,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
    });
    try {
      const docs = [
        { type: 'add', id: 'a', fields: { name: 'Red Kettle', kind: 'kitchen', size: 3 } },
        { type: 'add', id: 'b', fields: { name: 'Blue Towel' } },
      ];
      await domain.send(
        new UploadDocumentsCommand({ documents: Buffer.from(JSON.stringify(docs)), contentType: 'application/json' }),
      );
      const out = await domain.send(
        new SearchCommand({ query: 'matchall', queryParser: 'structured', sort: 'name asc' }),
      );
      expect(out.hits?.hit?.map((h) => [h.id, h.fields])).toEqual([
        [
          'b',
          {
            name: ['Blue Towel'],
            kind: ['unknown'],
            size: ['1'],
            name_text: ['Blue Towel'],
            everything: ['Blue Towel'],
          },
        ],
        [
          'a',
          {
            name: ['Red Kettle'],
            kind: ['kitchen'],
            size: ['3'],
            name_text: ['Red Kettle'],
            everything: ['Red Kettle', 'kitchen'],
          },
        ],
      ]);
      const towel = await domain.send(new SearchCommand({ query: 'towel', queryOptions: '{"fields":["name_text"]}' }));
      expect(towel.hits?.hit?.map((h) => h.id)).toEqual(['b']);
    } finally {
      domain.destroy();
    }
  });

  it('answers an unknown domain with ResourceNotFound', async () => {
    const err = await config.send(new DescribeIndexFieldsCommand({ DomainName: 'no-such-domain' })).catch((e) => e);
    expect(err).toBeInstanceOf(ResourceNotFoundException);
  });
});
