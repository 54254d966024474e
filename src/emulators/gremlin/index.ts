// The embedded Gremlin Server: E1's parser + engine behind the websocket protocol layer.

import { type BytecodeLike, Property, VertexProperty } from './engine/structure.js';
import { type GremlinDialect, idGeneratorFor } from './server/dialect.js';
import { GraphPersistence, IdRecorder } from './server/persistence.js';
import type { GremlinEngine } from './server/request-processor.js';
import { startGremlinServerCore } from './server/server.js';
import type { PropertyResolver } from './server/wire-values.js';

export type { GremlinDialect } from './server/dialect.js';
export type { GremlinEngine } from './server/request-processor.js';

export interface StartGremlinServerOptions {
  /** default 8182; a taken port → the next free one; 0 → any free port */
  port?: number;
  host?: string;
  /** default 'neptune' */
  dialect?: GremlinDialect;
  /** persist the graph as JSON under DIR/gremlin/graph.json (debounced + on close), loaded on start */
  dataDir?: string;
  /** server-side evaluationTimeout when a request sets none (Gremlin Server's default: 30000 ms) */
  evaluationTimeoutMs?: number;
}

export interface GremlinServerHandle<G = unknown> {
  port: number;
  url: string;
  graph: G;
  dialect: GremlinDialect;
  close(): Promise<void>;
}

interface StoredVertexProperty {
  id: unknown;
  key: string;
  value: unknown;
  meta: Map<string, unknown>;
}
interface GraphLike {
  toJSON(): unknown;
  vertex(id: unknown): { props: Map<string, StoredVertexProperty[]> } | undefined;
  edge(id: unknown): { props: Map<string, unknown> } | undefined;
}
interface EngineModule {
  TinkerGraphLike: {
    new (options?: { idGenerator?: (kind: string) => unknown }): GraphLike;
    fromJSON(json: unknown, options?: { idGenerator?: (kind: string) => unknown }): GraphLike;
  };
  executeTraversal(graph: GraphLike, bytecode: BytecodeLike, options?: Record<string, unknown>): unknown[];
}
interface LanguageModule {
  parseGremlinScript(script: string, bindings?: Record<string, unknown>): BytecodeLike;
  UnresolvedVariableError?: new (...args: never[]) => Error;
}

export async function startGremlinServer(opts: StartGremlinServerOptions = {}): Promise<GremlinServerHandle> {
  const dialect = opts.dialect ?? 'neptune';
  const [engineModule, language] = (await Promise.all([
    import('./engine/index.js'),
    import('./language/index.js'),
  ])) as unknown as [EngineModule, LanguageModule];
  const randomIds = idGeneratorFor(dialect);
  // random ids are recorded with each logged mutation, so a replay after a crash gives the same ones
  const ids = randomIds && opts.dataDir ? new IdRecorder(randomIds) : undefined;
  const graphOptions = { idGenerator: ids ? ids.next : randomIds };
  const saved = opts.dataDir ? GraphPersistence.read(opts.dataDir) : undefined;
  const graph =
    saved === undefined
      ? new engineModule.TinkerGraphLike(graphOptions)
      : engineModule.TinkerGraphLike.fromJSON(saved, graphOptions);
  const engine: GremlinEngine = {
    execute: (bytecode, options) => engineModule.executeTraversal(graph, bytecode, options),
    parse: (script, bindings) => language.parseGremlinScript(script, bindings ?? {}),
    properties: storedProperties(graph),
  };
  const server = await startGremlinServerCore({
    port: opts.port ?? 8182,
    host: opts.host,
    dialect,
    engine,
    graph,
    dataDir: opts.dataDir,
    evaluationTimeoutMs: opts.evaluationTimeoutMs,
    snapshot: saved,
    ids,
  });
  return { ...server, graph, dialect };
}

export { startGremlinServerCore } from './server/server.js';

/** Element properties from the graph, as Gremlin Server returns them with materializeProperties=all. */
function storedProperties(graph: GraphLike): PropertyResolver {
  return {
    vertexProperties(id) {
      const v = graph.vertex(id);
      if (!v) return undefined;
      const out: unknown[] = [];
      for (const list of v.props.values()) {
        for (const vp of list) {
          const meta = [...vp.meta].map(([k, x]) => new Property(k, x));
          out.push(new VertexProperty(vp.id, vp.key, vp.value, meta));
        }
      }
      return out;
    },
    edgeProperties(id) {
      const e = graph.edge(id);
      return e ? [...e.props].map(([k, x]) => new Property(k, x)) : undefined;
    },
  };
}
