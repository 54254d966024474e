// math() step: a small expression evaluator (+ - * / % ^, unary minus, functions, variables bound by by()).
import { GremlinEngineError } from './graph.js';
import type { Machine } from './machine.js';
import type { Trav } from './traverser.js';

const FUNCS: Record<string, (x: number) => number> = {
  abs: Math.abs,
  acos: Math.acos,
  asin: Math.asin,
  atan: Math.atan,
  cbrt: Math.cbrt,
  ceil: Math.ceil,
  cos: Math.cos,
  cosh: Math.cosh,
  exp: Math.exp,
  floor: Math.floor,
  log: Math.log,
  log10: Math.log10,
  log2: Math.log2,
  sin: Math.sin,
  sinh: Math.sinh,
  sqrt: Math.sqrt,
  tan: Math.tan,
  tanh: Math.tanh,
  signum: Math.sign,
};
const CONSTS: Record<string, number> = { pi: Math.PI, e: Math.E };

type Node =
  | { k: 'num'; v: number }
  | { k: 'var'; name: string }
  | { k: 'bin'; op: string; l: Node; r: Node }
  | { k: 'neg'; e: Node }
  | { k: 'fn'; f: string; e: Node };

const cache = new Map<string, { ast: Node; vars: string[] }>();

function parse(src: string): { ast: Node; vars: string[] } {
  const hit = cache.get(src);
  if (hit) return hit;
  const toks = src.match(/\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+|[A-Za-z_][A-Za-z0-9_]*|[-+*/%^()]/g) ?? [];
  let i = 0;
  const vars: string[] = [];
  const peek = () => toks[i];
  const expr = (): Node => {
    let l = term();
    while (peek() === '+' || peek() === '-') {
      const op = toks[i++];
      l = { k: 'bin', op, l, r: term() };
    }
    return l;
  };
  const term = (): Node => {
    let l = unary();
    while (peek() === '*' || peek() === '/' || peek() === '%') {
      const op = toks[i++];
      l = { k: 'bin', op, l, r: unary() };
    }
    return l;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      i++;
      return { k: 'neg', e: unary() };
    }
    if (peek() === '+') {
      i++;
      return unary();
    }
    return power();
  };
  const power = (): Node => {
    const b = atom();
    if (peek() === '^') {
      i++;
      return { k: 'bin', op: '^', l: b, r: unary() };
    }
    return b;
  };
  const atom = (): Node => {
    const t = toks[i++];
    if (t === undefined) throw new GremlinEngineError(`Invalid math expression: ${src}`);
    if (t === '(') {
      const e = expr();
      if (toks[i++] !== ')') throw new GremlinEngineError(`Invalid math expression: ${src}`);
      return e;
    }
    if (/^[\d.]/.test(t)) return { k: 'num', v: Number(t) };
    if (FUNCS[t]) {
      if (peek() === '(') {
        i++;
        const e = expr();
        i++;
        return { k: 'fn', f: t, e };
      }
      return { k: 'fn', f: t, e: unary() };
    }
    if (t in CONSTS) return { k: 'num', v: CONSTS[t] };
    if (!vars.includes(t)) vars.push(t);
    return { k: 'var', name: t };
  };
  const ast = expr();
  if (i < toks.length) throw new GremlinEngineError(`Invalid math expression: ${src}`);
  const r = { ast, vars };
  cache.set(src, r);
  return r;
}

function evalNode(n: Node, env: Map<string, number>): number {
  switch (n.k) {
    case 'num':
      return n.v;
    case 'var':
      return env.get(n.name) as number;
    case 'neg':
      return -evalNode(n.e, env);
    case 'fn':
      return FUNCS[n.f](evalNode(n.e, env));
    case 'bin': {
      const l = evalNode(n.l, env);
      const r = evalNode(n.r, env);
      switch (n.op) {
        case '+':
          return l + r;
        case '-':
          return l - r;
        case '*':
          return l * r;
        case '/':
          if (r === 0 && l !== 0) return l > 0 ? Infinity : -Infinity;
          return l / r;
        case '%':
          return l % r;
        default:
          return l ** r;
      }
    }
  }
}

export function evalMath(src: string, t: Trav, by: unknown[][], m: Machine): number | undefined {
  const { ast, vars } = parse(src);
  const env = new Map<string, number>();
  let byIdx = 0;
  for (const v of vars) {
    let raw: unknown;
    if (v === '_') raw = t.o;
    else {
      const r = m.selectLabel(t, v, 'last');
      if (!r.ok)
        throw new GremlinEngineError(
          `Neither the current traverser nor any of its labels/side-effects hold a value for: ${v}`,
        );
      raw = r.v;
    }
    if (by.length) {
      const r = m.byValue(by[byIdx % by.length], t, raw);
      byIdx++;
      if (!r.ok) return undefined;
      raw = r.v;
    }
    if (typeof raw !== 'number' && typeof raw !== 'bigint') {
      throw new GremlinEngineError(
        `The variable ${v} for math() must be a Number but found ${raw === null ? 'null' : typeof raw}`,
      );
    }
    env.set(v, Number(raw));
  }
  return evalNode(ast, env);
}
