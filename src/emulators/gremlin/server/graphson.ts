// GraphSON v2/v3 for the server side: typed JSON requests in, typed JSON responses out. The `gremlin` package only
// writes what a client sends and reads what a server answers, so this is that mirror image, built on its classes.
import { createRequire } from 'node:module';
import {
  Bytecode,
  Edge,
  EnumValue,
  P,
  Property,
  TextP,
  TraversalStrategy,
  Vertex,
  VertexProperty,
} from '../engine/structure.js';
import type { RequestMessage, ResponseMessage } from './protocol.js';
import { GremlinLambda, type PropertyResolver, toWireValue, WireLong, WireSet, WireTree } from './wire-values.js';

const require = createRequire(import.meta.url);
const gremlinProcess = require('gremlin').process as Record<string, unknown>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Typed = { '@type': string; '@value': Json };

const ENUM_TYPES = [
  'Barrier',
  'Cardinality',
  'Column',
  'Direction',
  'DT',
  'Merge',
  'Operator',
  'Order',
  'Pick',
  'Pop',
  'Scope',
  'T',
];
const enumsByType = new Map<string, Map<string, unknown>>();
for (const typeName of ENUM_TYPES) {
  const key = typeName === 'DT' ? 'dt' : typeName === 'T' ? 't' : typeName.charAt(0).toLowerCase() + typeName.slice(1);
  const values = new Map<string, unknown>();
  for (const v of Object.values((gremlinProcess[key] ?? {}) as Record<string, { elementName: string }>)) {
    values.set(v.elementName, v);
  }
  enumsByType.set(typeName, values);
}

function isTyped(x: unknown): x is Typed {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    typeof (x as Typed)['@type'] === 'string' &&
    '@value' in x
  );
}

/** GraphSON types read into mutable objects */
const MUTABLE_VALUE = /"g:(List|Set|Map|Date|Timestamp)"/;
/** how many distinct child traversals a codec keeps between requests (all forgotten when full) */
const MAX_CACHED_CHILD_TRAVERSALS = 1000;

export class GraphSONCodec {
  /** child traversals read before, by their GraphSON text */
  private readonly childBytecodes = new Map<string, unknown>();
  /** the cached child traversals the request being read uses */
  private readonly childrenInUse = new Set<unknown>();
  /** how many g:Bytecode values enclose the value being read */
  private bytecodeDepth = 0;

  constructor(readonly version: 2 | 3) {}

  readRequest(body: Buffer): RequestMessage {
    const raw = JSON.parse(body.toString('utf8')) as Record<string, Json>;
    const args = (this.read(raw.args ?? {}) ?? {}) as Record<string, unknown>;
    return {
      requestId: String(this.read(raw.requestId)),
      op: String(raw.op ?? ''),
      processor: raw.processor == null ? '' : String(raw.processor),
      args: args instanceof Map ? Object.fromEntries(args) : args,
    };
  }

  peekRequestId(body: Buffer): string | null {
    try {
      const raw = JSON.parse(body.toString('utf8')) as { requestId?: Json };
      const id = isTyped(raw.requestId) ? raw.requestId['@value'] : raw.requestId;
      return typeof id === 'string' ? id : null;
    } catch {
      return null;
    }
  }

  read(json: Json | undefined): unknown {
    if (json === undefined || json === null) return null;
    if (Array.isArray(json)) return json.map((x) => this.read(x));
    if (typeof json !== 'object') return json;
    if (!isTyped(json)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(json)) out[k] = this.read(v);
      return out;
    }
    const type = json['@type'];
    const value = json['@value'];
    switch (type) {
      case 'g:Int32':
      case 'g:Int64':
      case 'g:Float':
      case 'g:Double':
      case 'gx:Byte':
      case 'gx:Int16':
      case 'gx:BigDecimal':
        return typeof value === 'string' ? Number(value) : value;
      case 'gx:BigInteger':
        return typeof value === 'string' ? BigInt(value) : value;
      case 'g:UUID':
      case 'g:Class':
      case 'gx:Char':
        return value;
      case 'g:Date':
      case 'g:Timestamp':
        return new Date(value as number);
      case 'g:List':
      case 'g:Set':
        return (value as Json[]).map((x) => this.read(x));
      case 'g:Map': {
        const out = new Map();
        const pairs = value as Json[];
        for (let i = 0; i < pairs.length; i += 2) out.set(this.read(pairs[i]), this.read(pairs[i + 1]));
        return out;
      }
      case 'g:Bytecode':
        return this.readBytecode(value as { step?: Json[][]; source?: Json[][] });
      case 'g:P':
      case 'g:TextP':
        return this.readPredicate(type, value as { predicate: string; value: Json });
      case 'g:Lambda': {
        const v = value as { script: string; language: string; arguments?: number };
        return new GremlinLambda(v.script, v.language, v.arguments ?? 0);
      }
      case 'g:TraversalStrategy': {
        const v = value as { fqcn?: string; conf?: Record<string, Json> };
        const conf: Record<string, unknown> = {};
        for (const [k, c] of Object.entries(v.conf ?? {})) conf[k] = this.read(c);
        return new TraversalStrategy(String(v.fqcn ?? ''), conf);
      }
      case 'g:Vertex': {
        const v = value as { id: Json; label?: string };
        return new Vertex(this.read(v.id), v.label ?? 'vertex', []);
      }
      case 'g:Edge': {
        const v = value as { id: Json; label: string; outV: Json; outVLabel?: string; inV: Json; inVLabel?: string };
        return new Edge(
          this.read(v.id),
          new Vertex(this.read(v.outV), v.outVLabel ?? 'vertex', []),
          v.label,
          new Vertex(this.read(v.inV), v.inVLabel ?? 'vertex', []),
          [],
        );
      }
      default: {
        const enumName = type.startsWith('g:') ? type.slice(2) : type;
        const values = enumsByType.get(enumName);
        if (values) return values.get(String(value)) ?? new EnumValue(enumName, String(value));
        return this.read(value);
      }
    }
  }

  private readBytecode(value: { step?: Json[][]; source?: Json[][] }): unknown {
    if (this.bytecodeDepth === 0) {
      this.childrenInUse.clear();
      this.bytecodeDepth++;
      try {
        return this.newBytecode(value);
      } finally {
        this.bytecodeDepth--;
      }
    }
    // A child traversal (by(), where(), flatMap() ...) usually comes again in the next request: the same one is
    // used then, with what the engine compiled for it (steps, direct keys). The engine never changes a Bytecode;
    // within one traversal each place gets its own (a step's state, as a dedup() in repeat() keeps, is per place).
    const key = JSON.stringify(value);
    // collections and dates stay one object per request (a step could hand such an argument on as a value)
    if (MUTABLE_VALUE.test(key)) return this.newBytecode(value);
    let child = this.childBytecodes.get(key);
    if (child !== undefined && this.childrenInUse.has(child)) return this.newBytecode(value);
    if (child === undefined) {
      child = this.newBytecode(value);
      if (this.childBytecodes.size >= MAX_CACHED_CHILD_TRAVERSALS) this.childBytecodes.clear();
      this.childBytecodes.set(key, child);
    }
    this.markInUse(child);
    return child;
  }

  private markInUse(x: unknown): void {
    if (Array.isArray(x)) for (const y of x) this.markInUse(y);
    else if (x instanceof Bytecode) {
      this.childrenInUse.add(x);
      for (const ins of x.stepInstructions) this.markInUse(ins);
      for (const ins of x.sourceInstructions) this.markInUse(ins);
    }
  }

  private newBytecode(value: { step?: Json[][]; source?: Json[][] }): unknown {
    const bytecode = new Bytecode();
    for (const [name, ...args] of value.source ?? [])
      bytecode.addSource(
        String(name),
        args.map((a) => this.read(a)),
      );
    for (const [name, ...args] of value.step ?? [])
      bytecode.addStep(
        String(name),
        args.map((a) => this.read(a)),
      );
    return bytecode;
  }

  private readPredicate(type: string, value: { predicate: string; value: Json }): unknown {
    const Ctor = (type === 'g:TextP' ? TextP : P) as unknown as Record<string, unknown> &
      (new (
        ...a: unknown[]
      ) => unknown);
    const operand = this.read(value.value);
    if (value.predicate === 'and' || value.predicate === 'or') {
      const [left, right] = operand as unknown[];
      return new Ctor(value.predicate, left, right);
    }
    const factory = Ctor[value.predicate];
    const args =
      value.predicate === 'within' ||
      value.predicate === 'without' ||
      value.predicate === 'between' ||
      value.predicate === 'inside' ||
      value.predicate === 'outside'
        ? Array.isArray(operand)
          ? operand
          : [operand]
        : [operand];
    if (typeof factory === 'function') return (factory as (...a: unknown[]) => unknown).apply(Ctor, args);
    return new Ctor(value.predicate, operand);
  }

  /**
   * The response as JSON text, written in one pass over the result (what `JSON.stringify(write(toWireValue(data)))`
   * gives, without building the wire values and the JSON tree first). Graph elements, paths and trees, rare in
   * results, still go through toWireValue() and write(). A string: the websocket writes it to the socket as UTF-8
   * without a Buffer made of it first.
   */
  writeResponse(message: ResponseMessage, materializeProperties = true, resolver?: PropertyResolver): string {
    const { status, result } = message;
    const text =
      `{"requestId":${JSON.stringify(message.requestId ?? null)},"status":{"message":${JSON.stringify(status.message)},` +
      `"code":${JSON.stringify(status.code)},"attributes":${JSON.stringify(this.write(status.attributes))}},` +
      `"result":{"data":${this.text(result.data, materializeProperties, resolver)},"meta":${JSON.stringify(this.write(result.meta))}}}`;
    return text;
  }

  /** One result value as GraphSON text (see writeResponse). */
  private text(value: unknown, materialize: boolean, resolver: PropertyResolver | undefined): string {
    switch (typeof value) {
      case 'undefined':
        return 'null';
      case 'string':
        return JSON.stringify(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        if (!Number.isFinite(value) || !Number.isInteger(value)) return JSON.stringify(this.write(value));
        return value >= -2147483648 && value <= 2147483647
          ? `{"@type":"g:Int32","@value":${value}}`
          : `{"@type":"g:Int64","@value":${value}}`;
      case 'object':
        break;
      default:
        return JSON.stringify(this.write(toWireValue(value, materialize, resolver)));
    }
    if (value === null) return 'null';
    const v3 = this.version === 3;
    if (Array.isArray(value) || value instanceof Set) {
      let out = '';
      for (const item of value) out += (out ? ',' : '') + this.text(item, materialize, resolver);
      if (!v3) return `[${out}]`;
      return `{"@type":"${Array.isArray(value) ? 'g:List' : 'g:Set'}","@value":[${out}]}`;
    }
    if (value instanceof Map && v3) {
      let out = '';
      for (const [k, v] of value) {
        out += `${out ? ',' : ''}${this.text(k, materialize, resolver)},${this.text(v, materialize, resolver)}`;
      }
      return `{"@type":"g:Map","@value":[${out}]}`;
    }
    if (value instanceof EnumValue) return enumText(value as unknown as { typeName: string; elementName: string });
    const traverser = value as { bulk?: unknown; object?: unknown; constructor?: { name?: string } };
    if (traverser.constructor?.name === 'Traverser' && typeof traverser.bulk === 'number') {
      return `{"@type":"g:Traverser","@value":{"bulk":{"@type":"g:Int64","@value":${JSON.stringify(traverser.bulk)}},"value":${this.text(traverser.object, materialize, resolver)}}}`;
    }
    return JSON.stringify(this.write(toWireValue(value, materialize, resolver)));
  }

  private typed(type: string, value: Json): Json {
    return { '@type': type, '@value': value };
  }

  write(value: unknown): Json {
    if (value === null || value === undefined) return null;
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (Number.isNaN(value)) return this.typed('g:Double', 'NaN');
        if (!Number.isFinite(value)) return this.typed('g:Double', value > 0 ? 'Infinity' : '-Infinity');
        if (!Number.isInteger(value)) return this.typed('g:Double', value);
        return this.typed(value >= -2147483648 && value <= 2147483647 ? 'g:Int32' : 'g:Int64', value);
      case 'bigint':
        return this.typed('gx:BigInteger', value.toString());
      default:
        break;
    }
    if (value instanceof WireLong) return this.typed('g:Int64', Number(value.value));
    if (value instanceof Date) return this.typed('g:Date', value.getTime());
    if (Array.isArray(value)) {
      const items = value.map((v) => this.write(v));
      return this.version === 3 ? this.typed('g:List', items) : items;
    }
    if (value instanceof WireSet) {
      const items = value.items.map((v) => this.write(v));
      return this.version === 3 ? this.typed('g:Set', items) : items;
    }
    if (value instanceof Map) {
      if (this.version === 3) {
        const pairs: Json[] = [];
        for (const [k, v] of value) pairs.push(this.write(k), this.write(v));
        return this.typed('g:Map', pairs);
      }
      const obj: Record<string, Json> = {};
      for (const [k, v] of value) obj[typeof k === 'string' ? k : stringKey(k)] = this.write(v);
      return obj;
    }
    if (value instanceof WireTree) {
      return this.typed(
        'g:Tree',
        value.entries.map(([key, sub]) => ({ key: this.write(key), value: this.write(sub) })),
      );
    }
    if (value instanceof Vertex) return this.writeVertex(value);
    if (value instanceof Edge) return this.writeEdge(value);
    if (value instanceof VertexProperty) {
      const vp: Record<string, Json> = { id: this.write(value.id), value: this.write(value.value), label: value.label };
      const props = value.properties;
      if (Array.isArray(props) && props.length > 0)
        vp.properties = this.propertyObject(props as Array<{ key: string; value: unknown }>);
      return this.typed('g:VertexProperty', vp);
    }
    if (value instanceof Property) return this.typed('g:Property', { key: value.key, value: this.write(value.value) });
    const named = value as { constructor?: { name?: string } };
    const ctorName = named.constructor?.name;
    if (ctorName === 'Path') {
      const path = value as { labels: WireSet[]; objects: unknown[] };
      return this.typed('g:Path', { labels: this.write(path.labels), objects: this.write(path.objects) });
    }
    if (ctorName === 'Traverser') {
      const t = value as { object: unknown; bulk: number };
      return this.typed('g:Traverser', { bulk: this.typed('g:Int64', t.bulk), value: this.write(t.object) });
    }
    if (value instanceof EnumValue) {
      const e = value as unknown as { typeName: string; elementName: string };
      return this.typed(`g:${e.typeName}`, e.elementName);
    }
    if (isPlainObject(value)) return this.write(new Map(Object.entries(value)));
    return String(value);
  }

  private writeVertex(v: InstanceType<typeof Vertex>): Json {
    const out: Record<string, Json> = { id: this.write(v.id), label: v.label };
    if (Array.isArray(v.properties)) {
      const byKey: Record<string, Json[]> = {};
      for (const vp of v.properties as Array<InstanceType<typeof VertexProperty>>) {
        const key = vp.label ?? vp.key;
        byKey[key] = [...(byKey[key] ?? []), this.write(vp)];
      }
      out.properties = byKey;
    }
    return this.typed('g:Vertex', out);
  }

  private writeEdge(e: InstanceType<typeof Edge>): Json {
    const out: Record<string, Json> = {
      id: this.write(e.id),
      label: e.label,
      inVLabel: e.inV.label,
      outVLabel: e.outV.label,
      inV: this.write(e.inV.id),
      outV: this.write(e.outV.id),
    };
    if (Array.isArray(e.properties))
      out.properties = this.propertyObject(e.properties as Array<{ key: string; value: unknown }>);
    return this.typed('g:Edge', out);
  }

  private propertyObject(props: Array<{ key: string; value: unknown }>): Json {
    const out: Record<string, Json> = {};
    for (const p of props) out[p.key] = this.write(new Property(p.key, p.value));
    return out;
  }
}

/** enum tokens (T.id, T.label in every elementMap() row) as GraphSON text, written once per token */
const enumTexts = new Map<string, string>();
function enumText(e: { typeName: string; elementName: string }): string {
  const key = `${e.typeName}.${e.elementName}`;
  let text = enumTexts.get(key);
  if (text === undefined) {
    text = JSON.stringify({ '@type': `g:${e.typeName}`, '@value': e.elementName });
    if (enumTexts.size < 1000) enumTexts.set(key, text);
  }
  return text;
}

function isPlainObject(x: object): x is Record<string, unknown> {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function stringKey(k: unknown): string {
  if (k instanceof Vertex || k instanceof Edge) return String((k as { id: unknown }).id);
  return typeof k === 'object' && k !== null ? JSON.stringify(k) : String(k);
}
