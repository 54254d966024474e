// Compilation: Bytecode instructions → Step records, modulators (by, option, times, until, emit, with, from, to)
// folded into the step they modulate. Compiled once per Bytecode object.
import { GremlinEngineError } from './graph.js';
import { Bytecode, type BytecodeLike, isEnum } from './structure.js';

export interface Step {
  name: string;
  args: unknown[];
  by: unknown[][];
  options: [unknown, unknown][];
  withs: [unknown, unknown][];
  times?: number;
  until?: unknown;
  emit?: unknown;
  emitSet?: boolean;
  untilFirst?: boolean;
  emitFirst?: boolean;
  timesFirst?: boolean;
  from?: unknown;
  to?: unknown;
  fromSet?: boolean;
  toSet?: boolean;
  /** property() steps folded into addV/addE (so that T.id/T.label may be set, as TinkerGraph allows) */
  props?: unknown[][];
}

const MODULATORS = new Set(['by', 'option', 'times', 'until', 'emit', 'with', 'from', 'to', 'read', 'write']);
const compiled = new WeakMap<object, Step[]>();

export const START_STEPS = new Set(['V', 'E', 'inject', 'addV', 'addE', 'mergeV', 'mergeE']);

/** Infix connectives (`a.b.and().c.d`) become and()/or() filter steps over the surrounding step sequences. */
function rewriteConnectives(ins: unknown[][]): unknown[][] {
  const isConn = (i: unknown[]) => (i[0] === 'and' || i[0] === 'or') && i.length === 1;
  if (!ins.some(isConn)) return ins;
  const head = ins.length && START_STEPS.has(ins[0][0] as string) ? [ins[0]] : [];
  while (ins[head.length]?.[0] === 'as') head.push(ins[head.length]);
  const rest = ins.slice(head.length);
  const segments: unknown[][][] = [[]];
  const ops: string[] = [];
  for (const i of rest) {
    if (isConn(i)) {
      ops.push(i[0] as string);
      segments.push([]);
    } else segments[segments.length - 1].push(i);
  }
  const toBc = (instrs: unknown[][]) => {
    const b = new Bytecode();
    b.stepInstructions = instrs;
    return b;
  };
  const orGroups: unknown[][][][] = [[segments[0]]];
  ops.forEach((op, i) => {
    if (op === 'and') orGroups[orGroups.length - 1].push(segments[i + 1]);
    else orGroups.push([segments[i + 1]]);
  });
  const andOf = (g: unknown[][][]) => (g.length === 1 ? toBc(g[0]) : toBc([['and', ...g.map(toBc)]]));
  const filter = orGroups.length === 1 ? ['and', ...orGroups[0].map(toBc)] : ['or', ...orGroups.map(andOf)];
  return [...head, filter];
}

/** the first modulator waiting for the repeat() it modulates (undefined: none) */
function pendingModulator(pending: Partial<Step>): string | undefined {
  for (const key in pending) return key;
  return undefined;
}

export function compile(bc: BytecodeLike): Step[] {
  const hit = compiled.get(bc);
  if (hit) return hit;
  const steps: Step[] = [];
  let pending: Partial<Step> = {};
  for (const ins of rewriteConnectives(bc.stepInstructions)) {
    const name = ins[0] as string;
    const args = ins.slice(1);
    const prev = steps[steps.length - 1];
    if (MODULATORS.has(name) && !(name === 'to' || name === 'from' ? isEnum(args[0], 'Direction') : false)) {
      if ((name === 'until' || name === 'emit' || name === 'times') && prev?.name !== 'repeat') {
        if (prev?.name !== 'repeat') {
          if (name === 'until') {
            pending.until = args[0];
            pending.untilFirst = true;
          } else if (name === 'emit') {
            pending.emit = args[0];
            pending.emitSet = true;
            pending.emitFirst = true;
          } else {
            pending.times = Number(args[0]);
            pending.timesFirst = true;
          }
          continue;
        }
      }
      if (!prev) throw new GremlinEngineError(`The ${name}() modulator has no step to modulate`);
      switch (name) {
        case 'by':
          prev.by.push(args);
          break;
        case 'option':
          prev.options.push(args.length === 1 ? [undefined, args[0]] : [args[0], args[1]]);
          break;
        case 'times':
          prev.times = Number(args[0]);
          break;
        case 'until':
          prev.until = args[0];
          prev.untilFirst = prev.untilFirst ?? false;
          break;
        case 'emit':
          prev.emit = args[0];
          prev.emitSet = true;
          prev.emitFirst = prev.emitFirst ?? false;
          break;
        case 'with':
          prev.withs.push([args[0], args.length > 1 ? args[1] : true]);
          break;
        case 'from':
          prev.from = args[0];
          prev.fromSet = true;
          break;
        case 'to':
          prev.to = args[0];
          prev.toSet = true;
          break;
        default:
          break;
      }
      continue;
    }
    if (name === 'property' && prev && (prev.name === 'addV' || prev.name === 'addE') && prev.props) {
      prev.props.push(args);
      continue;
    }
    const modulated = pendingModulator(pending);
    const step: Step =
      modulated === undefined
        ? { name, args, by: [], options: [], withs: [] }
        : { name, args, by: [], options: [], withs: [], ...pending };
    if (name === 'addV' || name === 'addE') step.props = [];
    if (name !== 'repeat' && modulated !== undefined) {
      throw new GremlinEngineError(`${modulated}() must modulate repeat()`);
    }
    if (modulated !== undefined) pending = {};
    steps.push(step);
  }
  if (pendingModulator(pending) !== undefined) throw new GremlinEngineError('The repeat()-traversal was not defined');
  compiled.set(bc, steps);
  return steps;
}
