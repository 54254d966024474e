// Map steps: one object per traverser turned into another (tokens, property values and maps, path(), select(),
// project(), map()/flatMap(), unfold(), math(), index(), loops(), as()).
import type { Step } from './compile.js';
import { vertexChainOf } from './fast-chain.js';
import { GEdge, GremlinEngineError, GVertex, GVertexProperty } from './graph.js';
import type { Machine, StepTable } from './machine.js';
import { evalMath } from './math.js';
import { isBytecode, isEnum } from './structure.js';
import { labelTrav, move, pathNodes, type Trav } from './traverser.js';
import { columnValue, dirEnum, gEquals, PathValue, propsOf, tEnum, tokenValue, toList, unfoldValue } from './values.js';

export const MAP_STEPS: StepTable = {
  id: (_m, _s, travs) => travs.map((t) => move(t, tokenValue(t.o, 'id'))),
  label: (_m, _s, travs) => travs.map((t) => move(t, tokenValue(t.o, 'label'))),
  key: (_m, _s, travs) => travs.map((t) => move(t, tokenValue(t.o, 'key'))),
  value: (_m, _s, travs) => travs.map((t) => move(t, tokenValue(t.o, 'value'))),
  constant: (_m, s, travs) => travs.map((t) => move(t, s.args[0])),
  values: (_m, s, travs) => travs.flatMap((t) => propsOf(t.o, s.args as string[]).map((p) => move(t, p.value))),
  properties: (_m, s, travs) => travs.flatMap((t) => propsOf(t.o, s.args as string[]).map((p) => move(t, p))),
  valueMap: mapOfProps,
  propertyMap: mapOfProps,
  elementMap: mapOfProps,
  path: (m, s, travs) =>
    travs.flatMap((t) => {
      const p = pathValue(m, s, t);
      return p ? [move(t, p)] : [];
    }),
  select,
  project: (m, s, travs) => {
    const out: Trav[] = [];
    for (const t of travs) {
      const map = new Map<unknown, unknown>();
      const ok = true;
      s.args.forEach((k, i) => {
        const r = m.byValue(s.by.length ? s.by[i % s.by.length] : undefined, t);
        if (r.ok) map.set(k, r.v);
      });
      if (ok) out.push(move(t, map));
    }
    return out;
  },
  map: (m, s, travs) =>
    travs.flatMap((t) => {
      const r = m.first(s.args[0], t);
      return r.ok ? [move(t, r.v)] : [];
    }),
  flatMap: (m, s, travs) => {
    const a = s.args;
    const chain = isBytecode(a[0]) ? vertexChainOf(a[0]) : null;
    if (chain) return m.flatMapChecked(travs, (t) => chain(t.o));
    return travs.flatMap((t) => m.runChild(a[0], t).map((r) => move(t, r.o)));
  },
  unfold: (_m, _s, travs) => travs.flatMap((t) => unfoldValue(t.o).map((x) => move(t, x))),
  math: (m, s, travs) =>
    travs.flatMap((t) => {
      const v = evalMath(String(s.args[0]), t, s.by, m);
      return v === undefined ? [] : [move(t, v)];
    }),
  index: (_m, s, travs) => {
    const asMap = s.withs.some(([k, v]) => k === '~tinkerpop.index.indexer' && v === 1);
    return travs.map((t) => {
      const items = toList(t.o);
      return move(t, asMap ? new Map(items.map((x, i) => [i, x])) : items.map((x, i) => [x, i]));
    });
  },
  loops: (_m, s, travs) =>
    travs.map((t) => {
      const name = s.args[0] as string | undefined;
      const f = name ? [...t.loops].reverse().find((l) => l.name === name) : t.loops[t.loops.length - 1];
      return move(t, f ? f.n : 0);
    }),
  as: (_m, s, travs) => travs.map((t) => labelTrav(t, s.args as string[])),
};

function select(m: Machine, s: Step, travs: Trav[]): Trav[] {
  let a = s.args;
  let pop = 'last';
  if (isEnum(a[0], 'Pop')) {
    pop = a[0].elementName;
    a = a.slice(1);
  }
  if (isEnum(a[0], 'Column')) {
    const col = a[0].elementName;
    return travs.map((t) => move(t, columnValue(t.o, col)));
  }
  if (isBytecode(a[0])) {
    // select(traversal): the traversal yields the key
    return travs.flatMap((t) => {
      const k = m.first(a[0], t);
      if (!k.ok) return [];
      if (t.o instanceof Map) {
        for (const [mk, mv] of t.o) {
          if (!gEquals(mk, k.v)) continue;
          const b = m.byValue(s.by[0], t, mv);
          return b.ok ? [move(t, b.v)] : [];
        }
        return [];
      }
      if (typeof k.v !== 'string') return [];
      const r = m.selectLabel(t, k.v, pop);
      return r.ok ? [move(t, r.v)] : [];
    });
  }
  const out: Trav[] = [];
  for (const t of travs) {
    if (a.length === 1) {
      const r = m.selectLabel(t, a[0], pop);
      if (!r.ok) continue;
      const b = m.byValue(s.by[0], t, r.v);
      if (b.ok) out.push(move(t, b.v));
      continue;
    }
    const map = new Map<unknown, unknown>();
    let ok = true;
    a.forEach((k, i) => {
      if (!ok) return;
      const r = m.selectLabel(t, k, pop);
      if (!r.ok) {
        ok = false;
        return;
      }
      const b = m.byValue(s.by.length ? s.by[i % s.by.length] : undefined, t, r.v);
      if (!b.ok) ok = false;
      else map.set(k, b.v);
    });
    if (ok) out.push(move(t, map));
  }
  return out;
}

/** the path (from/to section, by-modulated); null when a by() modulator is unproductive */
function pathValue(m: Machine, s: Step, t: Trav): PathValue | null {
  const nodes = pathNodes(t.p);
  let from = 0;
  let to = nodes.length - 1;
  if (s.fromSet) {
    const i = nodes.findIndex((n) => n.labels.includes(String(s.from)));
    if (i >= 0) from = i;
  }
  if (s.toSet) {
    const i = nodes.findIndex((n, j) => j >= from && n.labels.includes(String(s.to)));
    if (i >= 0) to = i;
  }
  const sel = nodes.slice(from, to + 1);
  const objs: unknown[] = [];
  for (let i = 0; i < sel.length; i++) {
    const n = sel[i];
    if (s.by.length) {
      const r = m.byValue(s.by[i % s.by.length], t, n.obj);
      if (!r.ok) return null;
      objs.push(r.v);
    } else objs.push(n.obj);
  }
  return new PathValue(
    sel.map((n) => [...n.labels]),
    objs,
  );
}

function mapOfProps(m: Machine, s: Step, travs: Trav[]): Trav[] {
  if (s.by.length > 1) throw new GremlinEngineError(`${s.name}() step can only have one by modulator`);
  let a = s.args;
  let tokens = false;
  if (typeof a[0] === 'boolean') {
    tokens = a[0];
    a = a.slice(1);
  }
  let tokenMask = tokens ? 15 : 0;
  for (const [k, v] of s.withs) if (k === '~tinkerpop.valueMap.tokens') tokenMask = typeof v === 'number' ? v : 15;
  const keys = a as string[];
  return travs.map((t) => {
    const o = t.o;
    const map = new Map<unknown, unknown>();
    if (s.name === 'elementMap') {
      map.set(tEnum('id'), tokenValue(o, 'id'));
      map.set(tEnum('label'), tokenValue(o, 'label'));
      if (o instanceof GEdge) {
        map.set(
          dirEnum('IN'),
          new Map<unknown, unknown>([
            [tEnum('id'), o.inV.id],
            [tEnum('label'), o.inV.label],
          ]),
        );
        map.set(
          dirEnum('OUT'),
          new Map<unknown, unknown>([
            [tEnum('id'), o.outV.id],
            [tEnum('label'), o.outV.label],
          ]),
        );
      }
      if (o instanceof GVertex && keys.length) {
        // each key's first value, read from the vertex's first-value copies (one object instead of map → list →
        // property for every key)
        for (const k of keys) {
          if (map.has(k)) continue;
          const v = o.firstValue(k);
          if (v !== undefined) map.set(k, v);
          else {
            const list = o.props.get(k);
            if (list?.length) map.set(k, list[0].value);
          }
        }
        return move(t, map);
      }
      for (const p of propsOf(o, keys)) if (!map.has(p.key)) map.set(p.key, p.value);
      return move(t, map);
    }
    if (tokenMask & 1) map.set(tEnum('id'), tokenValue(o, 'id'));
    if (tokenMask & 2) map.set(tEnum('label'), tokenValue(o, 'label'));
    if (o instanceof GVertexProperty) {
      if (tokenMask & 4) map.set(tEnum('key'), o.key);
      if (tokenMask & 8) map.set(tEnum('value'), o.value);
    }
    for (const p of propsOf(o, keys)) {
      const multi = o instanceof GVertex;
      const v = s.name === 'propertyMap' ? p : p.value;
      if (multi) {
        const list = (map.get(p.key) as unknown[]) ?? [];
        list.push(v);
        map.set(p.key, list);
      } else map.set(p.key, s.name === 'propertyMap' ? [v] : v);
    }
    if (s.by.length) {
      for (const [k, v] of map) {
        if (isEnum(k, 'T')) continue;
        const r = m.byValue(s.by[0], t, v);
        if (r.ok) map.set(k, r.v);
      }
    }
    return move(t, map);
  });
}
