// Typed access to the `gremlin` package's own classes: the shared representation of traversals and results.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface BytecodeLike {
  sourceInstructions: unknown[][];
  stepInstructions: unknown[][];
  addSource(name: string, values: unknown[]): BytecodeLike;
  addStep(name: string, values: unknown[]): BytecodeLike;
}
type Ctor<T, A extends unknown[]> = new (...args: A) => T;

export interface ElementLike {
  id: unknown;
  label: string;
}
export interface VertexC extends ElementLike {
  properties?: unknown;
}
export interface EdgeC extends ElementLike {
  outV: VertexC;
  inV: VertexC;
  properties?: unknown;
}
export interface VertexPropertyC extends ElementLike {
  key: string;
  value: unknown;
  properties?: unknown;
}
export interface PropertyC {
  key: string;
  value: unknown;
}
export interface PathC {
  labels: string[][];
  objects: unknown[];
}
export interface PC {
  operator: string;
  value: unknown;
  other: unknown;
}
export interface EnumValueC {
  typeName: string;
  elementName: string;
}

interface GremlinModule {
  process: {
    Bytecode: Ctor<BytecodeLike, []>;
    P: Ctor<PC, [string, unknown, unknown?]>;
    TextP: Ctor<PC, [string, unknown, unknown?]>;
    EnumValue: Ctor<EnumValueC, [string, string]>;
  };
  structure: {
    Vertex: Ctor<VertexC, [unknown, string, unknown?]>;
    Edge: Ctor<EdgeC, [unknown, VertexC, string, VertexC, unknown?]>;
    VertexProperty: Ctor<VertexPropertyC, [unknown, string, unknown, unknown?]>;
    Property: Ctor<PropertyC, [string, unknown]>;
    Path: Ctor<PathC, [string[][], unknown[]]>;
  };
}

const gremlin = require('gremlin') as GremlinModule;
const strategyModule = require('gremlin/lib/process/traversal-strategy.js') as {
  TraversalStrategy: Ctor<{ fqcn: string; configuration: Record<string, unknown> }, [string, Record<string, unknown>?]>;
};

export const { Bytecode, P, TextP, EnumValue } = gremlin.process;
export const { Vertex, Edge, VertexProperty, Property, Path } = gremlin.structure;
export const { TraversalStrategy } = strategyModule;
export type Bytecode = BytecodeLike;

export function isBytecode(x: unknown): x is BytecodeLike {
  return (
    typeof x === 'object' &&
    x !== null &&
    Array.isArray((x as BytecodeLike).stepInstructions) &&
    Array.isArray((x as BytecodeLike).sourceInstructions)
  );
}
export function isEnum(x: unknown, type?: string): x is EnumValueC {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as EnumValueC).typeName === 'string' &&
    typeof (x as EnumValueC).elementName === 'string' &&
    (type === undefined || (x as EnumValueC).typeName === type)
  );
}
export function isP(x: unknown): x is PC {
  return typeof x === 'object' && x !== null && typeof (x as PC).operator === 'string' && 'value' in (x as object);
}
