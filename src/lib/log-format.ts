/** How log lines are written: pino's JSON lines, or one readable line per event for a terminal. */
export type LogFormat = 'json' | 'pretty';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const ANSI = {
  reset: '\x1b[0m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  cyan: '\x1b[36m',
};
type Paint = (code: keyof typeof ANSI, text: string) => string;

function clock(time: unknown): string {
  const date = new Date(typeof time === 'number' ? time : Date.now());
  return date.toISOString().slice(11, 23);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function value(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (v instanceof Object) return JSON.stringify(v);
  return String(v);
}

/**
 * The invoker's per-invocation line as one readable line:
 * `12:00:01.234 ✓ get-text-from-image  kinesis octember-bizcard-img  3 records  412 ms`.
 */
export function invocationLine(fields: Record<string, unknown>, paint: Paint): string {
  const ok = fields.outcome === 'success';
  const mark = ok ? paint('green', '✓') : paint('red', '✗');
  const name = String(fields.function ?? '?').padEnd(22);
  const source = [fields.source, fields.sourceDetail].filter(Boolean).join(' ');
  const records = typeof fields.records === 'number' ? plural(fields.records, 'record') : '';
  const parts = [
    `${paint('dim', clock(fields.time))} ${mark} ${name}`,
    source.padEnd(34),
    records.padEnd(11),
    `${Math.round(Number(fields.durationMs ?? 0))} ms`.padStart(7),
  ];
  if (typeof fields.partialFailures === 'number' && fields.partialFailures > 0)
    parts.push(paint('yellow', `${plural(fields.partialFailures, 'record')} failed`));
  if (Number(fields.attempt ?? 1) > 1) parts.push(paint('yellow', `attempt ${fields.attempt}`));
  const error = fields.error as { errorType?: string; errorMessage?: string } | undefined;
  if (!ok && error) parts.push(paint('red', `${error.errorType ?? 'Error'}: ${error.errorMessage ?? ''}`));
  return parts.join('  ').replace(/\s+$/, '');
}

/** A pino JSON line as one readable line; invocation lines get the compact per-invocation form. */
export function prettyLine(line: Record<string, unknown>, color: boolean): string {
  const paint: Paint = color ? (code, text) => `${ANSI[code]}${text}${ANSI.reset}` : (_code, text) => text;
  const { level, time, msg, ...fields } = line;
  if (msg === 'invocation' && typeof fields.function === 'string') return invocationLine({ time, ...fields }, paint);
  const levelName = LEVEL_NAMES[Number(level)] ?? 'INFO';
  const levelText =
    Number(level) >= 50
      ? paint('red', levelName)
      : Number(level) >= 40
        ? paint('yellow', levelName)
        : paint('cyan', levelName);
  const err = fields.err as { message?: string; type?: string } | undefined;
  if (err) fields.err = `${err.type ?? 'Error'}: ${err.message ?? ''}`;
  const rest = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${paint('dim', `${k}=`)}${value(v)}`)
    .join(' ');
  return `${paint('dim', clock(time))} ${levelText.padEnd(color ? 14 : 5)} ${String(msg ?? '')}${rest ? `  ${rest}` : ''}`;
}
