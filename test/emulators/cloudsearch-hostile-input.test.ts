import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudSearchClient,
  CreateDomainCommand,
  DescribeDomainsCommand,
  InternalException,
} from '@aws-sdk/client-cloudsearch';
import {
  CloudSearchDomainClient,
  DocumentServiceException,
  SearchCommand,
  SearchException,
  UploadDocumentsCommand,
} from '@aws-sdk/client-cloudsearch-domain';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CloudSearchEngine, createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { seededRandom } from '../../src/lib/seeded-random.js';

/** Bad and hostile input to the CloudSearch emulator: a clear 4xx naming the problem, no collateral harm. */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

async function serve(engine: CloudSearchEngine) {
  const service = createCloudSearchService({ engine });
  const server: Server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = new CloudSearchClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const domain = new CloudSearchDomainClient({ endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  return {
    endpoint,
    config,
    domain,
    async close() {
      config.destroy();
      domain.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let emu: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  emu = await serve(new SearchEngine());
});
afterAll(async () => {
  await emu?.close();
});

const form = (body: string) =>
  fetch(emu.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('configuration API form parsing', () => {
  afterEach(() => {
    // Whatever a case did, the test process must not carry it into the next one.
    for (const key of ['polluted', 'x']) delete (Object.prototype as Record<string, unknown>)[key];
  });

  it('refuses prototype-addressing parameters with a 400 and leaves Object.prototype untouched', async () => {
    const hostile = [
      'Action=CreateDomain&DomainName=evil-one&__proto__.polluted=yes',
      'Action=CreateDomain&DomainName=evil-two&constructor.prototype.polluted=yes',
      'Action=DefineIndexField&DomainName=octember-items&IndexField.__proto__.polluted=yes&IndexField.IndexFieldName=a&IndexField.IndexFieldType=text',
      'Action=DescribeDomains&DomainNames.member.1.__proto__.polluted=yes',
      'Action=DefineIndexField&DomainName=octember-items&IndexField.IndexFieldName=b&IndexField.IndexFieldType=text&IndexField.TextOptions.__proto__=x',
    ];
    for (const body of hostile) {
      const res = await form(body);
      const text = await res.text();
      expect(res.status, body).toBe(400);
      expect(text).toMatch(/<Type>Sender<\/Type><Code>ValidationException<\/Code><Message>Invalid parameter name/);
      expect(({} as Record<string, unknown>).polluted, body).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    }
    // A valid CreateDomain afterwards works, through the real SDK.
    const created = await emu.config.send(new CreateDomainCommand({ DomainName: 'after-pollution' }));
    expect(created.DomainStatus?.DomainName).toBe('after-pollution');
    const described = await emu.config.send(new DescribeDomainsCommand({ DomainNames: ['after-pollution'] }));
    expect(described.DomainStatusList?.map((d) => d.DomainName)).toEqual(['after-pollution']);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('refuses malformed list parameters with a 400 naming the parameter', async () => {
    for (const [body, message] of [
      [
        'Action=DescribeDomains&DomainNames.member.99999999=x',
        /Invalid list index in parameter 'DomainNames.member.99999999'/,
      ],
      ['Action=DescribeDomains&DomainNames.member.abc=x', /Invalid list index/],
      ['Action=DescribeDomains&DomainNames.member.1=a&DomainNames=b', /Conflicting parameters|given twice/],
      ['Action=CreateDomain&DomainName=a-b-c&DomainName=x-y-z', /given twice/],
      [
        'Action=DefineIndexField&DomainName=octember-items&IndexField.TextOptions.ReturnEnabled=maybe&IndexField.IndexFieldName=t&IndexField.IndexFieldType=text',
        /must be true or false/,
      ],
      ['Action=Frobnicate', /action Frobnicate is not supported/],
    ] as const) {
      const res = await form(body);
      expect(res.status, body).toBe(400);
      const text = (await res.text()).replace(/&apos;/g, "'");
      expect(text, body).toMatch(message);
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});

describe('XML document batches through fast-xml-parser', () => {
  const uploadXml = (xml: string) =>
    emu.domain.send(new UploadDocumentsCommand({ documents: Buffer.from(xml), contentType: 'application/xml' }));

  const bad: [string, string, RegExp][] = [
    ['a surrogate character reference', '&#xD800;', /'&#xD800;' is not a character XML allows/],
    ['a character reference beyond Unicode', '&#99999999;', /is not a character XML allows/],
    ['a NUL reference', '&#0;', /is not a character XML allows/],
    ['an HTML entity XML does not define', '&nbsp;', /undefined entity '&nbsp;'/],
    ['a bare ampersand', 'fish & chips', /'&' must start a reference|Invalid XML/],
    ['an element inside a field', '<b>bold</b>', /must be text or CDATA, found <b>/],
  ];
  for (const [what, value, message] of bad) {
    it(`refuses ${what} with a 400 DocumentServiceException`, async () => {
      const xml = `<batch><add id="x1"><field name="title">${value}</field></add></batch>`;
      const err = await uploadXml(xml).catch((e) => e);
      expect(err).toBeInstanceOf(DocumentServiceException);
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(err.message).toMatch(message);
    });
  }

  it('refuses any DOCTYPE, so no entity can expand (billion laughs)', async () => {
    const lol = [
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
      ']><batch><add id="x1"><field name="title">&lol9;</field></add></batch>',
    ].join('');
    const started = performance.now();
    const err = await uploadXml(lol).catch((e) => e);
    expect(err).toBeInstanceOf(DocumentServiceException);
    expect(err.message).toMatch(/a DOCTYPE is not allowed/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports malformed XML with its line and column', async () => {
    const err = await uploadXml('<batch>\n<add id="x1"><field name="title">t</field>\n</batch>').catch((e) => e);
    expect(err).toBeInstanceOf(DocumentServiceException);
    expect(err.message).toMatch(/Invalid XML in document batch at line 3, column \d+/);
    const root = await uploadXml('<docs><add id="x1"/></docs>').catch((e) => e);
    expect(root.message).toMatch(/single <batch> element/);
  });

  it('keeps a field named __proto__ an ordinary unknown field', async () => {
    const err = await uploadXml('<batch><add id="x1"><field name="__proto__">v</field></add></batch>').catch((e) => e);
    expect(err).toBeInstanceOf(DocumentServiceException);
    expect(err.message).toMatch(/unknown field '__proto__'/);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });

  it('keeps the order of adds and deletes, decodes the five XML entities and CDATA', async () => {
    const xml =
      '<batch><add id="o1"><field name="title">Ordered &lt;one&gt; &amp; &#x41;&#66; &quot;q&quot; &apos;a&apos;</field></add>' +
      '<delete id="o1"/><add id="o1"><field name="title"><![CDATA[Ordered <two> &amp;]]></field></add></batch>';
    expect(await uploadXml(xml)).toMatchObject({ adds: 2, deletes: 1 });
    const found = await emu.domain.send(new SearchCommand({ query: 'ordered', return: 'title' }));
    expect(found.hits?.hit?.map((h) => h.fields?.title?.[0])).toEqual(['Ordered <two> &amp;']);
  });
});

describe("every client error is a 4xx; the emulator's own failures stay 5xx", () => {
  it('never answers random batches or queries with a 5xx', async () => {
    const random = seededRandom(7);
    const pieces = [
      '[',
      ']',
      '{',
      '}',
      '"',
      ',',
      ':',
      'add',
      'delete',
      'type',
      'id',
      'fields',
      'title',
      'price',
      '1e400',
      '-',
      '<batch>',
      '</batch>',
      '<add id="a">',
      '<field name="title">',
      '</field>',
      '&amp;',
      '&#x0;',
      '<![CDATA[',
      ']]>',
      '(and',
      ')',
      "'",
      'title:',
      '[1,}',
      '~',
      '^2',
      '*',
      '|',
      '+',
      'null',
      '\u0000',
      '한',
      '\uD800',
    ];
    const junk = () =>
      Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join(
        '',
      );
    for (let i = 0; i < 100; i++) {
      const body = junk();
      const type = random() < 0.5 ? 'application/json' : 'application/xml';
      const batch = await fetch(`${emu.endpoint}/2013-01-01/documents/batch`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(batch.status, `${type} ${JSON.stringify(body)}`).toBeLessThan(500);
      const parser = ['simple', 'structured', 'lucene'][i % 3];
      const q = new URLSearchParams({ q: body || 'x', 'q.parser': parser, fq: junk(), sort: junk(), facet: junk() });
      const search = await fetch(`${emu.endpoint}/2013-01-01/search?${q}`);
      expect(search.status, q.toString()).toBeLessThan(500);
      await batch.text();
      await search.text();
    }
  });

  it("answers an engine failure as a 5xx, not as the client's fault", async () => {
    const engine = new SearchEngine();
    const broken: CloudSearchEngine = {
      hasIndex: (name) => engine.hasIndex(name),
      createIndex: (name, body) => engine.createIndex(name, body),
      deleteIndex: (name) => engine.deleteIndex(name),
      putMapping: (name, mappings) => engine.putMapping(name, mappings),
      refresh: (name) => engine.refresh(name),
      bulk: () => {
        throw new Error('disk on fire');
      },
      search: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'hits')");
      },
    };
    const failing = await serve(broken);
    try {
      const search = await failing.domain.send(new SearchCommand({ query: 'lamp' })).catch((e) => e);
      expect(search).toBeInstanceOf(SearchException);
      expect(search.$metadata.httpStatusCode).toBe(500);
      expect(search.message).toMatch(/Internal error in the local CloudSearch emulator/);
      const batch = await failing.domain
        .send(
          new UploadDocumentsCommand({
            documents: Buffer.from(JSON.stringify([{ type: 'add', id: 'a', fields: { title: 't' } }])),
            contentType: 'application/json',
          }),
        )
        .catch((e) => e);
      expect(batch).toBeInstanceOf(DocumentServiceException);
      expect(batch.$metadata.httpStatusCode).toBe(500);
    } finally {
      await failing.close();
    }
  });

  it('answers a configuration failure as InternalException (500, Receiver)', async () => {
    const engine = new SearchEngine();
    const broken: CloudSearchEngine = {
      hasIndex: (name) => engine.hasIndex(name),
      createIndex: (name, body) => {
        if (name.includes('explodes')) throw new Error('out of file handles');
        return engine.createIndex(name, body);
      },
      deleteIndex: (name) => engine.deleteIndex(name),
      bulk: (ops) => engine.bulk(ops),
      refresh: (name) => engine.refresh(name),
      search: (name, body) => engine.search(name, body),
    };
    const failing = await serve(broken);
    try {
      const err = await failing.config.send(new CreateDomainCommand({ DomainName: 'explodes' })).catch((e) => e);
      expect(err).toBeInstanceOf(InternalException);
      expect(err.$metadata.httpStatusCode).toBe(500);
      expect(err.$fault).toBe('server');
    } finally {
      await failing.close();
    }
  });
});
