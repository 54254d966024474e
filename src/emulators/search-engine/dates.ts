/** Date parsing/formatting for `date` fields: strict_date_optional_time, epoch_millis/second, simple Java patterns, date math. */

export const DEFAULT_DATE_FORMAT = 'strict_date_optional_time||epoch_millis';

const ISO_RE =
  /^([+-]?\d{4,})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

function parseIso(text: string): number | undefined {
  const m = ISO_RE.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if ((h && Number(h) > 23) || (mi && Number(mi) > 59) || (s && Number(s) > 59)) return undefined;
  let t = Date.UTC(Number(y), month - 1, day, h ? Number(h) : 0, mi ? Number(mi) : 0, s ? Number(s) : 0, ms);
  if (Number(y) >= 0 && Number(y) < 100) {
    const date = new Date(t);
    date.setUTCFullYear(Number(y));
    t = date.getTime();
  }
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    t -= sign * offset * 60_000;
  }
  return t;
}

const PATTERN_TOKENS: Array<[string, string, string]> = [
  ['yyyy', '(\\d{4})', 'y'],
  ['uuuu', '(\\d{4})', 'y'],
  ['MM', '(\\d{2})', 'M'],
  ['dd', '(\\d{2})', 'd'],
  ['HH', '(\\d{2})', 'H'],
  ['mm', '(\\d{2})', 'm'],
  ['ss', '(\\d{2})', 's'],
  ['SSS', '(\\d{3})', 'S'],
  ['XXX', '(Z|[+-]\\d{2}:\\d{2})', 'Z'],
  ['Z', '(Z|[+-]\\d{4})', 'Z'],
];

function compilePattern(pattern: string): { re: RegExp; parts: string[] } {
  let re = '';
  const parts: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === "'") {
      const end = pattern.indexOf("'", i + 1);
      re += escapeRe(pattern.slice(i + 1, end < 0 ? undefined : end));
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    const tok = PATTERN_TOKENS.find(([t]) => pattern.startsWith(t, i));
    if (tok) {
      re += tok[1];
      parts.push(tok[2]);
      i += tok[0].length;
    } else {
      re += escapeRe(pattern[i]);
      i++;
    }
  }
  return { re: new RegExp(`^${re}$`), parts };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parseWithPattern(text: string, pattern: string): number | undefined {
  const { re, parts } = compilePattern(pattern);
  const m = re.exec(text);
  if (!m) return undefined;
  const v: Record<string, number> = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  let tzMinutes = 0;
  parts.forEach((p, idx) => {
    const raw = m[idx + 1];
    if (p === 'Z') {
      if (raw !== 'Z') {
        const digits = raw.slice(1).replace(':', '');
        tzMinutes = (raw[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
      }
    } else v[p] = Number(raw);
  });
  return Date.UTC(v.y, v.M - 1, v.d, v.H, v.m, v.s, v.S) - tzMinutes * 60_000;
}

function parseOne(value: string | number, format: string): number | undefined {
  const text = String(value).trim();
  switch (format) {
    case 'epoch_millis':
      return /^-?\d+(\.\d+)?$/.test(text) ? Math.trunc(Number(text)) : undefined;
    case 'epoch_second':
      return /^-?\d+(\.\d+)?$/.test(text) ? Math.trunc(Number(text) * 1000) : undefined;
    case 'strict_date_optional_time':
    case 'date_optional_time':
    case 'strict_date_optional_time_nanos':
    case 'date_time':
    case 'strict_date_time':
    case 'date':
    case 'strict_date':
    case 'basic_date':
      return parseIso(text);
    case 'year':
      return /^\d{4}$/.test(text) ? Date.UTC(Number(text), 0, 1) : undefined;
    default:
      return parseWithPattern(text, format);
  }
}

/** Epoch millis, or undefined if no format of `formats` ('a||b') parses the value. */
export function parseDate(value: unknown, formats = DEFAULT_DATE_FORMAT): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value !== 'string') return undefined;
  for (const format of formats.split('||')) {
    const t = parseOne(value, format.trim());
    if (t !== undefined && !Number.isNaN(t)) return t;
  }
  return undefined;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Formats epoch millis with the first format of `formats`. */
export function formatDate(ms: number, formats = DEFAULT_DATE_FORMAT): string {
  const format = formats.split('||')[0].trim();
  const d = new Date(ms);
  if (format === 'epoch_millis') return String(ms);
  if (format === 'epoch_second') return String(Math.trunc(ms / 1000));
  if (format.includes('date_optional_time') || format === 'date_time' || format === 'strict_date_time')
    return d.toISOString();
  if (format === 'date' || format === 'strict_date') return d.toISOString().slice(0, 10);
  const values: Record<string, string> = {
    yyyy: pad(d.getUTCFullYear(), 4),
    uuuu: pad(d.getUTCFullYear(), 4),
    MM: pad(d.getUTCMonth() + 1, 2),
    dd: pad(d.getUTCDate(), 2),
    HH: pad(d.getUTCHours(), 2),
    mm: pad(d.getUTCMinutes(), 2),
    ss: pad(d.getUTCSeconds(), 2),
    SSS: pad(d.getUTCMilliseconds(), 3),
    XXX: 'Z',
    Z: '+0000',
  };
  let out = '';
  let i = 0;
  while (i < format.length) {
    if (format[i] === "'") {
      const end = format.indexOf("'", i + 1);
      out += format.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    const tok = Object.keys(values).find((t) => format.startsWith(t, i));
    if (tok) {
      out += values[tok];
      i += tok.length;
    } else out += format[i++];
  }
  return out;
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  H: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

function addUnit(t: number, amount: number, unit: string): number {
  if (unit === 'y' || unit === 'M') {
    const d = new Date(t);
    if (unit === 'y') d.setUTCFullYear(d.getUTCFullYear() + amount);
    else d.setUTCMonth(d.getUTCMonth() + amount);
    return d.getTime();
  }
  const ms = UNIT_MS[unit];
  if (ms === undefined) throw new Error(`unit [${unit}] not supported for date math`);
  return t + amount * ms;
}

function roundDown(t: number, unit: string): number {
  const d = new Date(t);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
    }
    default: {
      const ms = UNIT_MS[unit];
      if (ms === undefined) throw new Error(`unit [${unit}] not supported for date math`);
      return Math.floor(t / ms) * ms;
    }
  }
}

/**
 * Parses a range bound with date math (`now-1d/d`, `2020-01-01||+1M`). `roundUp` is true for `lte`/`gt`, where a rounded
 * value means the end of the unit.
 */
export function parseDateMath(
  value: unknown,
  formats: string | undefined,
  roundUp: boolean,
  now = Date.now(),
): number | undefined {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value !== 'string') return undefined;
  let anchor: number | undefined;
  let math = '';
  if (value.startsWith('now')) {
    anchor = now;
    math = value.slice(3);
  } else {
    const sep = value.indexOf('||');
    if (sep >= 0) {
      anchor = parseDate(value.slice(0, sep), formats);
      math = value.slice(sep + 2);
    } else return parseDate(value, formats);
  }
  if (anchor === undefined) return undefined;
  let t = anchor;
  const re = /([+-])(\d*)([yMwdhHms])|\/([yMwdhHms])/g;
  let consumed = 0;
  for (let m = re.exec(math); m !== null; m = re.exec(math)) {
    if (m.index !== consumed) return undefined;
    consumed = m.index + m[0].length;
    if (m[4]) {
      t = roundDown(t, m[4]);
      if (roundUp) t = addUnit(t, 1, m[4]) - 1;
    } else t = addUnit(t, (m[1] === '-' ? -1 : 1) * (m[2] ? Number(m[2]) : 1), m[3]);
  }
  return consumed === math.length ? t : undefined;
}
