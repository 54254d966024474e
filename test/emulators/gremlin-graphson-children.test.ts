// The GraphSON reader hands a child traversal it has read before back as the same Bytecode (what the engine compiled
// for it is kept), but never one Bytecode in two places of a request.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { executeTraversal, TinkerGraphLike } from '../../src/emulators/gremlin/engine/index.js';
import type { BytecodeLike } from '../../src/emulators/gremlin/engine/structure.js';
import { GraphSONCodec } from '../../src/emulators/gremlin/server/graphson.js';

const require = createRequire(import.meta.url);
// biome-ignore lint/suspicious/noExplicitAny: untyped client package
const gremlin: any = require('gremlin');
const { statics: __ } = gremlin.process;
const writer = new gremlin.structure.io.GraphSONWriter();

/** a request body as the 3.7 client writes it */
function body(traversal: { getBytecode(): unknown }): Buffer {
  return Buffer.from(
    writer.writeRequest({
      requestId: '7b7e4f4e-3c5c-4a4c-9e6a-2f1d7c9b1a01',
      op: 'bytecode',
      processor: 'traversal',
      args: { gremlin: traversal.getBytecode(), aliases: { g: 'g' } },
    }),
  );
}
const g = () => new gremlin.structure.Graph().traversal();
const children = (bc: BytecodeLike) => bc.stepInstructions.flatMap((ins) => ins.slice(1)) as BytecodeLike[];

describe('GraphSON child traversals', () => {
  it('are the same objects from one request to the next, distinct within a request', () => {
    const codec = new GraphSONCodec(3);
    const traversal = () =>
      g().V('a').union(__.repeat(__.out().dedup()).times(2), __.repeat(__.out().dedup()).times(2));
    const first = codec.readRequest(body(traversal())).args.gremlin as BytecodeLike;
    const second = codec.readRequest(body(traversal())).args.gremlin as BytecodeLike;
    const [a1, b1] = children(first).filter((x) => typeof x === 'object');
    const [a2, b2] = children(second).filter((x) => typeof x === 'object');
    expect(a2).toBe(a1);
    expect(b1).not.toBe(a1);
    // the repeat() bodies inside them are not shared either
    expect(children(b2)[0]).not.toBe(children(a2)[0]);
  });

  it('give the same results as freshly read ones', () => {
    const graph = new TinkerGraphLike({ ids: 'uuid' });
    for (const id of ['a', 'b', 'c', 'd']) graph.addVertex('person', id);
    for (const [x, y] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['a', 'c'],
    ])
      graph.addEdge('knows', graph.vertex(x)!, graph.vertex(y)!);
    const traversal = () =>
      g().V('a').union(__.repeat(__.out().dedup()).times(2), __.repeat(__.out().dedup()).times(2)).id();
    const cached = new GraphSONCodec(3);
    const run = (codec: GraphSONCodec) =>
      executeTraversal(graph, codec.readRequest(body(traversal())).args.gremlin as BytecodeLike);
    const expected = run(new GraphSONCodec(3));
    expect(expected.length).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) expect(run(cached)).toEqual(expected);
  });
});
