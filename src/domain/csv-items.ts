import { createHash } from 'node:crypto';
import {
  isCloudSearchDate,
  isInt64,
  MAX_BATCH_BYTES,
  MAX_DOCUMENT_BYTES,
  MAX_LITERAL_CODEPOINTS,
  MAX_VALUES_PER_FIELD,
} from './cloudsearch-limits.js';
import type { DomainSchema, ResolvedField } from './cloudsearch-schema.js';

/** CSV catalogue rows → CloudSearch documents: header names, ids, typed values, batch splitting. */

/** Multi-valued cells (…-array fields) separate values with `|`, as Personalize item datasets do. */
export const ARRAY_SEPARATOR = '|';

/**
 * A header → a CloudSearch field name (`[a-z][a-z0-9_]{0,63}`, not `score`): lowercased, runs of other
 * characters → `_`, a leading non-letter gets an `f_` prefix. Duplicates after normalising get `_2`, `_3` ….
 */
export function normaliseFieldNames(headers: string[]): string[] {
  const used = new Set<string>();
  return headers.map((header, index) => {
    let name = header
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (name === '') name = `column_${index + 1}`;
    if (!/^[a-z]/.test(name)) name = `f_${name}`;
    if (name === 'score') name = 'score_';
    name = name.slice(0, 64);
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = `${name.slice(0, 64 - String(n).length - 1)}_${n}`;
    used.add(unique);
    return unique;
  });
}

/** The per-object part of every id: a hash of bucket/key (so ids stay short, lowercase and collision-free). */
export function objectIdPrefix(bucket: string, key: string): string {
  return `i${createHash('sha256').update(`${bucket}/${key}`).digest('hex').slice(0, 24)}`;
}

/** The document id of data row `row` (1-based) of an object: lowercase `[a-z0-9_]`, well under 128 characters. */
export function documentId(bucket: string, key: string, row: number): string {
  return `${objectIdPrefix(bucket, key)}_${row}`;
}

export interface RowContext {
  bucket: string;
  key: string;
  row: number;
}

export type RowResult =
  | {
      ok: true;
      fields: Record<string, string | number | (string | number)[]>;
      /** Columns whose control characters were removed (CloudSearch refuses them in any value). */
      altered?: string[];
    }
  | { ok: false; reason: string };

/** Characters CloudSearch refuses in values; stripped from cells (and reported) rather than failing the row. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters CloudSearch refuses
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters, tested without the g flag's state
const HAS_INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/**
 * A CSV date cell → CloudSearch's RFC 3339 UTC form. Accepts dates, date-times with offsets, and epoch seconds
 * (Personalize's TIMESTAMP) or milliseconds.
 */
export function toCloudSearchDate(cell: string): string | undefined {
  const text = cell.trim();
  if (isCloudSearchDate(text)) return text;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return isCloudSearchDate(`${text}T00:00:00Z`) ? `${text}T00:00:00Z` : undefined;
  if (/^\d{9,11}$/.test(text)) return new Date(Number(text) * 1000).toISOString().replace('.000Z', 'Z');
  if (/^\d{12,13}$/.test(text)) return new Date(Number(text)).toISOString().replace('.000Z', 'Z');
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text)) {
    const iso = text.replace(' ', 'T');
    const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString().replace('.000Z', 'Z');
  }
  return undefined;
}

function typedCell(field: ResolvedField, cell: string): string | number | { error: string } {
  const text = cell.replace(INVALID_CHARS, '');
  switch (field.base) {
    case 'text':
      return text;
    case 'literal':
      return [...text].length > MAX_LITERAL_CODEPOINTS
        ? { error: `longer than ${MAX_LITERAL_CODEPOINTS} characters` }
        : text;
    case 'int': {
      const t = text.trim();
      if (!/^[-+]?\d+$/.test(t)) return { error: `'${t}' is not an integer` };
      if (!isInt64(t)) return { error: `'${t}' is outside the 64-bit range of int fields` };
      const n = Number(t);
      // Beyond 2^53 a JSON number loses digits; CloudSearch takes the int as a string and keeps them all.
      return Number.isSafeInteger(n) ? n : t.replace(/^\+/, '');
    }
    case 'double': {
      const t = text.trim();
      const n = Number(t);
      return t !== '' && Number.isFinite(n) ? n : { error: `'${t}' is not a number` };
    }
    case 'date':
      return (
        toCloudSearchDate(text) ?? { error: `'${text.trim()}' is not a date (use RFC 3339, e.g. 2024-01-31T12:00:00Z)` }
      );
  }
}

/**
 * Plans which columns feed which index fields. Columns without an index field cannot be sent (CloudSearch
 * rejects unknown fields), so they are reported once per object instead.
 */
export function planColumns(
  schema: DomainSchema,
  headers: string[],
): { fields: (ResolvedField | undefined)[]; ignored: string[] } {
  const names = normaliseFieldNames(headers);
  const fields = names.map((n) => schema.fields.get(n));
  const ignored = headers.filter(
    (_, i) => fields[i] === undefined || names[i] === 'source_key' || names[i] === 'source_row',
  );
  return {
    fields: fields.map((f) => (f && f.name !== 'source_key' && f.name !== 'source_row' ? f : undefined)),
    ignored,
  };
}

/** One data row → typed document fields, or the reason the row cannot be indexed. Empty cells are omitted. */
export function rowToFields(
  schema: DomainSchema,
  plan: (ResolvedField | undefined)[],
  values: string[],
  ctx: RowContext,
): RowResult {
  const fields: Record<string, string | number | (string | number)[]> = {};
  const altered: string[] = [];
  for (let i = 0; i < plan.length; i++) {
    const field = plan[i];
    const cell = values[i];
    if (!field || cell === undefined || cell.trim() === '') continue;
    if (HAS_INVALID_CHAR.test(cell)) altered.push(field.name);
    if (field.array) {
      const out: (string | number)[] = [];
      for (const part of cell.split(ARRAY_SEPARATOR)) {
        if (part.trim() === '') continue;
        const v = typedCell(field, field.base === 'text' || field.base === 'literal' ? part.trim() : part);
        if (typeof v === 'object') return { ok: false, reason: `column '${field.name}': ${v.error}` };
        out.push(v);
      }
      if (out.length > MAX_VALUES_PER_FIELD) {
        return {
          ok: false,
          reason: `column '${field.name}': ${out.length} values, the limit is ${MAX_VALUES_PER_FIELD}`,
        };
      }
      if (out.length > 0) fields[field.name] = out;
      continue;
    }
    const v = typedCell(field, cell);
    if (typeof v === 'object') return { ok: false, reason: `column '${field.name}': ${v.error}` };
    fields[field.name] = v;
  }
  if (schema.fields.has('source_key')) fields.source_key = ctx.key;
  if (schema.fields.has('source_row')) fields.source_row = ctx.row;
  if (Object.keys(fields).length === 0) return { ok: false, reason: 'row has no indexable values' };
  return altered.length > 0 ? { ok: true, fields, altered } : { ok: true, fields };
}

export type CatalogueOperation =
  | { type: 'add'; id: string; fields: Record<string, string | number | (string | number)[]> }
  | { type: 'delete'; id: string };

/**
 * Groups operations into JSON batches no larger than `maxBytes` (CloudSearch: 5 MB). Serialises each operation
 * once, so the size is exact; an operation over the per-document limit is refused by `add`.
 */
export class BatchBuilder {
  private parts: string[] = [];
  private bytes = 2; // "[" and "]"
  count = 0;

  constructor(private readonly maxBytes = MAX_BATCH_BYTES) {}

  /** Returns a full batch to send first when `op` does not fit, else undefined. Throws for an oversized document. */
  add(op: CatalogueOperation): string | undefined {
    const json = JSON.stringify(op);
    const size = Buffer.byteLength(json);
    if (size > MAX_DOCUMENT_BYTES) throw new DocumentTooLargeError(size);
    const extra = size + (this.parts.length > 0 ? 1 : 0);
    let flushed: string | undefined;
    if (this.parts.length > 0 && this.bytes + extra > this.maxBytes) flushed = this.take();
    this.bytes += size + (this.parts.length > 0 ? 1 : 0);
    this.parts.push(json);
    this.count++;
    return flushed;
  }

  /** The pending batch (or undefined when empty), emptying the builder. */
  take(): string | undefined {
    if (this.parts.length === 0) return undefined;
    const batch = `[${this.parts.join(',')}]`;
    this.parts = [];
    this.bytes = 2;
    return batch;
  }
}

export class DocumentTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(`document is ${bytes} bytes, over CloudSearch's ${MAX_DOCUMENT_BYTES}-byte limit`);
  }
}
