import pino from 'pino';
import {
  appendInvocationLog,
  captureConsole,
  currentInvocation,
  type InvocationLogLine,
  type InvocationScope,
} from './invocation-context.js';
import { type LogFormat, prettyLine } from './log-format.js';

export type { LogFormat } from './log-format.js';

const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 99 };
const NAMES: Record<number, InvocationLogLine['level']> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/**
 * `OCTEMBER_LOG_FORMAT=pretty|json`; by default one readable line per event when stderr is a terminal, JSON lines
 * otherwise (files, pipes, CI).
 */
export function logFormatFromEnvironment(): LogFormat {
  const wanted = process.env.OCTEMBER_LOG_FORMAT;
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return process.stderr.isTTY ? 'pretty' : 'json';
}

const configured = process.env.OCTEMBER_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
const threshold = LEVELS[configured] ?? LEVELS.info;
const format = logFormatFromEnvironment();
const color = format === 'pretty' && process.stderr.isTTY === true && !process.env.NO_COLOR;

/** A pino line as an invocation's log line. */
function traceLine(parsed: Record<string, unknown>): InvocationLogLine {
  const { level, time, msg, ...fields } = parsed;
  return {
    time: Number(time),
    level: NAMES[Number(level)] ?? 'info',
    msg: String(msg ?? ''),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
  };
}

/** A JSON log line to the terminal, at this process's level and in its format. */
function print(line: string, parsed?: Record<string, unknown>): void {
  const level = parsed ? Number(parsed.level) : Number(/"level":(\d+)/.exec(line)?.[1] ?? 30);
  if (level < threshold) return;
  if (format === 'json') process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
  else process.stderr.write(`${prettyLine(parsed ?? (JSON.parse(line) as Record<string, unknown>), color)}\n`);
}

function createLogger() {
  const destination = {
    write(line: string) {
      // Lines written while a function runs also go to that invocation's trace (whatever the terminal level).
      const parsed = currentInvocation() ? (JSON.parse(line) as Record<string, unknown>) : undefined;
      if (parsed) appendInvocationLog(traceLine(parsed));
      print(line, parsed);
    },
  };
  return pino({ level: LEVELS[configured] ? configured : 'info', base: undefined }, destination);
}

/**
 * What a function running in a process of its own (a bundle) writes: its logger's JSON lines and console text. They
 * go to the invocation's trace when one is given, and to this terminal: JSON lines at this process's level and in
 * its format, console text as it is (as Lambda keeps both in the function's log).
 */
export function relayFunctionOutput(line: string, scope: InvocationScope | undefined): void {
  let parsed: Record<string, unknown> | undefined;
  if (line.startsWith('{')) {
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      // console output that merely starts with a brace
    }
  }
  if (parsed && typeof parsed.level === 'number') {
    if (scope) appendInvocationLog(traceLine(parsed), scope);
    print(line, parsed);
    return;
  }
  if (scope) appendInvocationLog({ time: Date.now(), level: 'info', msg: line }, scope);
  process.stderr.write(`${line}\n`);
}

/** The level a function's own process logs at: info (Lambda keeps it), lower when this process asks for lower. */
export function functionLogLevel(): string {
  return threshold < LEVELS.info ? configured : 'info';
}

// One logger per process, also for handler code that hot reload loads again as new module instances.
const KEY = Symbol.for('octember.logger');
const holder = globalThis as unknown as Record<symbol, ReturnType<typeof createLogger> | undefined>;
holder[KEY] ??= createLogger();

/** JSON lines or readable lines on stderr; OCTEMBER_LOG_LEVEL=silent (the default in tests) keeps it quiet. */
export const logger = holder[KEY];

export type Logger = typeof logger;

let captures = 0;
let levelBefore: string | undefined;

/**
 * While held, info and above (and console output) written during an invocation also land in its trace, even when
 * the terminal shows less (`OCTEMBER_LOG_LEVEL=warn` or `silent`). Without a holder nothing extra is produced.
 */
export function captureInvocationLogs(): () => void {
  const releaseConsole = captureConsole();
  if (captures++ === 0 && (LEVELS[logger.level] ?? 0) > LEVELS.info) {
    levelBefore = logger.level;
    logger.level = 'info';
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    releaseConsole();
    if (--captures === 0 && levelBefore) {
      logger.level = levelBefore;
      levelBefore = undefined;
    }
  };
}
