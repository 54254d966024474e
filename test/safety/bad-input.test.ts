import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EmbeddedStack } from '../../src/targets/embedded.js';
import { rawRequest } from './support/http.js';
import { filesWhenThere, useEmbeddedStack } from './support/stack.js';

/**
 * The bad-input catalogue of the upload route, on a running embedded stack: each case gets a 4xx naming what is
 * wrong (never a 5xx), writes nothing, and a card that passes the route but cannot be read ends FAILED with the
 * reason, in the failure destination after its retries, never retried forever.
 */
const API_KEY = 'bad-input-key';
const REAL = '../shared/fixtures/bizcards/real';
const ctx = useEmbeddedStack('bad-input', API_KEY);
let stack: EmbeddedStack;
let dataDir: string;
let card: Buffer;

beforeAll(async () => {
  ({ stack, dataDir } = ctx);
  card = await readFile(join(REAL, (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort()[0]));
});

const put = (rawPath: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  rawRequest(`${stack.api.url}/v1/${rawPath}`, {
    method: 'PUT',
    headers: { 'x-api-key': API_KEY, 'content-type': 'image/jpeg', ...headers },
    body,
  });

async function keysUnder(prefix: string): Promise<string[]> {
  const out = await stack.adapters.clients.s3.send(
    new ListObjectsV2Command({ Bucket: 'octember-bizcard', Prefix: prefix }),
  );
  return (out.Contents ?? []).map((o) => o.Key as string);
}

async function statusOf(imageId: string): Promise<{ status: string; error?: string } | undefined> {
  const res = await fetch(`${stack.api.url}/v1/status/${encodeURIComponent(imageId)}`, {
    headers: { 'x-api-key': API_KEY },
  });
  return res.status === 200 ? ((await res.json()) as { status: string; error?: string }) : undefined;
}

async function waitForStatus(imageId: string, wanted: string, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await statusOf(imageId);
    if (s?.status === wanted || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const REJECTED: { name: string; path: string; body?: Buffer | string; status: number; message: RegExp }[] = [
  {
    name: 'a 1 100-character key',
    path: `octember-bizcard/bizcard-raw-img/u1_${'k'.repeat(1100)}.jpg`,
    status: 400,
    message: /object key is \d+ bytes long; S3 allows 1024/,
  },
  {
    name: 'an encoded ../ out of the upload prefix',
    path: 'octember-bizcard/bizcard-raw-img%2F..%2Fitems-manifests%2Fx.jpg',
    status: 400,
    message: /must not contain '\.' or '\.\.' path segments/,
  },
  {
    name: 'an encoded ../ as its own segment',
    path: 'octember-bizcard/bizcard-raw-img/%2e%2e/items-manifests/x.csv',
    status: 403,
    message: /under bizcard-raw-img\/, items\/ only/,
  },
  {
    name: 'an invalid bucket name',
    path: 'Bad_Bucket!/bizcard-raw-img/u1_a.jpg',
    status: 400,
    message: /bucket name 'Bad_Bucket!' is not valid/,
  },
  {
    name: 'another bucket',
    path: 'someone-elses-bucket/bizcard-raw-img/u1_a.jpg',
    status: 403,
    message: /uploads go to bucket octember-bizcard/,
  },
  {
    name: "a key under the pipeline's own prefix (items-manifests/)",
    path: 'octember-bizcard/items-manifests/items/x.csv.json',
    status: 403,
    message: /uploads are accepted under bizcard-raw-img\/, items\/ only/,
  },
  {
    name: 'a control character in the key',
    path: 'octember-bizcard/bizcard-raw-img/u1_a%01b.jpg',
    status: 400,
    message: /control characters/,
  },
  {
    name: 'a card image name the trigger would ignore (.gif)',
    path: 'octember-bizcard/bizcard-raw-img/u1_a.gif',
    status: 400,
    message: /need a \.jpg, \.jpeg or \.png name/,
  },
  {
    name: 'a zero-byte upload',
    path: 'octember-bizcard/bizcard-raw-img/u1_empty.jpg',
    body: '',
    status: 400,
    message: /request body is empty/,
  },
  {
    name: 'a non-image under the image prefix',
    path: 'octember-bizcard/bizcard-raw-img/u1_text.jpg',
    body: 'this is not a photo',
    status: 415,
    message: /must be a JPEG or PNG/,
  },
  {
    name: 'a truncated JPEG',
    path: 'octember-bizcard/bizcard-raw-img/u1_half.jpg',
    status: 400,
    message: /truncated or damaged \(no end-of-image marker\)/,
  },
];

describe('the upload route refuses bad input with a clear 4xx and writes nothing', () => {
  for (const c of REJECTED) {
    it(c.name, async () => {
      const body = c.body ?? (c.name.includes('truncated') ? card.subarray(0, card.length / 2) : card);
      const res = await put(c.path, body);
      expect(res.status).toBe(c.status);
      expect(JSON.parse(res.body).message).toMatch(c.message);
    });
  }

  it('an oversize upload (over API Gateway 10 MB) gets 413', async () => {
    const res = await put('octember-bizcard/bizcard-raw-img/u1_big.jpg', Buffer.alloc(10 * 1024 * 1024 + 1));
    expect(res.status).toBe(413);
    expect(res.body).toContain('Request Too Long');
  });

  it('a missing or wrong API key gets 403', async () => {
    const wrong = await rawRequest(`${stack.api.url}/v1/status/x.jpg`, { headers: { 'x-api-key': 'local-dev-kez' } });
    const none = await rawRequest(`${stack.api.url}/v1/status/x.jpg`);
    expect([wrong.status, none.status]).toEqual([403, 403]);
  });

  it('left no object behind', async () => {
    await stack.idle();
    expect(await keysUnder('items-manifests/')).toEqual([]);
    expect(await keysUnder('bizcard-raw-img/')).toEqual([]);
  });
});

describe('keys with spaces, +, unicode go through to END', () => {
  it('u1_my card.jpg, u1_a+b.jpg, u1_명함 ü.jpg', async () => {
    const ids = ['u1_my card.jpg', 'u1_a+b.jpg', 'u1_명함 ü.jpg'];
    for (const id of ids) {
      const res = await put(`octember-bizcard/bizcard-raw-img/${encodeURIComponent(id)}`, card);
      expect(res.status, id).toBe(200);
    }
    for (const id of ids) expect((await waitForStatus(id, 'END'))?.status, id).toBe('END');
    expect((await keysUnder('bizcard-by-user/u1/')).sort()).toEqual(ids.map((id) => `bizcard-by-user/u1/${id}`).sort());
  }, 120_000);
});

describe('a card that passes the route but cannot be read', () => {
  it('ends FAILED with the reason and lands in the failure destination after its retries', async () => {
    // a whole JPEG (start, frame header, scan, end marker) whose scan data is garbage
    const broken = Buffer.from(
      'ffd8ffc0000b080040004001011100ffda000801010000003f00deadbeefcafebabe0badf00dffd9',
      'hex',
    );
    const res = await put('octember-bizcard/bizcard-raw-img/u2_broken.jpg', broken);
    expect(res.status).toBe(200);
    const failed = await waitForStatus('u2_broken.jpg', 'FAILED');
    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toMatch(/unsupported document format/i);
    const failures = join(dataDir, 'failures', 'get-text-from-image');
    const files = await filesWhenThere(failures, 60_000);
    expect(files).toHaveLength(1);
    const record = JSON.parse(await readFile(join(failures, files[0]), 'utf8'));
    expect(record.requestContext.condition).toBe('RetryAttemptsExhausted');
    expect(Buffer.from(record.records[0].kinesis.data, 'base64').toString()).toContain('u2_broken.jpg');
    await stack.idle();
    expect((await statusOf('u2_broken.jpg'))?.status).toBe('FAILED'); // and nothing retries it any more
  }, 120_000);
});
