import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET } from '../../src/domain/names.js';
import type { StackUnderTest } from '../../src/targets/containers-stack.js';

/**
 * Both pipelines end to end against one running target, through its API and its S3 endpoint only: the suite every
 * target runs (embedded, bundled, containers over `octember emulate`, containers over Docker), written against
 * the small `StackUnderTest` interface.
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

/** Retries an assertion until it passes or the time is up (deliveries that a target buffers). */
async function eventually(assertion: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export function pipelineSuite(name: string, start: () => Promise<StackUnderTest>): void {
  describe(`both pipelines on the ${name} target`, () => {
    let stack: StackUnderTest;
    let truth: Truth[];
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${stack.apiUrl}${path}`, {
        ...init,
        headers: { 'x-api-key': stack.apiKey, ...(init.headers as Record<string, string>) },
      });

    beforeAll(async () => {
      truth = JSON.parse(await readFile(join(REAL, 'truth.json'), 'utf8'));
      stack = await start();
    }, 180_000);

    afterAll(async () => {
      await stack?.close();
    }, 60_000);

    it('rejects API calls without the key', async () => {
      expect((await fetch(`${stack.apiUrl}/v1/status/x.jpg`)).status).toBe(403);
    });

    it('takes each of the 12 real cards to END with its fields', async () => {
      const files = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
      expect(files).toHaveLength(12);
      const [viaSdk, ...viaApi] = files;
      // One card through the S3 API directly (as an app using AWS_ENDPOINT_URL would), the rest through the API.
      await stack.s3.send(
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
        const expected = truth.find((t) => t.file === file) as Truth;
        expect(status).toMatchObject({ imageId: file, status: 'END', owner: expected.owner, s3_bucket: BUCKET });
        expect(status.data?.email).toBe(expected.email);
        expect(status.data?.name).toBe(expected.name);
        expect(status.data?.job_title).toBe(expected.job_title);
        expect(status.data?.phone_number).toBe(expected.phone);
      }
      expect((await api('/v1/status/nobody_000.jpg')).status).toBe(404);
    }, 180_000);

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

    it('indexes a CSV put under items/ and searches it; a bad row is reported, the good rows kept', async () => {
      const csv = [
        '\ufeffitem_id,title,description,category,brand,price,stock',
        'i1,"Trail running shoes","Light shoes, for ""mud"" and rock",shoes,acme,89.5,3',
        'i2,Road running shoes,Cushioned road shoes,shoes,acme,120,10',
        'i3,Rain jacket,Waterproof jacket,apparel,northwind,150,2',
        'i4,broken row with too few fields',
        'i5,Wool socks,Warm socks,apparel,acme,12,40',
        '',
      ].join('\r\n');
      const put = await api(`/v1/${BUCKET}/items/catalogue.csv`, {
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        body: csv,
      });
      expect(put.status).toBe(200);
      await stack.idle();
      const response = await api('/v1/items?q=shoes&size=10');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { found: number }).found).toBe(2);
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

    it('delivers the text stream and the events (through the kpl-deaggregate transform) to S3', async () => {
      await stack.flushDeliveries();
      const list = async (prefix: string) => {
        const keys: string[] = [];
        for await (const o of stack.objects.list(BUCKET, prefix)) keys.push(o.key);
        return keys;
      };
      await eventually(async () => {
        const text = await list('bizcard-text/');
        expect(text.length).toBeGreaterThan(0);
        expect(text[0]).toMatch(/^bizcard-text\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
        const interactions = (await list('interactions/')).filter((k) => !k.startsWith('interactions/errors/'));
        expect(interactions.length).toBeGreaterThan(0);
      });
      expect(await list('interactions/errors/')).toEqual([]);
    }, 60_000);
  });
}
