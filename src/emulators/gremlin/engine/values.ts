// Value semantics of the engine: Gremlin equality, ordering and predicate tests; element tokens and properties,
// collections, reducers and operators shared by the step families.

import {
  elementRemovals,
  GEdge,
  GProperty,
  GremlinEngineError,
  GVertex,
  GVertexProperty,
  TinkerGraphLike,
  valueKey,
} from './graph.js';
import { isEnum, isP, type PC } from './structure.js';

export function isNum(x: unknown): x is number | bigint {
  return typeof x === 'number' || typeof x === 'bigint';
}

export function isElement(x: unknown): x is GVertex | GEdge | GVertexProperty {
  return x instanceof GVertex || x instanceof GEdge || x instanceof GVertexProperty;
}

/** Element references coming from clients (Vertex/Edge of either gremlin version): anything with an id. */
export function elementIdOf(x: unknown): unknown {
  if (isElement(x)) return x.id;
  if (x && typeof x === 'object' && 'id' in x && 'label' in x) return (x as { id: unknown }).id;
  return x;
}

export function gEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNum(a) && isNum(b)) {
    if (typeof a === 'number' && Number.isNaN(a)) return false;
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  }
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (isElement(a) || isElement(b)) {
    if (isElement(a) && isElement(b)) return a.kind === b.kind && gEquals(a.id, b.id);
    return false;
  }
  if (a instanceof GProperty && b instanceof GProperty) return a.key === b.key && gEquals(a.value, b.value);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => gEquals(x, b[i]));
  if (a instanceof PathValue && b instanceof PathValue) return gEquals(a.objects, b.objects);
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    const bs = [...b];
    return [...a].every((x) => bs.some((y) => gEquals(x, y)));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    const be = [...b];
    return [...a].every(([k, v]) => be.some(([k2, v2]) => gEquals(k, k2) && gEquals(v, v2)));
  }
  if (isEnum(a) && isEnum(b)) return a.typeName === b.typeName && a.elementName === b.elementName;
  return false;
}

/** A path value (the engine's own; converted to gremlin's Path on output). */
export class PathValue {
  constructor(
    readonly labels: string[][],
    readonly objects: unknown[],
  ) {}
}

function typeRank(x: unknown): number {
  if (x === null || x === undefined) return 0;
  if (typeof x === 'boolean') return 1;
  if (isNum(x)) return 2;
  if (x instanceof Date) return 3;
  if (isEnum(x)) return 4;
  if (typeof x === 'string') return 4;
  if (x instanceof GVertex) return 6;
  if (x instanceof GEdge) return 7;
  if (x instanceof GVertexProperty) return 8;
  if (x instanceof GProperty) return 9;
  if (x instanceof PathValue) return 10;
  if (x instanceof Set) return 11;
  if (Array.isArray(x)) return 12;
  if (x instanceof Map) return 13;
  return 14;
}

/** Total order used by order(): nulls first, then by type, then by value. */
export function gCompare(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 2: {
      const x = a as number | bigint;
      const y = b as number | bigint;
      if (typeof x === 'number' && Number.isNaN(x)) return typeof y === 'number' && Number.isNaN(y) ? 0 : 1;
      if (typeof y === 'number' && Number.isNaN(y)) return -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return (a as Date).getTime() - (b as Date).getTime();
    case 4: {
      // enum tokens (T.id, T.label) order by their names among strings
      const x = isEnum(a) ? a.elementName : (a as string);
      const y = isEnum(b) ? b.elementName : (b as string);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3.5:
      return String((a as { elementName: string }).elementName).localeCompare(
        (b as { elementName: string }).elementName,
      );
    case 6:
    case 7:
    case 8:
      return gCompare((a as GVertex).id, (b as GVertex).id);
    case 9: {
      const c = gCompare((a as GProperty).key, (b as GProperty).key);
      return c || gCompare((a as GProperty).value, (b as GProperty).value);
    }
    case 10:
      return compareLists((a as PathValue).objects, (b as PathValue).objects);
    case 11:
      return compareLists([...(a as Set<unknown>)], [...(b as Set<unknown>)]);
    case 12:
      return compareLists(a as unknown[], b as unknown[]);
    case 13:
      return compareLists([...(a as Map<unknown, unknown>)].flat(), [...(b as Map<unknown, unknown>)].flat());
    default:
      return String(a).localeCompare(String(b));
  }
}

function compareLists(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = gCompare(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

/** Comparison for predicates (gt/lt/...): undefined when the values are not comparable. */
function predCompare(a: unknown, b: unknown): number | undefined {
  if (a === null || b === null || a === undefined || b === undefined) return undefined;
  if (isNum(a) && isNum(b)) {
    if ((typeof a === 'number' && Number.isNaN(a)) || (typeof b === 'number' && Number.isNaN(b))) return undefined;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (typeRank(a) === typeRank(b) && typeRank(a) >= 6) return gCompare(a, b);
  return undefined;
}

function asElementAware(v: unknown): unknown {
  return v;
}

export function testPredicate(p: PC, value: unknown): boolean {
  const op = p.operator;
  const arg = asElementAware(p.value);
  switch (op) {
    case 'eq':
      return gEquals(value, arg) || (isElementRef(arg) && isElement(value) && gEquals(value.id, elementIdOf(arg)));
    case 'neq':
      return !(gEquals(value, arg) || (isElementRef(arg) && isElement(value) && gEquals(value.id, elementIdOf(arg))));
    case 'lt': {
      const c = predCompare(value, arg);
      return c !== undefined && c < 0;
    }
    case 'lte': {
      const c = predCompare(value, arg);
      return c !== undefined && c <= 0;
    }
    case 'gt': {
      const c = predCompare(value, arg);
      return c !== undefined && c > 0;
    }
    case 'gte': {
      const c = predCompare(value, arg);
      return c !== undefined && c >= 0;
    }
    case 'inside': {
      const a = predCompare(value, arg);
      const b = predCompare(value, p.other);
      return a !== undefined && b !== undefined && a > 0 && b < 0;
    }
    case 'outside': {
      const a = predCompare(value, arg);
      const b = predCompare(value, p.other);
      return (a !== undefined && a < 0) || (b !== undefined && b > 0);
    }
    case 'between': {
      const a = predCompare(value, arg);
      const b = predCompare(value, p.other);
      return a !== undefined && b !== undefined && a >= 0 && b < 0;
    }
    case 'within': {
      const fast = keySetTest(arg, value);
      if (fast !== undefined) return fast;
      const list = collectionOf(arg);
      return list.some(
        (x) => gEquals(value, x) || (isElement(value) && isElementRef(x) && gEquals(value.id, elementIdOf(x))),
      );
    }
    case 'without': {
      const fast = keySetTest(arg, value);
      if (fast !== undefined) return !fast;
      const list = collectionOf(arg);
      return !list.some(
        (x) => gEquals(value, x) || (isElement(value) && isElementRef(x) && gEquals(value.id, elementIdOf(x))),
      );
    }
    case 'not':
      return !testPredicate(arg as PC, value);
    case 'typeOf':
      return typeOfTest(arg, value);
    case 'and':
      return testPredicate(arg as PC, value) && testPredicate(p.other as PC, value);
    case 'or':
      return testPredicate(arg as PC, value) || testPredicate(p.other as PC, value);
    case 'containing':
      return typeof value === 'string' && typeof arg === 'string' && value.includes(arg);
    case 'notContaining':
      return typeof value === 'string' && typeof arg === 'string' && !value.includes(arg);
    case 'startingWith':
      return typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    case 'notStartingWith':
      return typeof value === 'string' && typeof arg === 'string' && !value.startsWith(arg);
    case 'endingWith':
      return typeof value === 'string' && typeof arg === 'string' && value.endsWith(arg);
    case 'notEndingWith':
      return typeof value === 'string' && typeof arg === 'string' && !value.endsWith(arg);
    case 'regex':
      return typeof value === 'string' && new RegExp(String(arg)).test(value);
    case 'notRegex':
      return typeof value === 'string' && !new RegExp(String(arg)).test(value);
    default:
      throw new GremlinEngineError(`Unsupported predicate: ${op}`);
  }
}

// side-effect lists only grow (aggregate pushes), so a cached set is valid while the length is unchanged
interface KeySet {
  size: number;
  /** false when the list holds an object that is no graph element (it has no key set then) */
  keyable: boolean;
  /** the vertices and edges of the list themselves */
  elements: Set<unknown>;
  /** no listed element was removed, and elementRemovals.count when the set was built */
  live: boolean;
  removals: number;
  /** the items' key strings, and the string ids of its elements by kind; built when first needed (a list of live
   * elements, as aggregate() gives, is looked up by identity) */
  keys?: { set: Set<string>; stringIds: Record<string, Set<string>> };
}
const keySets = new WeakMap<unknown[], KeySet>();

/**
 * testPredicate(p, ·) for a run of values during which p's lists do not change (one step's filter): a within() or
 * without() list of live vertices and edges is looked up once, then membership is by identity.
 */
export function predicateTester(p: PC): (value: unknown) => boolean {
  const op = p.operator;
  const list = p.value;
  if ((op === 'within' || op === 'without') && Array.isArray(list) && list.length > 0) {
    const cached = keySetOf(list);
    if (cached.keyable && cached.live && cached.removals === elementRemovals.count) {
      const elements = cached.elements;
      const negate = op === 'without';
      return (value) =>
        (value instanceof GVertex || value instanceof GEdge) && !value.removed
          ? elements.has(value) !== negate
          : testPredicate(p, value);
    }
  }
  return (value) => testPredicate(p, value);
}

/** Membership of elements and primitives in a large within()/without() list via a cached key set. */
function keySetTest(list: unknown, value: unknown): boolean | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const cached = keySetOf(list);
  if (!cached.keyable) return undefined;
  if (value instanceof GVertex || value instanceof GEdge) {
    // One object per live element id: while nothing was removed since the set was built (and neither side is a
    // removed element), membership by identity is membership by id, without reading the id.
    if (cached.live && !value.removed && cached.removals === elementRemovals.count) return cached.elements.has(value);
  }
  const { set, stringIds } = keyStringsOf(list, cached);
  if (isElement(value) && typeof value.id === 'string') return stringIds[value.kind].has(value.id);
  const vk = isElement(value)
    ? `${value.kind}:${valueKey(value.id)}`
    : typeof value === 'object' && value !== null
      ? null
      : valueKey(value);
  if (vk === null) return undefined;
  if (typeof value === 'number' && Number.isNaN(value)) return false;
  return set.has(vk);
}

/** The list's key set, (re)built when the list has grown since. */
function keySetOf(list: unknown[]): KeySet {
  let cached = keySets.get(list);
  if (cached === undefined || cached.size !== list.length) {
    const elements = new Set<unknown>();
    let live = true;
    let keyable = true;
    for (const x of list) {
      if (x instanceof GVertex || x instanceof GEdge) {
        elements.add(x);
        if (x.removed) live = false;
      } else if (
        typeof x === 'object' ? x !== null && !isElement(x) : typeof x === 'symbol' || typeof x === 'function'
      ) {
        // (what valueKey() gives no key for)
        keyable = false;
        break;
      }
    }
    cached = { size: list.length, keyable, elements, live, removals: elementRemovals.count };
    keySets.set(list, cached);
  }
  return cached;
}

/** the key strings of a keyable list's items (elements with string ids also by kind: answered without a key string) */
function keyStringsOf(list: unknown[], cached: KeySet): NonNullable<KeySet['keys']> {
  if (cached.keys) return cached.keys;
  const set = new Set<string>();
  const stringIds: Record<string, Set<string>> = { v: new Set(), e: new Set(), vp: new Set() };
  for (const x of list) {
    set.add((isElement(x) ? `${x.kind}:${valueKey(x.id)}` : valueKey(x)) as string);
    if (isElement(x) && typeof x.id === 'string') stringIds[x.kind].add(x.id);
  }
  cached.keys = { set, stringIds };
  return cached.keys;
}

function isElementRef(x: unknown): boolean {
  return isElement(x) || (!!x && typeof x === 'object' && 'id' in x && 'label' in x && !isP(x));
}

function collectionOf(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x === undefined) return [];
  return [x];
}

export function toPredicate(x: unknown): PC | null {
  return isP(x) ? x : null;
}

export function typeNameOf(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  if (typeof x === 'string') return 'String';
  if (typeof x === 'number') return Number.isInteger(x) ? 'Integer' : 'Double';
  if (typeof x === 'bigint') return 'BigInteger';
  if (typeof x === 'boolean') return 'Boolean';
  if (x instanceof GVertex) return 'Vertex';
  if (x instanceof GEdge) return 'Edge';
  if (x instanceof GVertexProperty) return 'VertexProperty';
  if (x instanceof GProperty) return 'Property';
  if (x instanceof Map) return 'LinkedHashMap';
  if (x instanceof Set) return 'LinkedHashSet';
  if (Array.isArray(x)) return 'ArrayList';
  if (x instanceof Date) return 'Date';
  return typeof x;
}

const TYPE_NAMES: Record<string, string> = {
  String: 'STRING',
  Integer: 'INT',
  Long: 'LONG',
  Double: 'DOUBLE',
  Float: 'FLOAT',
  Boolean: 'BOOLEAN',
  Short: 'SHORT',
  Byte: 'BYTE',
  BigInteger: 'BIGINT',
  BigDecimal: 'BIGDECIMAL',
  Number: 'NUMBER',
  Vertex: 'VERTEX',
  Edge: 'EDGE',
  VertexProperty: 'VPROPERTY',
  Property: 'PROPERTY',
  Path: 'PATH',
  List: 'LIST',
  Map: 'MAP',
  Set: 'SET',
  UUID: 'UUID',
  Date: 'DATETIME',
  OffsetDateTime: 'DATETIME',
  Tree: 'TREE',
  Graph: 'GRAPH',
  Character: 'CHAR',
};

function typeOfTest(arg: unknown, value: unknown): boolean {
  let t: string;
  if (isEnum(arg, 'GType')) t = arg.elementName;
  else if (typeof arg === 'string') {
    const short = arg.split('.').pop() as string;
    const mapped = TYPE_NAMES[short];
    if (!mapped) throw new GremlinEngineError(`${arg} is not a registered type name`);
    t = mapped;
  } else throw new GremlinEngineError('typeOf() requires a GType or a type name');
  switch (t) {
    case 'NULL':
      return value === null || value === undefined;
    case 'STRING':
      return typeof value === 'string';
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'NUMBER':
      return isNum(value);
    case 'INT':
    case 'LONG':
    case 'SHORT':
    case 'BYTE':
      return typeof value === 'number' && Number.isInteger(value);
    case 'BIGINT':
      return typeof value === 'bigint';
    case 'DOUBLE':
    case 'FLOAT':
    case 'BIGDECIMAL':
      return typeof value === 'number' && !Number.isInteger(value);
    case 'VERTEX':
      return value instanceof GVertex;
    case 'EDGE':
      return value instanceof GEdge;
    case 'VPROPERTY':
      return value instanceof GVertexProperty;
    case 'PROPERTY':
      return value instanceof GProperty;
    case 'PATH':
      return value instanceof PathValue;
    case 'LIST':
      return Array.isArray(value);
    case 'SET':
      return value instanceof Set;
    case 'MAP':
      return value instanceof Map;
    case 'DATETIME':
      return value instanceof Date;
    case 'GRAPH':
      return value instanceof TinkerGraphLike;
    case 'TREE':
      return value instanceof TreeValue;
    default:
      return false;
  }
}

// ---- values the steps produce and consume ---------------------------------------------------------------------

export class MapEntry {
  constructor(
    readonly key: unknown,
    readonly value: unknown,
  ) {}
}

export class TreeValue {
  constructor(readonly entries: [unknown, TreeValue][]) {}
}

const tEnums = new Map<string, unknown>();
export function tEnum(name: string): unknown {
  let e = tEnums.get(name);
  if (!e) {
    e = { typeName: 'T', elementName: name };
    tEnums.set(name, e);
  }
  return e;
}
export function dirEnum(name: string): unknown {
  return { typeName: 'Direction', elementName: name };
}

/** TinkerGraph's default id manager: numeric ids also match their string form */
export function idEquals(a: unknown, b: unknown): boolean {
  if (gEquals(a, b)) return true;
  if (typeof a === 'number' && typeof b === 'string') return String(a) === b;
  if (typeof a === 'string' && typeof b === 'number') return a === String(b);
  return false;
}

export function labelOf(o: unknown): unknown {
  if (o instanceof GVertex || o instanceof GEdge) return o.label;
  if (o instanceof GVertexProperty) return o.key;
  return undefined;
}

export function tokenValue(o: unknown, name: string): unknown {
  switch (name) {
    case 'id':
      if (o instanceof GVertex || o instanceof GEdge || o instanceof GVertexProperty) return o.id;
      break;
    case 'label':
      if (o instanceof GVertex || o instanceof GEdge) return o.label;
      if (o instanceof GVertexProperty) return o.key;
      break;
    case 'key':
      if (o instanceof GVertexProperty || o instanceof GProperty) return o.key;
      if (o instanceof MapEntry) return o.key;
      break;
    case 'value':
      if (o instanceof GVertexProperty || o instanceof GProperty) return o.value;
      if (o instanceof MapEntry) return o.value;
      break;
  }
  throw new GremlinEngineError(`The T.${name} token cannot be applied to ${typeNameOf(o)}: ${describe(o)}`);
}

export function columnValue(o: unknown, col: string): unknown {
  if (o instanceof MapEntry) return col === 'keys' ? o.key : o.value;
  if (o instanceof Map) return col === 'keys' ? new Set(o.keys()) : [...o.values()];
  if (o instanceof PathValue) return col === 'keys' ? o.labels.map((l) => new Set(l)) : o.objects;
  if (Array.isArray(o)) return o.map((x) => columnValue(x, col));
  throw new GremlinEngineError(`Column.${col} cannot be applied to ${typeNameOf(o)}`);
}

export function propsOf(o: unknown, keys: string[]): (GVertexProperty | GProperty)[] {
  const out: (GVertexProperty | GProperty)[] = [];
  if (o instanceof GVertex) {
    if (keys.length === 0) for (const list of o.props.values()) out.push(...list);
    else for (const k of keys) out.push(...(o.props.get(k) ?? []));
  } else if (o instanceof GEdge) {
    if (keys.length === 0) for (const [k, v] of o.props) out.push(new GProperty(k, v, o));
    else for (const k of keys) if (o.props.has(k)) out.push(new GProperty(k, o.props.get(k), o));
  } else if (o instanceof GVertexProperty) {
    if (keys.length === 0) for (const [k, v] of o.meta) out.push(new GProperty(k, v, o));
    else for (const k of keys) if (o.meta.has(k)) out.push(new GProperty(k, o.meta.get(k), o));
  } else if (o instanceof Map) {
    for (const k of keys.length ? keys : [...o.keys()])
      if (o.has(k)) out.push(new GProperty(String(k), o.get(k), null as unknown as GEdge));
  }
  return out;
}

export function propValue(o: unknown, key: string): unknown {
  if (o instanceof Map) return o.get(key);
  if (o instanceof GVertex) {
    const v = o.firstValue(key);
    return v !== undefined ? v : o.props.get(key)?.[0]?.value;
  }
  if (o instanceof GEdge) return o.props.get(key);
  const p = propsOf(o, [key]);
  return p.length ? p[0].value : undefined;
}

export function isCollection(x: unknown): boolean {
  return Array.isArray(x) || x instanceof Set || x instanceof PathValue;
}

export function toList(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  if (x instanceof Map) return [...x].map(([k, v]) => new MapEntry(k, v));
  if (x === null || x === undefined) return [];
  return [x];
}

export function unfoldValue(x: unknown): unknown[] {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  if (x instanceof Map) {
    const entries: MapEntry[] = [];
    x.forEach((v, k) => {
      entries.push(new MapEntry(k, v));
    });
    return entries;
  }
  return [x];
}

/** primitiveKey, except that graph elements (one object per element) are their own key: no string building */
export function identityKey(x: unknown): unknown {
  if (x instanceof GVertex || x instanceof GEdge) return x;
  return primitiveKey(x);
}

export function primitiveKey(x: unknown): string | null {
  if (x instanceof GVertex) return `v:${valueKey(x.id)}`;
  if (x instanceof GEdge) return `e:${valueKey(x.id)}`;
  if (typeof x === 'number' && Number.isNaN(x)) return 'NaN';
  const k = valueKey(x);
  return k;
}

export function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

export function describe(o: unknown): string {
  if (o instanceof GVertex) return `v[${String(o.id)}]`;
  if (o instanceof GEdge) return `e[${String(o.id)}][${String(o.outV.id)}-${o.label}->${String(o.inV.id)}]`;
  if (o instanceof GVertexProperty) return `vp[${o.key}->${String(o.value)}]`;
  if (Array.isArray(o)) return `[${o.map(describe).join(', ')}]`;
  return String(o);
}

function addNums(x: unknown, y: unknown): unknown {
  if (typeof x === 'bigint' || typeof y === 'bigint') return BigInt(x as number) + BigInt(y as number);
  return (x as number) + (y as number);
}

export function reduceValues(name: string, items: unknown[]): unknown {
  switch (name) {
    case 'count':
      return items.length;
    case 'sum': {
      const nums = items.filter((x) => x !== null);
      for (const x of nums)
        if (!isNum(x)) throw new GremlinEngineError(`The sum() step only works on numbers but found ${typeNameOf(x)}`);
      if (!nums.length) return items.length ? null : undefined;
      return nums.reduce<unknown>((acc, x) => addNums(acc, x), nums.shift());
    }
    case 'mean': {
      const nums = items.filter((x) => x !== null);
      for (const x of nums)
        if (!isNum(x)) throw new GremlinEngineError(`The mean() step only works on numbers but found ${typeNameOf(x)}`);
      if (!nums.length) return items.length ? null : undefined;
      return nums.reduce((acc: number, x) => acc + Number(x), 0) / nums.length;
    }
    case 'max':
    case 'min': {
      const vals = items.filter((x) => x !== null && x !== undefined);
      if (!vals.length) return items.length ? null : undefined;
      for (const x of vals) {
        if (!(isNum(x) || typeof x === 'string' || x instanceof Date || typeof x === 'boolean')) {
          throw new GremlinEngineError(`The ${name}() step cannot compare ${typeNameOf(x)}`);
        }
      }
      let best = vals[0];
      for (const x of vals.slice(1)) {
        const c = gCompare(x, best);
        if (name === 'max' ? c > 0 : c < 0) best = x;
      }
      return best;
    }
    default:
      throw new GremlinEngineError(`Unknown reducer ${name}`);
  }
}

export function applyOperator(op: unknown, a: unknown, b: unknown): unknown {
  const name = isEnum(op) ? op.elementName : String(op);
  switch (name) {
    case 'sum':
    case 'sumLong':
      return addNums(a ?? 0, b ?? 0);
    case 'minus':
      return (a as number) - (b as number);
    case 'mult':
      return typeof a === 'bigint' || typeof b === 'bigint'
        ? BigInt(a as number) * BigInt(b as number)
        : (a as number) * (b as number);
    case 'div':
      if (Number.isInteger(a) && Number.isInteger(b)) {
        if (b === 0) throw new GremlinEngineError('/ by zero');
        return Math.trunc((a as number) / (b as number));
      }
      return (a as number) / (b as number);
    case 'min':
      return gCompare(a, b) <= 0 ? a : b;
    case 'max':
      return gCompare(a, b) >= 0 ? a : b;
    case 'assign':
      return b;
    case 'and':
      return Boolean(a) && Boolean(b);
    case 'or':
      return Boolean(a) || Boolean(b);
    case 'addAll': {
      if (a instanceof Map && b instanceof Map) return new Map([...a, ...b]);
      if (a instanceof Set) return new Set([...a, ...toList(b)]);
      return [...toList(a), ...toList(b)];
    }
    default:
      throw new GremlinEngineError(`Unsupported operator ${name}`);
  }
}
