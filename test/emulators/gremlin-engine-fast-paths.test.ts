// The engine's shortcuts (direct by() keys, order()+limit() selection, side-effect where() predicates, vertex-chain
// flatMap(), paths not recorded, first-value reads) must give what the general step-by-step evaluation gives.
import { describe, expect, it } from 'vitest';
import { executeScript, TinkerGraphLike } from '../../src/emulators/gremlin/engine/index.js';

/** deterministic pseudo-random numbers (mulberry32) */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small random social graph (some pairs linked both ways) and its undirected adjacency. */
function socialGraph(persons = 60, edges = 300) {
  const graph = new TinkerGraphLike({ ids: 'uuid' });
  const adj = new Map<string, Set<string>>();
  const rand = rng(7);
  for (let i = 0; i < persons; i++) {
    const v = graph.addVertex('person', `p${i}`);
    // names repeat so that ties on name fall through to the id comparator
    graph.setVertexProperty(v, 'name', `n${i % 7}`);
    adj.set(`p${i}`, new Set());
  }
  for (let made = 0; made < edges; made++) {
    const a = `p${Math.floor(rand() * persons)}`;
    const b = `p${Math.floor(rand() * persons)}`;
    if (a === b) continue;
    graph.addEdge('knows', graph.vertex(a)!, graph.vertex(b)!);
    adj.get(a)?.add(b);
    adj.get(b)?.add(a);
  }
  return { graph, adj };
}

const idsOf = (rows: unknown[]) => rows.map((r) => (r as { id: unknown }).id);

describe('gremlin engine shortcuts agree with the general evaluation', () => {
  const { graph, adj } = socialGraph();
  const nameOf = (id: string) => String(executeScript(graph, 'g.V(x).values("name")', { x: id })[0]);

  it('ranks friends of friends like a direct computation over the adjacency (order().by()...limit())', () => {
    const script =
      'g.V(u).aggregate("u").both("knows").where(without("u")).dedup().aggregate("f")' +
      '.flatMap(both("knows").dedup()).where(without("u")).where(without("f")).groupCount().unfold()' +
      '.order().by(values, desc).by(select(keys).values("name")).by(select(keys).id()).limit(5)' +
      '.project("id","score").by(select(keys).id()).by(select(values))';
    for (const u of ['p0', 'p3', 'p17', 'p42']) {
      const friends = adj.get(u) ?? new Set<string>();
      const counts = new Map<string, number>();
      for (const f of friends) {
        for (const c of adj.get(f) ?? []) {
          if (c !== u && !friends.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
        }
      }
      const expected = [...counts]
        .map(([id, score]) => ({ id, score, name: nameOf(id) }))
        .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1))
        .slice(0, 5);
      const rows = executeScript(graph, script, { u }) as Map<string, unknown>[];
      expect(rows.map((r) => [r.get('id'), r.get('score')])).toEqual(expected.map((e) => [e.id, e.score]));
    }
  });

  it('counts flatMap() results into groupCount() and ranks unfold().order().limit() like step by step', () => {
    const pymk = (flatMapEnd: string, unfoldEnd: string, direction: string) =>
      'g.V(u).aggregate("u").both("knows").where(without("u")).dedup().aggregate("f")' +
      `.flatMap(both("knows").dedup())${flatMapEnd}.where(without("u")).where(without("f")).groupCount()` +
      `.unfold()${unfoldEnd}.order().by(values, ${direction}).by(select(keys).coalesce(values("name"), constant("")))` +
      '.by(select(keys).id()).limit(n).project("id","score").by(select(keys).id()).by(select(values))';
    // barrier() between the steps keeps them from running as one: the general evaluation; most counts fall on ties,
    // so the first n cut through a group of equal counts ranked by name and id
    for (const direction of ['desc', 'asc']) {
      const fused = pymk('', '', direction);
      const general = pymk('.barrier()', '.barrier()', direction);
      for (const u of ['p0', 'p3', 'p17', 'p42']) {
        for (const n of [1, 2, 5, 7, 100]) {
          const expected = executeScript(graph, general, { u, n });
          expect(expected.length).toBeGreaterThan(0);
          expect(executeScript(graph, fused, { u, n })).toEqual(expected);
        }
      }
    }
    // bulked traversers (repeated start vertices) count as many times
    const bulked = 'g.V("p1","p2","p1").barrier().flatMap(both("knows")).where(without("x")).groupCount()';
    const stepwise = 'g.V("p1","p2","p1").barrier().flatMap(both("knows")).barrier().where(without("x")).groupCount()';
    const withX = (script: string) => `${script.replace('g.V(', 'g.withSideEffect("x", []).V(')}`;
    expect(executeScript(graph, withX(bulked))).toEqual(executeScript(graph, withX(stepwise)));
  });

  it('ranks the entries of a counted map by a key that is the entry itself like step by step', () => {
    // by(identity()) makes the entry its own key: the entries visited in one reused object must not leak into the
    // kept keys
    const base = 'g.V(u).both("knows").flatMap(both("knows").dedup())';
    const rank = (barrier: string) =>
      `${base}${barrier}.groupCount().unfold()${barrier}.order().by(values, desc).by(select(keys).id())` +
      '.by(identity()).limit(n)';
    for (const u of ['p0', 'p3', 'p17']) {
      for (const n of [1, 4, 60]) {
        const expected = executeScript(graph, rank('.barrier()'), { u, n });
        expect(expected.length).toBeGreaterThan(0);
        expect(executeScript(graph, rank(''), { u, n })).toEqual(expected);
      }
    }
  });

  it('tests membership in lists of values, elements and other objects like the general evaluation', () => {
    const names = 'g.V().limit(3).values("name").aggregate("x").fold().V().values("name").where(within("x")).count()';
    // names n0..n6 repeat: three of them name 27 of the 60 persons
    expect(executeScript(graph, names)).toEqual([27]);
    const ids = 'g.V().limit(10).id().aggregate("x").fold().V().id().where(without("x")).count()';
    expect(executeScript(graph, ids)).toEqual([50]);
    expect(executeScript(graph, 'g.withSideEffect("x", ["p1", 2]).V("p1", "p3").id().where(within("x"))')).toEqual([
      'p1',
    ]);
    const mixed =
      'g.V("p1").aggregate("x").fold().inject("p3").aggregate("x").fold().V("p1","p3").where(within("x")).id()';
    expect(executeScript(graph, mixed)).toEqual(['p1']);
    const maps = 'g.V("p1").valueMap().aggregate("x").V("p1").valueMap().where(within("x")).count()';
    expect(executeScript(graph, maps)).toEqual([1]);
  });

  it('gives the same first items with and without a following limit()', () => {
    const base = 'g.V().order().by(values("name")).by(id(), desc)';
    const all = idsOf(executeScript(graph, base));
    for (const n of [1, 3, 10, 59]) expect(idsOf(executeScript(graph, `${base}.limit(${n})`))).toEqual(all.slice(0, n));
  });

  it('orders a map locally with a following limit(local) like without it', () => {
    const base = 'g.V().both("knows").groupCount().by(id).order(local).by(values, desc).by(keys)';
    const all = [...(executeScript(graph, base)[0] as Map<string, number>)];
    for (const n of [1, 4, 30]) {
      const limited = executeScript(graph, `${base}.limit(local, ${n})`)[0] as Map<string, number>;
      expect([...limited]).toEqual(all.slice(0, n));
    }
  });

  it('leaves out items whose later by() key is unproductive, with a limit too', () => {
    graph.setVertexProperty(graph.vertex('p1')!, 'age', 30);
    graph.setVertexProperty(graph.vertex('p2')!, 'age', 20);
    const rows = idsOf(executeScript(graph, 'g.V().order().by(values("name")).by(values("age")).limit(3)'));
    expect(rows.sort()).toEqual(['p1', 'p2']);
  });

  it('filters with where(without(side effect)) the same when the traversal also has path labels', () => {
    const plainWhere = 'g.V("p5").aggregate("x").both("knows").both("knows").where(without("x")).id()';
    const labelled = 'g.V("p5").as("a").aggregate("x").both("knows").both("knows").where(without("x")).id()';
    const a = executeScript(graph, plainWhere) as string[];
    expect(a).not.toContain('p5');
    expect(a).toEqual(executeScript(graph, labelled));
  });

  it('compares a re-created element with a removed one of the same id by id', () => {
    const g2 = new TinkerGraphLike({ ids: 'uuid' });
    executeScript(g2, 'g.addV("p").property(id, "a")');
    const script = 'g.V("a").aggregate("x").sideEffect(drop()).addV("p").property(id, "a").where(within("x")).id()';
    expect(executeScript(g2, script)).toEqual(['a']);
    expect(executeScript(g2, 'g.V("a").aggregate("y").V().where(without("y")).count()')).toEqual([0]);
  });

  it('runs flatMap(both().dedup()) like the same child evaluated step by step', () => {
    const fast = executeScript(graph, 'g.V("p9").both("knows").flatMap(both("knows").dedup()).id()');
    const general = executeScript(graph, 'g.V("p9").both("knows").flatMap(both("knows").dedup().barrier()).id()');
    expect(fast.length).toBeGreaterThan(0);
    expect(fast).toEqual(general);
  });

  it('still records paths when path() is asked for', () => {
    const paths = executeScript(graph, 'g.V("p9").both("knows").limit(1).path()') as { objects: unknown[] }[];
    expect(paths[0].objects).toHaveLength(2);
  });

  it('reads property values that follow removals and cardinalities', () => {
    const g2 = new TinkerGraphLike({ ids: 'uuid' });
    executeScript(g2, 'g.addV("person").property(id, "a").property("name", "x")');
    expect(executeScript(g2, 'g.V("a").order().by(values("name")).values("name")')).toEqual(['x']);
    executeScript(g2, 'g.V("a").properties("name").drop()');
    expect(executeScript(g2, 'g.V("a").order().by(values("name")).count()')).toEqual([0]);
    executeScript(g2, 'g.V("a").property(list, "name", "y").property(list, "name", "z")');
    expect(executeScript(g2, 'g.V("a").project("n").by(values("name"))')).toEqual([new Map([['n', 'y']])]);
    executeScript(g2, 'g.V("a").properties("name").hasValue("y").drop()');
    expect(executeScript(g2, 'g.V("a").project("n").by(values("name"))')).toEqual([new Map([['n', 'z']])]);
  });
  it('orders by a leading key with ties like the general evaluation (numbers, strings, mixed kinds)', () => {
    const g2 = new TinkerGraphLike({ ids: 'uuid' });
    const values: unknown[] = [2, 1, 2, 1.5, 1, 'b', 'a', 'b', 2, Number.NaN, 1];
    values.forEach((k, i) => {
      const v = g2.addVertex('item', `i${i}`);
      // each vertex carries a numeric key, a string key and the mixed one
      g2.setVertexProperty(v, 'num', typeof k === 'number' ? k : i);
      g2.setVertexProperty(v, 'str', String(k));
      g2.setVertexProperty(v, 'mixed', k);
    });
    for (const key of ['num', 'str', 'mixed']) {
      for (const dir of ['asc', 'desc']) {
        const fast = `g.V().order().by(values("${key}"), ${dir}).by(id(), desc)`;
        // barrier() keeps the child from being evaluated as a direct key: the general path
        const general = `g.V().order().by(values("${key}").barrier(), ${dir}).by(id().barrier(), desc)`;
        const expected = idsOf(executeScript(g2, general));
        expect(expected).toHaveLength(values.length);
        expect(idsOf(executeScript(g2, fast))).toEqual(expected);
        for (const n of [1, 4, 7])
          expect(idsOf(executeScript(g2, `${fast}.limit(${n})`))).toEqual(expected.slice(0, n));
      }
    }
  });

  it('returns the first value of each key from elementMap() as properties change', () => {
    const g2 = new TinkerGraphLike({ ids: 'uuid' });
    executeScript(g2, 'g.addV("person").property(id, "a").property(list, "name", "y").property(list, "name", "z")');
    const nameOfA = () =>
      (executeScript(g2, 'g.V("a").elementMap("name", "age")')[0] as Map<unknown, unknown>).get('name');
    expect(nameOfA()).toBe('y');
    executeScript(g2, 'g.V("a").properties("name").hasValue("y").drop()');
    expect(nameOfA()).toBe('z');
    executeScript(g2, 'g.V("a").properties("name").drop()');
    expect(nameOfA()).toBeUndefined();
    executeScript(g2, 'g.V("a").property("age", 7)');
    expect([
      ...(executeScript(g2, 'g.V("a").elementMap("age", "name", "age")')[0] as Map<unknown, unknown>).values(),
    ]).toEqual(['a', 'person', 7]);
  });
  it('reads first values of many keys like the property lists hold them, through drops and re-adds', () => {
    const g2 = new TinkerGraphLike({ ids: 'uuid' });
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
    executeScript(g2, `g.addV("x").property(id, "v")${keys.map((k, i) => `.property("${k}", ${i})`).join('')}`);
    const check = () => {
      const lists = executeScript(g2, 'g.V("v").valueMap()')[0] as Map<string, unknown[]>;
      for (const k of keys) {
        const expected = lists.get(k)?.[0];
        const fast = executeScript(g2, `g.V("v").project("k").by(coalesce(values("${k}"), constant("none")))`)[0];
        expect(fast).toEqual(new Map([['k', expected ?? 'none']]));
        expect((executeScript(g2, `g.V("v").elementMap("${k}")`)[0] as Map<unknown, unknown>).get(k)).toEqual(expected);
      }
    };
    check();
    executeScript(g2, 'g.V("v").properties("b", "e").drop()');
    check();
    executeScript(g2, 'g.V("v").property("e", "again").property(list, "b", "x").property(list, "b", "y")');
    check();
    executeScript(g2, 'g.V("v").property(single, "a", "one")');
    check();
  });
});
