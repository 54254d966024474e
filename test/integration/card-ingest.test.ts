import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET } from '../../src/domain/names.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../src/targets/embedded.js';

/**
 * The card-ingest half of pipeline 1, in-process on the embedded target: every service is an emulator on a free
 * port, every hop goes through the real AWS SDK v3 clients, OCR is the real local Textract emulator.
 */
const REAL = '../shared/fixtures/bizcards/real';
const API_KEY = 'integration-key';

interface Truth {
  file: string;
  owner: string;
  name: string;
  email: string;
  phone: string;
  job_title: string;
}

let stack: EmbeddedStack;
let dataDir: string;
let truth: Truth[];

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${stack.api.url}${path}`, {
    ...init,
    headers: { 'x-api-key': API_KEY, ...(init.headers as Record<string, string>) },
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-it-'));
  truth = JSON.parse(await readFile(join(REAL, 'truth.json'), 'utf8'));
  stack = await startEmbeddedStack({
    dataDir,
    apiKey: API_KEY,
    apiPort: 0,
    edgePort: 0,
    ports: { opensearch: 0, gremlin: 0, redis: 0 },
  });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('pipeline 1 on the embedded target: business cards', () => {
  it('rejects API calls without the key', async () => {
    const response = await fetch(`${stack.api.url}/v1/status/x.jpg`);
    expect(response.status).toBe(403);
  });

  it('takes each of the 12 real cards to END with its fields', async () => {
    const files = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
    expect(files).toHaveLength(12);
    const [viaSdk, ...viaApi] = files;
    // One card through the S3 API directly (as an app using AWS_ENDPOINT_URL would), the rest through API Gateway.
    await stack.adapters.clients.s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `bizcard-raw-img/${viaSdk}`,
        Body: await readFile(join(REAL, viaSdk)),
        ContentType: 'image/jpeg',
      }),
    );
    for (const file of viaApi) {
      const response = await api(`/v1/${BUCKET}/bizcard-raw-img/${file}`, {
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg' },
        body: await readFile(join(REAL, file)),
      });
      expect(response.status).toBe(200);
    }
    await stack.idle();

    for (const file of files) {
      const response = await api(`/v1/status/${file}`);
      expect(response.status).toBe(200);
      const status = (await response.json()) as Record<string, unknown> & { data: Record<string, unknown> | null };
      const expected = truth.find((t) => t.file === file)!;
      expect(status).toMatchObject({ imageId: file, status: 'END', owner: expected.owner, s3_bucket: BUCKET });
      expect(status.data?.email).toBe(expected.email);
      expect(status.data?.name).toBe(expected.name);
      expect(status.data?.job_title).toBe(expected.job_title);
      expect(status.data?.phone_number).toBe(expected.phone);
    }
    expect((await api('/v1/status/nobody_000.jpg')).status).toBe(404);
  });

  it('indexes the cards for search and the graph for people-you-may-know', async () => {
    const search = await api('/v1/search?user=edy&limit=20');
    expect(search.status).toBe(200);
    const hits = (await search.json()) as unknown[];
    expect(hits.length).toBe(truth.filter((t) => t.owner === 'edy').length);

    const pymk = await api('/v1/pymk?user=edy&limit=10');
    expect(pymk.status).toBe(200);
    const suggestions = (await pymk.json()) as { name: string; score: number }[];
    expect(suggestions.length).toBeGreaterThan(0);
    for (const s of suggestions) expect(s.score).toBeGreaterThan(0);
  });
});

describe('pipeline 2 on the embedded target: catalogue, events, recommendations', () => {
  const csv = [
    '\ufeffitem_id,title,description,category,brand,price,stock',
    'i1,"Trail running shoes","Light shoes, for ""mud"" and rock",shoes,acme,89.5,3',
    'i2,Road running shoes,Cushioned road shoes,shoes,acme,120,10',
    'i3,Rain jacket,Waterproof jacket,apparel,northwind,150,2',
    'i4,broken row with too few fields',
    'i5,Wool socks,Warm socks,apparel,acme,12,40',
    '',
  ].join('\r\n');

  it('indexes a CSV put under items/ and searches it; a bad row is reported, the good rows kept', async () => {
    const put = await api(`/v1/${BUCKET}/items/catalogue.csv`, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(put.status).toBe(200);
    await stack.idle();
    const response = await api('/v1/items?q=shoes&size=10');
    expect(response.status).toBe(200);
    const result = (await response.json()) as { found: number; items: { item_id: string[] | string }[] };
    expect(result.found).toBe(2);
    const all = (await (await api('/v1/items?size=50')).json()) as { found: number };
    expect(all.found).toBe(4);
  });

  it('turns events into recommendations enriched from the catalogue', async () => {
    const events = [
      ['alice', 'i1'],
      ['alice', 'i2'],
      ['bob', 'i1'],
      ['bob', 'i3'],
      ['carol', 'i2'],
      ['carol', 'i3'],
      ['carol', 'i5'],
    ].map(([user_id, item_id], i) => ({ user_id, item_id, event_type: 'click', timestamp: 1_700_000_000 + i }));
    const bad = await api('/v1/events', { method: 'POST', body: JSON.stringify([events[0], { user_id: 'x' }]) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/event 1/);

    const posted = await api('/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(posted.status).toBe(202);
    await stack.idle();
    const response = await api('/v1/recommendations?user_id=alice&limit=5');
    expect(response.status).toBe(200);
    const recs = (await response.json()) as { item_id: string; score: number; title?: unknown }[];
    expect(recs.map((r) => r.item_id)).toEqual(expect.arrayContaining(['i3', 'i5']));
    expect(recs.map((r) => r.item_id)).not.toContain('i1');
    expect(recs[0].item_id).toBe('i3');
    expect(recs[0].title).toBeDefined();
  });

  it('delivers the text stream and the events through Firehose to S3', async () => {
    await stack.services.firehose?.flush();
    const keys: string[] = [];
    for await (const o of stack.adapters.objects.list(BUCKET, 'bizcard-text/')) keys.push(o.key);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatch(/^bizcard-text\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
    const interactions: string[] = [];
    for await (const o of stack.adapters.objects.list(BUCKET, 'interactions/')) interactions.push(o.key);
    expect(interactions.length).toBeGreaterThan(0);
  });
});
