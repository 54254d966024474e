import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudSearchCatalogue } from '../../src/adapters/cloudsearch/catalogue-index.js';
import { createMemoryInteractionGraph } from '../../src/adapters/memory/interaction-graph.js';
import { createMemoryObjectStore } from '../../src/adapters/memory/object-store.js';
import { createPersonalizeRecommender } from '../../src/adapters/personalize/index.js';
import { createCloudSearchService } from '../../src/emulators/cloudsearch/index.js';
import { SearchEngine } from '../../src/emulators/search-engine/index.js';
import { createCsvToCloudSearch } from '../../src/handlers/csv-to-cloudsearch.js';
import { createRecommendationsApi } from '../../src/handlers/recommendations-api.js';
import type { CatalogueIndex } from '../../src/ports/catalogue.js';
import type { Interaction } from '../../src/ports/recommender.js';

const BUCKET = 'octember-bizcard';
const csv = [
  'item_id,title,category,price',
  'a,Kettle,Kitchen,35',
  'b,Teapot,Kitchen,22.5',
  'c,Hose,Garden,18',
  'd,Watering can,Garden,12',
].join('\n');
const get = (params: Record<string, string>) => ({ queryStringParameters: params }) as never;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let server: Server;
let catalogue: ReturnType<typeof createCloudSearchCatalogue>;
const graph = createMemoryInteractionGraph();
const e = (user_id: string, item_id: string, timestamp: number): Interaction => ({
  user_id,
  item_id,
  event_type: 'click',
  timestamp,
});

beforeAll(async () => {
  const service = createCloudSearchService({ engine: new SearchEngine() });
  server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  catalogue = createCloudSearchCatalogue({
    searchEndpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientConfig: { region: 'us-east-1', credentials },
  });
  const objects = createMemoryObjectStore();
  await objects.put(BUCKET, 'items/catalogue.csv', csv);
  await createCsvToCloudSearch({ objects, catalogue })({
    Records: [
      { eventName: 'ObjectCreated:Put', s3: { bucket: { name: BUCKET }, object: { key: 'items/catalogue.csv' } } },
    ],
  } as unknown as S3Event);
  // u1 saw a; u2 saw a, b, c; u3 saw a, c, x (x is not in the catalogue)
  await graph.recordInteractions([
    e('u1', 'a', 1),
    e('u2', 'a', 2),
    e('u2', 'b', 3),
    e('u2', 'c', 4),
    e('u3', 'a', 5),
    e('u3', 'c', 6),
    e('u3', 'x', 7),
  ]);
});

afterAll(async () => {
  catalogue?.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

describe('recommendations-api (GET /v1/recommendations)', () => {
  it('answers best first, enriched with catalogue fields', async () => {
    const res = await createRecommendationsApi({ recommender: graph, catalogue })(get({ user_id: 'u1', limit: '5' }));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as Record<string, unknown>[];
    expect(body.map((r) => [r.item_id, r.score])).toEqual([
      ['c', 2],
      ['b', 1],
      ['x', 1],
    ]);
    expect(body[0]).toMatchObject({ title: 'Hose', category: 'Garden' });
    expect(body[1]).toMatchObject({ title: 'Teapot' });
    expect(Object.keys(body[2]).sort()).toEqual(['item_id', 'score']);
    expect(body[0]).not.toHaveProperty('source_key');
  });

  it('validates its parameters and answers [] for an unknown user', async () => {
    const api = createRecommendationsApi({ recommender: graph, catalogue });
    expect((await api(get({}))).statusCode).toBe(400);
    expect((await api(get({ user_id: 'u1', limit: '0' }))).statusCode).toBe(400);
    expect((await api(get({ user_id: 'u1', limit: 'x' }))).statusCode).toBe(400);
    const unknown = await api(get({ user_id: 'ghost' }));
    expect(JSON.parse(unknown.body)).toEqual([]);
    const one = await api(get({ user_id: 'u1', limit: '1' }));
    expect(JSON.parse(one.body).map((r: { item_id: string }) => r.item_id)).toEqual(['c']);
  });

  it('still answers when the catalogue cannot be searched', async () => {
    const broken: CatalogueIndex = {
      uploadDocuments: async () => ({ adds: 0, deletes: 0, warnings: [] }),
      search: async () => {
        throw new Error('domain unavailable');
      },
    };
    const res = await createRecommendationsApi({ recommender: graph, catalogue: broken })(get({ user_id: 'u1' }));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual([
      { item_id: 'c', score: 2 },
      { item_id: 'b', score: 1 },
      { item_id: 'x', score: 1 },
    ]);
  });
});

describe('Personalize recommender (GetRecommendations over the SDK)', () => {
  it('sends the campaign ARN, user and limit and maps the item list', async () => {
    const requests: { url?: string; body: Record<string, unknown> }[] = [];
    const fake = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      requests.push({ url: req.url, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          itemList: [
            { itemId: 'b', score: 0.7 },
            { itemId: 'd', score: 0.2 },
          ],
          recommendationId: 'RID',
        }),
      );
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const campaignArn = 'arn:aws:personalize:us-east-1:123456789012:campaign/octember';
    const recommender = createPersonalizeRecommender({
      campaignArn,
      clientConfig: {
        endpoint: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
        region: 'us-east-1',
        credentials,
      },
    });
    try {
      const res = await createRecommendationsApi({ recommender, catalogue })(get({ user_id: 'u9', limit: '2' }));
      expect(requests[0].url).toBe('/recommendations');
      expect(requests[0].body).toMatchObject({ campaignArn, userId: 'u9', numResults: 2 });
      const body = JSON.parse(res.body);
      expect(body.map((r: { item_id: string; score: number }) => [r.item_id, r.score])).toEqual([
        ['b', 0.7],
        ['d', 0.2],
      ]);
      expect(body[1]).toMatchObject({ title: 'Watering can' });
    } finally {
      recommender.destroy();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });
});
