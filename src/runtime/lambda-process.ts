import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { currentInvocation, type InvocationScope } from '../lib/invocation-context.js';
import { logger, relayFunctionOutput } from '../lib/logger.js';
import type { LambdaFunction } from './invoker.js';

/**
 * The bootstrap of a function's own process, plain JavaScript with nothing but Node built-ins (the process sees only
 * its bundle and the AWS SDK): imports the bundle (the cold start), then runs one invocation at a time sent over IPC,
 * with a Lambda-shaped context, and answers the result or the error as Lambda reports it.
 */
const BOOTSTRAP = `
const started = performance.now();
const entry = process.env.OCTEMBER_LAMBDA_ENTRY;
delete process.env.OCTEMBER_LAMBDA_ENTRY;
const describe = (error) => ({
  errorType: error?.name ?? 'Error',
  errorMessage: error?.message ?? String(error),
  trace: typeof error?.stack === 'string' ? error.stack.split('\\n') : [],
});
let handler;
try {
  const module = await import(entry);
  handler = module.handler;
  if (typeof handler !== 'function') throw Object.assign(new Error(entry + ' does not export handler'), { name: 'Runtime.HandlerNotFound' });
  process.send({ type: 'ready', importMs: performance.now() - started, functionName: handler.functionName });
} catch (error) {
  process.send({ type: 'init-error', error: describe(error) }, () => process.exit(1));
}
process.on('message', async (message) => {
  if (message?.type !== 'invoke') return;
  const deadline = Date.now() + message.context.timeoutMs;
  const context = {
    ...message.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {}, fail() {}, succeed() {},
  };
  try {
    const value = await handler(message.event, context);
    process.send({ type: 'result', id: message.id, ok: true, value: value === undefined ? null : value });
  } catch (error) {
    process.send({ type: 'result', id: message.id, ok: false, error: describe(error) });
  }
});
`;

interface ChildMessage {
  type: 'ready' | 'init-error' | 'result';
  id?: string;
  ok?: boolean;
  value?: unknown;
  error?: never;
  importMs?: number;
  functionName?: string;
}

export const BOOTSTRAP_FILE = '.octember-bootstrap.mjs';

export interface LambdaProcessOptions {
  functionName: string;
  /** Directory holding the function's bundle; its parent holds the AWS SDK's node_modules. */
  dir: string;
  /** The bundle file inside `dir` (default index.mjs). */
  entry?: string;
  /** The function's whole environment (nothing of the parent's is inherited). */
  env: Record<string, string>;
  timeoutMs: number;
  memoryMb?: number;
}

export interface LambdaProcess {
  /** The function for the invoker: starts the process on first use, one invocation at a time. */
  invoke: LambdaFunction;
  /** Starts the process (the cold start) without invoking: the import time and the function the bundle says it is. */
  load(): Promise<{ importMs: number; functionName?: string }>;
  /** Milliseconds the last cold start spent importing the bundle. */
  readonly importMs: number | undefined;
  close(): Promise<void>;
}

/** A function error as the runtime reports it (errorType becomes the error's name). */
export class LambdaFunctionError extends Error {
  constructor(error: { errorType: string; errorMessage: string; trace?: string[] }) {
    super(error.errorMessage);
    this.name = error.errorType;
    if (error.trace?.length) this.stack = error.trace.join('\n');
  }
}

/**
 * Runs a function from its bundle in a child process of its own, as Lambda runs it: a cold start that imports the
 * bundle, invocations one at a time, the process replaced after a timeout or a crash.
 */
export function createLambdaProcess(options: LambdaProcessOptions): LambdaProcess {
  const bootstrap = join(options.dir, '..', BOOTSTRAP_FILE);
  writeFileSync(bootstrap, BOOTSTRAP);
  let child: ChildProcess | undefined;
  let ready: Promise<ChildProcess> | undefined;
  let importMs: number | undefined;
  let loadedName: string | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  /** The invocation running now (one at a time): its trace gets the lines the process writes, cold start included. */
  let running: InvocationScope | undefined;
  const relay = (line: string) => relayFunctionOutput(line, running);
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  const start = (): Promise<ChildProcess> =>
    new Promise((resolve, reject) => {
      const started = fork(bootstrap, [], {
        cwd: options.dir,
        env: {
          ...options.env,
          OCTEMBER_LAMBDA_ENTRY: pathToFileURL(join(options.dir, options.entry ?? 'index.mjs')).href,
        },
        execArgv: options.memoryMb ? [`--max-old-space-size=${Math.max(64, Math.floor(options.memoryMb * 0.9))}`] : [],
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      // The function's stdout and stderr are its logs: line by line into the running invocation's trace and to
      // the kit's stderr. (Relayed by hand: piping fourteen processes into stderr would stack listeners on it.)
      for (const output of [started.stdout, started.stderr]) {
        if (output) createInterface({ input: output, crlfDelay: Number.POSITIVE_INFINITY }).on('line', relay);
      }
      started.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          importMs = message.importMs;
          loadedName = message.functionName;
          resolve(started);
        } else if (message.type === 'init-error') {
          reject(new LambdaFunctionError(message.error as never));
        } else if (message.type === 'result' && message.id) {
          const waiter = pending.get(message.id);
          pending.delete(message.id);
          if (message.ok) waiter?.resolve(message.value);
          else waiter?.reject(new LambdaFunctionError(message.error as never));
        }
      });
      started.once('exit', (code, signal) => {
        if (child === started) {
          child = undefined;
          ready = undefined;
        }
        const error = new Error(
          `${options.functionName}: the function's process exited (${signal ?? `code ${code}`}) (Runtime.ExitError)`,
        );
        reject(error);
        for (const [id, waiter] of pending) {
          pending.delete(id);
          waiter.reject(error);
        }
      });
      child = started;
    });

  const started = () => {
    ready ??= start().catch((error) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };

  const runOne = async (event: unknown, context: Context): Promise<unknown> => {
    running = currentInvocation();
    try {
      return await send(await started(), event, context);
    } finally {
      // The function wrote its lines before answering (pipes are synchronous on Linux); they are read in the same
      // turn of the event loop as the answer, so one more turn lets them reach this invocation's trace.
      await new Promise((resolve) => setImmediate(resolve));
      running = undefined;
    }
  };

  const send = (process: ChildProcess, event: unknown, context: Context): Promise<unknown> => {
    const id = randomUUID();
    const timeoutMs = Math.max(1, context?.getRemainingTimeInMillis?.() ?? options.timeoutMs);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!pending.delete(id)) return;
        logger.warn({ function: options.functionName }, 'invocation timed out: the function process is replaced');
        process.kill('SIGKILL');
        reject(new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      process.send({
        type: 'invoke',
        id,
        event,
        context: {
          functionName: options.functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: context?.invokedFunctionArn,
          memoryLimitInMB: String(options.memoryMb ?? 128),
          awsRequestId: context?.awsRequestId ?? id,
          logGroupName: `/aws/lambda/${options.functionName}`,
          logStreamName: context?.logStreamName,
          timeoutMs,
        },
      });
    });
  };

  return {
    invoke(event, context) {
      const run = queue.then(() => runOne(event, context));
      queue = run.catch(() => undefined);
      return run;
    },
    async load() {
      await started();
      return { importMs: importMs ?? 0, ...(loadedName ? { functionName: loadedName } : {}) };
    },
    get importMs() {
      return importMs;
    },
    async close() {
      const running = child;
      child = undefined;
      ready = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGTERM');
        setTimeout(() => running.kill('SIGKILL'), 2000).unref();
      });
    },
  };
}
