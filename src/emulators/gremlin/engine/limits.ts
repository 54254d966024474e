// Bounds every traversal runs under: a traverser count and the caller's deadline.
import { GremlinEngineError } from './graph.js';
import type { ExecContext } from './traverser.js';

export const MAX_TRAVERSERS = 500_000;

/** Thrown when ExecuteOptions.timeoutMs elapses (Gremlin Server answers 598). */
export class TraversalTimeoutError extends GremlinEngineError {
  constructor() {
    super('A timeout occurred during traversal evaluation');
    this.name = 'TraversalTimeoutError';
  }
}

/** Throws TraversalTimeoutError once the execution's deadline has passed. */
export function checkDeadline(ctx: ExecContext): void {
  if (ctx.deadline !== undefined && Date.now() > ctx.deadline) throw new TraversalTimeoutError();
}
