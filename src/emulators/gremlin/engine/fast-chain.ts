// Child traversals of by()/where() that are plain 1:1 chains (select(keys), values('k'), id(), coalesce of such
// chains, ...) evaluated directly on an object: the same results as running them, without traversers.
import { compile, type Step } from './compile.js';
import { GVertex } from './graph.js';
import { adjacentV } from './navigation-steps.js';
import { type BytecodeLike, isEnum } from './structure.js';
import { columnValue, propsOf, tokenValue } from './values.js';

/** what a fast chain returns when the traversal would have produced nothing */
export const NO_VALUE: unique symbol = Symbol('no value');
export type FastChain = (o: unknown) => unknown;

export interface FastChainOps {
  columnValue(o: unknown, col: string): unknown;
  firstValue(o: unknown, key: string): unknown;
  tokenValue(o: unknown, name: string): unknown;
}

/** A function equivalent to the steps' first result, or null when a step is not a plain 1:1 (or 1:0) map. */
export function buildFastChain(
  steps: Step[],
  ops: FastChainOps,
  childSteps: (bc: unknown) => Step[],
): FastChain | null {
  const fns: FastChain[] = [];
  for (const s of steps) {
    if (s.by.length || s.options.length || s.withs.length) return null;
    const a = s.args;
    switch (s.name) {
      case 'identity':
        break;
      case 'select': {
        if (a.length !== 1 || !isEnum(a[0], 'Column')) return null;
        const col = a[0].elementName;
        fns.push((o) => ops.columnValue(o, col));
        break;
      }
      case 'values': {
        if (a.length !== 1 || typeof a[0] !== 'string') return null;
        const key = a[0];
        fns.push((o) => ops.firstValue(o, key));
        break;
      }
      case 'id':
      case 'label':
      case 'key':
      case 'value': {
        if (a.length) return null;
        const name = s.name;
        fns.push((o) => ops.tokenValue(o, name));
        break;
      }
      case 'constant': {
        if (a.length !== 1) return null;
        const c = a[0];
        fns.push(() => c);
        break;
      }
      case 'coalesce': {
        const branches: FastChain[] = [];
        for (const b of a) {
          const f = buildFastChain(childSteps(b), ops, childSteps);
          if (!f) return null;
          branches.push(f);
        }
        const [first, second] = branches;
        fns.push(
          branches.length === 2
            ? (o) => {
                const v = first(o);
                return v !== NO_VALUE ? v : second(o);
              }
            : (o) => {
                for (const f of branches) {
                  const v = f(o);
                  if (v !== NO_VALUE) return v;
                }
                return NO_VALUE;
              },
        );
        break;
      }
      default:
        return null;
    }
  }
  if (fns.length === 1) return fns[0];
  if (fns.length === 2) {
    const [first, second] = fns;
    return (o) => {
      const v = first(o);
      return v === NO_VALUE ? v : second(v);
    };
  }
  return (o) => {
    let v = o;
    for (const f of fns) {
      v = f(v);
      if (v === NO_VALUE) return v;
    }
    return v;
  };
}

export type VertexChain = (o: unknown) => unknown[];

/**
 * A child traversal made of adjacent-vertex steps (out/in/both with labels) and argument-less dedup(), as
 * flatMap(both('knows').dedup()) uses: its results for one object, computed without traversers. Every item after
 * the first step is a graph vertex (one object per vertex), so dedup() is by identity.
 */
export function buildVertexChain(
  steps: Step[],
  adjacent: (o: unknown, dir: string, labels: string[]) => unknown[],
): VertexChain | null {
  if (!steps.length || !['out', 'in', 'both'].includes(steps[0].name)) return null;
  const ops: ((xs: unknown[]) => unknown[])[] = [];
  for (const s of steps) {
    if (s.by.length || s.options.length || s.withs.length) return null;
    switch (s.name) {
      case 'out':
      case 'in':
      case 'both': {
        if (!s.args.every((x) => typeof x === 'string')) return null;
        const dir = s.name;
        const labels = s.args as string[];
        ops.push((xs) =>
          xs.length === 1 ? adjacent(xs[0], dir, labels) : xs.flatMap((x) => adjacent(x, dir, labels)),
        );
        break;
      }
      case 'dedup':
        if (s.args.length) return null;
        ops.push((xs) => (xs.length < 2 ? xs : [...new Set(xs)]));
        break;
      case 'identity':
        break;
      default:
        return null;
    }
  }
  return (o) => {
    let xs: unknown[] = [o];
    for (const op of ops) xs = op(xs);
    return xs;
  };
}

/** the first value values(key) yields for o, NO_VALUE when it yields none */
function firstPropValue(o: unknown, key: string): unknown {
  if (o instanceof GVertex) {
    const v = o.firstValue(key);
    if (v !== undefined) return v;
    const list = o.props.get(key);
    return list?.length ? list[0].value : NO_VALUE;
  }
  const p = propsOf(o, [key]);
  return p.length ? p[0].value : NO_VALUE;
}

// ---- cached per child Bytecode ---------------------------------------------------------------------------------

const fastChains = new WeakMap<object, FastChain | null>();
const fastChainOps = { columnValue, firstValue: firstPropValue, tokenValue };

/** by()/where() child traversals that are plain 1:1 maps, compiled once into a direct function (null: run it) */
export function fastChainOf(bc: BytecodeLike): FastChain | null {
  let f = fastChains.get(bc);
  if (f === undefined) {
    f = buildFastChain(compile(bc), fastChainOps, (b) => compile(b as BytecodeLike));
    fastChains.set(bc, f);
  }
  return f;
}

/** A child traversal that is one adjacent-vertex step, optionally followed by dedup(): out/in/both('knows').dedup() */
export interface AdjacentStep {
  dir: 'out' | 'in' | 'both';
  /** edge labels (none: every label) */
  labels: string[];
  dedup: boolean;
}

function adjacentStep(steps: Step[]): AdjacentStep | null {
  const [walk, ...rest] = steps.filter((s) => s.name !== 'identity');
  if (!walk || (walk.name !== 'out' && walk.name !== 'in' && walk.name !== 'both')) return null;
  for (const s of [walk, ...rest]) if (s.by.length || s.options.length || s.withs.length) return null;
  if (!walk.args.every((x) => typeof x === 'string')) return null;
  if (rest.length > 1 || (rest.length === 1 && (rest[0].name !== 'dedup' || rest[0].args.length))) return null;
  return { dir: walk.name, labels: walk.args as string[], dedup: rest.length === 1 };
}

const adjacentSteps = new WeakMap<object, AdjacentStep | null>();

/** flatMap() children of the shape out/in/both(labels)[.dedup()], read once (null: another shape) */
export function adjacentStepOf(bc: BytecodeLike): AdjacentStep | null {
  let f = adjacentSteps.get(bc);
  if (f === undefined) {
    f = adjacentStep(compile(bc));
    adjacentSteps.set(bc, f);
  }
  return f;
}

const vertexChains = new WeakMap<object, VertexChain | null>();

/** flatMap() children that only walk to adjacent vertices (and dedup), compiled once (null: run it) */
export function vertexChainOf(bc: BytecodeLike): VertexChain | null {
  let f = vertexChains.get(bc);
  if (f === undefined) {
    f = buildVertexChain(compile(bc), adjacentV);
    vertexChains.set(bc, f);
  }
  return f;
}
