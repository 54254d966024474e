/** Lucene classic query syntax (query_string) and simple_query_string, translated into query DSL. */
import type { QueryDsl } from './types.js';

type Occur = 'must' | 'should' | 'must_not';
interface Clause {
  occur: Occur;
  query: QueryDsl;
  explicit: boolean;
}

interface Options {
  default_field?: string;
  fields?: string[];
  default_operator?: string;
  analyzer?: string;
  lenient?: boolean;
  analyze_wildcard?: boolean;
  [k: string]: unknown;
}

export function parseQueryString(text: string, opts: Options, simple: boolean): QueryDsl {
  const parser = new Parser(text, opts, simple);
  return parser.parse();
}

class Parser {
  private i = 0;
  private readonly defaultOccur: Occur;

  constructor(
    private readonly s: string,
    private readonly opts: Options,
    private readonly simple: boolean,
  ) {
    this.defaultOccur = String(opts.default_operator ?? 'or').toLowerCase() === 'and' ? 'must' : 'should';
  }

  parse(): QueryDsl {
    const q = this.parseGroup(undefined);
    return q ?? { match_none: {} };
  }

  private skipWs(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private peekWord(word: string): boolean {
    if (this.simple) return false;
    if (!this.s.startsWith(word, this.i)) return false;
    const next = this.s[this.i + word.length];
    return next === undefined || /[\s(]/.test(next);
  }

  private parseGroup(field: string | undefined): QueryDsl | undefined {
    const clauses: Clause[] = [];
    let pendingOccur: Occur | undefined;
    let lastConj: 'and' | 'or' | undefined;
    while (true) {
      this.skipWs();
      if (this.i >= this.s.length || this.s[this.i] === ')') break;
      if (
        this.peekWord('AND') ||
        this.s.startsWith('&&', this.i) ||
        (this.simple && this.s[this.i] === '+' && clauses.length > 0 && /\s/.test(this.s[this.i + 1] ?? ' '))
      ) {
        this.i += this.s.startsWith('AND', this.i) ? 3 : this.s[this.i] === '+' ? 1 : 2;
        lastConj = 'and';
        const prev = clauses[clauses.length - 1];
        if (prev && !prev.explicit) prev.occur = 'must';
        continue;
      }
      if (this.peekWord('OR') || this.s.startsWith('||', this.i) || (this.simple && this.s[this.i] === '|')) {
        this.i += this.s.startsWith('||', this.i) ? 2 : this.s[this.i] === '|' ? 1 : 2;
        lastConj = 'or';
        const prev = clauses[clauses.length - 1];
        if (prev && !prev.explicit && this.defaultOccur === 'must') prev.occur = 'should';
        continue;
      }
      if (this.peekWord('NOT') || (this.s[this.i] === '!' && !this.simple)) {
        this.i += this.s[this.i] === '!' ? 1 : 3;
        pendingOccur = 'must_not';
        continue;
      }
      let occur: Occur | undefined = pendingOccur;
      let explicit = occur !== undefined;
      if (this.s[this.i] === '+') {
        occur = 'must';
        explicit = true;
        this.i++;
      } else if (this.s[this.i] === '-') {
        occur = 'must_not';
        explicit = true;
        this.i++;
      }
      pendingOccur = undefined;
      const q = this.parseClause(field);
      if (!q) continue;
      if (!occur) occur = lastConj === 'and' ? 'must' : lastConj === 'or' ? 'should' : this.defaultOccur;
      lastConj = undefined;
      clauses.push({ occur, query: q, explicit });
    }
    if (clauses.length === 0) return undefined;
    if (clauses.length === 1 && clauses[0].occur !== 'must_not') return clauses[0].query;
    const bool: Record<string, QueryDsl[]> = {};
    for (const c of clauses) {
      bool[c.occur] ??= [];
      bool[c.occur].push(c.query);
    }
    return { bool };
  }

  private readTerm(): string {
    let out = '';
    while (this.i < this.s.length) {
      const ch = this.s[this.i];
      if (ch === '\\' && this.i + 1 < this.s.length) {
        out += this.s[this.i + 1];
        this.i += 2;
        continue;
      }
      if (/\s/.test(ch) || ch === '(' || ch === ')' || ch === '^' || ch === '~' || ch === '"') break;
      if (this.simple && (ch === '|' || ch === '+')) break;
      if (!this.simple && ch === ':') break;
      if (!this.simple && (ch === '[' || ch === '{') && out === '') break;
      out += ch;
      this.i++;
    }
    return out;
  }

  private readSuffix(): { boost?: number; fuzzy?: string } {
    const out: { boost?: number; fuzzy?: string } = {};
    for (let k = 0; k < 2; k++) {
      const m = /^(\^(\d+(?:\.\d+)?)|~(\d+(?:\.\d+)?)?)/.exec(this.s.slice(this.i));
      if (!m) break;
      this.i += m[0].length;
      if (m[0][0] === '^') out.boost = Number(m[2]);
      else out.fuzzy = m[3] ?? 'AUTO';
    }
    return out;
  }

  private parseClause(field: string | undefined): QueryDsl | undefined {
    this.skipWs();
    const ch = this.s[this.i];
    if (ch === '(') {
      this.i++;
      const q = this.parseGroup(field);
      this.skipWs();
      if (this.s[this.i] === ')') this.i++;
      const { boost } = this.readSuffix();
      return q && boost !== undefined ? { bool: { must: [q], boost } } : q;
    }
    if (ch === '"') {
      const end = this.findQuoteEnd(this.i + 1);
      const phrase = this.s.slice(this.i + 1, end).replace(/\\(.)/g, '$1');
      this.i = Math.min(end + 1, this.s.length);
      const { boost, fuzzy } = this.readSuffix();
      return this.wrapBoost(this.phraseQuery(field, phrase, fuzzy), boost);
    }
    if (!this.simple && (ch === '[' || ch === '{')) return this.rangeQuery(field ?? this.defaultFieldName());
    if (!this.simple && ch === '/') {
      let end = this.i + 1;
      while (end < this.s.length && this.s[end] !== '/') end += this.s[end] === '\\' ? 2 : 1;
      const value = this.s.slice(this.i + 1, end);
      this.i = Math.min(end + 1, this.s.length);
      const queries = this.fieldsFor(field).map((f) => ({ regexp: { [f.split('^')[0]]: { value } } }));
      return queries.length === 1 ? queries[0] : { dis_max: { queries } };
    }
    const term = this.readTerm();
    if (!this.simple && this.s[this.i] === ':' && field === undefined && term !== '') {
      this.i++;
      this.skipWs();
      const next = this.s[this.i];
      if (next === '(' || next === '"' || next === '[' || next === '{') return this.parseClause(term);
      return this.parseFieldValue(term);
    }
    if (term === '') {
      if (this.i < this.s.length && this.s[this.i] !== ')') this.i++;
      return undefined;
    }
    const { boost, fuzzy } = this.readSuffix();
    return this.wrapBoost(this.termQuery(field, term, fuzzy), boost);
  }

  private parseFieldValue(field: string): QueryDsl | undefined {
    const cmp = /^(>=|<=|>|<)/.exec(this.s.slice(this.i));
    if (cmp) {
      this.i += cmp[0].length;
      const value = this.readTerm();
      const key = { '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt' }[cmp[0]] as string;
      return { range: { [field]: { [key]: value } } };
    }
    const value = this.readTerm();
    const { boost, fuzzy } = this.readSuffix();
    if (field === '_exists_') return { exists: { field: value } };
    return this.wrapBoost(this.termQuery(field, value, fuzzy), boost);
  }

  private rangeQuery(field: string): QueryDsl {
    const inclusiveLow = this.s[this.i] === '[';
    const close = this.s.slice(this.i).search(/[\]}]/);
    const body = this.s.slice(this.i + 1, close < 0 ? this.s.length : this.i + close);
    const inclusiveHigh = close >= 0 && this.s[this.i + close] === ']';
    this.i = close < 0 ? this.s.length : this.i + close + 1;
    const [lo, hi] = body.split(/\s+TO\s+/).map((v) => v.trim().replace(/^"|"$/g, ''));
    const spec: Record<string, unknown> = {};
    if (lo !== undefined && lo !== '*') spec[inclusiveLow ? 'gte' : 'gt'] = lo;
    if (hi !== undefined && hi !== '*') spec[inclusiveHigh ? 'lte' : 'lt'] = hi;
    return { range: { [field]: spec } };
  }

  private findQuoteEnd(from: number): number {
    for (let k = from; k < this.s.length; k++) {
      if (this.s[k] === '\\') k++;
      else if (this.s[k] === '"') return k;
    }
    return this.s.length;
  }

  private wrapBoost(q: QueryDsl, boost: number | undefined): QueryDsl {
    return boost === undefined ? q : { bool: { must: [q], boost } };
  }

  private defaultFieldName(): string {
    return this.opts.default_field ?? '*';
  }

  private fieldsFor(field: string | undefined): string[] {
    if (field !== undefined) return [field];
    if (Array.isArray(this.opts.fields) && this.opts.fields.length > 0) return this.opts.fields.map(String);
    return [this.defaultFieldName()];
  }

  private lenient(fields: string[]): boolean {
    return this.opts.lenient === true || this.simple || fields.some((f) => f.includes('*'));
  }

  private termQuery(field: string | undefined, term: string, fuzzy?: string): QueryDsl {
    const fields = this.fieldsFor(field);
    if (term === '*' && field !== undefined) return { exists: { field } };
    if (/[*?]/.test(term)) {
      const lower = term.toLowerCase();
      const isPrefix = /^[^*?]*\*$/.test(term);
      const should = fields.map((f) => {
        const name = f.split('^')[0];
        return isPrefix
          ? { prefix: { [name]: { value: lower.slice(0, -1) } } }
          : { wildcard: { [name]: { value: lower } } };
      });
      return should.length === 1 ? should[0] : { dis_max: { queries: should } };
    }
    const match: Record<string, unknown> = {
      query: term,
      fields,
      lenient: this.lenient(fields),
      ...(this.opts.analyzer ? { analyzer: this.opts.analyzer } : {}),
      ...(fuzzy ? { fuzziness: fuzzy } : {}),
      operator: this.defaultOccur === 'must' ? 'and' : 'or',
    };
    return { multi_match: match };
  }

  private phraseQuery(field: string | undefined, phrase: string, slop?: string): QueryDsl {
    const fields = this.fieldsFor(field);
    return {
      multi_match: {
        query: phrase,
        fields,
        type: 'phrase',
        lenient: this.lenient(fields),
        ...(slop && slop !== 'AUTO' ? { slop: Number(slop) } : {}),
        ...(this.opts.analyzer ? { analyzer: this.opts.analyzer } : {}),
      },
    };
  }
}
