/** Full-text queries on analyzed fields: match (with fuzziness and minimum_should_match), phrases with slop and
 * prefixes, multi_match over expanded field lists. */
import type { Token } from './analysis.js';
import { parsingError } from './errors.js';
import type { LeafField } from './mapping.js';
import {
  allDocs,
  combine,
  disMax,
  minimumShouldMatch,
  noteHighlight,
  type QueryContext,
  type Scores,
} from './query-context.js';
import type { FieldIndex } from './shard.js';
import { Bm25Scorer, idf } from './similarity.js';
import { termQueryOn, termScores } from './term-queries.js';

const f = Math.fround;

function searchAnalyzer(ctx: QueryContext, leaf: LeafField, override?: unknown) {
  const name = (override ?? leaf.mapping.search_analyzer ?? leaf.mapping.analyzer) as string | undefined;
  return ctx.shard.analyzers.get(name);
}

function levenshtein(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let prevPrev: number[] = [];
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length];
}

function fuzzyDistance(fuzziness: unknown, term: string): number {
  const s = String(fuzziness).toUpperCase();
  if (s.startsWith('AUTO')) {
    const [lo, hi] = s.includes(':') ? s.slice(5).split(',').map(Number) : [3, 6];
    return term.length < lo ? 0 : term.length < hi ? 1 : 2;
  }
  return Math.min(2, Math.max(0, Math.trunc(Number(s)) || 0));
}

export function fuzzyTermScores(
  ctx: QueryContext,
  fi: FieldIndex | undefined,
  term: string,
  boost: number,
  fuzziness: unknown,
  prefixLength = 0,
): Scores {
  if (!fi) return new Map();
  const max = fuzzyDistance(fuzziness, term);
  if (max === 0) return termScores(ctx, fi, term, boost);
  const clauses: Scores[] = [];
  const prefix = term.slice(0, prefixLength);
  for (const candidate of fi.postings.keys()) {
    if (!candidate.startsWith(prefix)) continue;
    const d = levenshtein(term, candidate, max);
    if (d <= max)
      clauses.push(
        termScores(ctx, fi, candidate, f(boost * (d === 0 ? 1 : 1 - d / Math.min(term.length, candidate.length)))),
      );
  }
  return disMax(clauses, 0);
}

export function matchQueryOn(
  ctx: QueryContext,
  leaf: LeafField,
  opts: Record<string, unknown>,
  boost: number,
  lenient: boolean,
): Scores {
  const query = opts.query;
  if (query === undefined) throw parsingError('No text specified for text query');
  if (leaf.kind !== 'text') {
    if (leaf.kind === 'keyword') {
      const analyzer = leaf.mapping.normalizer ? ctx.shard.analyzers.get('keyword') : undefined;
      return termQueryOn(ctx, leaf, analyzer ? String(query) : query, boost);
    }
    try {
      return termQueryOn(ctx, leaf, query, boost);
    } catch (e) {
      if (lenient || opts.lenient === true) return new Map();
      throw e;
    }
  }
  const fi = ctx.shard.getField(leaf.path);
  const tokens = searchAnalyzer(ctx, leaf, opts.analyzer)(String(query));
  if (tokens.length === 0) return opts.zero_terms_query === 'all' ? allDocs(ctx, boost) : new Map();
  const fuzziness = opts.fuzziness;
  const clauses = tokens.map((t) =>
    fuzziness !== undefined
      ? fuzzyTermScores(ctx, fi, t.term, boost, fuzziness, Number(opts.prefix_length ?? 0))
      : termScores(ctx, fi, t.term, boost),
  );
  const and = String(opts.operator ?? 'or').toLowerCase() === 'and';
  let required = and ? clauses.length : 1;
  const msm = minimumShouldMatch(opts.minimum_should_match, clauses.length);
  if (!and && msm >= 0) required = msm;
  return combine(clauses, required);
}

/** Phrase matching with positions; `slop` allows moved terms, `prefixLast` makes the last term a prefix. */
export function phraseQueryOn(
  ctx: QueryContext,
  leaf: LeafField,
  opts: Record<string, unknown>,
  boost: number,
  prefixLast: boolean,
  lenient: boolean,
): Scores {
  if (leaf.kind !== 'text') return matchQueryOn(ctx, leaf, { ...opts }, boost, lenient);
  const fi = ctx.shard.getField(leaf.path);
  const tokens: Token[] = searchAnalyzer(ctx, leaf, opts.analyzer)(String(opts.query ?? ''));
  if (tokens.length === 0) return opts.zero_terms_query === 'all' ? allDocs(ctx, boost) : new Map();
  if (!fi) return new Map();
  if (tokens.length === 1 && !prefixLast) return termScores(ctx, fi, tokens[0].term, boost);
  const slop = Number(opts.slop ?? 0);
  const termSets: string[][] = tokens.map((t, i) => {
    if (prefixLast && i === tokens.length - 1) {
      const maxExp = Number(opts.max_expansions ?? 50);
      const out: string[] = [];
      for (const term of [...fi.postings.keys()].sort()) {
        if (term.startsWith(t.term) && (fi.postings.get(term)?.df ?? 0) > 0) out.push(term);
        if (out.length >= maxExp) break;
      }
      return out;
    }
    return [t.term];
  });
  if (termSets.some((s) => s.length === 0)) return new Map();
  for (let i = 0; i < termSets.length; i++) for (const t of termSets[i]) noteHighlight(ctx, leaf.path, t);
  // Per doc: positions of each phrase slot.
  const perSlot: Array<Map<number, number[]>> = termSets.map((terms) => {
    const m = new Map<number, number[]>();
    for (const term of terms) {
      const p = fi.postings.get(term);
      if (!p?.positions) continue;
      for (let i = 0; i < p.docs.length; i++) {
        const num = p.docs[i];
        if (!ctx.shard.docs[num]) continue;
        const list = m.get(num);
        if (list) list.push(...p.positions[i]);
        else m.set(num, [...p.positions[i]]);
      }
    }
    return m;
  });
  let idfSum = 0;
  for (const terms of termSets) {
    const p = fi.postings.get(terms[0]);
    idfSum += idf(p?.df ?? 0, fi.docCount);
  }
  const scorer = new Bm25Scorer(boost, f(idfSum), fi.docCount, fi.sumTotalTermFreq);
  const offsets = tokens.map((t) => t.position - tokens[0].position);
  const out: Scores = new Map();
  const smallest = perSlot.reduce((a, b) => (a.size <= b.size ? a : b));
  for (const num of smallest.keys()) {
    if (!perSlot.every((m) => m.has(num))) continue;
    const slots = perSlot.map((m) => new Set(m.get(num)));
    let freq = 0;
    for (const start of slots[0]) {
      if (slop === 0) {
        if (offsets.every((off, i) => slots[i].has(start + off))) freq++;
        continue;
      }
      // sloppy: every slot has a position within `slop` of where the phrase expects it
      let distance = 0;
      let ok = true;
      for (let i = 1; i < slots.length && ok; i++) {
        let best = Number.POSITIVE_INFINITY;
        for (const pos of slots[i]) best = Math.min(best, Math.abs(pos - (start + offsets[i])));
        distance += best;
        ok = distance <= slop;
      }
      if (ok) freq += 1 / (1 + distance);
    }
    if (freq > 0) out.set(num, scorer.score(freq, fi.lengths[num] ?? 1));
  }
  return out;
}

/** Expands `name^3`, `*`, `title.*` into leaf fields with boosts. */
export function expandFields(ctx: QueryContext, fields: unknown): Array<[LeafField, number]> {
  const list: string[] = Array.isArray(fields)
    ? fields.map(String)
    : typeof fields === 'string'
      ? [fields]
      : [].concat((ctx.shard.setting('query.default_field') as never) ?? ['*']).map(String);
  const out: Array<[LeafField, number]> = [];
  for (const spec of list) {
    const [name, boostText] = spec.split('^');
    const boost = boostText === undefined ? 1 : Number(boostText);
    const matches = ctx.shard.mappings.matchFields(name).filter((l) => l.indexed);
    for (const leaf of matches) {
      if (name.includes('*') && leaf.kind === 'unindexed') continue;
      out.push([leaf, boost]);
    }
  }
  return out;
}

export function multiMatch(ctx: QueryContext, opts: Record<string, unknown>, boost: number): Scores {
  if (opts.query === undefined) throw parsingError('[multi_match] requires query value');
  const fields = expandFields(ctx, opts.fields);
  const lenient = opts.lenient === true || opts.fields === undefined || JSON.stringify(opts.fields).includes('*');
  const type = String(opts.type ?? 'best_fields');
  const per = fields.map(([leaf, fb]) => {
    const b = f(boost * fb);
    if (type === 'phrase') return phraseQueryOn(ctx, leaf, opts, b, false, lenient);
    if (type === 'phrase_prefix') return phraseQueryOn(ctx, leaf, opts, b, true, lenient);
    return matchQueryOn(ctx, leaf, opts, b, lenient);
  });
  if (type === 'most_fields') return combine(per, 1);
  const tie = Number(opts.tie_breaker ?? (type === 'cross_fields' ? 0 : 0));
  return disMax(per, tie);
}
