// The one-pass GraphSON response writer gives the text the two-pass way gave (wire values → JSON tree → stringify)
// for every kind of result, in GraphSON 3 and 2, and the 3.7 client reads it back.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { executeTraversal, TinkerGraphLike, Tree } from '../../src/emulators/gremlin/engine/index.js';
import { parseGremlinScript } from '../../src/emulators/gremlin/language/index.js';
import { GraphSONCodec } from '../../src/emulators/gremlin/server/graphson.js';
import type { ResponseMessage } from '../../src/emulators/gremlin/server/protocol.js';
import { type PropertyResolver, toWireValue } from '../../src/emulators/gremlin/server/wire-values.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: untyped client package
const gremlin: any = require('gremlin');
const { Traverser } = gremlin.process;

function graph() {
  const g = new TinkerGraphLike();
  for (const q of [
    'g.addV("person").property(id, "a").property("name", "Ann").property("age", 31)',
    'g.addV("person").property(id, "b").property("name", "Bob").property("score", 2.5)',
    'g.addV("person").property(id, "c").property("name", "Cy").property(list, "nick", "c1").property(list, "nick", "c2")',
    'g.V("a").addE("knows").to(V("b")).property("weight", 1)',
    'g.V("b").addE("knows").to(V("c")).property("since", 2020)',
    'g.V("a").properties("name").property("source", "card")',
  ]) {
    executeTraversal(g, parseGremlinScript(q));
  }
  return g;
}

const QUERIES = [
  'g.V()',
  'g.E()',
  'g.V().properties()',
  'g.E().properties()',
  'g.V("a").outE().inV().path()',
  'g.V().elementMap()',
  'g.V().valueMap(true)',
  'g.V().group().by(label).by(values("name").fold())',
  'g.V().groupCount().by("name")',
  'g.V().values("name").fold().unfold().order().fold()',
  'g.V().values("age","score","since")',
  'g.inject(1, -1, 0, 2147483647, 2147483648, -2147483649, 1.5, -0.25, 1e21, 9007199254740993)',
  'g.inject("", "x\\"y", "\\u00e9\\u2028", true, false)',
  'g.V().out().tree()',
  'g.V().project("id","label","n").by(id).by(label).by(out().count())',
  'g.V().both().dedup().order().by(id).fold()',
  'g.V().values("name").aggregate(local, "s").cap("s")',
  'g.inject(datetime("2024-01-02T03:04:05Z"))',
  'g.V().as("x").out().as("y").select("x","y")',
  'g.V().local(properties().key().fold())',
  'g.inject(1).math("_ / 0")',
  'g.inject(1).math("0 / 0")',
];

const extraValues: unknown[] = [
  undefined,
  null,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  12345678901234567890n,
  42n,
  new Set([1, 'a', [2, 3]]),
  new Map<unknown, unknown>([
    [1, new Set(['x'])],
    [null, [new Date(0)]],
  ]),
  { plain: 1, nested: { x: [true] } },
  new Tree([['k', new Tree([])]]),
  new Traverser(new Map([['k', 2]]), 3),
  [new Traverser('x', 1), new Traverser(1.5, 2)],
];

/** the two-pass writer the one-pass one replaced */
function reference(codec: GraphSONCodec, m: ResponseMessage, materialize: boolean, resolver?: PropertyResolver) {
  return JSON.stringify({
    requestId: m.requestId,
    status: { message: m.status.message, code: m.status.code, attributes: codec.write(m.status.attributes) },
    result: { data: codec.write(toWireValue(m.result.data, materialize, resolver)), meta: codec.write(m.result.meta) },
  });
}

const message = (data: unknown): ResponseMessage => ({
  requestId: '7b7e4f4e-3c5c-4a4c-9e6a-2f1d7c9b1a01',
  status: { code: 200, message: 'ok "quoted"', attributes: new Map<string, unknown>([['host', '/127.0.0.1']]) },
  result: { data, meta: new Map() },
});

describe('GraphSON one-pass response writer', () => {
  const g = graph();
  const results = QUERIES.map((q) => executeTraversal(g, parseGremlinScript(q)));
  const resolver: PropertyResolver = {
    vertexProperties: (id) => (executeTraversal(g, parseGremlinScript(`g.V("${id}").properties()`)) as unknown[]) ?? [],
    edgeProperties: () => undefined,
  };

  for (const version of [3, 2] as const) {
    it(`writes what the two-pass writer wrote (GraphSON ${version}, with and without properties)`, () => {
      const codec = new GraphSONCodec(version);
      let compared = 0;
      for (const data of [...results, ...results.map((r) => r.map((x) => new Traverser(x, 1))), ...extraValues]) {
        for (const materialize of [true, false]) {
          const m = message(data);
          const text = codec.writeResponse(m, materialize, resolver);
          expect(text).toBe(reference(codec, m, materialize, resolver));
          compared++;
        }
      }
      expect(compared).toBe(2 * (2 * QUERIES.length + extraValues.length));
    });
  }

  it('is read back by the 3.7 client: typed numbers, maps, lists, sets, dates, elements, paths, bulks', () => {
    const codec = new GraphSONCodec(3);
    const reader = new gremlin.structure.io.GraphSONReader();
    const data = [
      new Traverser(
        new Map<unknown, unknown>([
          ['n', 1],
          ['big', 2 ** 40],
          ['d', 0.5],
        ]),
        2,
      ),
      new Traverser(new Set(['a', 'b']), 1),
      new Traverser(new Date(86_400_000), 1),
      ...executeTraversal(g, parseGremlinScript('g.V("a").outE().inV().path()')).map((x) => new Traverser(x, 1)),
    ];
    const read = reader.readResponse(codec.writeResponse(message(data)));
    const [map, set, date, path] = read.result.data;
    expect(map.bulk).toBe(2);
    expect([...map.object]).toEqual([
      ['n', 1],
      ['big', 2 ** 40],
      ['d', 0.5],
    ]);
    expect(set.object).toEqual(['a', 'b']);
    expect(date.object).toEqual(new Date(86_400_000));
    expect(path.object.objects.map((o: { id: unknown }) => o.id)).toEqual(['a', expect.anything(), 'b']);
    expect(path.object.objects[1].label).toBe('knows');
  });
});
