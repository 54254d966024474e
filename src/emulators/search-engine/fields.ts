/** `stored_fields`, `docvalue_fields` and `fields` of search hits and get responses. */
import { formatDate } from './dates.js';
import type { LeafField } from './mapping.js';
import type { IndexShard } from './shard.js';

export function fieldList(spec: unknown): string[] {
  if (spec === undefined || spec === null) return [];
  return (Array.isArray(spec) ? spec : String(spec).split(',')).map((s) => String(s).trim()).filter(Boolean);
}

/** Values of a leaf taken from the source (dotted keys and nested objects both work). */
export function sourceValues(source: Record<string, unknown>, path: string): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown, parts: string[]) => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, parts);
      return;
    }
    if (parts.length === 0) {
      out.push(v);
      return;
    }
    if (typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    for (let i = parts.length; i > 0; i--) {
      const key = parts.slice(0, i).join('.');
      if (key in obj) walk(obj[key], parts.slice(i));
    }
  };
  walk(source, path.split('.'));
  return out;
}

function sourcePathOf(shard: IndexShard, leaf: LeafField): string {
  const dot = leaf.path.lastIndexOf('.');
  // multi-fields (title.keyword) read their parent's value
  if (dot > 0 && shard.mappings.field(leaf.path.slice(0, dot))) return leaf.path.slice(0, dot);
  return leaf.path;
}

function typed(leaf: LeafField, v: unknown): unknown {
  if (leaf.kind === 'integer' || leaf.kind === 'float') return typeof v === 'string' ? Number(v) : v;
  if (leaf.kind === 'boolean') return v === true || v === 'true';
  return v;
}

/** Stored fields (mapping `store: true`) of a document. */
export function storedFields(
  shard: IndexShard,
  source: Record<string, unknown>,
  names: string[],
): Record<string, unknown[]> | undefined {
  const out: Record<string, unknown[]> = {};
  for (const name of names) {
    if (name === '_source' || name === '_none_') continue;
    for (const leaf of shard.mappings.matchFields(name)) {
      if (leaf.mapping.store !== true) continue;
      const values = sourceValues(source, sourcePathOf(shard, leaf)).map((v) => typed(leaf, v));
      if (values.length > 0) out[leaf.path] = values;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function decimalFormat(n: number, pattern: string): string {
  const m = /\.(0+|#+)$/.exec(pattern);
  return m ? n.toFixed(m[1].length) : String(Math.round(n));
}

/** docvalue_fields: `"field"` or `{field, format}`, with `*` patterns. */
export function docValueFields(
  shard: IndexShard,
  num: number,
  specs: unknown[],
): Record<string, unknown[]> | undefined {
  const out: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const name = typeof spec === 'string' ? spec : String((spec as Record<string, unknown>).field);
    const format =
      typeof spec === 'string' ? undefined : ((spec as Record<string, unknown>).format as string | undefined);
    for (const leaf of shard.mappings.matchFields(name)) {
      const values = shard.getField(leaf.path)?.values[num];
      if (!values || values.length === 0) continue;
      const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      out[leaf.path] = sorted.map((v) => {
        if (leaf.kind === 'date') return formatDate(v as number, format ?? (leaf.mapping.format as string | undefined));
        if (leaf.kind === 'boolean') return v === 1;
        if (format && typeof v === 'number' && format !== 'use_field_mapping') return decimalFormat(v, format);
        return v;
      });
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The `fields` option of search: values of mapped fields read from the source. */
export function fetchFields(
  shard: IndexShard,
  source: Record<string, unknown>,
  specs: unknown[],
): Record<string, unknown[]> | undefined {
  const out: Record<string, unknown[]> = {};
  for (const spec of specs) {
    const name = typeof spec === 'string' ? spec : String((spec as Record<string, unknown>).field);
    for (const leaf of shard.mappings.matchFields(name)) {
      const values = sourceValues(source, sourcePathOf(shard, leaf)).filter((v) => v !== null && typeof v !== 'object');
      if (values.length > 0) out[leaf.path] = values.map((v) => typed(leaf, v));
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
