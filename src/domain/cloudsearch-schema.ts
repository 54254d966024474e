import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  isCloudSearchDate,
  isInt64,
  MAX_DEFAULT_VALUE_BYTES,
  MAX_INDEX_FIELDS,
  MAX_LITERAL_CODEPOINTS,
  MAX_SOURCE_FIELDS,
} from './cloudsearch-limits.js';

/**
 * A CloudSearch domain schema: the domain name and its index fields in the configuration API's own `IndexField`
 * shape, so the provisioning script passes each entry to DefineIndexField unchanged and a schema file reads like
 * `aws cloudsearch define-index-field` input. Each type takes only the options AWS defines for it.
 */
export const INDEX_FIELD_TYPES = [
  'text',
  'text-array',
  'literal',
  'literal-array',
  'int',
  'int-array',
  'double',
  'double-array',
  'date',
  'date-array',
] as const;
export type IndexFieldType = (typeof INDEX_FIELD_TYPES)[number];
export type BaseFieldType = 'text' | 'literal' | 'int' | 'double' | 'date';

const FIELD_NAME = /^[a-z][a-z0-9_]{0,63}$/;
/** Letters, digits and hyphens, 3-28 characters, starting with a letter or digit. */
const DOMAIN_NAME = /^[a-z0-9][a-z0-9-]{2,27}$/;

const defaultValue = z
  .union([z.string(), z.number()])
  .refine((v) => Buffer.byteLength(String(v)) <= MAX_DEFAULT_VALUE_BYTES, {
    message: `a DefaultValue is at most ${MAX_DEFAULT_VALUE_BYTES} bytes`,
  });
const common = {
  DefaultValue: defaultValue.optional(),
  ReturnEnabled: z.boolean().optional(),
};
const single = { ...common, SourceField: z.string().optional(), SortEnabled: z.boolean().optional() };
const array = { ...common, SourceFields: z.string().optional() };
const searchable = { FacetEnabled: z.boolean().optional(), SearchEnabled: z.boolean().optional() };
const text = { HighlightEnabled: z.boolean().optional(), AnalysisScheme: z.string().optional() };

const OPTION_SCHEMAS = {
  TextOptions: z.object({ ...single, ...text }).strict(),
  TextArrayOptions: z.object({ ...array, ...text }).strict(),
  LiteralOptions: z.object({ ...single, ...searchable }).strict(),
  LiteralArrayOptions: z.object({ ...array, ...searchable }).strict(),
  IntOptions: z.object({ ...single, ...searchable }).strict(),
  IntArrayOptions: z.object({ ...array, ...searchable }).strict(),
  DoubleOptions: z.object({ ...single, ...searchable }).strict(),
  DoubleArrayOptions: z.object({ ...array, ...searchable }).strict(),
  DateOptions: z.object({ ...single, ...searchable }).strict(),
  DateArrayOptions: z.object({ ...array, ...searchable }).strict(),
};
type OptionsKey = keyof typeof OPTION_SCHEMAS;

const OPTION_KEYS: Record<IndexFieldType, OptionsKey> = {
  text: 'TextOptions',
  'text-array': 'TextArrayOptions',
  literal: 'LiteralOptions',
  'literal-array': 'LiteralArrayOptions',
  int: 'IntOptions',
  'int-array': 'IntArrayOptions',
  double: 'DoubleOptions',
  'double-array': 'DoubleArrayOptions',
  date: 'DateOptions',
  'date-array': 'DateArrayOptions',
};

const indexFieldSchema = z
  .object({
    IndexFieldName: z
      .string()
      .regex(FIELD_NAME, 'field names are 1-64 characters a-z, 0-9 and _, starting with a letter')
      .refine((n) => n !== 'score', { message: "'score' is reserved" }),
    IndexFieldType: z.enum(INDEX_FIELD_TYPES),
    ...Object.fromEntries(Object.entries(OPTION_SCHEMAS).map(([k, v]) => [k, v.optional()])),
  })
  .strict();

const domainSchemaFile = z
  .object({
    DomainName: z
      .string()
      .regex(DOMAIN_NAME, 'domain names are 3-28 characters a-z, 0-9 and -, starting with a letter or digit'),
    IndexFields: z.array(indexFieldSchema),
  })
  .strict();

type AnyOptions = {
  DefaultValue?: string | number;
  ReturnEnabled?: boolean;
  SourceField?: string;
  SourceFields?: string;
  SortEnabled?: boolean;
  FacetEnabled?: boolean;
  SearchEnabled?: boolean;
  HighlightEnabled?: boolean;
  AnalysisScheme?: string;
};

export type IndexFieldDefinition = {
  IndexFieldName: string;
  IndexFieldType: IndexFieldType;
} & { [K in OptionsKey]?: AnyOptions };

/** One index field with its options resolved (CloudSearch enables every option it has when not told otherwise). */
export interface ResolvedField {
  name: string;
  type: IndexFieldType;
  base: BaseFieldType;
  array: boolean;
  facet: boolean;
  return: boolean;
  search: boolean;
  sort: boolean;
  highlight: boolean;
  analysisScheme?: string;
  /** Fields whose values CloudSearch copies into this one at indexing (`SourceField` / `SourceFields`). */
  sources: string[];
  /** Used when a document gives the field no value (`DefaultValue`). */
  defaultValue?: string;
}

export interface DomainSchema {
  domainName: string;
  fields: Map<string, ResolvedField>;
  /** The fields the simple/lucene parsers search when the query names none: every text and text-array field. */
  defaultSearchFields: string[];
  definitions: IndexFieldDefinition[];
}

/** Why a schema was refused: the configuration API answers each with its own AWS error. */
export type DomainSchemaProblem = 'invalid' | 'invalid-type' | 'too-many-fields';

export class DomainSchemaError extends Error {
  constructor(
    message: string,
    readonly problem: DomainSchemaProblem = 'invalid',
  ) {
    super(message);
    this.name = 'DomainSchemaError';
  }
}

export function isValidFieldName(name: string): boolean {
  return FIELD_NAME.test(name) && name !== 'score';
}

function resolveField(def: IndexFieldDefinition): ResolvedField {
  const type = def.IndexFieldType;
  const opts: AnyOptions = def[OPTION_KEYS[type]] ?? {};
  const array = type.endsWith('-array');
  const base = type.replace('-array', '') as BaseFieldType;
  const isText = base === 'text';
  const sources = (array ? opts.SourceFields : opts.SourceField) ?? '';
  return {
    name: def.IndexFieldName,
    type,
    base,
    array,
    // text fields are always searchable and never facetable; array fields cannot be sorted on.
    facet: !isText && (opts.FacetEnabled ?? true),
    return: opts.ReturnEnabled ?? true,
    search: isText || (opts.SearchEnabled ?? true),
    sort: !array && (opts.SortEnabled ?? true),
    highlight: isText && (opts.HighlightEnabled ?? true),
    ...(isText && opts.AnalysisScheme ? { analysisScheme: opts.AnalysisScheme } : {}),
    sources: sources
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...(opts.DefaultValue !== undefined ? { defaultValue: String(opts.DefaultValue) } : {}),
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** Validates a schema (file or configuration API input) and resolves its fields; throws DomainSchemaError. */
export function buildDomainSchema(raw: unknown): DomainSchema {
  const parsed = domainSchemaFile.safeParse(raw);
  if (!parsed.success) {
    const wrongOptions = parsed.error.issues.find(
      (i) => i.code === 'unrecognized_keys' && i.path.length === 2 && i.path[0] === 'IndexFields',
    );
    throw new DomainSchemaError(describeIssues(parsed.error), wrongOptions ? 'invalid-type' : 'invalid');
  }
  const definitions = parsed.data.IndexFields as IndexFieldDefinition[];
  if (definitions.length > MAX_INDEX_FIELDS) {
    throw new DomainSchemaError(
      `domain ${parsed.data.DomainName} would have ${definitions.length} index fields; the limit is ${MAX_INDEX_FIELDS}`,
      'too-many-fields',
    );
  }
  const fields = new Map<string, ResolvedField>();
  for (const def of definitions) {
    const name = def.IndexFieldName;
    if (fields.has(name)) throw new DomainSchemaError(`duplicate index field '${name}'`);
    const others = (Object.keys(OPTION_SCHEMAS) as OptionsKey[]).filter(
      (k) => k !== OPTION_KEYS[def.IndexFieldType] && def[k] !== undefined,
    );
    if (others.length > 0) {
      throw new DomainSchemaError(
        `index field '${name}' is of type ${def.IndexFieldType} and cannot take ${others.join(', ')}`,
        'invalid-type',
      );
    }
    fields.set(name, resolveField(def));
  }
  for (const field of fields.values()) {
    checkSources(field, fields);
    checkDefaultValue(field);
  }
  return {
    domainName: parsed.data.DomainName,
    fields,
    defaultSearchFields: [...fields.values()].filter((f) => f.base === 'text').map((f) => f.name),
    definitions,
  };
}

/** Copies need existing, type-compatible sources: text and literal fields take any value, the others their own type. */
function checkSources(field: ResolvedField, fields: Map<string, ResolvedField>): void {
  if (field.sources.length > MAX_SOURCE_FIELDS) {
    throw new DomainSchemaError(
      `index field '${field.name}' names ${field.sources.length} source fields; the limit is ${MAX_SOURCE_FIELDS}`,
    );
  }
  if (!field.array && field.sources.length > 1) {
    throw new DomainSchemaError(`index field '${field.name}' is single-valued: it takes one SourceField`);
  }
  for (const name of field.sources) {
    const source = fields.get(name);
    if (!source) throw new DomainSchemaError(`index field '${field.name}': source field '${name}' is not defined`);
    if (source === field) throw new DomainSchemaError(`index field '${field.name}' cannot be its own source`);
    const compatible = field.base === 'text' || field.base === 'literal' || field.base === source.base;
    if (!compatible) {
      throw new DomainSchemaError(
        `index field '${field.name}' (${field.type}) cannot copy values of '${name}' (${source.type})`,
        'invalid-type',
      );
    }
    if (!field.array && source.array) {
      throw new DomainSchemaError(
        `index field '${field.name}' is single-valued and cannot copy the array field '${name}'`,
        'invalid-type',
      );
    }
  }
}

/** A DefaultValue must be a value of the field's type. */
function checkDefaultValue(field: ResolvedField): void {
  const value = field.defaultValue;
  if (value === undefined) return;
  const ok =
    field.base === 'int'
      ? isInt64(value)
      : field.base === 'double'
        ? value.trim() !== '' && Number.isFinite(Number(value))
        : field.base === 'date'
          ? isCloudSearchDate(value)
          : field.base === 'literal'
            ? [...value].length <= MAX_LITERAL_CODEPOINTS
            : true;
  if (!ok)
    throw new DomainSchemaError(`index field '${field.name}': DefaultValue '${value}' is not a valid ${field.base}`);
}

const DEFAULT_SCHEMA_FILE = new URL('../infra/cloudsearch-schema.json', import.meta.url);

/** Reads and validates a schema file; errors name the file. */
export function loadDomainSchema(file: string | URL = DEFAULT_SCHEMA_FILE): DomainSchema {
  const where = file instanceof URL ? file.pathname : file;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DomainSchemaError(`cannot read CloudSearch schema ${where}: ${(err as Error).message}`);
  }
  try {
    return buildDomainSchema(raw);
  } catch (err) {
    if (err instanceof DomainSchemaError)
      throw new DomainSchemaError(`CloudSearch schema ${where}: ${err.message}`, err.problem);
    throw err;
  }
}

/** The schema's field definitions in an order a domain accepts them: fields that copy others after those. */
export function definitionOrder(schema: DomainSchema): IndexFieldDefinition[] {
  const copies = (name: string) => (schema.fields.get(name)?.sources.length ?? 0) > 0;
  return [
    ...schema.definitions.filter((f) => !copies(f.IndexFieldName)),
    ...schema.definitions.filter((f) => copies(f.IndexFieldName)),
  ];
}
