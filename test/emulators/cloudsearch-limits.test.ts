import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudSearchClient,
  CreateDomainCommand,
  DefineIndexFieldCommand,
  type IndexField,
  LimitExceededException,
  ValidationException,
} from '@aws-sdk/client-cloudsearch';
import {
  CloudSearchDomainClient,
  DocumentServiceException,
  SearchCommand,
  type SearchCommandInput,
  SearchException,
  UploadDocumentsCommand,
} from '@aws-sdk/client-cloudsearch-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MAX_BATCH_BYTES,
  MAX_DOCUMENT_BYTES,
  MAX_DOMAINS,
  MAX_FIELDS_PER_DOCUMENT,
  MAX_INDEX_FIELDS,
  MAX_LITERAL_CODEPOINTS,
  MAX_SOURCE_FIELDS,
  MAX_VALUES_PER_FIELD,
} from '../../src/domain/cloudsearch-limits.js';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';

/**
 * CloudSearch's documented limits ("Understanding Amazon CloudSearch Limits"), each answered the way AWS answers
 * it, through the real SDK clients: the error class the SDK maps the response to, and the HTTP status.
 */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let server: Server;
let domain: CloudSearchDomainClient;
let config: CloudSearchClient;

async function serve(service: ReturnType<typeof createCloudSearchService>) {
  const http = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    server: http,
    endpoint: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}

beforeAll(async () => {
  const served = await serve(createCloudSearchService({ engine: new SearchEngine() }));
  server = served.server;
  const endpoint = served.endpoint;
  domain = new CloudSearchDomainClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  config = new CloudSearchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  domain?.destroy();
  config?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

async function upload(ops: unknown[]) {
  return domain.send(
    new UploadDocumentsCommand({ documents: Buffer.from(JSON.stringify(ops)), contentType: 'application/json' }),
  );
}

async function rejected<T>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T & Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  return err as T & Error;
}

const add = (id: string, fields: Record<string, unknown>) => ({ type: 'add', id, fields });
const status = (err: unknown) => (err as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode;

describe('document service limits', () => {
  it(`a batch over ${MAX_BATCH_BYTES} bytes: DocumentServiceException, 413, nothing applied`, async () => {
    const ops = Array.from({ length: 6 }, (_, i) => add(`big${i}`, { description: 'y'.repeat(900_000) }));
    const err = await rejected(upload(ops), DocumentServiceException);
    expect(status(err)).toBe(413);
    expect(err.message).toMatch(/maximum batch size of 5242880 bytes/);
    const found = await domain.send(new SearchCommand({ query: 'big*', queryParser: 'simple' }));
    expect(found.hits?.found).toBe(0);
  });

  it(`a document over ${MAX_DOCUMENT_BYTES} bytes: DocumentServiceException, 400, the document named`, async () => {
    const err = await rejected(
      upload([add('huge', { description: 'x'.repeat(MAX_DOCUMENT_BYTES + 10) })]),
      DocumentServiceException,
    );
    expect(status(err)).toBe(400);
    expect(err.message).toMatch(/Document 'huge': document is \d+ bytes, over the maximum document size of 1048576/);
  });

  it(`more than ${MAX_FIELDS_PER_DOCUMENT} fields in a document: DocumentServiceException`, async () => {
    const fields = Object.fromEntries(Array.from({ length: MAX_FIELDS_PER_DOCUMENT + 1 }, (_, i) => [`f${i}`, 'v']));
    const err = await rejected(upload([add('wide', fields)]), DocumentServiceException);
    expect(status(err)).toBe(400);
    expect(err.message).toMatch(/201 fields, over the limit of 200 per document/);
  });

  it(`more than ${MAX_VALUES_PER_FIELD} values in a field: DocumentServiceException`, async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(await upload([add('many', { tags: tags(MAX_VALUES_PER_FIELD) })])).toMatchObject({ adds: 1 });
    const err = await rejected(
      upload([add('many', { tags: tags(MAX_VALUES_PER_FIELD + 1) })]),
      DocumentServiceException,
    );
    expect(err.message).toMatch(/field 'tags': 1001 values, over the limit of 1000 per field/);
  });

  it(`a literal over ${MAX_LITERAL_CODEPOINTS} code points: DocumentServiceException (code points, not bytes)`, async () => {
    expect(await upload([add('lit', { brand: '한'.repeat(MAX_LITERAL_CODEPOINTS) })])).toMatchObject({ adds: 1 });
    const err = await rejected(
      upload([add('lit', { brand: '한'.repeat(MAX_LITERAL_CODEPOINTS + 1) })]),
      DocumentServiceException,
    );
    expect(err.message).toMatch(/literal value of 4097 characters, over the limit of 4096/);
  });

  it('an int outside the 64-bit range: DocumentServiceException', async () => {
    expect(await upload([add('i64', { stock: '-9223372036854775808' })])).toMatchObject({ adds: 1 });
    const err = await rejected(upload([add('i64', { stock: '9223372036854775808' })]), DocumentServiceException);
    expect(err.message).toMatch(/invalid int value '9223372036854775808'/);
  });

  it('a document id over 128 characters or with other characters: DocumentServiceException', async () => {
    expect(await upload([add('a'.repeat(128), { title: 't' })])).toMatchObject({ adds: 1 });
    for (const id of ['a'.repeat(129), 'has space', 'ü']) {
      const err = await rejected(upload([add(id, { title: 't' })]), DocumentServiceException);
      expect(err.message).toMatch(/invalid document id: ids are 1-128 characters/);
    }
  });
});

describe('search limits', () => {
  const search = (input: Omit<SearchCommandInput, 'query'> & { query: string }) =>
    domain.send(new SearchCommand(input));

  it('start + size beyond 10 000 without a cursor: SearchException', async () => {
    await search({ query: 'matchall', queryParser: 'structured', start: 9990, size: 10 });
    const err = await rejected(
      search({ query: 'matchall', queryParser: 'structured', start: 9995, size: 10 }),
      SearchException,
    );
    expect(status(err)).toBe(400);
    expect(err.message).toMatch(/start \+ size must be at most 10000/);
  });

  it('size over 10 000: SearchException', async () => {
    const err = await rejected(search({ query: 'lamp', size: 10_001 }), SearchException);
    expect(err.message).toMatch(/size must be between 0 and 10000/);
  });

  it('more than 5 highlighted phrases: SearchException', async () => {
    const err = await rejected(search({ query: 'lamp', highlight: '{"title":{"max_phrases":6}}' }), SearchException);
    expect(err.message).toMatch(/max_phrases must be between 1 and 5/);
  });
});

describe('configuration limits', () => {
  const textField = (name: string): IndexField => ({ IndexFieldName: name, IndexFieldType: 'text' });

  it(`an index field beyond a domain's ${MAX_INDEX_FIELDS}: LimitExceededException, 409`, async () => {
    // A domain that already has the maximum, from a schema file (defining 200 fields one by one takes long).
    const dir = await mkdtemp(join(tmpdir(), 'cloudsearch-limits-'));
    const schemaFile = join(dir, 'wide.json');
    const fields = Array.from({ length: MAX_INDEX_FIELDS }, (_, i) => textField(`f${i}`));
    await writeFile(schemaFile, JSON.stringify({ DomainName: 'wide-domain', IndexFields: fields }));
    const wide = await serve(createCloudSearchService({ engine: new SearchEngine(), schemaFile }));
    const client = new CloudSearchClient({ endpoint: wide.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      // Redefining an existing field is not a new one.
      await client.send(new DefineIndexFieldCommand({ DomainName: 'wide-domain', IndexField: textField('f0') }));
      const err = await rejected(
        client.send(new DefineIndexFieldCommand({ DomainName: 'wide-domain', IndexField: textField('one_more') })),
        LimitExceededException,
      );
      expect(status(err)).toBe(409);
      expect(err.message).toMatch(/already has 200 index fields/);
    } finally {
      client.destroy();
      await wide.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it(`more than ${MAX_SOURCE_FIELDS} SourceFields, or a DefaultValue over 1 KB: ValidationException, 400`, async () => {
    await config.send(new CreateDomainCommand({ DomainName: 'copy-domain' }));
    const names = Array.from({ length: MAX_SOURCE_FIELDS + 1 }, (_, i) => `s${i}`);
    for (const name of names) {
      await config.send(new DefineIndexFieldCommand({ DomainName: 'copy-domain', IndexField: textField(name) }));
    }
    const tooMany = await rejected(
      config.send(
        new DefineIndexFieldCommand({
          DomainName: 'copy-domain',
          IndexField: {
            IndexFieldName: 'all_text',
            IndexFieldType: 'text-array',
            TextArrayOptions: { SourceFields: names.join(',') },
          },
        }),
      ),
      ValidationException,
    );
    expect(status(tooMany)).toBe(400);
    expect(tooMany.message).toMatch(/names 21 source fields; the limit is 20/);
    const bigDefault = await rejected(
      config.send(
        new DefineIndexFieldCommand({
          DomainName: 'copy-domain',
          IndexField: {
            IndexFieldName: 'd',
            IndexFieldType: 'literal',
            LiteralOptions: { DefaultValue: 'x'.repeat(1025) },
          },
        }),
      ),
      ValidationException,
    );
    expect(bigDefault.message).toMatch(/DefaultValue is at most 1024 bytes/);
  });

  it('index field and domain names outside the naming rules: ValidationException', async () => {
    for (const name of ['score', 'x'.repeat(65), '1abc', 'Upper']) {
      const err = await rejected(
        config.send(new DefineIndexFieldCommand({ DomainName: 'copy-domain', IndexField: textField(name) })),
        ValidationException,
      );
      expect(err.message, name).toMatch(/IndexFieldName/);
    }
    for (const name of ['ab', 'a'.repeat(29), 'Bad-Name', '-dash']) {
      const err = await rejected(config.send(new CreateDomainCommand({ DomainName: name })), ValidationException);
      expect(err.message, name).toMatch(/failed to satisfy constraint/);
    }
  });

  it(`a domain beyond an account's ${MAX_DOMAINS}: LimitExceededException, 409`, async () => {
    const existing = 2; // the schema-file domain and copy-domain
    for (let i = existing; i < MAX_DOMAINS; i++) {
      await config.send(new CreateDomainCommand({ DomainName: `domain-${i}` }));
    }
    // Creating an existing domain again is not a new one.
    await config.send(new CreateDomainCommand({ DomainName: 'domain-3' }));
    const err = await rejected(
      config.send(new CreateDomainCommand({ DomainName: 'one-too-many' })),
      LimitExceededException,
    );
    expect(status(err)).toBe(409);
    expect(err.message).toMatch(/at most 100 search domains/);
  });
});
