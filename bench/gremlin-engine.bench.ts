// In-process benchmarks of the Gremlin engine (no network): PYMK traversal latency on a generated social graph,
// its ratio against the same computation over plain adjacency maps, upsert throughput and graph load time.
import { executeTraversal, TinkerGraphLike } from '../src/emulators/gremlin/engine/index.js';
import { parseGremlinScript } from '../src/emulators/gremlin/language/index.js';
import type { BenchResult } from '../src/lib/bench-result.js';

const PERSONS = 10_000;
const EDGES = 100_000;

/** deterministic pseudo-random numbers (mulberry32) so every run measures the same graph */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

function buildGraph(): { graph: TinkerGraphLike; adj: Map<string, Set<string>>; ms: number } {
  const t0 = performance.now();
  const graph = new TinkerGraphLike({ ids: 'uuid' });
  const adj = new Map<string, Set<string>>();
  const ids: string[] = [];
  for (let i = 0; i < PERSONS; i++) {
    const v = graph.addVertex('person', `p${i}`);
    graph.setVertexProperty(v, 'name', `person ${i}`);
    graph.setVertexProperty(v, '_name', `person ${i}`);
    ids.push(`p${i}`);
    adj.set(`p${i}`, new Set());
  }
  const rand = rng(42);
  let made = 0;
  while (made < EDGES) {
    const a = ids[Math.floor(rand() * PERSONS)];
    const b = ids[Math.floor(rand() * PERSONS)];
    if (a === b || adj.get(a)?.has(b)) continue;
    const e = graph.addEdge('knows', graph.vertex(a)!, graph.vertex(b)!);
    e.props.set('weight', 1);
    adj.get(a)?.add(b);
    adj.get(b)?.add(a);
    made++;
  }
  return { graph, adj, ms: performance.now() - t0 };
}

const PYMK =
  'g.V(uid).as("me").both("knows").aggregate("f").both("knows").where(neq("me")).where(without("f"))' +
  '.groupCount().order(local).by(values, desc).limit(local, 10)';

function pymkDirect(adj: Map<string, Set<string>>, uid: string): [string, number][] {
  const friends = adj.get(uid) ?? new Set<string>();
  const counts = new Map<string, number>();
  for (const f of friends) {
    for (const ff of adj.get(f) ?? []) {
      if (ff === uid || friends.has(ff)) continue;
      counts.set(ff, (counts.get(ff) ?? 0) + 1);
    }
  }
  return [...counts].sort((x, y) => y[1] - x[1]).slice(0, 10);
}

export async function run(): Promise<BenchResult[]> {
  const { graph, adj, ms } = buildGraph();
  const users = Array.from({ length: 200 }, (_, i) => `p${(i * 37) % PERSONS}`);
  const engineTimes: number[] = [];
  const directTimes: number[] = [];
  for (const uid of users.slice(0, 20)) executeTraversal(graph, parseGremlinScript(PYMK, { uid })); // warm-up
  for (const uid of users) {
    const t0 = performance.now();
    executeTraversal(graph, parseGremlinScript(PYMK, { uid }));
    engineTimes.push(performance.now() - t0);
    const t1 = performance.now();
    pymkDirect(adj, uid);
    directTimes.push(performance.now() - t1);
  }
  const p50 = percentile(engineTimes, 50);
  const direct50 = percentile(directTimes, 50);

  const upsertGraph = new TinkerGraphLike({ ids: 'uuid' });
  const N = 2000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    const script =
      'g.mergeV([(T.id): a]).option(Merge.onCreate, [(T.label): "person", name: an]).as("o")' +
      '.mergeV([(T.id): b]).option(Merge.onCreate, [(T.label): "person", name: bn])' +
      '.mergeE([(T.label): "knows", (Direction.OUT): Merge.outV, (Direction.IN): Merge.inV])' +
      '.option(Merge.outV, select("o")).option(Merge.inV, identity()).property("weight", 1)';
    const a = `u${i % 500}`;
    const b = `c${i}`;
    executeTraversal(upsertGraph, parseGremlinScript(script, { a, an: a, b, bn: b }));
  }
  const upsertsPerSec = N / ((performance.now() - t0) / 1000);

  return [
    {
      name: 'gremlin engine: PYMK p50 (10k persons / 100k knows, in-process)',
      value: p50,
      unit: 'ms',
      target: '<= 10 ms through the client',
    },
    { name: 'gremlin engine: PYMK p95', value: percentile(engineTimes, 95), unit: 'ms' },
    {
      name: 'gremlin engine: PYMK ratio vs adjacency maps (p50)',
      value: p50 / direct50,
      unit: 'x',
      target: '<= 3x (through the client)',
    },
    {
      name: 'gremlin engine: upserts (mergeV+mergeV+mergeE scripts)',
      value: upsertsPerSec,
      unit: 'upserts/s',
      target: '>= 2000',
    },
    { name: 'gremlin engine: build 10k/100k graph', value: ms, unit: 'ms' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run())
    console.log(`${r.name}: ${r.value.toFixed(2)} ${r.unit}${r.target ? ` (target ${r.target})` : ''}`);
}
