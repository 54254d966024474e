import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStack } from '../../src/testing/index.js';
import { sharedPath } from '../support/shared.js';

/**
 * The integration suite, one for every target: both pipelines end to end through the API and the real AWS SDK,
 * the 12 real card photos through OCR to END with their fields. Each target's test file calls `pipelineSuite`
 * (test/integration/<target>.test.ts); a deployed aws stack runs its smoke subset.
 */
const REAL = sharedPath('fixtures', 'bizcards', 'real');

/** What the suite drives: a local stack (`startStack`), or a deployed one through its API and S3 only. */
export type SuiteStack = Pick<
  TestStack,
  'endpoints' | 'request' | 'clients' | 'resources' | 'idle' | 'flushDeliveryStreams' | 'stop'
>;

export interface SuiteOptions {
  /**
   * The smoke subset, for a deployed stack that holds other data and delivers in its own time: one card, answers
   * checked for their shape rather than exact counts, state waited for rather than `idle()`. Default false.
   */
  smoke?: boolean;
  /** How long state may take to show up after `idle()` (default 30 s; a deployed stack needs minutes). */
  eventuallyMs?: number;
}

interface Truth {
  file: string;
  owner: string;
  name: string;
  email: string;
  phone: string;
  job_title: string;
}

/** Retries an assertion until it passes or the time is up. */
async function eventually(assertion: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

// The whole 12-card flow (OCR of every photo) on a loaded 2-core machine: minutes, not seconds.
const CARDS_TIMEOUT_MS = 600_000;

export function pipelineSuite(name: string, start: () => Promise<SuiteStack>, options: SuiteOptions = {}): void {
  const smoke = options.smoke ?? false;
  const waitMs = options.eventuallyMs ?? 30_000;
  /** Declared for every target; `smoke` tests also for a deployed stack. */
  const test = (title: string, fn: () => Promise<void>, timeout: number, subset: 'smoke' | 'full' = 'full') => {
    if (!smoke || subset === 'smoke') it(title, fn, Math.max(timeout, waitMs + 60_000));
  };
  let stack: SuiteStack;
  let truth: Truth[];
  let bucket: string;

  beforeAll(async () => {
    truth = JSON.parse(await readFile(join(REAL, 'truth.json'), 'utf8'));
    stack = await start();
    bucket = stack.resources.bucket.name;
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  describe(`pipeline 1 on ${name}: business cards`, () => {
    test(
      'rejects API calls without the key',
      async () => {
        expect((await fetch(`${stack.endpoints.api}/status/x.jpg`)).status).toBe(403);
      },
      30_000,
      'smoke',
    );

    test(
      `takes ${smoke ? 'a real card' : 'each of the 12 real cards'} to END with its fields and a copy under bizcard-by-user/`,
      async () => {
        const all = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
        expect(all).toHaveLength(12);
        const files = smoke ? all.slice(0, 1) : all;
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
          const response = await stack.request(`/${bucket}/bizcard-raw-img/${file}`, {
            method: 'PUT',
            headers: { 'content-type': 'image/jpeg' },
            body: await readFile(join(REAL, file)),
          });
          expect(response.status).toBe(200);
        }
        await stack.idle();

        for (const file of files) {
          const expected = truth.find((t) => t.file === file) as Truth;
          await eventually(async () => {
            const response = await stack.request(`/status/${file}`);
            expect(response.status, file).toBe(200);
            const status = (await response.json()) as Record<string, unknown> & {
              data: Record<string, unknown> | null;
            };
            expect(status).toMatchObject({ imageId: file, status: 'END', owner: expected.owner, s3_bucket: bucket });
            expect(status.data?.email, file).toBe(expected.email);
            expect(status.data?.name, file).toBe(expected.name);
            expect(status.data?.job_title, file).toBe(expected.job_title);
            expect(status.data?.phone_number, file).toBe(expected.phone);
          }, waitMs);
        }
        const first = truth.find((t) => t.file === files[0]) as Truth;
        const copy = await stack.clients.s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: `bizcard-by-user/${first.owner}/${first.file}` }),
        );
        const copied = Buffer.from(
          await (copy.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
        );
        expect(copied.equals(await readFile(join(REAL, first.file)))).toBe(true);
        expect((await stack.request('/status/nobody_000.jpg')).status).toBe(404);
      },
      CARDS_TIMEOUT_MS,
      'smoke',
    );

    test(
      'indexes the cards for search and the graph for people-you-may-know',
      async () => {
        const edyCards = smoke ? 1 : truth.filter((t) => t.owner === 'edy').length;
        await eventually(async () => {
          const search = await stack.request('/search?user=edy&limit=20');
          expect(search.status).toBe(200);
          const hits = (await search.json()) as unknown[];
          // A deployed stack may hold earlier cards of edy's: at least this run's.
          if (smoke) expect(hits.length).toBeGreaterThanOrEqual(edyCards);
          else expect(hits.length).toBe(edyCards);
        }, waitMs);
        const pymk = await stack.request('/pymk?user=edy&limit=10');
        expect(pymk.status).toBe(200);
        const suggestions = (await pymk.json()) as { name: string; score: number }[];
        if (!smoke) expect(suggestions.length).toBeGreaterThan(0);
        for (const s of suggestions) expect(s.score).toBeGreaterThan(0);
      },
      60_000,
      'smoke',
    );
  });

  describe(`pipeline 2 on ${name}: catalogue, events, recommendations`, () => {
    const csv = [
      '\ufeffitem_id,title,description,category,brand,price,stock',
      'i1,"Trail running shoes","Light shoes, for ""mud"" and rock",shoes,acme,89.5,3',
      'i2,Road running shoes,Cushioned road shoes,shoes,acme,120,10',
      'i3,Rain jacket,Waterproof jacket,apparel,northwind,150,2',
      'i4,broken row with too few fields',
      'i5,Wool socks,Warm socks,apparel,acme,12,40',
      '',
    ].join('\r\n');

    test(
      'indexes a CSV put under items/ and searches it; a bad row is reported, the good rows kept',
      async () => {
        const put = await stack.request(`/${bucket}/items/catalogue.csv`, {
          method: 'PUT',
          headers: { 'content-type': 'text/csv' },
          body: csv,
        });
        expect(put.status).toBe(200);
        await stack.idle();
        await eventually(async () => {
          const response = await stack.request('/items?q=shoes&size=10');
          expect(response.status).toBe(200);
          const result = (await response.json()) as { found: number };
          if (smoke) expect(result.found).toBeGreaterThanOrEqual(2);
          else expect(result.found).toBe(2);
        }, waitMs);
        if (smoke) return;
        const all = (await (await stack.request('/items?size=50')).json()) as { found: number };
        expect(all.found).toBe(4);
      },
      60_000,
      'smoke',
    );

    test(
      'turns events into recommendations enriched from the catalogue',
      async () => {
        const events = [
          ['alice', 'i1'],
          ['alice', 'i2'],
          ['bob', 'i1'],
          ['bob', 'i3'],
          ['carol', 'i2'],
          ['carol', 'i3'],
          ['carol', 'i5'],
        ].map(([user_id, item_id], i) => ({ user_id, item_id, event_type: 'click', timestamp: 1_700_000_000 + i }));
        const bad = await stack.request('/events', {
          method: 'POST',
          body: JSON.stringify([events[0], { user_id: 'x' }]),
        });
        expect(bad.status).toBe(400);
        expect(((await bad.json()) as { message: string }).message).toMatch(/event 1/);

        const posted = await stack.request('/events', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(events),
        });
        expect(posted.status).toBe(202);
        await stack.idle();
        const response = await stack.request('/recommendations?user_id=alice&limit=5');
        expect(response.status).toBe(200);
        // Personalize (aws, when configured) learns in its own time: the smoke subset checks the answer's shape.
        if (smoke) return;
        const recs = (await response.json()) as { item_id: string; score: number; title?: unknown }[];
        expect(recs.map((r) => r.item_id)).toEqual(expect.arrayContaining(['i3', 'i5']));
        expect(recs.map((r) => r.item_id)).not.toContain('i1');
        expect(recs[0].item_id).toBe('i3');
        expect(recs[0].title).toBeDefined();
      },
      60_000,
      'smoke',
    );

    test('delivers the text stream and the events (through the kpl-deaggregate transform) to S3', async () => {
      await stack.flushDeliveryStreams();
      const list = async (Prefix: string) =>
        ((await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix }))).Contents ?? []).map(
          (o) => o.Key as string,
        );
      await eventually(async () => {
        const text = await list('bizcard-text/');
        expect(text.length).toBeGreaterThan(0);
        expect(text[0]).toMatch(/^bizcard-text\/\d{4}\/\d{2}\/\d{2}\/\d{2}\//);
        const interactions = (await list('interactions/')).filter((k) => !k.startsWith('interactions/errors/'));
        expect(interactions.length).toBeGreaterThan(0);
      }, waitMs);
      expect(await list('interactions/errors/')).toEqual([]);
    }, 60_000);
  });
}
