// The Gremlin Server emulator end to end (parser + engine + protocol) with the real gremlin 3.7.3 and 3.8 clients:
// dialect rules (ids, lambdas, script variables), both serializations, and persistence across a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GremlinServerHandle, startGremlinServer } from '../../src/emulators/gremlin/index.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: untyped client packages
const gremlin37: any = require('gremlin');
// biome-ignore lint/suspicious/noExplicitAny: untyped client packages
const gremlin38: any = require('gremlin-client-3-8');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GRAPHSON3 = 'application/vnd.gremlin-v3.0+json';

// biome-ignore lint/suspicious/noExplicitAny: untyped client packages
type Untyped = any;

async function withRemote<T>(
  g: Untyped,
  url: string,
  mimeType: string | undefined,
  fn: (gt: Untyped) => Promise<T>,
): Promise<T> {
  const conn = new g.driver.DriverRemoteConnection(url, mimeType ? { mimeType } : {});
  try {
    return await fn(g.process.AnonymousTraversalSource.traversal().withRemote(conn));
  } finally {
    await conn.close();
  }
}

async function withClient<T>(
  g: Untyped,
  url: string,
  mimeType: string | undefined,
  fn: (c: Untyped) => Promise<T>,
): Promise<T> {
  const client = new g.driver.Client(url, { traversalSource: 'g', ...(mimeType ? { mimeType } : {}) });
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

function propertyValue(element: { properties: unknown }, key: string): unknown {
  const props = element.properties as unknown;
  if (Array.isArray(props))
    return (props.find((p: { key: string }) => p.key === key) as { value: unknown } | undefined)?.value;
  const entry = (props as Record<string, unknown>)[key];
  return Array.isArray(entry) ? (entry[0] as { value: unknown }).value : entry;
}

describe('neptune dialect (default)', () => {
  let server: GremlinServerHandle;
  beforeAll(async () => {
    server = await startGremlinServer({ port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['3.7.3 GraphBinary', gremlin37, undefined],
    ['3.7.3 GraphSON3', gremlin37, GRAPHSON3],
    ['3.8 GraphBinary', gremlin38, undefined],
    ['3.8 GraphSON3', gremlin38, GRAPHSON3],
  ])('generates UUID string ids and keeps user string ids (%s)', async (_name, g, mime) => {
    await withRemote(g, server.url, mime, async (gt) => {
      const { t } = g.process;
      const generated = await gt.addV('person').property('name', 'gen').next();
      expect(generated.value.id).toMatch(UUID);
      const custom = `person:${Math.random()}`;
      const v = await gt.addV('person').property(t.id, custom).property('name', 'marko').next();
      expect(v.value.id).toBe(custom);
      const [found] = await gt.V(custom).toList();
      expect(found.id).toBe(custom);
      expect(propertyValue(found, 'name')).toBe('marko');
    });
  });

  it('rejects a numeric user id with Neptune error text', async () => {
    await withRemote(gremlin37, server.url, undefined, async (gt) => {
      const { t } = gremlin37.process;
      const err = await gt
        .addV('person')
        .property(t.id, 1)
        .next()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ statusCode: 499 });
      const detail = JSON.parse((err as { statusMessage: string }).statusMessage);
      expect(detail.code).toBe('InvalidParameterException');
      expect(detail.detailedMessage).toMatch(/String ids/);
    });
  });

  it('rejects lambdas', async () => {
    await withRemote(gremlin37, server.url, undefined, async (gt) => {
      const err = await gt
        .V()
        .filter(() => 'it.get().label() == "person"')
        .toList()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toMatchObject({ statusCode: 499 });
      expect(JSON.parse((err as { statusMessage: string }).statusMessage).code).toBe('MalformedQueryException');
    });
  });

  it('does not apply script bindings (Neptune has no script variables)', async () => {
    await withClient(gremlin38, server.url, undefined, async (c) => {
      const err = await c.submit('g.V(x)', { x: 'anything' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ statusCode: 499 });
      const detail = JSON.parse((err as { statusMessage: string }).statusMessage);
      expect(detail.code).toBe('MalformedQueryException');
    });
  });

  it('evaluates gremlin-lang string scripts', async () => {
    await withClient(gremlin38, server.url, undefined, async (c) => {
      await c.submit("g.addV('city').property(id, 'city:paris').property('name', 'Paris')");
      const rs = await c.submit("g.V('city:paris').values('name')");
      expect(rs.toArray()).toEqual(['Paris']);
    });
  });

  it('reports a syntax error as MalformedQueryException', async () => {
    await withClient(gremlin37, server.url, undefined, async (c) => {
      const err = await c.submit('g.V(.').then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ statusCode: 499 });
      expect((err as { statusMessage: string }).statusMessage).toContain('MalformedQueryException');
    });
  });
});

describe('tinkerpop dialect', () => {
  let server: GremlinServerHandle;
  beforeAll(async () => {
    server = await startGremlinServer({ port: 0, dialect: 'tinkerpop' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('allows numeric user ids and generates numeric ids', async () => {
    await withRemote(gremlin37, server.url, undefined, async (gt) => {
      const { t } = gremlin37.process;
      const v = await gt.addV('person').property(t.id, 1001).next();
      expect(v.value.id).toBe(1001);
      const generated = await gt.addV('person').next();
      expect(typeof generated.value.id).toBe('number');
    });
  });

  it.each([
    ['GraphBinary', undefined],
    ['GraphSON3', GRAPHSON3],
  ])('applies script bindings and streams large results in batches (%s)', async (_name, mime) => {
    await withClient(gremlin38, server.url, mime, async (c) => {
      const rs = await c.submit(
        'g.inject(x).unfold()',
        { x: Array.from({ length: 200 }, (_, i) => i) },
        { batchSize: 16 },
      );
      expect(rs.toArray()).toEqual(Array.from({ length: 200 }, (_, i) => i));
    });
  });

  it('reports an evaluation error as 597', async () => {
    await withClient(gremlin38, server.url, undefined, async (c) => {
      await expect(c.submit("g.inject(1).fail('stop here')")).rejects.toMatchObject({ statusCode: 597 });
    });
  });
});

describe('persistence', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gremlin-persist-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps the graph across a restart with the same data dir', async () => {
    const first = await startGremlinServer({ port: 0, dataDir });
    await withClient(gremlin37, first.url, undefined, async (c) => {
      await c.submit(
        "g.addV('person').property(id, 'p:keep').property('name', 'kept').addE('knows').to(__.addV('person').property(id, 'p:other'))",
      );
    });
    await first.close();
    const second = await startGremlinServer({ port: 0, dataDir });
    try {
      await withClient(gremlin37, second.url, undefined, async (c) => {
        expect((await c.submit("g.V('p:keep').values('name')")).toArray()).toEqual(['kept']);
        expect((await c.submit("g.V('p:keep').out('knows').id()")).toArray()).toEqual(['p:other']);
      });
    } finally {
      await second.close();
    }
  });
});
