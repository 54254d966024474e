import { readFile } from 'node:fs/promises';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../../src/testing/index.js';

/** `octember-kit/testing` as a user's test uses it: an isolated stack, SDK clients, invocations, waitFor, reset. */
let stack: TestStack;

beforeAll(async () => {
  stack = await startStack({ apiKey: 'test-key' });
});

afterAll(async () => {
  await stack?.stop();
});

describe('startStack()', () => {
  it('gives endpoints on free ports, configured clients and the API with its key', async () => {
    expect(stack.target).toBe('embedded');
    expect(stack.endpoints.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(stack.env.AWS_ENDPOINT_URL).toBe(stack.endpoints.aws);
    expect((await stack.request('/status/nothing.jpg')).status).toBe(404);
    expect((await fetch(`${stack.endpoints.api}/status/nothing.jpg`)).status).toBe(403);
    expect(stack.readyMs).toBeGreaterThan(0);
  });

  it('traces a card put with the S3 client through the pipeline, and waitFor finds the invocations', async () => {
    const body = await readFile('../shared/fixtures/bizcards/real/edy_a0653895773.jpg');
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: 'octember-bizcard', Key: 'bizcard-raw-img/edy_a0653895773.jpg', Body: body }),
    );
    const ocr = await stack.waitFor({ function: 'get-text-from-image', outcome: 'success' }, { timeoutMs: 150_000 });
    expect(ocr.partialFailures).toBe(0);
    const search = await stack.waitFor((inv) => inv.function === 'upsert-to-search', { timeoutMs: 60_000 });
    expect(search.source).toBe('kinesis');
    expect(stack.invocations('trigger-text-extract')).toHaveLength(1);
    expect(stack.invocations('trigger-text-extract')[0]).toMatchObject({
      source: 's3',
      invocationType: 'Event',
      outcome: 'success',
    });
    await stack.idle();
    const status = (await (await stack.request('/status/edy_a0653895773.jpg')).json()) as {
      status: string;
      data: { name: string };
    };
    expect(status).toMatchObject({ status: 'END', data: { name: 'Edy Kim' } });
  }, 180_000);

  it('waitFor names what it saw when nothing matches in time', async () => {
    await expect(stack.waitFor({ function: 'items-api' }, { timeoutMs: 50 })).rejects.toThrow(
      /waitFor\(\{"function":"items-api"\}\): no matching invocation within 50 ms; latest: /,
    );
  });

  it('reset() empties the data and the invocations; the stack keeps working', async () => {
    await stack.reset();
    expect(stack.invocations()).toEqual([]);
    const listed = await stack.clients.s3.send(new ListObjectsV2Command({ Bucket: 'octember-bizcard' }));
    expect(listed.KeyCount ?? 0).toBe(0);
    expect((await stack.request('/search?query=Edy')).status).toBe(200);
    const hits = (await (await stack.request('/search?query=Edy')).json()) as unknown[] | { hits?: unknown[] };
    expect(Array.isArray(hits) ? hits : (hits.hits ?? [])).toHaveLength(0);
    const put = await stack.request('/octember-bizcard/items/few.csv', {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: 'item_id,title,description,category,brand,price,stock\ni1,Shoe,Red shoe,shoes,acme,10,1\n',
    });
    expect(put.status).toBe(200);
    await stack.waitFor({ function: 'csv-to-cloudsearch', outcome: 'success' }, { timeoutMs: 60_000 });
  }, 180_000);
});
