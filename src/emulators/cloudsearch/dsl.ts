import { isCloudSearchDate, isInt64 } from '../../domain/cloudsearch-limits.js';
import type { DomainSchema, ResolvedField } from '../../domain/cloudsearch-schema.js';
import { searchError } from './errors.js';
import { analyzerForScheme } from './mappings.js';
import type { CsQuery, DefaultOperator } from './query-parser.js';

export type Dsl = Record<string, unknown>;

export interface WeightedField {
  name: string;
  boost: number;
}

export interface TranslateOptions {
  /** Fields searched by unqualified terms (q.options fields, else every text field). */
  defaultFields: WeightedField[];
  defaultOperator: DefaultOperator;
}

/** Parses q.options `fields` entries like `title^2`. */
export function parseWeightedFields(schema: DomainSchema, entries: string[]): WeightedField[] {
  return entries.map((entry) => {
    const m = /^([a-z][a-z0-9_]*)(?:\^(\d+(?:\.\d+)?))?$/.exec(entry);
    if (!m) throw searchError(`Invalid field specification '${entry}' in q.options`);
    const field = schema.fields.get(m[1]);
    if (!field) throw searchError(`Unknown field '${m[1]}' in q.options`);
    if (!field.search) throw searchError(`Field '${m[1]}' is not search enabled`);
    return { name: m[1], boost: m[2] ? Number(m[2]) : 1 };
  });
}

function fieldFor(schema: DomainSchema, name: string): ResolvedField {
  const field = schema.fields.get(name);
  if (!field) throw searchError(`Unknown field '${name}' in query`);
  if (!field.search) throw searchError(`Field '${name}' is not search enabled`);
  return field;
}

/** A query value typed for the field it is compared with (validated the way CloudSearch validates it). */
export function typedValue(field: ResolvedField, raw: string): string | number {
  switch (field.base) {
    case 'int': {
      if (!isInt64(raw)) throw searchError(`Invalid int value '${raw}' for field '${field.name}'`);
      return Number(raw);
    }
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) {
        throw searchError(`Invalid double value '${raw}' for field '${field.name}'`);
      }
      return n;
    }
    case 'date':
      if (!isCloudSearchDate(raw)) throw searchError(`Invalid date value '${raw}' for field '${field.name}'`);
      return raw;
    default:
      return raw;
  }
}

function boosted(dsl: Dsl, boost: number | undefined): Dsl {
  if (boost === undefined || boost === 1) return dsl;
  return { bool: { must: [dsl], boost } };
}

/** Translates the parsed query to OpenSearch query DSL for the shared engine. */
export function toDsl(schema: DomainSchema, q: CsQuery, opts: TranslateOptions): Dsl {
  switch (q.kind) {
    case 'matchall':
      return { match_all: {} };
    case 'and':
      return boosted(
        {
          bool: {
            must: q.items.map((i) => toDsl(schema, i, opts)),
            ...(q.should ? { should: q.should.map((i) => toDsl(schema, i, opts)) } : {}),
          },
        },
        q.boost,
      );
    case 'or':
      return boosted(
        { bool: { should: q.items.map((i) => toDsl(schema, i, opts)), minimum_should_match: 1 } },
        q.boost,
      );
    case 'not':
      return boosted({ bool: { must: [{ match_all: {} }], must_not: [toDsl(schema, q.item, opts)] } }, q.boost);
    case 'term':
      if (q.field) return fieldTerm(fieldFor(schema, q.field), q.value, q.boost);
      return anyField(opts.defaultFields, q.boost, (f, boost) => fieldTerm(fieldFor(schema, f), q.value, boost, true));
    case 'phrase':
      if (q.field) return fieldPhrase(fieldFor(schema, q.field), q.value, q.slop, q.boost);
      return anyField(opts.defaultFields, q.boost, (f, boost) =>
        fieldPhrase(fieldFor(schema, f), q.value, q.slop, boost, true),
      );
    case 'prefix':
      if (q.field) return fieldPrefix(fieldFor(schema, q.field), q.value, q.boost);
      return anyField(opts.defaultFields, q.boost, (f, boost) =>
        fieldPrefix(fieldFor(schema, f), q.value, boost, true),
      );
    case 'range':
      return fieldRange(fieldFor(schema, q.field), q);
  }
}

/** One clause per default field, any may match; the best-scoring field counts most (like CloudSearch's dismax-ish default). */
function anyField(
  fields: WeightedField[],
  boost: number | undefined,
  build: (field: string, boost: number) => Dsl | undefined,
): Dsl {
  const clauses = fields.map((f) => build(f.name, f.boost * (boost ?? 1))).filter((c): c is Dsl => c !== undefined);
  if (clauses.length === 0) return { bool: { must_not: [{ match_all: {} }] } };
  if (clauses.length === 1) return clauses[0];
  return { bool: { should: clauses, minimum_should_match: 1 } };
}

/** `lenient`: an unqualified value that does not fit a numeric/date default field just cannot match there. */
function fieldTerm(field: ResolvedField, raw: string, boost?: number, lenient = false): Dsl | never {
  if (field.base === 'text') {
    // A query made only of stop words constrains nothing, as in CloudSearch (not "match nothing").
    return {
      match: {
        [field.name]: {
          query: raw,
          operator: 'and',
          zero_terms_query: 'all',
          ...(boost !== undefined ? { boost } : {}),
        },
      },
    };
  }
  const value = lenientTyped(field, raw, lenient);
  if (value === undefined) return { bool: { must_not: [{ match_all: {} }] } };
  return { term: { [field.name]: { value, ...(boost !== undefined ? { boost } : {}) } } };
}

function fieldPhrase(field: ResolvedField, raw: string, slop?: number, boost?: number, lenient = false): Dsl {
  if (field.base === 'text') {
    return {
      match_phrase: {
        [field.name]: {
          query: raw,
          zero_terms_query: 'all',
          ...(slop !== undefined ? { slop } : {}),
          ...(boost !== undefined ? { boost } : {}),
        },
      },
    };
  }
  return fieldTerm(field, raw, boost, lenient);
}

/** Two or more Hangul/Han/Kana characters: indexed as bigrams in CJK-analysed fields. */
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2}/u;

function fieldPrefix(field: ResolvedField, raw: string, boost?: number, lenient = false): Dsl {
  if (field.base === 'text' && analyzerForScheme(field.analysisScheme) === 'cjk' && CJK_RUN.test(raw)) {
    // Bigram terms are two characters long, so `운동화*` is no term's prefix; the bigrams of `운동화` in a row match
    // every word that starts with it (and, as any bigram search, compounds that contain it).
    return fieldPhrase(field, raw, undefined, boost);
  }
  if (field.base === 'text' || field.base === 'literal') {
    // Text is indexed lowercased, so a prefix over it must be lowercased too; literals are exact.
    const value = field.base === 'text' ? raw.toLowerCase() : raw;
    return { prefix: { [field.name]: { value, ...(boost !== undefined ? { boost } : {}) } } };
  }
  if (lenient) return { bool: { must_not: [{ match_all: {} }] } };
  throw searchError(`Prefix search is not supported on ${field.type} field '${field.name}'`);
}

function fieldRange(field: ResolvedField, q: Extract<CsQuery, { kind: 'range' }>): Dsl {
  if (field.base === 'text') throw searchError(`Range search is not supported on text field '${field.name}'`);
  const range: Record<string, unknown> = {};
  if (q.lower !== undefined) range[q.includeLower ? 'gte' : 'gt'] = typedValue(field, q.lower);
  if (q.upper !== undefined) range[q.includeUpper ? 'lte' : 'lt'] = typedValue(field, q.upper);
  if (q.boost !== undefined) range.boost = q.boost;
  if (q.lower === undefined && q.upper === undefined) return { exists: { field: field.name } };
  return { range: { [field.name]: range } };
}

function lenientTyped(field: ResolvedField, raw: string, lenient: boolean): string | number | undefined {
  try {
    return typedValue(field, raw);
  } catch (err) {
    if (lenient) return undefined;
    throw err;
  }
}
