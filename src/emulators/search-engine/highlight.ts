/** A basic unified-style highlighter: wraps the query's matched terms in the source text of each requested field. */
import { sourceValues } from './fields.js';
import type { IndexShard } from './shard.js';

export interface HighlightSpec {
  pre_tags?: string[];
  post_tags?: string[];
  fields?: Record<string, Record<string, unknown>> | Array<Record<string, Record<string, unknown>>>;
  require_field_match?: boolean;
  number_of_fragments?: number;
  fragment_size?: number;
  [k: string]: unknown;
}

/** The text of a field's source values (objects are not text). */
function valuesAt(source: Record<string, unknown>, path: string): string[] {
  return sourceValues(source, path)
    .filter((v) => typeof v !== 'object')
    .map(String);
}

function fieldEntries(spec: HighlightSpec): Array<[string, Record<string, unknown>]> {
  const f = spec.fields ?? {};
  if (Array.isArray(f)) return f.flatMap((o) => Object.entries(o));
  return Object.entries(f);
}

export function highlightHit(
  shard: IndexShard,
  source: Record<string, unknown>,
  spec: HighlightSpec,
  terms: Map<string, Set<string>>,
): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  for (const [pattern, opts] of fieldEntries(spec)) {
    const leaves = shard.mappings.matchFields(pattern).filter((l) => l.kind === 'text' || l.kind === 'keyword');
    for (const leaf of leaves) {
      const requireMatch = (opts.require_field_match ?? spec.require_field_match) !== false;
      let wanted: Set<string> | undefined;
      if (requireMatch) wanted = terms.get(leaf.path);
      else {
        wanted = new Set();
        for (const s of terms.values()) for (const t of s) wanted.add(t);
      }
      if (!wanted || wanted.size === 0) continue;
      const pre = ((opts.pre_tags ?? spec.pre_tags) as string[] | undefined)?.[0] ?? '<em>';
      const post = ((opts.post_tags ?? spec.post_tags) as string[] | undefined)?.[0] ?? '</em>';
      const maxFragments = Number(opts.number_of_fragments ?? spec.number_of_fragments ?? 5);
      const fragmentSize = Number(opts.fragment_size ?? spec.fragment_size ?? 100);
      const analyzer =
        leaf.kind === 'text'
          ? shard.analyzers.get(leaf.mapping.analyzer as string | undefined)
          : shard.analyzers.get('keyword');
      const fragments: string[] = [];
      const sourcePath = leaf.path
        .split('.')
        .filter((_, i, all) => !(i === all.length - 1 && leaf.mapping !== undefined && isSubField(shard, leaf.path)))
        .join('.');
      for (const value of valuesAt(source, sourcePath)) {
        const hits = analyzer(value).filter((t) => wanted?.has(t.term));
        if (hits.length === 0) continue;
        let text = '';
        let last = 0;
        for (const h of hits) {
          text += value.slice(last, h.start) + pre + value.slice(h.start, h.end) + post;
          last = h.end;
        }
        text += value.slice(last);
        if (maxFragments === 0 || value.length <= fragmentSize) fragments.push(text);
        else fragments.push(...sentencesWithTags(text, pre));
      }
      if (fragments.length > 0) out[leaf.path] = maxFragments === 0 ? fragments : fragments.slice(0, maxFragments);
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function isSubField(shard: IndexShard, path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0) return false;
  const parent = shard.mappings.field(path.slice(0, dot));
  return parent !== undefined;
}

function sentencesWithTags(text: string, pre: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .filter((s) => s.includes(pre))
    .map((s) => s.trim());
}
