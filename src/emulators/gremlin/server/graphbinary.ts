// GraphBinary v1 for the server side: the `gremlin` package's own type serializers (a private instance of its
// GraphBinary container, so the in-process client's singleton stays untouched) plus the pieces a client never needs:
// reading request messages, writing response messages, reading lambdas/strategies, writing element properties.
import { createRequire } from 'node:module';
import { TraversalStrategy } from '../engine/structure.js';
import type { RequestMessage, ResponseMessage } from './protocol.js';
import { GremlinLambda, type PropertyResolver, toWireValue, WireLong, WireSet, WireTree } from './wire-values.js';

const require = createRequire(import.meta.url);

type Deserialized = { v: unknown; len: number };
// biome-ignore lint/suspicious/noExplicitAny: the gremlin package's serializers are untyped JavaScript
type AnySer = any;

const SERIALIZER_FILES: Array<[name: string, file: string, dataType?: string]> = [
  ['intSerializer', 'IntSerializer'],
  ['longSerializer', 'LongSerializer'],
  ['longSerializerNg', 'LongSerializerNg'],
  ['stringSerializer', 'StringSerializer', 'STRING'],
  ['dateSerializer', 'DateSerializer', 'DATE'],
  ['timestampSerializer', 'DateSerializer', 'TIMESTAMP'],
  ['classSerializer', 'StringSerializer', 'CLASS'],
  ['doubleSerializer', 'DoubleSerializer'],
  ['floatSerializer', 'FloatSerializer'],
  ['listSerializer', 'ArraySerializer', 'LIST'],
  ['mapSerializer', 'MapSerializer'],
  ['setSerializer', 'ArraySerializer', 'SET'],
  ['uuidSerializer', 'UuidSerializer'],
  ['edgeSerializer', 'EdgeSerializer'],
  ['pathSerializer', 'PathSerializer'],
  ['propertySerializer', 'PropertySerializer'],
  ['vertexSerializer', 'VertexSerializer'],
  ['vertexPropertySerializer', 'VertexPropertySerializer'],
  ['bytecodeSerializer', 'BytecodeSerializer'],
  ['pSerializer', 'PSerializer'],
  ['traverserSerializer', 'TraverserSerializer'],
  ['enumSerializer', 'EnumSerializer'],
  ['lambdaSerializer', 'LambdaSerializer'],
  ['bigIntegerSerializer', 'BigIntegerSerializer'],
  ['byteSerializer', 'ByteSerializer'],
  ['byteBufferSerializer', 'ByteBufferSerializer'],
  ['shortSerializer', 'ShortSerializer'],
  ['booleanSerializer', 'BooleanSerializer'],
  ['textPSerializer', 'TextPSerializer'],
  ['traversalStrategySerializer', 'TraversalStrategySerializer'],
  ['bulkSetSerializer', 'BulkSetSerializer'],
  ['unspecifiedNullSerializer', 'UnspecifiedNullSerializer'],
  ['numberSerializationStrategy', 'NumberSerializationStrategy'],
  ['anySerializer', 'AnySerializer'],
];

function createIoc(): AnySer {
  const base = 'gremlin/lib/structure/io/binary/internals/';
  const ioc: AnySer = { serializers: {} };
  ioc.DataType = require(`${base}DataType.js`);
  ioc.utils = require(`${base}utils.js`);
  for (const [name, file, dataType] of SERIALIZER_FILES) {
    const Ctor = require(`${base}${file}.js`);
    ioc[name] = dataType ? new Ctor(ioc, ioc.DataType[dataType]) : new Ctor(ioc);
  }
  addServerSideSerializers(ioc);
  return ioc;
}

function addServerSideSerializers(ioc: AnySer): void {
  const DT = ioc.DataType;
  const str = (cursor: Buffer): Deserialized => ioc.stringSerializer.deserialize(cursor, false);
  const fqHeader = (buffer: Buffer, code: number): { isNull: boolean } => {
    if (buffer.readUInt8(0) !== code) throw new Error('unexpected {type_code}');
    return { isNull: buffer.readUInt8(1) === 1 };
  };

  // Lambdas arrive in bytecode from clients (the dialect decides whether to run or reject them).
  ioc.serializers[DT.LAMBDA] = {
    deserialize(buffer: Buffer): Deserialized {
      if (fqHeader(buffer, DT.LAMBDA).isNull) return { v: null, len: 2 };
      let cursor = buffer.subarray(2);
      const language = str(cursor);
      cursor = cursor.subarray(language.len);
      const script = str(cursor);
      cursor = cursor.subarray(script.len);
      const args = ioc.intSerializer.deserialize(cursor, false) as Deserialized;
      return {
        v: new GremlinLambda(script.v as string, language.v as string, args.v as number),
        len: 2 + language.len + script.len + args.len,
      };
    },
  };
  ioc.serializers[DT.TRAVERSALSTRATEGY] = {
    deserialize(buffer: Buffer): Deserialized {
      if (fqHeader(buffer, DT.TRAVERSALSTRATEGY).isNull) return { v: null, len: 2 };
      let cursor = buffer.subarray(2);
      const fqcn = str(cursor);
      cursor = cursor.subarray(fqcn.len);
      const config = ioc.mapSerializer.deserialize(cursor, false) as Deserialized;
      const configuration = Object.fromEntries(config.v instanceof Map ? config.v : Object.entries(config.v ?? {}));
      return { v: new TraversalStrategy(fqcn.v as string, configuration), len: 2 + fqcn.len + config.len };
    },
  };
  ioc.serializers[DT.CLASS] = ioc.classSerializer;
  // BigDecimal and Char parameters (the 3.7 package cannot read them): a JS number and a string.
  const BIGDECIMAL = 0x22;
  const CHAR = 0x80;
  ioc.serializers[BIGDECIMAL] = {
    deserialize(buffer: Buffer): Deserialized {
      if (fqHeader(buffer, BIGDECIMAL).isNull) return { v: null, len: 2 };
      const scale = buffer.readInt32BE(2);
      const unscaled = ioc.bigIntegerSerializer.deserialize(buffer.subarray(6), false) as Deserialized;
      return { v: Number(unscaled.v) / 10 ** scale, len: 6 + unscaled.len };
    },
  };
  ioc.serializers[CHAR] = {
    deserialize(buffer: Buffer): Deserialized {
      if (fqHeader(buffer, CHAR).isNull) return { v: null, len: 2 };
      const b = buffer.readUInt8(2);
      const n = (b & 0xf0) === 0xf0 ? 4 : (b & 0xe0) === 0xe0 ? 3 : (b & 0xc0) === 0xc0 ? 2 : 1;
      return { v: buffer.subarray(2, 2 + n).toString('utf8'), len: 2 + n };
    },
  };

  // Sets leave the server as GraphBinary SET (the 3.7 package only writes arrays as LIST).
  const wireSetSerializer = {
    canBeUsedFor: (value: unknown) => value instanceof WireSet,
    serialize: (item: WireSet, fq = true) => ioc.setSerializer.serialize(item.items, fq),
  };
  // Edges with their properties, as Gremlin Server writes them (the package writes `null` there).
  const edgeWithProperties = {
    canBeUsedFor: (value: unknown) => ioc.edgeSerializer.canBeUsedFor(value),
    serialize(item: AnySer, fq = true): Buffer {
      if (item === null || item === undefined) return ioc.edgeSerializer.serialize(item, fq);
      const withoutProps: Buffer = ioc.edgeSerializer.serialize(item, fq);
      // the package's edge ends with two unspecified nulls (parent, properties): replace the last one
      const head = withoutProps.subarray(0, withoutProps.length - 2);
      const props = Array.isArray(item.properties) ? item.properties : null;
      return Buffer.concat([head, props ? ioc.listSerializer.serialize(props, true) : Buffer.from([0xfe, 0x01])]);
    },
  };
  const wireLongSerializer = {
    canBeUsedFor: (value: unknown) => value instanceof WireLong,
    serialize: (item: WireLong, fq = true) => ioc.longSerializerNg.serialize(item.value, fq),
  };
  const TREE = 0x2b;
  const treeValue = (tree: WireTree): Buffer =>
    Buffer.concat([
      ioc.intSerializer.serialize(tree.entries.length, false),
      ...tree.entries.flatMap(([key, sub]) => [ioc.anySerializer.serialize(key, true), treeValue(sub)]),
    ]);
  const wireTreeSerializer = {
    canBeUsedFor: (value: unknown) => value instanceof WireTree,
    serialize: (item: WireTree, fq = true) =>
      Buffer.concat([fq ? Buffer.from([TREE, 0x00]) : Buffer.alloc(0), treeValue(item)]),
  };
  ioc.anySerializer.serializers.unshift(wireSetSerializer, wireLongSerializer, wireTreeSerializer, edgeWithProperties);
}

export class GraphBinaryCodec {
  private readonly ioc = createIoc();

  readRequest(body: Buffer): RequestMessage {
    const ioc = this.ioc;
    if (body.length < 1 || body[0] !== 0x81) {
      throw new Error(`Unsupported GraphBinary request version '${body[0]}'`);
    }
    let cursor = body.subarray(1);
    const id = ioc.uuidSerializer.deserialize(cursor, false) as Deserialized;
    cursor = cursor.subarray(id.len);
    const op = ioc.stringSerializer.deserialize(cursor, false) as Deserialized;
    cursor = cursor.subarray(op.len);
    const processor = ioc.stringSerializer.deserialize(cursor, false) as Deserialized;
    cursor = cursor.subarray(processor.len);
    const args = ioc.mapSerializer.deserialize(cursor, false) as Deserialized;
    return {
      requestId: String(id.v),
      op: String(op.v),
      processor: (processor.v as string | null) ?? '',
      args: mapToRecord(args.v),
    };
  }

  /** Reads just the request id of a request that failed to deserialize further, if possible. */
  peekRequestId(body: Buffer): string | null {
    try {
      return String((this.ioc.uuidSerializer.deserialize(body.subarray(1), false) as Deserialized).v);
    } catch {
      return null;
    }
  }

  writeResponse(message: ResponseMessage, materializeProperties = true, resolver?: PropertyResolver): Buffer {
    const ioc = this.ioc;
    return Buffer.concat([
      Buffer.from([0x81]),
      nullable(message.requestId, (id) => ioc.uuidSerializer.serialize(id, false)),
      ioc.intSerializer.serialize(message.status.code, false),
      nullable(message.status.message, (m) => ioc.stringSerializer.serialize(m, false)),
      ioc.mapSerializer.serialize(message.status.attributes, false),
      ioc.mapSerializer.serialize(message.result.meta, false),
      ioc.anySerializer.serialize(toWireValue(message.result.data, materializeProperties, resolver), true),
    ]);
  }
}

function nullable<T>(value: T | null | undefined, write: (v: T) => Buffer): Buffer {
  return value === null || value === undefined
    ? Buffer.from([0x01])
    : Buffer.concat([Buffer.from([0x00]), write(value)]);
}

function mapToRecord(value: unknown): Record<string, unknown> {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[String(k)] = k === 'bindings' || k === 'aliases' ? mapToRecord(v) : v;
    return out;
  }
  return (value ?? {}) as Record<string, unknown>;
}
