// What each dialect accepts. `neptune` rejects what Amazon Neptune rejects, with Neptune's error envelope
// ({requestId, code, detailedMessage} as the status message), so local runs fail where production would.
import { randomUUID } from 'node:crypto';
import { type BytecodeLike, isBytecode, isEnum } from '../engine/structure.js';
import { GremlinServerError, Status } from './protocol.js';
import { GremlinLambda } from './wire-values.js';

export type GremlinDialect = 'neptune' | 'tinkerpop';

/** Neptune's unsupported steps/sources (Neptune user guide, "Gremlin standards compliance"). */
const NEPTUNE_UNSUPPORTED_STEPS = new Set(['program', 'io', 'call']);
const NEPTUNE_UNSUPPORTED_SOURCES = new Set(['withComputer']);

/** A Neptune-style error: the status message is Neptune's JSON error document. */
export class NeptuneError extends GremlinServerError {
  constructor(
    status: number,
    readonly neptuneCode: string,
    readonly detailedMessage: string,
  ) {
    super(status, detailedMessage);
  }

  envelope(requestId: string | null): string {
    return JSON.stringify({ requestId, code: this.neptuneCode, detailedMessage: this.detailedMessage });
  }
}

export function malformedQuery(detail: string): NeptuneError {
  return new NeptuneError(Status.INVALID_REQUEST_ARGUMENTS, 'MalformedQueryException', detail);
}

export function idGeneratorFor(dialect: GremlinDialect): ((kind: string) => unknown) | undefined {
  return dialect === 'neptune' ? () => randomUUID() : undefined;
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value} (Long)`;
  if (typeof value === 'number') return `${value} (${Number.isInteger(value) ? 'Integer' : 'Double'})`;
  return `${String(value)} (${typeof value})`;
}

function isTokenId(x: unknown): boolean {
  return isEnum(x, 'T') && (x as { elementName: string }).elementName === 'id';
}

function checkUserId(value: unknown): void {
  if (value === undefined || value === null || typeof value === 'string') return;
  throw new NeptuneError(
    Status.INVALID_REQUEST_ARGUMENTS,
    'InvalidParameterException',
    `Only String ids are supported for vertices and edges; got ${describe(value)}`,
  );
}

function checkArgument(arg: unknown): void {
  if (arg instanceof GremlinLambda) {
    throw malformedQuery(`Lambda steps are not supported: ${arg.script}`);
  }
  if (isBytecode(arg)) {
    checkNeptuneBytecode(arg);
    return;
  }
  if (arg instanceof Map) {
    for (const [k, v] of arg) {
      if (isTokenId(k)) checkUserId(v);
      checkArgument(v);
    }
    return;
  }
  if (Array.isArray(arg)) for (const a of arg) checkArgument(a);
}

/** Walks a traversal (and its child traversals) for what Neptune refuses. */
export function checkNeptuneBytecode(bytecode: BytecodeLike): void {
  // (index loops: this runs on every request, and taking instructions apart would allocate)
  for (const ins of bytecode.sourceInstructions) {
    const name = ins[0] as string;
    if (NEPTUNE_UNSUPPORTED_SOURCES.has(name)) throw malformedQuery(`Unsupported traversal source method: ${name}()`);
    for (let i = 1; i < ins.length; i++) checkArgument(ins[i]);
  }
  for (const ins of bytecode.stepInstructions) {
    const name = ins[0] as string;
    if (NEPTUNE_UNSUPPORTED_STEPS.has(name)) throw malformedQuery(`Unsupported Gremlin step: ${name}()`);
    if (name === 'property') {
      const [, first, second, third] = ins;
      if (isTokenId(first)) checkUserId(second);
      else if (isEnum(first, 'Cardinality') && isTokenId(second)) checkUserId(third);
    }
    for (let i = 1; i < ins.length; i++) checkArgument(ins[i]);
  }
}

/** Walks a traversal for steps that change the graph (to know when to persist). */
const MUTATING_STEPS = new Set(['addV', 'addE', 'property', 'drop', 'mergeV', 'mergeE', 'io']);
const MUTATING_SOURCE_STEPS = new Set(['addV', 'addE', 'mergeV', 'mergeE']);

export function mutatesGraph(bytecode: BytecodeLike): boolean {
  for (const ins of bytecode.stepInstructions) {
    if (MUTATING_STEPS.has(ins[0] as string)) return true;
    for (let i = 1; i < ins.length; i++) if (containsMutation(ins[i])) return true;
  }
  for (const ins of bytecode.sourceInstructions) if (MUTATING_SOURCE_STEPS.has(ins[0] as string)) return true;
  return false;
}

function containsMutation(a: unknown): boolean {
  if (isBytecode(a)) return mutatesGraph(a);
  if (Array.isArray(a)) for (const x of a) if (containsMutation(x)) return true;
  return false;
}
