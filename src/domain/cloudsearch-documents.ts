import type { DomainSchema, ResolvedField } from './cloudsearch-schema.js';
import { sortShadowField } from './cloudsearch-schema.js';

/** CloudSearch service limits (Developer Guide, "Understanding Amazon CloudSearch Limits"). */
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
export const MAX_FIELDS_PER_DOCUMENT = 200;
export const MAX_VALUES_PER_FIELD = 1000;
export const MAX_LITERAL_CODEPOINTS = 4096;
export const MAX_ID_LENGTH = 128;

/** Characters the JSON batch API documents for ids (the XML API is stricter: see csv-items.ts for our own ids). */
const DOCUMENT_ID = /^[A-Za-z0-9_\-=#;:/?@&]{1,128}$/;
/** Characters CloudSearch refuses in field values (not valid in XML 1.0). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters CloudSearch refuses
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

export function isCloudSearchDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const ms = Date.parse(value);
  // Date.parse rolls 2023-02-29 over to March; a real calendar date round-trips unchanged.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}

export function isValidDocumentId(id: string): boolean {
  return DOCUMENT_ID.test(id);
}

export type FieldValue = string | number | (string | number)[];

export type BatchOperation =
  | { type: 'add'; id: string; fields: Record<string, FieldValue> }
  | { type: 'delete'; id: string };

/** An engine-ready add or delete. */
export type ValidatedOperation =
  | { type: 'add'; id: string; source: Record<string, unknown> }
  | { type: 'delete'; id: string };

export class DocumentBatchError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('; '));
    this.name = 'DocumentBatchError';
  }
}

/**
 * Validates a whole JSON batch against the schema. Like CloudSearch, one bad document fails the whole
 * batch: nothing is applied and every problem found is listed.
 */
export function validateBatch(schema: DomainSchema, body: Buffer | string): ValidatedOperation[] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new DocumentBatchError([`Invalid JSON in document batch: ${(err as Error).message}`]);
  }
  if (!Array.isArray(parsed))
    throw new DocumentBatchError(['A JSON document batch must be an array of add and delete operations']);
  if (parsed.length === 0)
    throw new DocumentBatchError(['A document batch must contain at least one add or delete operation']);
  const errors: string[] = [];
  const out: ValidatedOperation[] = [];
  // No single document can exceed the limit when the whole batch does not.
  const checkSizes = Buffer.byteLength(text) > MAX_DOCUMENT_BYTES;
  parsed.forEach((op, index) => {
    const problems: string[] = [];
    const validated = validateOperation(schema, op, index, problems, checkSizes);
    if (problems.length > 0) errors.push(...problems);
    else if (validated) out.push(validated);
  });
  if (errors.length > 0) throw new DocumentBatchError(errors);
  return out;
}

function validateOperation(
  schema: DomainSchema,
  op: unknown,
  index: number,
  problems: string[],
  checkSize = true,
): ValidatedOperation | undefined {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) {
    problems.push(`Operation ${index}: expected an object with type and id`);
    return undefined;
  }
  const { type, id, fields } = op as { type?: unknown; id?: unknown; fields?: unknown };
  const where = typeof id === 'string' ? `Document '${id}'` : `Operation ${index}`;
  if (type !== 'add' && type !== 'delete') {
    problems.push(`${where}: type must be 'add' or 'delete'`);
    return undefined;
  }
  if (typeof id !== 'string' || !isValidDocumentId(id)) {
    problems.push(
      `${where}: invalid document id ${JSON.stringify(id)}: ids are 1-${MAX_ID_LENGTH} characters of letters, digits and _ - = # ; : / ? @ &`,
    );
    return undefined;
  }
  if (type === 'delete') return { type, id };
  if (checkSize && Buffer.byteLength(JSON.stringify(op)) > MAX_DOCUMENT_BYTES) {
    problems.push(`${where}: document exceeds the maximum document size of ${MAX_DOCUMENT_BYTES} bytes`);
    return undefined;
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    problems.push(`${where}: an add operation needs a fields object`);
    return undefined;
  }
  const entries = Object.entries(fields as Record<string, unknown>);
  if (entries.length === 0) problems.push(`${where}: an add operation needs at least one field`);
  if (entries.length > MAX_FIELDS_PER_DOCUMENT) problems.push(`${where}: more than ${MAX_FIELDS_PER_DOCUMENT} fields`);
  const source: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const field = schema.fields.get(name);
    if (!field) {
      problems.push(`${where}: unknown field '${name}' (not an index field of domain ${schema.domainName})`);
      continue;
    }
    if (value === null || value === undefined) continue;
    const converted = convertValue(field, value, `${where}, field '${name}'`, problems);
    if (converted === undefined) continue;
    source[name] = converted;
    if (field.base === 'text' && field.sort && typeof converted === 'string') source[sortShadowField(name)] = converted;
  }
  return { type, id, source };
}

function convertValue(field: ResolvedField, value: unknown, where: string, problems: string[]): unknown {
  if (Array.isArray(value)) {
    if (!field.array) {
      problems.push(`${where}: multiple values given for single-valued ${field.type} field`);
      return undefined;
    }
    if (value.length > MAX_VALUES_PER_FIELD) {
      problems.push(`${where}: more than ${MAX_VALUES_PER_FIELD} values`);
      return undefined;
    }
    const out: unknown[] = [];
    for (const v of value) {
      const c = convertScalar(field, v, where, problems);
      if (c === undefined) return undefined;
      out.push(c);
    }
    return out;
  }
  const scalar = convertScalar(field, value, where, problems);
  if (scalar === undefined) return undefined;
  return field.array ? [scalar] : scalar;
}

function convertScalar(
  field: ResolvedField,
  value: unknown,
  where: string,
  problems: string[],
): string | number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') {
    problems.push(`${where}: values must be strings or numbers, got ${typeof value}`);
    return undefined;
  }
  const text = String(value);
  if (INVALID_CHARS.test(text)) {
    problems.push(`${where}: value contains a character that is not allowed (control characters are invalid)`);
    return undefined;
  }
  switch (field.base) {
    case 'text':
      return text;
    case 'literal':
      if ([...text].length > MAX_LITERAL_CODEPOINTS) {
        problems.push(`${where}: literal value longer than ${MAX_LITERAL_CODEPOINTS} characters`);
        return undefined;
      }
      return text;
    case 'int': {
      const ok = typeof value === 'number' ? Number.isInteger(value) : /^\s*-?\d+\s*$/.test(text);
      const n = Number(text);
      if (!ok || !Number.isFinite(n)) {
        problems.push(`${where}: invalid int value '${text}'`);
        return undefined;
      }
      return n;
    }
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) {
        problems.push(`${where}: invalid double value '${text}'`);
        return undefined;
      }
      return n;
    }
    case 'date':
      if (!isCloudSearchDate(text)) {
        problems.push(`${where}: invalid date value '${text}' (expected RFC 3339 UTC, e.g. 2024-01-31T00:00:00Z)`);
        return undefined;
      }
      return text;
  }
}

/** A stored engine source rendered the way CloudSearch returns fields: every value an array of strings. */
export function renderFields(
  schema: DomainSchema,
  source: Record<string, unknown>,
  names: Iterable<string>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of names) {
    const field = schema.fields.get(name);
    const value = source[name];
    if (!field || value === undefined || value === null) continue;
    out[name] = (Array.isArray(value) ? value : [value]).map((v) => renderScalar(v));
  }
  return out;
}

export function renderScalar(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}
