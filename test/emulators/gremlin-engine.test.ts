// In-process checks of the Gremlin engine on TinkerPop's modern graph (loaded from the shared conformance kit),
// with traversals taken from the TinkerPop feature files, parsed by the gremlin-lang parser.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  executeScript,
  executeTraversal,
  GremlinEngineError,
  TinkerGraphLike,
  TraversalTimeoutError,
} from '../../src/emulators/gremlin/engine/index.js';
import { Bytecode, EnumValue, P, type Path, Vertex } from '../../src/emulators/gremlin/engine/structure.js';
import { parseGremlinScript } from '../../src/emulators/gremlin/language/index.js';
import { sharedPath } from '../support/shared.js';

const MODERN = sharedPath('conformance', 'gremlin', 'graphs', 'modern.json');

interface KitValue {
  type: string;
  value: number;
}
type KitScalar = KitValue | string | boolean | null;
interface KitGraph {
  vertices: { id: KitValue; label: string; properties: Record<string, KitScalar[]> }[];
  edges: { id: KitValue; label: string; outV: KitValue; inV: KitValue; properties: Record<string, KitScalar> }[];
}

const plain = (v: KitScalar): unknown => (v !== null && typeof v === 'object' ? v.value : v);

/** Loads the kit's modern graph through the engine's own addV/addE steps (as the conformance runner does). */
function loadModern(graph: TinkerGraphLike): void {
  const data = JSON.parse(readFileSync(MODERN, 'utf8')) as KitGraph;
  for (const v of data.vertices) {
    const bc = new Bytecode();
    bc.addStep('addV', [v.label]);
    bc.addStep('property', [new EnumValue('T', 'id'), plain(v.id)]);
    for (const [k, vals] of Object.entries(v.properties)) for (const x of vals) bc.addStep('property', [k, plain(x)]);
    executeTraversal(graph, bc);
  }
  for (const e of data.edges) {
    const props = Object.entries(e.properties)
      .map(([k, x]) => `.property(${JSON.stringify(k)}, ${JSON.stringify(plain(x))})`)
      .join('');
    executeScript(graph, `g.addE("${e.label}").from(__.V(o)).to(__.V(i)).property(T.id, eid)${props}`, {
      o: plain(e.outV),
      i: plain(e.inV),
      eid: plain(e.id),
    });
  }
}

const names = (xs: unknown[]) => xs.map(String).sort();

describe('gremlin engine on the modern graph', () => {
  let graph: TinkerGraphLike;
  const run = (script: string, bindings: Record<string, unknown> = {}) => executeScript(graph, script, bindings);

  beforeEach(() => {
    graph = new TinkerGraphLike();
    loadModern(graph);
  });

  it('loads 6 vertices and 6 edges with their original ids', () => {
    expect(run('g.V().count()')).toEqual([6]);
    expect(run('g.E().count()')).toEqual([6]);
    expect(run('g.V().id()').sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('returns vertices as gremlin Vertex objects', () => {
    const [v] = run('g.V(1)');
    expect(v).toBeInstanceOf(Vertex);
    expect(v).toMatchObject({ id: 1, label: 'person' });
  });

  it('navigates out/in/both with labels (g_VX1X_outXknowsX)', () => {
    expect(names(run('g.V(vid1).out("knows").values("name")', { vid1: 1 }))).toEqual(['josh', 'vadas']);
    expect(names(run('g.V(3).in("created").values("name")'))).toEqual(['josh', 'marko', 'peter']);
    expect(run('g.V(4).both().count()')).toEqual([3]);
  });

  it('filters with has/P/TextP predicates', () => {
    expect(names(run('g.V().has("age", P.gt(30)).values("name")'))).toEqual(['josh', 'peter']);
    expect(names(run('g.V().has("person", "name", within("marko", "josh")).values("age")'))).toEqual(['29', '32']);
    expect(names(run('g.V().has("name", TextP.containing("a")).values("name")'))).toEqual(['marko', 'vadas']);
    expect(run('g.V().hasLabel("software").has("lang", "java").count()')).toEqual([2]);
  });

  it('selects labelled steps into maps (g_VX1X_asXaX_outXknowsX_asXbX_selectXa_bX_byXnameX)', () => {
    const rows = run('g.V(vid1).as("a").out("knows").as("b").select("a", "b").by("name")', { vid1: 1 }) as Map<
      string,
      unknown
    >[];
    expect(rows.map((m) => `${m.get('a')}->${m.get('b')}`).sort()).toEqual(['marko->josh', 'marko->vadas']);
  });

  it('groups and counts (g_V_group_byXlabelX_byXcountX, groupCount)', () => {
    const [m] = run('g.V().group().by(T.label).by(__.count())') as Map<string, number>[];
    expect(Object.fromEntries(m)).toEqual({ person: 4, software: 2 });
    const [c] = run('g.V().out("created").groupCount().by("name")') as Map<string, number>[];
    expect(Object.fromEntries(c)).toEqual({ lop: 3, ripple: 1 });
  });

  it('orders with by() and Order (g_V_order_byXname_descX)', () => {
    expect(run('g.V().hasLabel("person").order().by("age", Order.desc).values("name")')).toEqual([
      'peter',
      'josh',
      'marko',
      'vadas',
    ]);
  });

  it('repeats with times/emit and builds paths', () => {
    const paths = run('g.V(1).repeat(out()).times(2).path().by("name")') as InstanceType<typeof Path>[];
    expect(paths.map((p) => p.objects.join('/')).sort()).toEqual(['marko/josh/lop', 'marko/josh/ripple']);
    expect(run('g.V(1).repeat(out()).emit().count()')).toEqual([5]);
  });

  it('computes math() with by() modulators', () => {
    expect(run('g.V().as("a").out("knows").as("b").math("a + b").by("age")').sort()).toEqual([56, 61]);
  });

  it('upserts with mergeV and the fold/coalesce idiom without duplicating', () => {
    const upsert =
      'g.V().has("person", "name", "zed").fold().coalesce(__.unfold(), __.addV("person").property("name", "zed"))';
    run(upsert);
    run(upsert);
    expect(run('g.V().has("name", "zed").count()')).toEqual([1]);
    const m = new Map<unknown, unknown>([
      [new EnumValue('T', 'label'), 'person'],
      ['name', 'marko'],
    ]);
    run('g.mergeV(m).option(Merge.onMatch, [age: 30])', { m });
    expect(run('g.V(1).values("age")')).toEqual([30]);
    expect(run('g.V().count()')).toEqual([7]);
  });

  it('raises Gremlin Server style errors for invalid traversals', () => {
    expect(() => run('g.V().range(3, 2)')).toThrow(/Not a legal range: \[3, 2\]/);
    expect(() => run('g.inject(1).toUpper()')).toThrow(GremlinEngineError);
    expect(() => run('g.V().values("name").is(missing)')).toThrow(/missing/);
  });

  it('honours a deadline', () => {
    const bc = parseGremlinScript('g.V().repeat(both()).times(30).count()');
    expect(() => executeTraversal(graph, bc, { deadline: Date.now() - 1 })).toThrow(TraversalTimeoutError);
  });

  it('round-trips the graph through toJSON/fromJSON', () => {
    const copy = TinkerGraphLike.fromJSON(JSON.parse(JSON.stringify(graph.toJSON())));
    expect(executeScript(copy, 'g.E().count()')).toEqual([6]);
    expect(executeScript(copy, 'g.V(1).out("knows").has("age", P.lt(30)).values("name")')).toEqual(['vadas']);
  });

  it('finds has(label, key, value) starts through the property index', () => {
    expect(graph.verticesByProperty('name', 'josh')?.map((v) => v.id)).toEqual([4]);
    run('g.V(4).property("name", "joshua")');
    expect(graph.verticesByProperty('name', 'josh')).toEqual([]);
  });

  it('accepts bytecode built with the gremlin package (P objects, nested traversals)', () => {
    const inner = new Bytecode().addStep('out', ['created']);
    const bc = new Bytecode()
      .addStep('V', [])
      .addStep('where', [inner])
      .addStep('values', ['age'])
      .addStep('is', [new P('gte', 32)]);
    expect(executeTraversal(graph, bc)).toEqual([32, 35]);
  });
});

describe('multi-statement scripts', () => {
  it('runs every statement and returns the last one (Gremlin Server semantics)', () => {
    const g = new TinkerGraphLike();
    const bc = parseGremlinScript('g.addV("a").property("x", 1).iterate()\ng.addV("b"); g.V().label().fold()');
    expect(executeTraversal(g, bc)).toEqual([['a', 'b']]);
  });
});

describe('gremlin engine ids', () => {
  it('uses UUID strings when asked (Neptune style)', () => {
    const g = new TinkerGraphLike({ ids: 'uuid' });
    const [v] = executeScript(g, 'g.addV("person")') as { id: unknown }[];
    expect(typeof v.id).toBe('string');
    expect(String(v.id)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
