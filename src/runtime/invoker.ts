import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'aws-lambda';
import { type InvocationLogLine, runInInvocation } from '../lib/invocation-context.js';
import { logger as defaultLogger, type Logger } from '../lib/logger.js';
import { describeEventSource, type EventSourceSummary, partialFailures } from './event-source.js';
import { describeError, failureDestinationDir, writeFailureRecord } from './failure-destination.js';
import { createLambdaContext, functionArn } from './lambda-context.js';

// biome-ignore lint/suspicious/noExplicitAny: handlers take any event shape
export type LambdaFunction = (event: any, context: Context) => unknown;

export interface FunctionOptions {
  /** Lambda's configured timeout; the invocation fails with "Task timed out" after it (default 300 s). */
  timeoutMs?: number;
  memoryLimitMb?: number;
}

export interface InvokerOptions {
  /** On-failure destination root: exhausted async events land in `${dataDir}/failures/<function>/`. */
  dataDir?: string;
  /** Retries of an asynchronous invocation after the first attempt (AWS: 2). */
  asyncRetries?: number;
  /** Multiplies the 1 s / 2 s retry delays; tests use a tiny value. */
  retryDelayScale?: number;
  logger?: Logger;
  /**
   * Asynchronous invocations of one function running at once (its reserved concurrency); more events wait in a
   * queue, in order, as Lambda's event queue does, and are never rejected (default 10).
   */
  asyncConcurrency?: number;
}

export type AsyncOutcome =
  | { status: 'success'; attempts: number }
  | { status: 'failed'; attempts: number; error: unknown; failureFile?: string };

export interface AsyncInvocation {
  requestId: string;
  /** Settles (never rejects) once the event succeeded or was handed to the on-failure destination. */
  completion: Promise<AsyncOutcome>;
}

/** One finished attempt of one invocation, as the trace hook sees it. */
export interface InvocationTrace extends EventSourceSummary {
  function: string;
  requestId: string;
  invocationType: 'RequestResponse' | 'Event';
  attempt: number;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  event: unknown;
  outcome: 'success' | 'error';
  result?: unknown;
  error?: { errorType: string; errorMessage: string; trace?: string[] };
  /** Records a partial batch response reported as failed. */
  partialFailures?: number;
  /** What the function logged while it ran. */
  logs: InvocationLogLine[];
}

export type InvocationListener = (trace: InvocationTrace) => void;

export interface Invoker {
  register(name: string, fn: LambdaFunction, options?: FunctionOptions): void;
  /** Swaps a registered function's code, keeping its options (hot reload); returns the code it replaced. */
  replace(name: string, fn: LambdaFunction): LambdaFunction | undefined;
  /** Calls `listener` after every attempt of every invocation; returns the unsubscribe function. */
  onInvocation(listener: InvocationListener): () => void;
  has(name: string): boolean;
  /** RequestResponse invocation: resolves with the function's result, rejects with its error. */
  invoke<T = unknown>(name: string, event: unknown): Promise<T>;
  /** Event invocation: queued at once; retried with backoff, then written to the on-failure destination. */
  invokeAsync(name: string, event: unknown): AsyncInvocation;
  /** Resolves when no asynchronous invocation is pending. */
  idle(): Promise<void>;
}

export class FunctionNotFoundError extends Error {
  override name = 'ResourceNotFoundException';
  constructor(functionName: string) {
    super(`Function not found: ${functionArn(functionName)}`);
  }
}

export class FunctionTimeoutError extends Error {
  override name = 'Sandbox.Timedout';
  /**
   * Resolves when the timed-out attempt really stopped. An in-process function cannot be stopped from outside (a
   * child-process function is killed): its result is discarded, and retries wait for it (see `attemptSettled`).
   */
  settled: Promise<void> = Promise.resolve();
  constructor(readonly timeoutMs: number) {
    super(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
  }
}

/** Longest a retry waits for a timed-out in-process attempt (a function that never returns must not block forever). */
const MIN_SETTLE_WAIT_MS = 30_000;

/**
 * Before a retry: when the failed attempt timed out but is still running in this process, waits until it ends (at
 * most twice its timeout, and 30 s at least), so two attempts of one event never run side by side.
 */
export async function attemptSettled(error: unknown): Promise<void> {
  if (!(error instanceof FunctionTimeoutError)) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    error.settled,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(2 * error.timeoutMs, MIN_SETTLE_WAIT_MS));
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}

const DEFAULT_TIMEOUT_MS = 300_000;
const ASYNC_RETRY_DELAYS_MS = [1000, 2000];
const DEFAULT_ASYNC_CONCURRENCY = 10;

export function createInvoker(options: InvokerOptions = {}): Invoker {
  const log = options.logger ?? defaultLogger;
  const functions = new Map<string, { fn: LambdaFunction; options: FunctionOptions }>();
  const pending = new Set<Promise<AsyncOutcome>>();
  const retries = options.asyncRetries ?? 2;
  const delayScale = options.retryDelayScale ?? 1;
  const listeners = new Set<InvocationListener>();
  const asyncConcurrency = Math.max(1, options.asyncConcurrency ?? DEFAULT_ASYNC_CONCURRENCY);
  /** per function: asynchronous attempts running, and the ones waiting for a slot (first in, first out) */
  const asyncSlots = new Map<string, { running: number; waiting: (() => void)[] }>();

  async function withAsyncSlot<T>(name: string, task: () => Promise<T>): Promise<T> {
    let slots = asyncSlots.get(name);
    if (!slots) {
      slots = { running: 0, waiting: [] };
      asyncSlots.set(name, slots);
    }
    if (slots.running >= asyncConcurrency) await new Promise<void>((resolve) => slots.waiting.push(resolve));
    else slots.running++;
    try {
      return await task();
    } finally {
      const next = slots.waiting.shift();
      if (next) next();
      else slots.running--;
    }
  }

  function emit(trace: InvocationTrace) {
    for (const listener of listeners) {
      try {
        listener(trace);
      } catch (error) {
        log.error({ err: error }, 'invocation listener failed');
      }
    }
  }

  async function runOnce(
    name: string,
    event: unknown,
    requestId: string,
    invocationType: InvocationTrace['invocationType'],
    attempt = 1,
  ) {
    const registered = functions.get(name);
    if (!registered) throw new FunctionNotFoundError(name);
    const timeoutMs = registered.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const startedAt = Date.now();
    const context = createLambdaContext({
      functionName: name,
      awsRequestId: requestId,
      timeoutMs,
      memoryLimitMb: registered.options.memoryLimitMb,
      startedAt,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FunctionTimeoutError(timeoutMs)), timeoutMs);
      timer.unref();
    });
    const source = describeEventSource(event);
    const logs: InvocationLogLine[] = [];
    const traced = (outcome: Partial<InvocationTrace> & Pick<InvocationTrace, 'outcome' | 'durationMs'>) => {
      if (listeners.size === 0) return;
      emit({ function: name, requestId, invocationType, attempt, startedAt, event, logs, ...source, ...outcome });
    };
    const call = () => Promise.resolve().then(() => registered.fn(event, context));
    // The log-capturing async context only while someone traces: it slows every promise in the process a little.
    const running = listeners.size > 0 ? runInInvocation({ function: name, requestId, logs }, call) : call();
    try {
      const result = await Promise.race([running, timeout]);
      const durationMs = Date.now() - startedAt;
      const failedRecords = partialFailures(result);
      log.info(
        {
          function: name,
          requestId,
          invocationType,
          attempt,
          durationMs,
          outcome: 'success',
          ...source,
          ...(failedRecords ? { partialFailures: failedRecords } : {}),
        },
        'invocation',
      );
      traced({ outcome: 'success', durationMs, result, partialFailures: failedRecords });
      return result;
    } catch (error) {
      if (error instanceof FunctionTimeoutError) {
        const timedOutAt = Date.now();
        error.settled = running.then(
          () => undefined,
          () => undefined,
        );
        void error.settled.then(() =>
          log.warn(
            { function: name, requestId, ranOnMs: Date.now() - timedOutAt },
            'a timed-out invocation ran on in-process and has now ended; its result was discarded',
          ),
        );
      }
      const described = describeError(error);
      const { errorType, errorMessage } = described;
      const durationMs = Date.now() - startedAt;
      log.warn(
        {
          function: name,
          requestId,
          invocationType,
          attempt,
          durationMs,
          outcome: 'error',
          ...source,
          error: { errorType, errorMessage },
        },
        'invocation',
      );
      traced({ outcome: 'error', durationMs, error: described });
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async function runAsync(name: string, event: unknown, requestId: string): Promise<AsyncOutcome> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      if (attempt > 1) {
        const base = ASYNC_RETRY_DELAYS_MS[Math.min(attempt - 2, ASYNC_RETRY_DELAYS_MS.length - 1)];
        await sleep(base * delayScale);
      }
      try {
        await attemptSettled(lastError);
        await withAsyncSlot(name, () => runOnce(name, event, requestId, 'Event', attempt));
        return { status: 'success', attempts: attempt };
      } catch (error) {
        lastError = error;
        if (error instanceof FunctionNotFoundError) break;
      }
    }
    const attempts = lastError instanceof FunctionNotFoundError ? 0 : retries + 1;
    const failure = describeError(lastError);
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: `${functionArn(name)}:$LATEST`,
        condition: attempts === 0 ? 'FunctionNotFound' : 'RetriesExhausted',
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: failure,
    };
    let failureFile: string | undefined;
    if (options.dataDir) {
      try {
        failureFile = await writeFailureRecord(failureDestinationDir(options.dataDir, name), requestId, record);
      } catch (writeError) {
        log.error(
          { function: name, requestId, err: writeError, event },
          'could not write the on-failure destination record',
        );
      }
    }
    log.error(
      {
        function: name,
        requestId,
        attempts,
        failureFile,
        error: failure.errorMessage,
        ...(failureFile ? {} : { event }),
      },
      'asynchronous invocation failed for good',
    );
    return { status: 'failed', attempts, error: lastError, failureFile };
  }

  return {
    register(name, fn, functionOptions = {}) {
      functions.set(name, { fn, options: functionOptions });
    },
    replace(name, fn) {
      const registered = functions.get(name);
      if (!registered) return undefined;
      functions.set(name, { fn, options: registered.options });
      return registered.fn;
    },
    onInvocation(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    has(name) {
      return functions.has(name);
    },
    async invoke<T>(name: string, event: unknown) {
      return (await runOnce(name, event, randomUUID(), 'RequestResponse')) as T;
    },
    invokeAsync(name, event) {
      const requestId = randomUUID();
      const completion = runAsync(name, event, requestId);
      pending.add(completion);
      void completion.finally(() => pending.delete(completion));
      return { requestId, completion };
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
