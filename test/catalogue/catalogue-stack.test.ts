import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSearchClient, DescribeIndexFieldsCommand } from '@aws-sdk/client-cloudsearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET } from '../../src/domain/names.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../src/targets/embedded.js';

/**
 * The item catalogue on the embedded target, driven over HTTP as a user drives `octember dev`: the seed's
 * Personalize items CSV put through API Gateway, indexed by csv-to-cloudsearch from the S3 notification, searched
 * with GET /v1/items. And `octember emulate --cloudsearch-schema FILE` serving a schema of one's own.
 */
const API_KEY = 'catalogue-key';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

describe('the catalogue over the API of the embedded stack', () => {
  let stack: EmbeddedStack;
  let dataDir: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.api.url}${path}`, {
      ...init,
      headers: { 'x-api-key': API_KEY, ...(init.headers as Record<string, string>) },
    });
  const items = async (query: string) => {
    const res = await api(`/v1/items?${query}`);
    expect(res.status, query).toBe(200);
    return (await res.json()) as {
      found: number;
      items: Record<string, string[]>[];
      facets?: Record<string, { value: string; count: number }[]>;
    };
  };
  const ids = (body: { items: Record<string, string[]>[] }) => body.items.map((i) => i.item_id[0]).sort();

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'octember-catalogue-'));
    stack = await startEmbeddedStack({
      dataDir,
      apiKey: API_KEY,
      apiPort: 0,
      edgePort: 0,
      ports: { opensearch: 0, gremlin: 0, redis: 0 },
    });
    const put = await api(`/v1/${BUCKET}/items/personalize-items.csv`, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: await readFile('fixtures/items/personalize-items.csv'),
    });
    expect(put.status).toBe(200);
    // The S3 notification invokes csv-to-cloudsearch asynchronously: wait until its documents are searchable.
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      if ((await items('size=0')).found === 8) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('GET /v1/items?q=shoes finds the item whose category is shoes', async () => {
    expect(ids(await items('q=shoes'))).toEqual(['i106']);
  });

  it('finds Korean category words, filters by price and facets', async () => {
    expect(ids(await items(`q=${encodeURIComponent('운동화')}`))).toEqual(['i102', 'i103']);
    const cheapShoes = await items(`q=${encodeURIComponent('신발')}&fq=${encodeURIComponent('price:[0,50000]')}`);
    expect(ids(cheapShoes)).toEqual(['i103']);
    const faceted = await items('facet=category_l1&size=0');
    expect(faceted.found).toBe(8);
    expect(faceted.facets?.category_l1[0]).toEqual({ value: '패션잡화', count: 3 });
  });
});

describe('octember emulate --cloudsearch-schema FILE', () => {
  let child: ChildProcess | undefined;
  let dir: string;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves the domain of the given schema instead of the default', async () => {
    dir = await mkdtemp(join(tmpdir(), 'octember-emulate-schema-'));
    const schemaFile = join(dir, 'my-schema.json');
    await writeFile(
      schemaFile,
      JSON.stringify({
        DomainName: 'my-catalogue',
        IndexFields: [
          { IndexFieldName: 'sku', IndexFieldType: 'literal' },
          { IndexFieldName: 'name', IndexFieldType: 'text', TextOptions: { AnalysisScheme: '_ko_default_' } },
        ],
      }),
    );
    child = spawn(
      process.execPath,
      [
        'bin/octember.mjs',
        'emulate',
        '--services',
        'cloudsearch',
        '--edge-port',
        '0',
        '--data-dir',
        join(dir, 'data'),
        '--cloudsearch-schema',
        schemaFile,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OCTEMBER_LOG_LEVEL: 'warn' } },
    );
    let output = '';
    const edge = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no edge endpoint printed:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /AWS edge\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      child?.stdout?.on('data', onData);
      child?.stderr?.on('data', onData);
      child?.once('exit', (code) => reject(new Error(`emulate exited with ${code}:\n${output}`)));
    });
    const config = new CloudSearchClient({ endpoint: edge, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      const out = await config.send(new DescribeIndexFieldsCommand({ DomainName: 'my-catalogue' }));
      expect(out.IndexFields?.map((f) => f.Options?.IndexFieldName)).toEqual(['sku', 'name']);
    } finally {
      config.destroy();
    }
  }, 90_000);
});
