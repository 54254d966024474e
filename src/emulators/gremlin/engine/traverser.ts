// Traversers, paths and the per-execution context.
import type { TinkerGraphLike } from './graph.js';

export interface PathNode {
  readonly obj: unknown;
  readonly labels: readonly string[];
  readonly prev: PathNode | null;
}

export interface LoopFrame {
  name?: string;
  n: number;
}

export interface Trav {
  o: unknown;
  p: PathNode | null;
  loops: LoopFrame[];
  sack?: unknown;
  /** number of identical traversers this one stands for (merged when no step needs paths) */
  bulk?: number;
}

// Whether traversers record their paths. Off while a traversal runs that can observe neither path objects nor
// path labels (no as(), path(), simplePath(), tree(), ...): it then allocates no path nodes. Execution is
// synchronous, so the flag is set around one executeTraversal() call (see withPathTracking).
let trackPaths = true;

export function withPathTracking<T>(on: boolean, run: () => T): T {
  const previous = trackPaths;
  trackPaths = on;
  try {
    return run();
  } finally {
    trackPaths = previous;
  }
}

/** whether the traversal being run records paths */
export function tracksPaths(): boolean {
  return trackPaths;
}

export function startTrav(o: unknown, sack?: unknown): Trav {
  return { o, p: trackPaths ? { obj: o, labels: [], prev: null } : null, loops: [], sack };
}

/** the traverser with bulk 1 (for child traversals that must see it once) */
export function single(t: Trav): Trav {
  return (t.bulk ?? 1) === 1 ? t : { ...t, bulk: 1 };
}

/** traverser moved to a new object (path extended) */
export function move(t: Trav, o: unknown): Trav {
  return { o, p: trackPaths ? { obj: o, labels: [], prev: t.p } : null, loops: t.loops, sack: t.sack, bulk: t.bulk };
}

/** traverser with a replaced object but the same path length (used by side-effect-free rewrites) */
export function replace(t: Trav, o: unknown): Trav {
  return {
    o,
    p: t.p ? { obj: o, labels: t.p.labels, prev: t.p.prev } : { obj: o, labels: [], prev: null },
    loops: t.loops,
    sack: t.sack,
    bulk: t.bulk,
  };
}

export function labelTrav(t: Trav, labels: string[]): Trav {
  const p = t.p ?? { obj: t.o, labels: [], prev: null };
  return {
    ...t,
    p: { obj: p.obj, labels: [...p.labels, ...labels.filter((l) => !p.labels.includes(l))], prev: p.prev },
  };
}

export function pathNodes(p: PathNode | null): PathNode[] {
  const out: PathNode[] = [];
  for (let n = p; n; n = n.prev) out.push(n);
  return out.reverse();
}

/** Values labelled `label` in the path, oldest first. */
export function pathLabelled(p: PathNode | null, label: string): unknown[] {
  const out: unknown[] = [];
  for (let n = p; n; n = n.prev) if (n.labels.includes(label)) out.push(n.obj);
  return out.reverse();
}

export interface SackConfig {
  init: () => unknown;
  split?: 'clone';
  merge?: unknown;
}

export interface ExecContext {
  graph: TinkerGraphLike;
  sideEffects: Map<string, unknown>;
  /** reducing operators given with withSideEffect(key, value, operator) */
  sideEffectOps: Map<string, unknown>;
  sack?: SackConfig;
  productiveBy: boolean;
  strategies: Map<string, Record<string, unknown>>;
  /** every as() label of the traversal and its children (a label outside this set is never in a path) */
  pathLabels?: ReadonlySet<string>;
  /** no step of the traversal needs paths, so equal traversers may be merged into one with a bulk */
  pathless: boolean;
  /** withBulk(false): merged traversers count once */
  withBulk: boolean;
  /** epoch ms after which the traversal is abandoned */
  deadline?: number;
  /** labels of side effects bound with withSideEffect (select() sees them) */
}
