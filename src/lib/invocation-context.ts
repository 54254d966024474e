import { AsyncLocalStorage } from 'node:async_hooks';

/** One log line written while a function ran (pino's JSON line parsed, or a console call). */
export interface InvocationLogLine {
  time: number;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  fields?: Record<string, unknown>;
}

/** What the runtime knows about the invocation the current async context belongs to. */
export interface InvocationScope {
  function: string;
  requestId: string;
  logs: InvocationLogLine[];
}

/** Lines kept per invocation; the rest are counted, not stored. */
const MAX_LINES = 200;

// On globalThis: hot-reloaded handler code loads its own copy of the logger module, and its lines must still land
// in the scope the invoker opened.
const KEY = Symbol.for('octember.invocation-scope');
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<InvocationScope> | undefined>;
holder[KEY] ??= new AsyncLocalStorage<InvocationScope>();
const storage = holder[KEY];

export function runInInvocation<T>(scope: InvocationScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentInvocation(): InvocationScope | undefined {
  return storage.getStore();
}

/** Adds a line to the running invocation's logs (a no-op outside one), or to the given invocation's. */
export function appendInvocationLog(line: InvocationLogLine, scope = storage.getStore()): void {
  if (!scope) return;
  if (scope.logs.length < MAX_LINES) scope.logs.push(line);
  else if (scope.logs.length === MAX_LINES)
    scope.logs.push({ time: line.time, level: 'warn', msg: `further log lines of this invocation were dropped` });
}

const CONSOLE_LEVELS = { log: 'info', info: 'info', debug: 'debug', warn: 'warn', error: 'error' } as const;
let consoleCaptures = 0;
let restoreConsoleMethods: (() => void) | undefined;

/**
 * Also records console output written during an invocation (it still reaches the terminal, as in Lambda).
 * Counted: the console is restored when every capture was released.
 */
export function captureConsole(): () => void {
  if (consoleCaptures++ === 0) {
    const originals = new Map<keyof typeof CONSOLE_LEVELS, (...args: unknown[]) => void>();
    for (const method of Object.keys(CONSOLE_LEVELS) as (keyof typeof CONSOLE_LEVELS)[]) {
      const original = console[method];
      originals.set(method, original);
      console[method] = (...args: unknown[]) => {
        if (storage.getStore()) {
          const msg = args.map((a) => (typeof a === 'string' ? a : safeInspect(a))).join(' ');
          appendInvocationLog({ time: Date.now(), level: CONSOLE_LEVELS[method], msg });
        }
        original.apply(console, args);
      };
    }
    restoreConsoleMethods = () => {
      for (const [method, original] of originals) console[method] = original;
    };
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--consoleCaptures === 0) restoreConsoleMethods?.();
  };
}

function safeInspect(value: unknown): string {
  if (value instanceof Error) return value.stack ?? value.message;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
