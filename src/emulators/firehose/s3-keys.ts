import { randomBytes, randomUUID } from 'node:crypto';

const EXPRESSION = /!\{([^}]*)\}/g;

/** True when a prefix uses `!{namespace:value}` expressions (then no default `YYYY/MM/DD/HH/` is appended). */
export function hasExpressions(prefix: string | undefined): boolean {
  return !!prefix && /!\{[^}]*\}/.test(prefix);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Java DateTimeFormatter subset Firehose documents for `!{timestamp:...}`: yyyy, yy, MM, dd, HH, mm, ss, quoted text. */
export function formatTimestamp(pattern: string, date: Date): string {
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i];
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      out += pattern.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    let run = 1;
    while (pattern[i + run] === ch) run++;
    switch (ch) {
      case 'y':
        out += run === 2 ? pad(date.getUTCFullYear() % 100) : pad(date.getUTCFullYear(), run);
        break;
      case 'M':
        out += pad(date.getUTCMonth() + 1, run);
        break;
      case 'd':
        out += pad(date.getUTCDate(), run);
        break;
      case 'H':
        out += pad(date.getUTCHours(), run);
        break;
      case 'm':
        out += pad(date.getUTCMinutes(), run);
        break;
      case 's':
        out += pad(date.getUTCSeconds(), run);
        break;
      default:
        out += ch.repeat(run);
    }
    i += run;
  }
  return out;
}

/** Checks a prefix's expressions; returns an error message or undefined. */
export function validatePrefix(prefix: string, allowErrorOutputType: boolean): string | undefined {
  for (const match of prefix.matchAll(EXPRESSION)) {
    const [namespace, value = ''] = match[1].split(/:(.*)/s, 2);
    if (namespace === 'timestamp' && value) continue;
    if (namespace === 'firehose' && value === 'random-string') continue;
    if (namespace === 'firehose' && value === 'error-output-type') {
      if (allowErrorOutputType) continue;
      return 'The expression !{firehose:error-output-type} is only allowed in ErrorOutputPrefix.';
    }
    return `Unsupported expression ${match[0]} in prefix ${prefix}`;
  }
  return undefined;
}

export function evaluatePrefix(prefix: string, date: Date, errorOutputType?: string): string {
  return prefix.replace(EXPRESSION, (_whole, body: string) => {
    const [namespace, value = ''] = body.split(/:(.*)/s, 2);
    if (namespace === 'timestamp') return formatTimestamp(value, date);
    if (value === 'random-string') return randomBytes(6).toString('base64url').slice(0, 11);
    if (value === 'error-output-type') return errorOutputType ?? '';
    return '';
  });
}

const hourPath = (date: Date) =>
  `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${pad(date.getUTCHours())}/`;
const fileStamp = (date: Date) =>
  `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}-${pad(date.getUTCHours())}-${pad(date.getUTCMinutes())}-${pad(date.getUTCSeconds())}`;

/** `{prefix}YYYY/MM/DD/HH/{stream}-{version}-YYYY-MM-DD-HH-MM-SS-{uuid}` (UTC; the prefix's expressions instead of the hour path). */
export function objectKey(opts: {
  prefix: string;
  streamName: string;
  version: number;
  date: Date;
  extension?: string;
}): string {
  const folder = hasExpressions(opts.prefix)
    ? evaluatePrefix(opts.prefix, opts.date)
    : `${opts.prefix}${hourPath(opts.date)}`;
  return `${folder}${opts.streamName}-${opts.version}-${fileStamp(opts.date)}-${randomUUID()}${opts.extension ?? ''}`;
}

/**
 * Key of an error object: the ErrorOutputPrefix with its expressions (`!{firehose:error-output-type}` →
 * `processing-failed`), or `{errorPrefix}{type}/YYYY/MM/DD/HH/` when it has none (`{prefix}{type}/...` without one).
 */
export function errorObjectKey(opts: {
  prefix: string;
  errorOutputPrefix?: string;
  errorOutputType: string;
  streamName: string;
  version: number;
  date: Date;
}): string {
  const base = opts.errorOutputPrefix ?? opts.prefix;
  const folder = hasExpressions(base)
    ? evaluatePrefix(base, opts.date, opts.errorOutputType)
    : `${base}${opts.errorOutputType}/${hourPath(opts.date)}`;
  return `${folder}${opts.streamName}-${opts.version}-${fileStamp(opts.date)}-${randomUUID()}`;
}
