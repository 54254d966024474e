// String, list, date and type-conversion steps of TinkerPop 3.7/3.8.

import type { Step } from './compile.js';
import { GremlinEngineError } from './graph.js';
import type { Machine } from './machine.js';
import { isBytecode, isEnum, isP, type PC } from './structure.js';
import { move, type Trav } from './traverser.js';
import { gEquals, PathValue, testPredicate, typeNameOf } from './values.js';

export const LIST_STEPS = new Set([
  'concat',
  'asString',
  'toUpper',
  'toLower',
  'length',
  'trim',
  'lTrim',
  'rTrim',
  'ltrim',
  'rtrim',
  'replace',
  'split',
  'substring',
  'reverse',
  'format',
  'asDate',
  'dateAdd',
  'dateDiff',
  'combine',
  'difference',
  'disjunct',
  'intersect',
  'conjoin',
  'merge',
  'product',
  'all',
  'any',
  'none',
  'asBool',
  'asNumber',
]);

const STRING_FNS: Record<string, string> = {
  toUpper: 'toUpper',
  toLower: 'toLower',
  length: 'length',
  trim: 'trim',
  lTrim: 'lTrim',
  rTrim: 'rTrim',
  ltrim: 'lTrim',
  rtrim: 'rTrim',
  asString: 'asString',
};

function isLocal(x: unknown): boolean {
  return isEnum(x, 'Scope') && x.elementName === 'local';
}

function iterableOf(x: unknown): unknown[] | null {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  return null;
}

export function asStringValue(x: unknown): string {
  if (x === null || x === undefined) return 'null';
  if (typeof x === 'string') return x;
  if (typeof x === 'number') {
    if (Number.isInteger(x)) return String(x);
    return String(x);
  }
  if (x instanceof Date) return x.toISOString();
  if (Array.isArray(x)) return `[${x.map(asStringValue).join(', ')}]`;
  if (x instanceof Map) return `{${[...x].map(([k, v]) => `${asStringValue(k)}=${asStringValue(v)}`).join(', ')}}`;
  if (typeof x === 'object' && x && 'kind' in x) {
    const el = x as {
      kind: string;
      id: unknown;
      label?: string;
      key?: string;
      value?: unknown;
      outV?: { id: unknown };
      inV?: { id: unknown };
    };
    if (el.kind === 'v') return `v[${String(el.id)}]`;
    if (el.kind === 'e') return `e[${String(el.id)}][${String(el.outV?.id)}-${el.label}->${String(el.inV?.id)}]`;
    if (el.kind === 'vp') return `vp[${el.key}->${asStringValue(el.value)}]`;
    if (el.kind === 'p') return `p[${el.key}->${asStringValue(el.value)}]`;
  }
  return String(x);
}

function stringFn(name: string, x: unknown, local: boolean): unknown {
  const label = name === 'lTrim' ? 'lTrim' : name === 'rTrim' ? 'rTrim' : name;
  if (name === 'asString') {
    if (x === null) throw new GremlinEngineError("Can't parse null as String.");
    return asStringValue(x);
  }
  if (x === null || x === undefined) return null;
  if (typeof x !== 'string') {
    if (local)
      throw new GremlinEngineError(
        `The ${label}(local) step can only take string or list of strings, encountered ${typeNameOf(x)}`,
      );
    throw new GremlinEngineError(`The ${label}() step can only take string as argument, encountered ${typeNameOf(x)}`);
  }
  switch (name) {
    case 'toUpper':
      return x.toUpperCase();
    case 'toLower':
      return x.toLowerCase();
    case 'length':
      return x.length;
    case 'trim':
      return x.trim();
    case 'lTrim':
      return x.replace(/^\s+/, '');
    case 'rTrim':
      return x.replace(/\s+$/, '');
    default:
      return x;
  }
}

function checkString(name: string, x: unknown): string | null {
  if (x === null || x === undefined) return null;
  if (typeof x !== 'string')
    throw new GremlinEngineError(`The ${name}() step can only take string as argument, encountered ${typeNameOf(x)}`);
  return x;
}

function argIterable(m: Machine, t: Trav, arg: unknown, step: string): unknown[] {
  let v = arg;
  if (isBytecode(arg)) {
    const r = m.runChild(arg, t);
    v = r.length ? r[0].o : null;
    if (v === null)
      throw new GremlinEngineError(`traversal argument for ${step} step must yield an iterable type, not null`);
    const it = iterableOf(v);
    if (!it)
      throw new GremlinEngineError(
        `traversal argument for ${step} step must yield an iterable type, encountered ${typeNameOf(v)}`,
      );
    return it;
  }
  if (v === null || v === undefined) throw new GremlinEngineError(`Argument provided for ${step} step can't be null`);
  const it = iterableOf(v);
  if (!it)
    throw new GremlinEngineError(
      `${step} step can only take an array or an Iterable as an argument, encountered ${typeNameOf(v)}`,
    );
  return it;
}

function incomingIterable(x: unknown, step: string): unknown[] {
  if (x === null || x === undefined) throw new GremlinEngineError(`Incoming traverser for ${step} step can't be null`);
  const it = iterableOf(x);
  if (!it)
    throw new GremlinEngineError(
      `${step} step can only take an array or an Iterable type for incoming traversers, encountered ${typeNameOf(x)}`,
    );
  return it;
}

function uniq(xs: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of xs) if (!out.some((y) => gEquals(x, y))) out.push(x);
  return out;
}

const DAY = 86400000;
const DT_MS: Record<string, number> = { second: 1000, minute: 60000, hour: 3600000, day: DAY };

function parseNumberString(s: string): number {
  const t = s.trim();
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t, 16);
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[dDfFlL]?$/.test(t))
    throw new GremlinEngineError(`Can't parse string '${s}' as number.`);
  return Number(t.replace(/[dDfFlL]$/, ''));
}

const INT_RANGES: Record<string, [number, number, string]> = {
  BYTE: [-128, 127, 'Byte'],
  SHORT: [-32768, 32767, 'Short'],
  INT: [-2147483648, 2147483647, 'Integer'],
  LONG: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'Long'],
};

function asNumber(x: unknown, type: string | undefined): unknown {
  if (x === null || x === undefined) return null;
  let n: number | bigint;
  if (typeof x === 'number' || typeof x === 'bigint') n = x;
  else if (typeof x === 'string') n = parseNumberString(x);
  else if (x instanceof Date) n = x.getTime();
  else if (typeof x === 'boolean') n = x ? 1 : 0;
  else throw new GremlinEngineError(`Can't parse type ${typeNameOf(x)} as number.`);
  if (!type || type === 'NUMBER') return n;
  if (type in INT_RANGES) {
    const [lo, hi, name] = INT_RANGES[type];
    const v = Math.trunc(Number(n));
    if (v < lo || v > hi)
      throw new GremlinEngineError(`Can't convert number of type ${typeNameOf(x)} to ${name} due to overflow.`);
    return v;
  }
  if (type === 'DOUBLE' || type === 'FLOAT' || type === 'BIGDECIMAL') return Number(n);
  if (type === 'BIGINT') return typeof n === 'bigint' ? n : Math.trunc(n);
  throw new GremlinEngineError(`asNumber() requires a numeric type token, got ${type}`);
}

function asBool(x: unknown): unknown {
  if (x === null || x === undefined) throw new GremlinEngineError("Can't parse null as Boolean.");
  if (typeof x === 'boolean') return x;
  if (typeof x === 'number') return x !== 0 && !Number.isNaN(x);
  if (typeof x === 'bigint') return x !== 0n;
  if (typeof x === 'string') {
    const l = x.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
    throw new GremlinEngineError(`Can't parse ${x} as Boolean.`);
  }
  throw new GremlinEngineError(`Can't parse ${typeNameOf(x)} as Boolean.`);
}

function asDate(x: unknown): Date {
  if (x instanceof Date) return x;
  if (typeof x === 'bigint' || (typeof x === 'number' && Number.isInteger(x))) return new Date(Number(x));
  if (x === null || x === undefined) throw new GremlinEngineError("Can't parse null as Date.");
  if (typeof x === 'string') {
    const d = new Date(/T.*(Z|[+-]\d\d:?\d\d)$/.test(x) || !x.includes('T') ? x : `${x}Z`);
    if (Number.isNaN(d.getTime())) throw new GremlinEngineError(`Can't parse ${x} as Date.`);
    return d;
  }
  throw new GremlinEngineError(`Can't parse ${typeNameOf(x)} as Date.`);
}

function formatString(fmt: string, t: Trav, m: Machine, by: unknown[][]): unknown {
  let ok = true;
  let pos = 0;
  let byIdx = 0;
  const out = fmt.replace(/%\{(\w+)\}|%\{_\}/g, (_all, name: string | undefined) => {
    const key = name ?? '_';
    let v: unknown;
    if (key === '_') {
      if (by.length) {
        const r = m.byValue(by[byIdx++ % by.length], t);
        if (!r.ok) {
          ok = false;
          return '';
        }
        v = r.v;
      } else v = t.o;
    } else {
      const o = t.o;
      const viaProp =
        typeof o === 'object' && o !== null && 'kind' in o
          ? m.byValue([key], t, o)
          : o instanceof Map
            ? { ok: o.has(key), v: o.get(key) }
            : { ok: false };
      if (viaProp.ok && viaProp.v !== null) v = viaProp.v;
      else {
        const r = m.selectLabel(t, key, 'last');
        if (!r.ok) {
          ok = false;
          return '';
        }
        v = r.v;
      }
    }
    pos++;
    return asStringValue(v);
  });
  void pos;
  return ok ? out : undefined;
}

export function listStep(name: string, s: Step, travs: Trav[], m: Machine): Trav[] {
  const a = s.args;
  if (STRING_FNS[name]) {
    const fn = STRING_FNS[name];
    const local = isLocal(a[0]);
    return travs.map((t) => {
      const o = t.o;
      const items = iterableOf(o);
      if (local && items)
        return move(
          t,
          items.map((x) => stringFn(fn, x, true)),
        );
      if (fn === 'asString' && items && !local) return move(t, stringFn(fn, o, false));
      return move(t, stringFn(fn, o, local));
    });
  }
  switch (name) {
    case 'concat':
      return travs.map((t) => {
        if (t.o !== null && typeof t.o !== 'string')
          throw new GremlinEngineError(
            `String concat() can only take string as argument, encountered ${typeNameOf(t.o)}`,
          );
        let out = t.o === null ? null : (t.o as string);
        for (const x of a) {
          if (isBytecode(x)) {
            const r = m.runChild(x, t);
            const v = r.length ? r[0].o : null;
            if (v !== null) out = (out ?? '') + asStringValue(v);
          } else if (x !== null && x !== undefined) out = (out ?? '') + asStringValue(x);
        }
        return move(t, out);
      });
    case 'replace': {
      const local = isLocal(a[0]);
      const [from, to] = local ? [a[1], a[2]] : [a[0], a[1]];
      const fn = (x: unknown) => {
        const sv = checkString('replace', x);
        return sv === null ? null : sv.split(String(from)).join(to === null ? 'null' : String(to));
      };
      return travs.map((t) => {
        const items = iterableOf(t.o);
        return move(t, local && items ? items.map(fn) : fn(t.o));
      });
    }
    case 'split': {
      const local = isLocal(a[0]);
      const sep = local ? a[1] : a[0];
      const fn = (x: unknown) => {
        const sv = checkString('split', x);
        if (sv === null) return null;
        if (sep === null || sep === undefined) return sv.trim() === '' ? [] : sv.trim().split(/\s+/);
        if (sep === '') return [...sv];
        return sv.split(String(sep));
      };
      return travs.map((t) => {
        const items = iterableOf(t.o);
        return move(t, local && items ? items.map(fn) : fn(t.o));
      });
    }
    case 'substring': {
      const local = isLocal(a[0]);
      const [st, en] = local ? [a[1], a[2]] : [a[0], a[1]];
      const fn = (x: unknown) => {
        const sv = checkString('substring', x);
        if (sv === null) return null;
        const len = sv.length;
        let b = Number(st);
        if (b < 0) b = Math.max(0, len + b);
        let e = en === undefined || en === null ? len : Number(en);
        if (e < 0) e = len + e;
        e = Math.min(e, len);
        if (b >= e) return '';
        return sv.slice(b, e);
      };
      return travs.map((t) => {
        const items = iterableOf(t.o);
        return move(t, local && items ? items.map(fn) : fn(t.o));
      });
    }
    case 'reverse':
      return travs.map((t) => {
        const o = t.o;
        if (typeof o === 'string') return move(t, [...o].reverse().join(''));
        const items = iterableOf(o);
        if (items) return move(t, [...items].reverse());
        return move(t, o);
      });
    case 'format':
      return travs.flatMap((t) => {
        const r = formatString(String(a[0]), t, m, s.by);
        return r === undefined ? [] : [move(t, r)];
      });
    case 'asDate':
      return travs.map((t) => move(t, asDate(t.o)));
    case 'dateAdd': {
      const unit = (a[0] as { elementName: string }).elementName;
      return travs.map((t) => {
        if (!(t.o instanceof Date))
          throw new GremlinEngineError(`dateAdd accept only Date, encountered ${typeNameOf(t.o)}`);
        return move(t, new Date(t.o.getTime() + Number(a[1]) * DT_MS[unit]));
      });
    }
    case 'dateDiff':
      return travs.map((t) => {
        if (!(t.o instanceof Date))
          throw new GremlinEngineError(`dateDiff accept only Date, encountered ${typeNameOf(t.o)}`);
        let other: unknown = a[0];
        if (isBytecode(other)) {
          const r = m.runChild(other, t);
          other = r.length ? r[0].o : null;
        }
        if (other === null) return move(t, t.o.getTime());
        return move(t, t.o.getTime() - asDate(other).getTime());
      });
    case 'combine':
      return travs.map((t) => move(t, [...incomingIterable(t.o, name), ...argIterable(m, t, a[0], name)]));
    case 'difference':
      return travs.map((t) => {
        const x = incomingIterable(t.o, name);
        const y = argIterable(m, t, a[0], name);
        return move(t, new Set(uniq(x).filter((v) => !y.some((w) => gEquals(v, w)))));
      });
    case 'disjunct':
      return travs.map((t) => {
        const x = uniq(incomingIterable(t.o, name));
        const y = uniq(argIterable(m, t, a[0], name));
        return move(
          t,
          new Set([
            ...x.filter((v) => !y.some((w) => gEquals(v, w))),
            ...y.filter((v) => !x.some((w) => gEquals(v, w))),
          ]),
        );
      });
    case 'intersect':
      return travs.map((t) => {
        const x = uniq(incomingIterable(t.o, name));
        const y = argIterable(m, t, a[0], name);
        return move(t, new Set(x.filter((v) => y.some((w) => gEquals(v, w)))));
      });
    case 'conjoin':
      return travs.map((t) => {
        const x = incomingIterable(t.o, name);
        return move(
          t,
          x
            .filter((v) => v !== null)
            .map(asStringValue)
            .join(String(a[0])),
        );
      });
    case 'product':
      return travs.map((t) => {
        const x = incomingIterable(t.o, name);
        const y = argIterable(m, t, a[0], name);
        return move(
          t,
          x.flatMap((v) => y.map((w) => [v, w])),
        );
      });
    case 'merge':
      return travs.map((t) => {
        const o = t.o;
        if (o === null || o === undefined)
          throw new GremlinEngineError(`Incoming traverser for merge step can't be null`);
        if (o instanceof Map) {
          let v = a[0];
          if (isBytecode(v)) {
            const r = m.runChild(v, t);
            v = r.length ? r[0].o : null;
          }
          if (v === null || v === undefined)
            throw new GremlinEngineError(`Argument provided for merge step can't be null`);
          if (!(v instanceof Map))
            throw new GremlinEngineError(
              `merge step expected provided argument to evaluate to a Map, encountered ${typeNameOf(v)}`,
            );
          return move(t, new Map([...o, ...v]));
        }
        const x = iterableOf(o);
        if (!x)
          throw new GremlinEngineError(
            `merge step can only take an array or an Iterable type for incoming traversers, encountered ${typeNameOf(o)}`,
          );
        if (a[0] instanceof Map)
          throw new GremlinEngineError('step type mismatch: expected argument to be Iterable but got Map');
        return move(t, new Set(uniq([...x, ...argIterable(m, t, a[0], name)])));
      });
    case 'all':
    case 'any':
    case 'none':
      return travs.filter((t) => {
        const items = iterableOf(t.o);
        if (!items) return false;
        const p = a[0] as PC;
        if (!isP(p)) return false;
        if (name === 'all') return items.every((x) => testPredicate(p, x));
        if (name === 'any') return items.some((x) => testPredicate(p, x));
        return !items.some((x) => testPredicate(p, x));
      });
    case 'asBool':
      return travs.map((t) => move(t, asBool(t.o)));
    case 'asNumber': {
      const type = isEnum(a[0], 'GType') ? a[0].elementName : undefined;
      return travs.map((t) => move(t, asNumber(t.o, type)));
    }
    default:
      throw new GremlinEngineError(`Unsupported step: ${name}()`);
  }
}
