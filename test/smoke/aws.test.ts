import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

/**
 * The smoke subset of the integration suite against a deployed aws target (`npm run smoke -- --target aws` sets
 * the variables from the stack outputs): the key is required, one real card reaches END with its fields, search,
 * PYMK, the catalogue, events and recommendations answer.
 */
const url = process.env.OCTEMBER_SMOKE_API_URL;
const key = process.env.OCTEMBER_SMOKE_API_KEY ?? '';
const bucket = process.env.OCTEMBER_SMOKE_BUCKET ?? 'octember-bizcard';
const CARD = 'edy_a0653895773.jpg';

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, { ...init, headers: { 'x-api-key': key, ...(init.headers as Record<string, string>) } });

describe.skipIf(!url)(
  `aws smoke${url ? '' : ' (skipped: no deployed stack given; run npm run smoke -- --target aws with AWS credentials)'}`,
  () => {
    it('refuses a request without the API key', async () => {
      expect((await fetch(`${url}/status/${CARD}`)).status).toBe(403);
    });

    it('takes a real card to END with its fields, then finds it in search and PYMK', async () => {
      const truth = (
        JSON.parse(await readFile('../shared/fixtures/bizcards/real/truth.json', 'utf8')) as {
          file: string;
          email: string;
          name: string;
        }[]
      ).find((t) => t.file === CARD);
      const put = await api(`/${bucket}/bizcard-raw-img/${CARD}`, {
        method: 'PUT',
        headers: { 'content-type': 'image/jpeg' },
        body: await readFile(`../shared/fixtures/bizcards/real/${CARD}`),
      });
      expect(put.status).toBe(200);
      let status: { status?: string; data?: { email?: string; name?: string } } = {};
      for (let attempt = 0; attempt < 60 && status.status !== 'END'; attempt++) {
        await sleep(5000);
        const response = await api(`/status/${CARD}`);
        if (response.status === 200) status = (await response.json()) as typeof status;
      }
      expect(status.status).toBe('END');
      expect(status.data?.email).toBe(truth?.email);
      expect((await api('/search?user=edy&limit=5')).status).toBe(200);
      expect((await api('/pymk?user=edy&limit=5')).status).toBe(200);
    }, 360_000);

    it('answers the catalogue, accepts events and recommends', async () => {
      expect((await api('/items?q=shoes&size=5')).status).toBe(200);
      const events = await api('/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          { user_id: 'smoke', item_id: 'i1', event_type: 'click', timestamp: Math.floor(Date.now() / 1000) },
        ]),
      });
      expect(events.status).toBe(202);
      expect((await api('/recommendations?user_id=smoke&limit=5')).status).toBe(200);
    });
  },
);
