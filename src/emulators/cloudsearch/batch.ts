import {
  isCloudSearchDate,
  isInt64,
  MAX_DOCUMENT_BYTES,
  MAX_FIELDS_PER_DOCUMENT,
  MAX_ID_LENGTH,
  MAX_LITERAL_CODEPOINTS,
  MAX_VALUES_PER_FIELD,
} from '../../domain/cloudsearch-limits.js';
import type { DomainSchema, ResolvedField } from '../../domain/cloudsearch-schema.js';
import { documentError } from './errors.js';
import { sortShadowField } from './mappings.js';

/** Characters the JSON batch API documents for ids. */
const DOCUMENT_ID = new RegExp(`^[A-Za-z0-9_\\-=#;:/?@&]{1,${MAX_ID_LENGTH}}$`);
/** Characters CloudSearch refuses in field values (not valid in XML 1.0). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters CloudSearch refuses
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function isValidDocumentId(id: string): boolean {
  return DOCUMENT_ID.test(id);
}

/** An engine-ready add or delete. */
export type ValidatedOperation =
  | { type: 'add'; id: string; source: Record<string, unknown> }
  | { type: 'delete'; id: string };

/**
 * Validates a whole JSON batch against the schema and applies the domain's copy fields and default values. Like
 * CloudSearch, one bad document fails the whole batch: nothing is applied and every problem found is listed.
 */
export function validateBatch(schema: DomainSchema, body: Buffer | string): ValidatedOperation[] {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw documentError([`Invalid JSON in document batch: ${(err as Error).message}`]);
  }
  return validateOperations(schema, parsed, Buffer.byteLength(text) > MAX_DOCUMENT_BYTES);
}

/** `checkSizes`: no single document can exceed the limit when the whole batch does not. */
export function validateOperations(schema: DomainSchema, parsed: unknown, checkSizes = true): ValidatedOperation[] {
  if (!Array.isArray(parsed))
    throw documentError(['A JSON document batch must be an array of add and delete operations']);
  if (parsed.length === 0) throw documentError(['A document batch must contain at least one add or delete operation']);
  const errors: string[] = [];
  const out: ValidatedOperation[] = [];
  parsed.forEach((op, index) => {
    const problems: string[] = [];
    const validated = validateOperation(schema, op, index, problems, checkSizes);
    if (problems.length > 0) errors.push(...problems);
    else if (validated) out.push(validated);
  });
  if (errors.length > 0) throw documentError(errors);
  return out;
}

function validateOperation(
  schema: DomainSchema,
  op: unknown,
  index: number,
  problems: string[],
  checkSize: boolean,
): ValidatedOperation | undefined {
  if (typeof op !== 'object' || op === null || Array.isArray(op)) {
    problems.push(`Operation ${index}: expected an object with type and id`);
    return undefined;
  }
  const { type, id, fields } = op as { type?: unknown; id?: unknown; fields?: unknown };
  const where = typeof id === 'string' ? `Document '${id.slice(0, 200)}'` : `Operation ${index}`;
  if (type !== 'add' && type !== 'delete') {
    problems.push(`${where}: type must be 'add' or 'delete'`);
    return undefined;
  }
  if (typeof id !== 'string' || !isValidDocumentId(id)) {
    problems.push(
      `${where}: invalid document id: ids are 1-${MAX_ID_LENGTH} characters of letters, digits and _ - = # ; : / ? @ &`,
    );
    return undefined;
  }
  if (type === 'delete') return { type, id };
  if (checkSize) {
    const bytes = Buffer.byteLength(JSON.stringify(op));
    if (bytes > MAX_DOCUMENT_BYTES) {
      problems.push(`${where}: document is ${bytes} bytes, over the maximum document size of ${MAX_DOCUMENT_BYTES}`);
      return undefined;
    }
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    problems.push(`${where}: an add operation needs a fields object`);
    return undefined;
  }
  const entries = Object.entries(fields as Record<string, unknown>);
  if (entries.length === 0) problems.push(`${where}: an add operation needs at least one field`);
  if (entries.length > MAX_FIELDS_PER_DOCUMENT) {
    problems.push(`${where}: ${entries.length} fields, over the limit of ${MAX_FIELDS_PER_DOCUMENT} per document`);
    return undefined;
  }
  const source: Record<string, unknown> = {};
  for (const [name, value] of entries) {
    const field = schema.fields.get(name);
    if (!field) {
      problems.push(`${where}: unknown field '${name}' (not an index field of domain ${schema.domainName})`);
      continue;
    }
    if (value === null || value === undefined) continue;
    const converted = convertValue(field, value, `${where}, field '${name}'`, problems);
    if (converted !== undefined) source[name] = converted;
  }
  if (problems.length > 0) return undefined;
  fillCopiesAndDefaults(schema, source, where, problems);
  return { type, id, source };
}

/** The fields indexing fills in besides the sent ones, worked out once per schema. */
interface IndexingPlan {
  copies: ResolvedField[];
  defaults: ResolvedField[];
  sortedText: ResolvedField[];
}
const plans = new WeakMap<DomainSchema, IndexingPlan>();

function indexingPlan(schema: DomainSchema): IndexingPlan {
  let plan = plans.get(schema);
  if (!plan) {
    const fields = [...schema.fields.values()];
    plan = {
      copies: fields.filter((f) => f.sources.length > 0),
      defaults: fields.filter((f) => f.defaultValue !== undefined),
      sortedText: fields.filter((f) => f.base === 'text' && f.sort),
    };
    plans.set(schema, plan);
  }
  return plan;
}

/** CloudSearch's indexing-time values: `SourceField(s)` copies, then `DefaultValue` for fields still empty. */
function fillCopiesAndDefaults(
  schema: DomainSchema,
  source: Record<string, unknown>,
  where: string,
  problems: string[],
): void {
  const plan = indexingPlan(schema);
  // Copies read the values as sent: all are gathered before any is written.
  const copied: [ResolvedField, unknown[]][] = [];
  for (const field of plan.copies) {
    const own = source[field.name];
    const values: unknown[] = own === undefined ? [] : Array.isArray(own) ? [...own] : [own];
    const before = values.length;
    for (const name of field.sources) {
      const value = source[name];
      if (Array.isArray(value)) values.push(...value);
      else if (value !== undefined) values.push(value);
    }
    if (values.length > before) copied.push([field, values]);
  }
  for (const [field, values] of copied) {
    const converted = convertValue(
      field,
      field.array ? values : values[0],
      `${where}, field '${field.name}'`,
      problems,
    );
    if (converted !== undefined) source[field.name] = converted;
  }
  for (const field of plan.defaults) {
    if (source[field.name] !== undefined) continue;
    const converted = convertValue(
      field,
      field.defaultValue,
      `${where}, field '${field.name}' (DefaultValue)`,
      problems,
    );
    if (converted !== undefined) source[field.name] = converted;
  }
  for (const field of plan.sortedText) {
    const value = source[field.name];
    if (typeof value === 'string') source[sortShadowField(field.name)] = value;
  }
}

function convertValue(field: ResolvedField, value: unknown, where: string, problems: string[]): unknown {
  if (Array.isArray(value)) {
    if (!field.array) {
      problems.push(`${where}: multiple values given for single-valued ${field.type} field`);
      return undefined;
    }
    if (value.length > MAX_VALUES_PER_FIELD) {
      problems.push(`${where}: ${value.length} values, over the limit of ${MAX_VALUES_PER_FIELD} per field`);
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
    problems.push(
      `${where}: values must be strings or numbers, got ${Array.isArray(value) ? 'a nested array' : typeof value}`,
    );
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
    case 'literal': {
      const codePoints = [...text].length;
      if (codePoints > MAX_LITERAL_CODEPOINTS) {
        problems.push(
          `${where}: literal value of ${codePoints} characters, over the limit of ${MAX_LITERAL_CODEPOINTS}`,
        );
        return undefined;
      }
      return text;
    }
    case 'int': {
      const ok = typeof value === 'number' ? Number.isInteger(value) : isInt64(text.trim());
      if (!ok) {
        problems.push(`${where}: invalid int value '${text.slice(0, 100)}' (64-bit signed integers)`);
        return undefined;
      }
      return Number(text);
    }
    case 'double': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) {
        problems.push(`${where}: invalid double value '${text.slice(0, 100)}'`);
        return undefined;
      }
      return n;
    }
    case 'date':
      if (!isCloudSearchDate(text)) {
        problems.push(
          `${where}: invalid date value '${text.slice(0, 100)}' (expected RFC 3339 UTC, e.g. 2024-01-31T00:00:00Z)`,
        );
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
    out[name] = (Array.isArray(value) ? value : [value]).map((v) => String(v));
  }
  return out;
}
