import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCloudSearchCatalogue } from '../../src/adapters/cloudsearch/catalogue-index.js';
import { createMemoryObjectStore } from '../../src/adapters/memory/object-store.js';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { createCsvToCloudSearch, type IndexReport } from '../../src/handlers/csv-to-cloudsearch.js';
import { createItemsApi } from '../../src/handlers/items-api.js';
import { logger } from '../../src/lib/logger.js';

/**
 * The seed's Personalize items columns (upper-case header, Korean category values) through csv-to-cloudsearch,
 * the real CloudSearch SDK clients and the CloudSearch emulator, searched through the items API handler.
 * csv-to-cloudsearch learns the domain's fields from the domain itself (DescribeIndexFields).
 */
const BUCKET = 'octember-bizcard';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

interface ItemsBody {
  found: number;
  items: Record<string, string[]>[];
  facets?: Record<string, { value: string; count: number }[]>;
  message?: string;
}

const s3Event = (key: string) =>
  ({
    Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: BUCKET }, object: { key } } }],
  }) as unknown as S3Event;

async function startDomain(schemaFile?: string) {
  const service = createCloudSearchService({ engine: new SearchEngine(), ...(schemaFile ? { schemaFile } : {}) });
  const server: Server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("the default schema takes the seed's Personalize item columns", () => {
  let domain: Awaited<ReturnType<typeof startDomain>>;
  let catalogue: ReturnType<typeof createCloudSearchCatalogue>;
  let report: IndexReport;
  const items = async (params: Record<string, string>) => {
    const res = await createItemsApi({ catalogue })({ queryStringParameters: params } as never);
    return { status: res.statusCode, body: JSON.parse(res.body) as ItemsBody };
  };
  const ids = (body: ItemsBody) => body.items.map((i) => i.item_id?.[0]).sort();

  beforeAll(async () => {
    domain = await startDomain();
    catalogue = createCloudSearchCatalogue({
      searchEndpoint: domain.endpoint,
      clientConfig: { region: 'us-east-1', credentials },
      domainName: 'octember-items',
    });
    const objects = createMemoryObjectStore();
    await objects.put(BUCKET, 'items/seed.csv', await readFile('fixtures/items/personalize-items.csv'));
    report = (await createCsvToCloudSearch({ objects, catalogue })(s3Event('items/seed.csv'))).reports[0];
  });

  afterAll(async () => {
    catalogue?.destroy();
    await domain?.close();
  });

  it('indexes every row and column, typed', async () => {
    expect(report).toMatchObject({ rows: 8, added: 8, badRows: 0, ignoredColumns: [] });
    const { body } = await items({ fq: "item_id:'i103'" });
    expect(body.items).toEqual([
      expect.objectContaining({
        item_id: ['i103'],
        price: ['45000'],
        rating: ['3.9'],
        category_l1: ['패션잡화'],
        category_l2: ['신발'],
        category_l3: ['운동화'],
        gender: ['F'],
        age: ['22'],
        timestamp: ['2023-11-15T00:13:20Z'],
      }),
    ]);
  });

  it('finds items by a category word with a simple query: GET /v1/items?q=shoes', async () => {
    const { status, body } = await items({ q: 'shoes' });
    expect(status).toBe(200);
    expect(ids(body)).toEqual(['i106']);
  });

  it('finds Korean category words, inside compounds too (_ko_default_: CJK bigrams)', async () => {
    expect(ids((await items({ q: '운동화' })).body)).toEqual(['i102', 'i103']);
    expect(ids((await items({ q: '신발' })).body)).toEqual(['i102', 'i103']);
    expect(ids((await items({ q: '의류' })).body)).toEqual(['i101', 'i108']);
    expect(ids((await items({ q: '"남성운동화"' })).body)).toEqual(['i102']);
    expect(ids((await items({ q: '등산' })).body)).toEqual(['i104']);
    expect(ids((await items({ q: '운동화*' })).body)).toEqual(['i102', 'i103']);
    expect(ids((await items({ q: '원*' })).body)).toEqual(['i101']);
    expect((await items({ q: '가전' })).body.found).toBe(0);
  });

  it('filters by price range and sorts by price and rating', async () => {
    const inRange = await items({ fq: 'price:[30000,90000]', sort: 'price asc' });
    expect(inRange.body.items.map((i) => i.item_id[0])).toEqual(['i106', 'i103', 'i101', 'i108', 'i102']);
    const shoesUnder50k = await items({ q: '신발', fq: 'price:[0,50000]' });
    expect(ids(shoesUnder50k.body)).toEqual(['i103']);
    const byRating = await items({ sort: 'rating desc', size: '2' });
    expect(byRating.body.items.map((i) => i.item_id[0])).toEqual(['i102', 'i108']);
    const ageRange = await items({ fq: "(and age:[30,} gender:'M')" });
    expect(ids(ageRange.body)).toEqual(['i102', 'i104', 'i108']);
  });

  it('facets by the category levels and gender, with Korean values', async () => {
    const { body } = await items({ facet: 'category_l1,gender' });
    expect(body.facets?.category_l1).toEqual([
      { value: '패션잡화', count: 3 },
      { value: '패션의류', count: 2 },
      { value: 'Fashion', count: 1 },
      { value: '뷰티', count: 1 },
      { value: '스포츠', count: 1 },
    ]);
    expect(body.facets?.gender).toEqual([
      { value: 'F', count: 4 },
      { value: 'M', count: 3 },
      { value: 'U', count: 1 },
    ]);
    const shoes = await items({ q: '신발', facet: 'category_l3' });
    expect(shoes.body.facets?.category_l3.map((b) => b.value).sort()).toEqual(['남성운동화', '운동화']);
  });
});

describe("a schema of one's own replaces the default", () => {
  it('indexes the columns it has and lists the others in the report, warned once per object', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octember-schema-'));
    const schemaFile = join(dir, 'shop.json');
    await writeFile(
      schemaFile,
      JSON.stringify({
        DomainName: 'shop-items',
        IndexFields: [
          { IndexFieldName: 'item_id', IndexFieldType: 'literal' },
          { IndexFieldName: 'category_l1', IndexFieldType: 'literal' },
          {
            IndexFieldName: 'all_categories',
            IndexFieldType: 'text-array',
            TextArrayOptions: { SourceFields: 'category_l1', AnalysisScheme: '_ko_default_', ReturnEnabled: false },
          },
          { IndexFieldName: 'price', IndexFieldType: 'int' },
        ],
      }),
    );
    const domain = await startDomain(schemaFile);
    const catalogue = createCloudSearchCatalogue({
      searchEndpoint: domain.endpoint,
      clientConfig: { region: 'us-east-1', credentials },
      domainName: 'shop-items',
    });
    const warn = vi.spyOn(logger, 'warn');
    try {
      const objects = createMemoryObjectStore();
      const rows = Array.from({ length: 50 }, (_, i) => `s${i},${i % 2 ? '가방' : '신발'},${1000 + i},red,M`);
      await objects.put(BUCKET, 'items/shop.csv', ['Item_Id,Category_L1,PRICE,Colour,Size', ...rows].join('\n'));
      const handler = createCsvToCloudSearch({ objects, catalogue });
      const { reports } = await handler(s3Event('items/shop.csv'));
      expect(reports[0]).toMatchObject({ rows: 50, added: 50, badRows: 0, ignoredColumns: ['Colour', 'Size'] });
      const ignoredWarnings = warn.mock.calls.filter(([, message]) => String(message).includes('not indexed'));
      expect(ignoredWarnings).toHaveLength(1);
      expect(ignoredWarnings[0][0]).toMatchObject({ key: 'items/shop.csv', columns: ['Colour', 'Size'] });
      const stored = JSON.parse(
        Buffer.from((await objects.get(BUCKET, 'items-errors/items/shop.csv.json')).body).toString(),
      ) as IndexReport;
      expect(stored.ignoredColumns).toEqual(['Colour', 'Size']);
      const res = await createItemsApi({ catalogue })({ queryStringParameters: { q: '가방', size: '100' } } as never);
      const body = JSON.parse(res.body) as ItemsBody;
      expect(body.found).toBe(25);
      expect(Object.keys(body.items[0]).sort()).toEqual(['category_l1', 'id', 'item_id', 'price']);
    } finally {
      warn.mockRestore();
      catalogue.destroy();
      await domain.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
