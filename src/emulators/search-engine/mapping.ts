/** Index mappings: the properties tree, dynamic mapping, and turning a JSON document into typed field values. */
import { parseDate } from './dates.js';
import { badRequest, SearchEngineError } from './errors.js';
import { isObject, stringifyJson } from './json.js';
import type { FieldMapping, IndexMappings } from './types.js';

export type FieldKind = 'text' | 'keyword' | 'integer' | 'float' | 'date' | 'boolean' | 'unindexed';

export interface LeafField {
  path: string;
  type: string;
  kind: FieldKind;
  mapping: FieldMapping;
  /** Searchable (index: true). */
  indexed: boolean;
  /** Keeps values for sorting and aggregations. */
  docValues: boolean;
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [-(2 ** 63), 2 ** 63],
  unsigned_long: [0, Number.MAX_SAFE_INTEGER * 2048],
};

const KNOWN_TYPES = new Set([
  'text',
  'match_only_text',
  'keyword',
  'constant_keyword',
  'wildcard',
  'ip',
  'long',
  'integer',
  'short',
  'byte',
  'unsigned_long',
  'double',
  'float',
  'half_float',
  'scaled_float',
  'date',
  'date_nanos',
  'boolean',
  'object',
  'nested',
  'flat_object',
  'geo_point',
  'geo_shape',
  'binary',
  'alias',
  'token_count',
  'completion',
  'search_as_you_type',
  'knn_vector',
  'rank_feature',
  'rank_features',
  'join',
  'percolator',
  'integer_range',
  'long_range',
  'float_range',
  'double_range',
  'date_range',
  'ip_range',
]);

export function kindOf(type: string): FieldKind {
  switch (type) {
    case 'text':
    case 'match_only_text':
    case 'search_as_you_type':
      return 'text';
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'ip':
    case 'flat_object':
      return 'keyword';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
    case 'token_count':
      return 'integer';
    case 'double':
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return 'float';
    case 'date':
    case 'date_nanos':
      return 'date';
    case 'boolean':
      return 'boolean';
    default:
      return 'unindexed';
  }
}

export type FieldValue = string | number;

export interface ParsedField {
  field: LeafField;
  /** Text for text fields, strings for keyword, numbers (epoch ms for dates, 1/0 for booleans) otherwise. */
  values: FieldValue[];
}

export class Mappings {
  readonly root: IndexMappings;
  private leaves = new Map<string, LeafField>();
  /** Object paths (for `exists` on an object and dotted-path lookups). */
  private objects = new Set<string>();
  private flatLeaves = new Map<string, LeafField>();

  constructor(initial?: IndexMappings) {
    this.root = { properties: {} };
    if (initial) this.merge(initial);
  }

  field(path: string): LeafField | undefined {
    return this.leaves.get(path) ?? this.flatSubField(path);
  }

  /** `catalog.author.given` under a flat_object `catalog`: a keyword view of that sub-path. */
  private flatSubField(path: string): LeafField | undefined {
    let dot = path.lastIndexOf('.');
    while (dot > 0) {
      const root = this.leaves.get(path.slice(0, dot));
      if (root) {
        if (root.type !== 'flat_object') return undefined;
        let leaf = this.flatLeaves.get(path);
        if (!leaf) {
          leaf = makeLeaf(path, { type: 'flat_object' });
          this.flatLeaves.set(path, leaf);
        }
        return leaf;
      }
      dot = path.lastIndexOf('.', dot - 1);
    }
    return undefined;
  }

  isObject(path: string): boolean {
    return this.objects.has(path);
  }

  allFields(): LeafField[] {
    return [...this.leaves.values()];
  }

  /** Field paths matching a pattern with `*` wildcards. */
  matchFields(pattern: string): LeafField[] {
    if (!pattern.includes('*')) {
      const f = this.field(pattern);
      return f ? [f] : [];
    }
    const re = new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return this.allFields().filter((f) => re.test(f.path));
  }

  toJSON(): IndexMappings {
    return this.root;
  }

  /** put-mapping: adds fields; changing an existing field's type is an error. */
  merge(update: IndexMappings): void {
    validateMapping(update.properties ?? {}, '');
    for (const [k, v] of Object.entries(update)) {
      if (k !== 'properties') this.root[k] = v;
    }
    this.mergeProperties(this.root.properties as Record<string, FieldMapping>, update.properties ?? {}, '');
    this.rebuild();
  }

  private mergeProperties(
    target: Record<string, FieldMapping>,
    update: Record<string, FieldMapping>,
    prefix: string,
  ): void {
    for (const [name, def] of Object.entries(update)) {
      const existing = target[name];
      const path = prefix + name;
      if (!existing) {
        target[name] = structuredClone(def);
        continue;
      }
      const oldType = existing.type ?? (existing.properties ? 'object' : undefined);
      const newType = def.type ?? (def.properties ? 'object' : oldType);
      if (oldType && newType && oldType !== newType) {
        throw badRequest(`mapper [${path}] cannot be changed from type [${oldType}] to [${newType}]`);
      }
      for (const [k, v] of Object.entries(def)) {
        if (k === 'properties') {
          existing.properties ??= {};
          this.mergeProperties(existing.properties, v as Record<string, FieldMapping>, `${path}.`);
        } else if (k === 'fields') {
          existing.fields = { ...(existing.fields ?? {}), ...(v as Record<string, FieldMapping>) };
        } else existing[k] = v;
      }
    }
  }

  private rebuild(): void {
    this.flatLeaves = new Map();
    this.leaves = new Map();
    this.objects = new Set();
    const walk = (props: Record<string, FieldMapping>, prefix: string) => {
      for (const [name, def] of Object.entries(props)) {
        const path = prefix + name;
        const type = def.type ?? (def.properties ? 'object' : 'object');
        if (type === 'object' || type === 'nested') {
          this.objects.add(path);
          if (def.properties) walk(def.properties, `${path}.`);
          continue;
        }
        this.leaves.set(path, makeLeaf(path, def));
        for (const [sub, subDef] of Object.entries(def.fields ?? {})) {
          this.leaves.set(`${path}.${sub}`, makeLeaf(`${path}.${sub}`, subDef));
        }
      }
    };
    walk((this.root.properties ?? {}) as Record<string, FieldMapping>, '');
  }

  /** Flattens a document into typed values per leaf field, adding dynamic mappings for new fields. */
  parseDocument(source: Record<string, unknown>, id: string): { fields: ParsedField[]; mappingChanged: boolean } {
    const state: ParseState = { out: new Map(), changed: false, id };
    this.root.properties ??= {};
    const rootProps = this.root.properties as Record<string, FieldMapping>;
    for (const k in source) {
      const v = source[k];
      if (k.startsWith('_') && METADATA_FIELDS.has(k)) {
        throw new SearchEngineError(
          400,
          'mapper_parsing_exception',
          `Field [${k}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`,
        );
      }
      try {
        this.visitKey(state, v, k, rootProps, k, this.root.dynamic ?? true);
      } catch (e) {
        // A rejected document must not leave the dynamic fields it introduced behind.
        if (state.backup) {
          this.root.properties = state.backup;
          this.rebuild();
        }
        throw e;
      }
    }
    return { fields: [...state.out.values()], mappingChanged: state.changed };
  }

  /** The mapping of the first `dynamic_templates` entry matching a new field (name, path and JSON type), if any. */
  private dynamicTemplate(name: string, path: string, value: unknown): FieldMapping | undefined {
    const templates = this.root.dynamic_templates;
    if (!Array.isArray(templates)) return undefined;
    const inferred = inferMapping(value);
    const detected =
      typeof value === 'string'
        ? inferred?.type === 'date'
          ? 'date'
          : 'string'
        : typeof value === 'boolean'
          ? 'boolean'
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? 'long'
              : 'double'
            : typeof value === 'bigint'
              ? 'long'
              : isObject(value)
                ? 'object'
                : undefined;
    const glob = (pattern: unknown, text: string) =>
      ([] as unknown[]).concat(pattern).some((p) =>
        new RegExp(
          `^${String(p)
            .split('*')
            .map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ).test(text),
      );
    for (const entry of templates as Array<Record<string, Record<string, unknown>>>) {
      const t = Object.values(entry)[0];
      if (!t) continue;
      if (t.match_mapping_type !== undefined && t.match_mapping_type !== '*' && t.match_mapping_type !== detected)
        continue;
      if (t.match !== undefined && !glob(t.match, name)) continue;
      if (t.unmatch !== undefined && glob(t.unmatch, name)) continue;
      if (t.path_match !== undefined && !glob(t.path_match, path)) continue;
      if (t.path_unmatch !== undefined && glob(t.path_unmatch, path)) continue;
      const text = JSON.stringify(t.mapping ?? {})
        .replaceAll('{name}', name)
        .replaceAll('{dynamic_type}', detected ?? 'object');
      const mapping = JSON.parse(text) as FieldMapping;
      if (!mapping.type && detected && detected !== 'object') mapping.type = detected === 'string' ? 'text' : detected;
      return mapping;
    }
    return undefined;
  }

  /** Every scalar under a flat_object is a keyword of the root field and of each sub-path leading to it. */
  private flatten(state: ParseState, root: LeafField, value: unknown, path: string): void {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const v of value) this.flatten(state, root, v, path);
      return;
    }
    if (isObject(value)) {
      for (const k in value) this.flatten(state, root, value[k], `${path}.${k}`);
      return;
    }
    const text = String(value);
    this.add(state, root, text);
    let p = path;
    while (p.length > root.path.length) {
      const leaf = this.field(p);
      if (leaf) this.add(state, leaf, text);
      p = p.slice(0, p.lastIndexOf('.'));
    }
  }

  private add(state: ParseState, field: LeafField, value: FieldValue): void {
    let entry = state.out.get(field.path);
    if (!entry) {
      entry = { field, values: [] };
      state.out.set(field.path, entry);
    }
    entry.values.push(value);
  }

  // Dotted keys ("a.b": 1) are objects in OpenSearch.
  private visitKey(
    state: ParseState,
    value: unknown,
    path: string,
    props: Record<string, FieldMapping>,
    key: string,
    dynamic: unknown,
  ): void {
    if (key.includes('.') && !props[key]) {
      const [head, ...rest] = key.split('.');
      if (key.replaceAll('.', '') === '') throw badRequest(`field name cannot contain only the character [.]`);
      if (!head || rest.some((r) => r === '')) {
        throw badRequest(
          `field name cannot contain only whitespace or be empty: ['${key}']`,
          'mapper_parsing_exception',
        );
      }
      this.visit(
        state,
        { [rest.join('.')]: value },
        path.slice(0, path.length - key.length) + head,
        props,
        head,
        dynamic,
      );
      return;
    }
    this.visit(state, value, path, props, key, dynamic);
  }

  private visit(
    state: ParseState,
    value: unknown,
    path: string,
    parentProps: Record<string, FieldMapping>,
    name: string,
    dynamic: unknown,
  ): void {
    const id = state.id;
    if (value === null || value === undefined) {
      const def = parentProps[name];
      if (def?.null_value !== undefined && def.null_value !== null)
        this.visit(state, def.null_value, path, parentProps, name, dynamic);
      return;
    }
    if (Array.isArray(value)) {
      for (const v of value) this.visit(state, v, path, parentProps, name, dynamic);
      return;
    }
    let def = parentProps[name];
    if (!def) {
      if (name === '') throw badRequest('field name cannot be an empty string', 'mapper_parsing_exception');
      const templated = this.dynamicTemplate(name, path, value);
      if (!templated && (dynamic === 'strict' || dynamic === 'strict_allow_templates')) {
        throw new SearchEngineError(
          400,
          'strict_dynamic_mapping_exception',
          `mapping set to ${String(dynamic)}, dynamic introduction of [${name}] within [${path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '_doc'}] is not allowed`,
        );
      }
      if (!templated && (dynamic === false || dynamic === 'false' || dynamic === 'false_allow_templates')) return;
      const inferred = templated ?? inferMapping(value);
      if (!inferred) return;
      state.backup ??= structuredClone(this.root.properties ?? {}) as Record<string, FieldMapping>;
      parentProps[name] = inferred;
      def = inferred;
      state.changed = true;
      this.rebuild();
    }
    const type = def.type ?? 'object';
    if (type === 'object' || type === 'nested') {
      if (def.enabled === false) return;
      if (!isObject(value)) {
        throw new SearchEngineError(
          400,
          'mapper_parsing_exception',
          `object mapping for [${path}] tried to parse field [${name}] as object, but found a concrete value`,
        );
      }
      def.properties ??= {};
      const childDynamic = def.dynamic ?? dynamic;
      for (const k in value) this.visitKey(state, value[k], `${path}.${k}`, def.properties, k, childDynamic);
      return;
    }
    const leaf = this.leaves.get(path);
    if (!leaf) return;
    if (leaf.kind === 'unindexed') {
      this.add(state, leaf, '');
      return;
    }
    if (leaf.type === 'flat_object') {
      if (!isObject(value)) {
        throw new SearchEngineError(
          400,
          'parsing_exception',
          `[${path}] unexpected token [${Array.isArray(value) ? 'START_ARRAY' : 'VALUE_STRING'}] in flat_object field value`,
        );
      }
      this.flatten(state, leaf, value, path);
      return;
    }
    if (isObject(value)) {
      throw new SearchEngineError(
        400,
        'mapper_parsing_exception',
        `failed to parse field [${path}] of type [${leaf.type}] in document with id '${id}'. Preview of field's value: '${preview(value)}'`,
      );
    }
    const parsed = coerce(leaf, value, id);
    if (parsed !== undefined) this.add(state, leaf, parsed);
    if (def.fields) {
      for (const sub in def.fields) {
        const subLeaf = this.leaves.get(`${path}.${sub}`);
        if (!subLeaf) continue;
        const subValue = coerce(subLeaf, value, id);
        if (subValue !== undefined) this.add(state, subLeaf, subValue);
      }
    }
  }
}

interface ParseState {
  out: Map<string, ParsedField>;
  changed: boolean;
  id: string;
  /** The properties before the first dynamic addition, restored if the document is rejected. */
  backup?: Record<string, FieldMapping>;
}

const METADATA_FIELDS = new Set(['_id', '_index', '_source', '_version', '_routing', '_seq_no']);

function validateMapping(props: Record<string, FieldMapping>, prefix: string): void {
  for (const [name, def] of Object.entries(props)) {
    if (name.trim() === '') throw badRequest('name cannot be empty string');
    if (!isObject(def))
      throw badRequest(`Expected map for property [fields] on field [${prefix}${name}]`, 'mapper_parsing_exception');
    const type = def.type ?? 'object';
    if (!KNOWN_TYPES.has(type)) {
      throw new SearchEngineError(
        400,
        'mapper_parsing_exception',
        `No handler for type [${type}] declared on field [${name}]`,
      );
    }
    if (type === 'flat_object') {
      const extra = Object.entries(def).filter(([k]) => k !== 'type');
      if (extra.length > 0) {
        throw new SearchEngineError(
          400,
          'mapper_parsing_exception',
          `Mapping definition for [${name}] has unsupported parameters:  ${extra.map(([k, v]) => `[${k} : ${String(v)}]`).join(' ')}`,
        );
      }
    }
    if (def.properties) validateMapping(def.properties, `${prefix}${name}.`);
  }
}

function makeLeaf(path: string, def: FieldMapping): LeafField {
  const type = def.type ?? 'object';
  const kind = kindOf(type);
  return {
    path,
    type,
    kind,
    mapping: def,
    indexed: def.index !== false,
    docValues: kind !== 'text' && kind !== 'unindexed' && def.doc_values !== false,
  };
}

const DYNAMIC_DATE_RE = /^\d{4}[-/]\d{2}[-/]\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

function inferMapping(value: unknown): FieldMapping | undefined {
  if (typeof value === 'string') {
    if (DYNAMIC_DATE_RE.test(value) && parseDate(value.replaceAll('/', '-').replace(' ', 'T')) !== undefined) {
      return value.includes('/')
        ? { type: 'date', format: 'yyyy/MM/dd HH:mm:ss||yyyy/MM/dd||epoch_millis' }
        : { type: 'date' };
    }
    return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  }
  if (typeof value === 'number') return { type: Number.isInteger(value) ? 'long' : 'float' };
  if (typeof value === 'bigint') return { type: 'long' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (isObject(value)) return { properties: {} };
  return undefined;
}

function preview(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : stringifyJson(value);
}

function parseFailure(
  leaf: LeafField,
  value: unknown,
  id: string,
  cause?: { type: string; reason: string },
): SearchEngineError {
  return new SearchEngineError(
    400,
    'mapper_parsing_exception',
    `failed to parse field [${leaf.path}] of type [${leaf.type}] in document with id '${id}'. Preview of field's value: '${preview(value)}'`,
    {},
    cause,
  );
}

/** One scalar → the value stored for the field, or undefined when it is not indexed (ignore_above). */
function coerce(leaf: LeafField, value: unknown, id: string): FieldValue | undefined {
  const m = leaf.mapping;
  switch (leaf.kind) {
    case 'text':
      return String(value);
    case 'keyword': {
      const s = String(value);
      if (typeof m.ignore_above === 'number' && s.length > m.ignore_above) return undefined;
      return s;
    }
    case 'integer':
    case 'float': {
      if (typeof value === 'bigint') {
        const limits: [bigint, bigint] =
          leaf.type === 'unsigned_long'
            ? [0n, 2n ** 64n - 1n]
            : leaf.type === 'long' || leaf.kind === 'float'
              ? [-(2n ** 63n), 2n ** 63n - 1n]
              : [-(2n ** 31n), 2n ** 31n - 1n];
        if (value < limits[0] || value > limits[1]) {
          throw parseFailure(leaf, value, id, {
            type: 'illegal_argument_exception',
            reason: `Value [${value}] is out of range for a ${leaf.type}`,
          });
        }
        return Number(value);
      }
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : Number.NaN;
      if (typeof value === 'boolean' || Number.isNaN(n)) {
        if (m.ignore_malformed) return undefined;
        throw parseFailure(leaf, value, id, {
          type: 'number_format_exception',
          reason: `For input string: "${String(value)}"`,
        });
      }
      if (leaf.kind === 'integer') {
        const range = INTEGER_RANGES[leaf.type] ?? INTEGER_RANGES.long;
        if (n < range[0] || n > range[1]) {
          if (m.ignore_malformed) return undefined;
          throw parseFailure(leaf, value, id, {
            type: 'illegal_argument_exception',
            reason: `Value [${String(value)}] is out of range for ${leaf.type === 'long' ? 'a long' : `an ${leaf.type}`}`,
          });
        }
        return Math.trunc(n);
      }
      if (leaf.type === 'float' || leaf.type === 'half_float') return Math.fround(n);
      if (leaf.type === 'scaled_float') {
        const factor = Number(m.scaling_factor ?? 1);
        return Math.round(n * factor) / factor;
      }
      return n;
    }
    case 'date': {
      const t = parseDate(value, m.format as string | undefined);
      if (t === undefined) {
        if (m.ignore_malformed) return undefined;
        throw parseFailure(leaf, value, id, {
          type: 'illegal_argument_exception',
          reason: `failed to parse date field [${String(value)}] with format [${m.format ?? 'strict_date_optional_time||epoch_millis'}]`,
        });
      }
      return t;
    }
    case 'boolean': {
      if (value === true || value === 'true') return 1;
      if (value === false || value === 'false' || value === '') return 0;
      throw parseFailure(leaf, value, id, {
        type: 'illegal_argument_exception',
        reason: `Failed to parse value [${String(value)}] as only [true] or [false] are allowed.`,
      });
    }
    default:
      return undefined;
  }
}
