import type { EventSourceSummary } from '../runtime/event-source.js';
import type { InvocationTrace } from '../runtime/invoker.js';

/** Result of one invocation run from the cockpit (CLI invoke, replay). */
export interface InvokeOutcome extends Partial<EventSourceSummary> {
  partialFailures?: number;
  traceId?: number;
  function: string;
  requestId?: string;
  outcome: 'success' | 'error';
  result?: unknown;
  error?: InvocationTrace['error'];
  logs: InvocationTrace['logs'];
  durationMs?: number;
}

/**
 * Runs one invocation and describes it from its trace (the last one `traces` received while it ran): what
 * `octember invoke` prints and replays answer.
 */
export async function invokeTraced(
  functionName: string,
  traces: readonly (InvocationTrace & { id?: number })[],
  run: () => Promise<unknown>,
): Promise<InvokeOutcome> {
  let settled: { result: unknown } | { error: unknown };
  try {
    settled = { result: await run() };
  } catch (error) {
    settled = { error };
  }
  const trace = traces.at(-1);
  const common = {
    ...(trace
      ? {
          source: trace.source,
          sourceDetail: trace.sourceDetail,
          records: trace.records,
          partialFailures: trace.partialFailures,
        }
      : {}),
    traceId: trace?.id,
    function: functionName,
    requestId: trace?.requestId,
    logs: trace?.logs ?? [],
    durationMs: trace?.durationMs,
  };
  if ('result' in settled) return { ...common, outcome: 'success', result: settled.result };
  const error = settled.error as Error;
  return { ...common, outcome: 'error', error: trace?.error ?? { errorType: error.name, errorMessage: error.message } };
}
