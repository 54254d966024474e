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

describe('card ingest on the embedded target', () => {
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
      expect(String(status.data?.name).toLowerCase()).toBe(expected.name.toLowerCase());
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
