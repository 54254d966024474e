import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StackTarget, startStack, type TestStack } from '../../src/testing/index.js';

/**
 * The integration suite, one for every target: both pipelines end to end through the API and the real AWS SDK,
 * the 12 real card photos through OCR to END with their fields. Each target's test file calls `pipelineSuite`.
 */
const REAL = '../shared/fixtures/bizcards/real';

interface Truth {
  file: string;
  owner: string;
  name: string;
  email: string;
  phone: string;
  job_title: string;
}

export function pipelineSuite(target: StackTarget): void {
  let stack: TestStack;
  let truth: Truth[];
  let bucket: string;

  beforeAll(async () => {
    truth = JSON.parse(await readFile(join(REAL, 'truth.json'), 'utf8'));
    stack = await startStack({ target });
    bucket = stack.resources.bucket.name;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  describe(`pipeline 1 on ${target}: business cards`, () => {
    it('rejects API calls without the key', async () => {
      const response = await fetch(`${stack.apiUrl}/status/x.jpg`);
      expect(response.status).toBe(403);
    });

    it('takes each of the 12 real cards to END with its fields and a copy under bizcard-by-user/', async () => {
      const files = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
      expect(files).toHaveLength(12);
      const [viaSdk, ...viaApi] = files;
      // One card through the S3 API directly (as an app using AWS_ENDPOINT_URL would), the rest through the API.
      await stack.clients.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `bizcard-raw-img/${viaSdk}`,
          Body: await readFile(join(REAL, viaSdk)),
          ContentType: 'image/jpeg',
        }),
      );
      for (const file of viaApi) {
        const response = await stack.api(`/${bucket}/bizcard-raw-img/${file}`, {
          method: 'PUT',
          headers: { 'content-type': 'image/jpeg' },
          body: await readFile(join(REAL, file)),
        });
        expect(response.status).toBe(200);
      }
      await stack.idle();

      for (const file of files) {
        const response = await stack.api(`/status/${file}`);
        expect(response.status, file).toBe(200);
        const status = (await response.json()) as Record<string, unknown> & { data: Record<string, unknown> | null };
        const expected = truth.find((t) => t.file === file) as Truth;
        expect(status).toMatchObject({ imageId: file, status: 'END', owner: expected.owner, s3_bucket: bucket });
        expect(status.data?.email, file).toBe(expected.email);
        expect(status.data?.name, file).toBe(expected.name);
        expect(status.data?.job_title, file).toBe(expected.job_title);
        expect(status.data?.phone_number, file).toBe(expected.phone);
      }
      const first = truth.find((t) => t.file === files[0]) as Truth;
      const copy = await stack.clients.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: `bizcard-by-user/${first.owner}/${first.file}` }),
      );
      const copied = Buffer.from(
        await (copy.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
      );
      expect(copied.equals(await readFile(join(REAL, first.file)))).toBe(true);
      expect((await stack.api('/status/nobody_000.jpg')).status).toBe(404);
    }, 300_000);

    it('indexes the cards for search and the graph for people-you-may-know', async () => {
      const search = await stack.api('/search?user=edy&limit=20');
      expect(search.status).toBe(200);
      const hits = (await search.json()) as unknown[];
      expect(hits.length).toBe(truth.filter((t) => t.owner === 'edy').length);

      const pymk = await stack.api('/pymk?user=edy&limit=10');
      expect(pymk.status).toBe(200);
      const suggestions = (await pymk.json()) as { name: string; score: number }[];
      expect(suggestions.length).toBeGreaterThan(0);
      for (const s of suggestions) expect(s.score).toBeGreaterThan(0);
    });
  });

  describe(`pipeline 2 on ${target}: catalogue, events, recommendations`, () => {
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
      const put = await stack.api(`/${bucket}/items/catalogue.csv`, {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      });
      expect(put.status).toBe(200);
      await stack.idle();
      const response = await stack.api('/items?q=shoes&size=10');
      expect(response.status).toBe(200);
      const result = (await response.json()) as { found: number };
      expect(result.found).toBe(2);
      const all = (await (await stack.api('/items?size=50')).json()) as { found: number };
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
      const bad = await stack.api('/events', { method: 'POST', body: JSON.stringify([events[0], { user_id: 'x' }]) });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/event 1/);

      const posted = await stack.api('/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
      expect(posted.status).toBe(202);
      await stack.idle();
      const response = await stack.api('/recommendations?user_id=alice&limit=5');
      expect(response.status).toBe(200);
      const recs = (await response.json()) as { item_id: string; score: number; title?: unknown }[];
      expect(recs.map((r) => r.item_id)).toEqual(expect.arrayContaining(['i3', 'i5']));
      expect(recs.map((r) => r.item_id)).not.toContain('i1');
      expect(recs[0].item_id).toBe('i3');
      expect(recs[0].title).toBeDefined();
    });

    it('delivers the text stream and the events through Firehose (KPL transform) to S3', async () => {
      await stack.flushDeliveryStreams();
      const list = async (Prefix: string) =>
        ((await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix }))).Contents ?? []).map(
          (o) => o.Key as string,
        );
      const text = await list('bizcard-text/');
      expect(text.length).toBeGreaterThan(0);
      expect(text[0]).toMatch(/^bizcard-text\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
      expect((await list('interactions/')).filter((k) => !k.includes('/errors/')).length).toBeGreaterThan(0);
    });
  });
}
