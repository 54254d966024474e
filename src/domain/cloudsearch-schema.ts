import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A CloudSearch domain schema file: the domain name and its index fields in the configuration API's own
 * `IndexField` shape, so the provisioning script can pass each entry to DefineIndexField unchanged.
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
const DOMAIN_NAME = /^[a-z][a-z0-9-]{2,27}$/;

const options = z
  .object({
    FacetEnabled: z.boolean().optional(),
    ReturnEnabled: z.boolean().optional(),
    SearchEnabled: z.boolean().optional(),
    SortEnabled: z.boolean().optional(),
    HighlightEnabled: z.boolean().optional(),
    AnalysisScheme: z.string().optional(),
    DefaultValue: z.union([z.string(), z.number()]).optional(),
    SourceField: z.string().optional(),
    SourceFields: z.string().optional(),
  })
  .strict();

const indexFieldSchema = z
  .object({
    IndexFieldName: z
      .string()
      .regex(FIELD_NAME, 'field names match [a-z][a-z0-9_]{0,63}')
      .refine((n) => n !== 'score', {
        message: "'score' is reserved",
      }),
    IndexFieldType: z.enum(INDEX_FIELD_TYPES),
    TextOptions: options.optional(),
    TextArrayOptions: options.optional(),
    LiteralOptions: options.optional(),
    LiteralArrayOptions: options.optional(),
    IntOptions: options.optional(),
    IntArrayOptions: options.optional(),
    DoubleOptions: options.optional(),
    DoubleArrayOptions: options.optional(),
    DateOptions: options.optional(),
    DateArrayOptions: options.optional(),
  })
  .strict();

const domainSchemaFile = z
  .object({
    DomainName: z.string().regex(DOMAIN_NAME, 'domain names match [a-z][a-z0-9-]{2,27}'),
    IndexFields: z.array(indexFieldSchema).max(200),
  })
  .strict();

export type IndexFieldDefinition = z.infer<typeof indexFieldSchema>;
export type DomainSchemaFile = z.infer<typeof domainSchemaFile>;

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
}

export interface DomainSchema {
  domainName: string;
  fields: Map<string, ResolvedField>;
  /** The fields the simple/lucene parsers search when the query names none: every text and text-array field. */
  defaultSearchFields: string[];
  definitions: IndexFieldDefinition[];
}

export function isValidFieldName(name: string): boolean {
  return FIELD_NAME.test(name) && name !== 'score';
}

const OPTION_KEYS: Record<IndexFieldType, keyof IndexFieldDefinition> = {
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

export function optionsKeyFor(type: IndexFieldType): keyof IndexFieldDefinition {
  return OPTION_KEYS[type];
}

export function resolveField(def: IndexFieldDefinition): ResolvedField {
  const type = def.IndexFieldType;
  const opts = (def[OPTION_KEYS[type]] ?? {}) as z.infer<typeof options>;
  const array = type.endsWith('-array');
  const base = type.replace('-array', '') as BaseFieldType;
  const isText = base === 'text';
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
  };
}

export function buildDomainSchema(raw: unknown): DomainSchema {
  const parsed = domainSchemaFile.parse(raw);
  const fields = new Map<string, ResolvedField>();
  for (const def of parsed.IndexFields) {
    if (fields.has(def.IndexFieldName)) throw new Error(`duplicate index field '${def.IndexFieldName}'`);
    fields.set(def.IndexFieldName, resolveField(def));
  }
  return {
    domainName: parsed.DomainName,
    fields,
    defaultSearchFields: [...fields.values()].filter((f) => f.base === 'text').map((f) => f.name),
    definitions: parsed.IndexFields,
  };
}

export const DEFAULT_SCHEMA_FILE = new URL('../infra/cloudsearch-schema.json', import.meta.url);

export function loadDomainSchema(file: string | URL = DEFAULT_SCHEMA_FILE): DomainSchema {
  return buildDomainSchema(JSON.parse(readFileSync(file, 'utf8')));
}

/** Engine field name holding a sortable copy of a text field (the engine sorts keywords, not analysed text). */
export function sortShadowField(name: string): string {
  return `_sort_${name}`;
}

/** OpenSearch-style mappings for the shared engine. */
export function engineMappings(schema: DomainSchema): {
  properties: Record<string, { type: string; analyzer?: string }>;
} {
  const properties: Record<string, { type: string; analyzer?: string }> = {};
  for (const f of schema.fields.values()) {
    // The engine's english analyzer drops English stop words like _en_default_ does (it does not stem).
    const analyzer = f.base === 'text' && f.analysisScheme?.startsWith('_en_') ? 'english' : undefined;
    properties[f.name] = { type: ENGINE_TYPES[f.base], ...(analyzer ? { analyzer } : {}) };
    if (f.base === 'text' && f.sort) properties[sortShadowField(f.name)] = { type: 'keyword' };
  }
  return { properties };
}

const ENGINE_TYPES: Record<BaseFieldType, string> = {
  text: 'text',
  literal: 'keyword',
  int: 'long',
  double: 'double',
  date: 'date',
};
