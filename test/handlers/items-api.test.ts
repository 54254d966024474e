import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudSearchCatalogue } from '../../src/adapters/cloudsearch/catalogue-index.js';
import { createMemoryObjectStore } from '../../src/adapters/memory/object-store.js';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { createCsvToCloudSearch } from '../../src/handlers/csv-to-cloudsearch.js';
import { createItemsApi } from '../../src/handlers/items-api.js';

const BUCKET = 'octember-bizcard';
const ROWS = [
  ['item_id', 'title', 'category', 'price', 'tags'],
  ['k1', 'Cast iron kettle', 'Kitchen', '35', 'iron|tea'],
  ['k2', 'Glass teapot', 'Kitchen', '22.5', 'tea|glass'],
  ['g1', 'Garden hose', 'Garden', '18', 'water'],
  ['g2', 'Watering can', 'Garden', '12', 'water|tin'],
  ['o1', 'Tea towel', 'Kitchen', '5', 'tea|cotton'],
];
const csv = ROWS.map((r) => r.join(',')).join('\r\n');

let server: Server;
let catalogue: ReturnType<typeof createCloudSearchCatalogue>;
const objects = createMemoryObjectStore();

const s3Event = (eventName: string, key: string) =>
  ({ Records: [{ eventName, s3: { bucket: { name: BUCKET }, object: { key } } }] }) as unknown as S3Event;
const get = (params: Record<string, string>) => ({ queryStringParameters: params }) as never;

beforeAll(async () => {
  const service = createCloudSearchService({ engine: new SearchEngine() });
  server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  catalogue = createCloudSearchCatalogue({
    searchEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientConfig: { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  });
  await objects.put(BUCKET, 'items/kitchen.csv', csv);
  await createCsvToCloudSearch({ objects, catalogue })(s3Event('ObjectCreated:Put', 'items/kitchen.csv'));
});

afterAll(async () => {
  catalogue?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('items-api over the CloudSearch emulator', () => {
  const api = () => createItemsApi({ catalogue });

  it('searches items indexed from a CSV', async () => {
    const res = await api()(get({ q: 'tea' }));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as { found: number; items: { item_id: string[] }[] };
    const expected = ROWS.slice(1).filter((r) => r[1].toLowerCase().split(' ').includes('tea'));
    expect(body.found).toBe(expected.length);
    expect(body.items.map((i) => i.item_id[0]).sort()).toEqual(expected.map((r) => r[0]).sort());
  });

  it('filters with fq, sizes, sorts and facets', async () => {
    const res = await api()(get({ fq: "category:'Kitchen'", sort: 'price asc', size: '2', facet: 'category' }));
    const body = JSON.parse(res.body) as {
      found: number;
      items: { item_id: string[] }[];
      facets: Record<string, { value: string; count: number }[]>;
    };
    const kitchen = ROWS.slice(1)
      .filter((r) => r[2] === 'Kitchen')
      .sort((a, b) => Number(a[3]) - Number(b[3]));
    expect(body.found).toBe(kitchen.length);
    expect(body.items.map((i) => i.item_id[0])).toEqual(kitchen.slice(0, 2).map((r) => r[0]));
    expect(body.facets.category).toEqual([{ value: 'Kitchen', count: kitchen.length }]);
  });

  it('answers 400 for a query the service refuses and for a bad size', async () => {
    const bad = await api()(get({ q: '(and', parser: 'structured' }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).message).toMatch(/Syntax error/);
    expect((await api()(get({ q: 'tea', size: '-1' }))).statusCode).toBe(400);
  });

  it('removing the CSV removes its items', async () => {
    await objects.delete(BUCKET, 'items/kitchen.csv');
    await createCsvToCloudSearch({ objects, catalogue })(s3Event('ObjectRemoved:Delete', 'items/kitchen.csv'));
    const body = JSON.parse((await api()(get({}))).body) as { found: number };
    expect(body.found).toBe(0);
  });
});
