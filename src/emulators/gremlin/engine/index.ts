// Public entry of the in-memory Gremlin engine: the graph and executeTraversal(graph, bytecode).
import { parseGremlinStatements } from '../language/index.js';
import { compile } from './compile.js';
import { GEdge, GProperty, GremlinEngineError, GVertex, GVertexProperty, TinkerGraphLike } from './graph.js';
import { TraversalTimeoutError } from './limits.js';
import { Machine } from './machine.js';

export { TraversalTimeoutError };

import {
  type BytecodeLike,
  Edge,
  EnumValue,
  isBytecode,
  isEnum,
  Path,
  Property,
  Vertex,
  VertexProperty,
} from './structure.js';
import { type ExecContext, withPathTracking } from './traverser.js';
import { MapEntry, PathValue, TreeValue } from './values.js';

export type { GraphOptions } from './graph.js';
export { GremlinEngineError, TinkerGraphLike };

/** A Gremlin Tree result: ordered [node, subtree] entries. */
export class Tree {
  constructor(readonly entries: [unknown, Tree][]) {}
}

export interface ExecuteOptions {
  sideEffects?: Record<string, unknown>;
  /** abandon the traversal with a TraversalTimeoutError after this many ms (checked between steps) */
  timeoutMs?: number;
  /** epoch ms after which the traversal is abandoned (alternative to timeoutMs) */
  deadline?: number;
}

const MUTATING = new Set(['addV', 'addE', 'property', 'drop', 'mergeV', 'mergeE']);

function cloneInit(v: unknown): unknown {
  if (Array.isArray(v)) return [...v];
  if (v instanceof Map) return new Map(v);
  if (v instanceof Set) return new Set(v);
  return v;
}

const PATH_STEPS = new Set([
  'path',
  'select',
  'as',
  'simplePath',
  'cyclicPath',
  'tree',
  'match',
  'where',
  'sack',
  'math',
  'otherV',
  'subgraph',
  'format',
  'index',
]);

/** steps that read the objects of a traverser's path (not only its labels) */
const PATH_OBJECT_STEPS = new Set(['path', 'simplePath', 'cyclicPath', 'tree', 'otherV', 'match', 'subgraph']);

function readsPathObjects(bc: BytecodeLike): boolean {
  return bc.stepInstructions.some(
    (ins) => PATH_OBJECT_STEPS.has(ins[0] as string) || ins.slice(1).some((x) => readsNestedPathObjects(x)),
  );
}

function readsNestedPathObjects(x: unknown): boolean {
  if (isBytecode(x)) return readsPathObjects(x);
  if (Array.isArray(x)) return x.some(readsNestedPathObjects);
  if (x instanceof Map) return [...x].some(([k, v]) => readsNestedPathObjects(k) || readsNestedPathObjects(v));
  return false;
}

function isPathless(bc: BytecodeLike): boolean {
  if (bc.sourceInstructions.some((ins) => ins[0] === 'withSack')) return false;
  return bc.stepInstructions.every(
    (ins) =>
      !PATH_STEPS.has(ins[0] as string) &&
      !(ins[0] === 'dedup' && ins.slice(1).some((x) => typeof x === 'string')) &&
      ins.slice(1).every((x) => !isBytecode(x) || isPathless(x)),
  );
}

function collectAsLabels(bc: BytecodeLike, out: Set<string>): Set<string> {
  for (const ins of bc.stepInstructions) {
    if (ins[0] === 'as') for (const x of ins.slice(1)) out.add(String(x));
    for (const x of ins.slice(1)) collectNestedAsLabels(x, out);
  }
  return out;
}

function collectNestedAsLabels(x: unknown, out: Set<string>): void {
  if (isBytecode(x)) collectAsLabels(x, out);
  else if (Array.isArray(x)) for (const y of x) collectNestedAsLabels(y, out);
  else if (x instanceof Map) {
    for (const [k, v] of x) {
      collectNestedAsLabels(k, out);
      collectNestedAsLabels(v, out);
    }
  }
}

function hasMutation(bc: BytecodeLike): boolean {
  return bc.stepInstructions.some(
    (ins) => MUTATING.has(ins[0] as string) || ins.slice(1).some((x) => isBytecode(x) && hasMutation(x)),
  );
}

export function executeTraversal(
  graph: TinkerGraphLike,
  bytecode: BytecodeLike,
  options: ExecuteOptions = {},
): unknown[] {
  const ctx: ExecContext = {
    graph,
    sideEffects: new Map(Object.entries(options.sideEffects ?? {})),
    productiveBy: false,
    sideEffectOps: new Map(),
    pathless: isPathless(bytecode),
    pathLabels: collectAsLabels(bytecode, new Set()),
    withBulk: true,
    strategies: new Map(),
    deadline:
      options.deadline !== undefined && Number.isFinite(options.deadline)
        ? options.deadline
        : options.timeoutMs === undefined
          ? undefined
          : Date.now() + options.timeoutMs,
  };
  for (const ins of bytecode.sourceInstructions) {
    const [name, ...args] = ins as [string, ...unknown[]];
    switch (name) {
      case 'withBulk':
        ctx.withBulk = args[0] !== false;
        break;
      case 'withSideEffect':
        ctx.sideEffects.set(String(args[0]), cloneInit(args[1]));
        if (args.length > 2) ctx.sideEffectOps.set(String(args[0]), args[2]);
        break;
      case 'withSack': {
        const init = args[0];
        if (isBytecode(init)) throw new GremlinEngineError('withSack() supplier traversals are not supported');
        ctx.sack = { init: () => cloneInit(init), merge: args.length >= 2 ? args[args.length - 1] : undefined };
        break;
      }
      case 'withStrategies':
        for (const st of args) {
          const s = st as { fqcn?: string; configuration?: Record<string, unknown> };
          const short = String(s.fqcn ?? st)
            .split('.')
            .pop() as string;
          ctx.strategies.set(short, s.configuration ?? {});
          if (short === 'ProductiveByStrategy') ctx.productiveBy = true;
        }
        break;
      default:
        break;
    }
  }
  if (ctx.strategies.has('ReadOnlyStrategy') && hasMutation(bytecode)) {
    throw new GremlinEngineError('The provided traversal has a mutating step and thus is not read only');
  }
  const machine = new Machine(ctx);
  const trackPaths = (ctx.pathLabels?.size ?? 1) > 0 || readsPathObjects(bytecode);
  const results = withPathTracking(trackPaths, () => machine.expand(machine.run(compile(bytecode), [])));
  return results.map((t) => toResult(t.o));
}

/** Parses a gremlin-lang script and runs every statement; returns the last statement's results. */
export function executeScript(
  graph: TinkerGraphLike,
  script: string,
  bindings: Record<string, unknown> = {},
): unknown[] {
  let last: unknown[] = [];
  for (const bc of parseGremlinStatements(script, bindings)) last = executeTraversal(graph, bc);
  return last;
}

/** Engine values → gremlin structure classes and plain JS values. */
export function toResult(x: unknown): unknown {
  if (x === null || x === undefined || typeof x !== 'object') return x;
  if (x instanceof GVertex) return new Vertex(x.id, x.label, undefined);
  if (x instanceof GEdge) {
    return new Edge(
      x.id,
      new Vertex(x.outV.id, x.outV.label, undefined),
      x.label,
      new Vertex(x.inV.id, x.inV.label, undefined),
      undefined,
    );
  }
  if (x instanceof GVertexProperty) return new VertexProperty(x.id, x.key, toResult(x.value), undefined);
  if (x instanceof GProperty) return new Property(x.key, toResult(x.value));
  if (x instanceof PathValue) return new Path(x.labels, x.objects.map(toResult));
  if (x instanceof MapEntry) return new Map([[toResult(x.key), toResult(x.value)]]);
  if (x instanceof TreeValue) return new Tree(x.entries.map(([k, v]) => [toResult(k), toResult(v) as Tree]));
  if (Array.isArray(x)) return x.map(toResult);
  if (x instanceof Set) return new Set([...x].map(toResult));
  if (x instanceof Map) {
    const out = new Map();
    for (const [k, v] of x) out.set(toResult(k), toResult(v));
    return out;
  }
  if (isEnum(x) && !(x instanceof EnumValue)) {
    const e = x as { typeName: string; elementName: string };
    return new EnumValue(e.typeName, e.elementName);
  }
  return x;
}
