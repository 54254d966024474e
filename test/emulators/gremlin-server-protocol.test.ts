// Protocol layer of the Gremlin Server emulator against the real gremlin 3.7.3 and 3.8 clients, with a tiny stub
// engine (so these tests exercise framing, serializers, batching and status codes independently of the engine).
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GremlinEngineError } from '../../src/emulators/gremlin/engine/graph.js';
import { Bytecode, Edge, Property, Vertex, VertexProperty } from '../../src/emulators/gremlin/engine/structure.js';
import type { GremlinEngine } from '../../src/emulators/gremlin/server/request-processor.js';
import { type RunningGremlinServer, startGremlinServerCore } from '../../src/emulators/gremlin/server/server.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: untyped client packages
const gremlin37: any = require('gremlin');
// biome-ignore lint/suspicious/noExplicitAny: untyped client packages
const gremlin38: any = require('gremlin-client-3-8');

const marko = new Vertex('v1', 'person', [
  new VertexProperty('p1', 'name', 'marko', []),
  new VertexProperty('p2', 'age', 29, []),
]);
const josh = new Vertex('v2', 'person', [new VertexProperty('p3', 'name', 'josh', [])]);
const knows = new Edge('e1', marko, 'knows', josh, [new Property('weight', 0.5)]);

/** A stub engine: `inject(...)` yields its arguments, `V()` two vertices, `E()` an edge, `fail(msg)` throws. */
const stubEngine: GremlinEngine = {
  execute(bytecode) {
    const out: unknown[] = [];
    for (const [name, ...args] of bytecode.stepInstructions as [string, ...unknown[]][]) {
      if (name === 'inject') out.push(...args);
      else if (name === 'V') out.push(marko, josh);
      else if (name === 'E') out.push(knows);
      else if (name === 'range') out.push(...Array.from({ length: Number(args[0]) }, (_, i) => i));
      else if (name === 'asSet') out.push(new Set(args));
      else if (name === 'busy') {
        const until = Date.now() + Number(args[0]);
        while (Date.now() < until) {
          /* spin */
        }
      } else if (name === 'unserializable') out.push(Symbol('no wire form'));
      else if (name === 'deadline') {
        // the engine's way of giving up at the request's deadline
        throw Object.assign(new Error('A timeout occurred during traversal evaluation'), {
          name: 'TraversalTimeoutError',
        });
      } else if (name === 'fail') throw new GremlinEngineError(String(args[0]));
    }
    return out;
  },
  parse(script, bindings) {
    const m = /^g\.(\w+)\((.*)\)$/.exec(script.trim());
    if (!m) throw new Error(`no viable alternative at input '${script}'`);
    const args = (m[2] ?? '')
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => {
        const t = s.trim();
        if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
        if (/^'.*'$/.test(t)) return t.slice(1, -1);
        if (bindings && t in bindings) return bindings[t];
        throw new Error(`Variable not found: ${t}`);
      });
    return new Bytecode().addStep(m[1] as string, args);
  },
};

const MIMES = {
  graphbinary: 'application/vnd.graphbinary-v1.0',
  graphson3: 'application/vnd.gremlin-v3.0+json',
  graphson2: 'application/vnd.gremlin-v2.0+json',
};

describe.each([
  ['3.7.3', gremlin37],
  ['3.8', gremlin38],
])('gremlin %s client', (_version, g) => {
  let server: RunningGremlinServer;
  beforeAll(async () => {
    server = await startGremlinServerCore({
      port: 0,
      dialect: 'tinkerpop',
      engine: stubEngine,
      graph: { toJSON: () => ({}) },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  describe.each(Object.entries(MIMES))('%s', (_name, mimeType) => {
    const client = () => new g.driver.Client(server.url, { traversalSource: 'g', mimeType });

    it('evaluates a string script with bindings', async () => {
      const c = client();
      try {
        const rs = await c.submit('g.inject(x, 2)', { x: 'hello' });
        expect(rs.toArray()).toEqual(['hello', 2]);
      } finally {
        await c.close();
      }
    });

    it('runs bytecode traversals and returns elements with properties', async () => {
      const conn = new g.driver.DriverRemoteConnection(server.url, { mimeType });
      try {
        const gt = g.process.AnonymousTraversalSource.traversal().withRemote(conn);
        const vertices = await gt.V().toList();
        expect(vertices.map((v: { id: unknown }) => v.id)).toEqual(['v1', 'v2']);
        expect(vertices[0].label).toBe('person');
        const props = vertices[0].properties;
        const names = Array.isArray(props)
          ? props.map((p: { key: string; value: unknown }) => [p.key, p.value])
          : Object.entries(props).map(([k, v]) => [k, (v as { value: unknown }[])[0]?.value]);
        expect(names).toContainEqual(['name', 'marko']);
        expect(names).toContainEqual(['age', 29]);
        const [edge] = await gt.E().toList();
        expect(edge.id).toBe('e1');
        expect(edge.outV.id).toBe('v1');
        expect(edge.inV.id).toBe('v2');
      } finally {
        await conn.close();
      }
    });

    it('streams results in batches of batchSize (206 then 200)', async () => {
      const c = client();
      try {
        const rs = await c.submit('g.range(150)', {}, { batchSize: 64 });
        expect(rs.length).toBe(150);
        expect(rs.toArray()[149]).toBe(149);
      } finally {
        await c.close();
      }
    });

    it('answers 204 no content as an empty result', async () => {
      const c = client();
      try {
        const rs = await c.submit('g.inject()');
        expect(rs.length).toBe(0);
      } finally {
        await c.close();
      }
    });

    it('writes sets', async () => {
      const c = client();
      try {
        const rs = await c.submit('g.asSet(1, 2, 2)');
        const [set] = rs.toArray();
        expect([...set].sort()).toEqual([1, 2]);
      } finally {
        await c.close();
      }
    });

    it('reports a failing traversal as 597 with the message', async () => {
      const c = client();
      try {
        await expect(c.submit("g.fail('boom')")).rejects.toMatchObject({
          statusCode: 597,
          message: expect.stringContaining('boom'),
        });
      } finally {
        await c.close();
      }
    });

    it('reports a timeout as 598', async () => {
      const c = client();
      try {
        await expect(c.submit('g.busy(60)', {}, { evaluationTimeout: 10 })).rejects.toMatchObject({ statusCode: 598 });
        await expect(c.submit('g.deadline()')).rejects.toMatchObject({ statusCode: 598 });
      } finally {
        await c.close();
      }
    });
  });

  it('leaves element properties out with materializeProperties=tokens', async () => {
    const c = new g.driver.Client(server.url, { traversalSource: 'g' });
    try {
      const [v] = (await c.submit('g.V()', {}, { materializeProperties: 'tokens' })).toArray();
      expect(v.id).toBe('v1');
      expect(v.properties ?? []).toEqual([]);
    } finally {
      await c.close();
    }
  });

  it('serves session clients (eval in a session, then close)', async () => {
    const c = new g.driver.Client(server.url, { traversalSource: 'g', session: 'bench-session', processor: 'session' });
    try {
      expect((await c.submit('g.inject(7)')).toArray()).toEqual([7]);
    } finally {
      await c.close();
    }
  });

  it('reports a result it cannot serialize as 599', async () => {
    const c = new g.driver.Client(server.url, { traversalSource: 'g', mimeType: MIMES.graphbinary });
    try {
      await expect(c.submit('g.unserializable()')).rejects.toMatchObject({
        statusCode: 599,
        message: expect.stringContaining('Error during serialization'),
      });
    } finally {
      await c.close();
    }
  });

  it('rejects an unknown op with 499', async () => {
    const c = new g.driver.Client(server.url, { traversalSource: 'g' });
    try {
      await c.open();
      await expect(c._connection.submit('', 'nosuchop', {})).rejects.toMatchObject({ statusCode: 499 });
    } finally {
      await c.close();
    }
  });
});
