import { searchError } from './errors.js';

/**
 * CloudSearch query languages (simple, structured, lucene) parsed into one small AST; a query CloudSearch refuses
 * throws a SearchException. dsl.ts translates the AST to the shared engine's OpenSearch DSL.
 */
export type CsQuery =
  | { kind: 'matchall' }
  | {
      kind: 'and' | 'or';
      items: CsQuery[];
      boost?: number /** optional clauses that only add score */;
      should?: CsQuery[];
    }
  | { kind: 'not'; item: CsQuery; boost?: number }
  | { kind: 'term'; field?: string; value: string; boost?: number }
  | { kind: 'phrase'; field?: string; value: string; slop?: number; boost?: number }
  | { kind: 'prefix'; field?: string; value: string; boost?: number }
  | {
      kind: 'range';
      field: string;
      lower?: string;
      upper?: string;
      includeLower: boolean;
      includeUpper: boolean;
      boost?: number;
    };

export type QueryParserName = 'simple' | 'structured' | 'lucene' | 'dismax';
export type DefaultOperator = 'and' | 'or';

export function parseQuery(q: string, parser: QueryParserName, defaultOperator: DefaultOperator = 'and'): CsQuery {
  switch (parser) {
    case 'structured':
      return parseStructured(q);
    case 'lucene':
      return parseLucene(q, defaultOperator);
    case 'simple':
    case 'dismax':
      return parseSimple(q, defaultOperator);
    default:
      throw searchError(`Unknown query parser '${parser as string}'`);
  }
}

function combine(kind: 'and' | 'or', items: CsQuery[]): CsQuery {
  if (items.length === 1) return items[0];
  return { kind, items };
}

// ---------------------------------------------------------------- simple

/** Simple parser: `+` and, `|` or, `-` not, "phrase"[~n], prefix*, parentheses; juxtaposition uses the default operator. */
export function parseSimple(q: string, defaultOperator: DefaultOperator = 'and'): CsQuery {
  const tokens = tokenizeSimple(q);
  let pos = 0;
  const peek = () => tokens[pos];

  function parseOr(): CsQuery {
    const items = [parseAnd()];
    while (peek()?.type === '|') {
      pos++;
      items.push(parseAnd());
    }
    return combine('or', items);
  }

  function parseAnd(): CsQuery {
    // Juxtaposed clauses join with the default operator; `+` forces a required clause.
    const required: CsQuery[] = [];
    const optional: CsQuery[] = [];
    while (pos < tokens.length && peek().type !== '|' && peek().type !== ')') {
      let forced = false;
      if (peek().type === '+') {
        pos++;
        forced = true;
      }
      const clause = parseUnary();
      if (forced || defaultOperator === 'and' || clause.kind === 'not') required.push(clause);
      else optional.push(clause);
    }
    if (required.length === 0 && optional.length === 0) throw searchError('Syntax error in query: empty clause');
    if (optional.length === 0) return combine('and', required);
    if (required.length === 0) return combine('or', optional);
    // Next to required clauses, optional ones only raise the score (Lucene's SHOULD).
    return { kind: 'and', items: required, should: optional };
  }

  function parseUnary(): CsQuery {
    const t = peek();
    if (!t) throw searchError('Syntax error in query: unexpected end');
    if (t.type === '-') {
      pos++;
      return { kind: 'not', item: parseUnary() };
    }
    if (t.type === '+') {
      pos++;
      return parseUnary();
    }
    if (t.type === '(') {
      pos++;
      const inner = parseOr();
      if (peek()?.type !== ')') throw searchError("Syntax error in query: missing ')'");
      pos++;
      return inner;
    }
    if (t.type === 'phrase') {
      pos++;
      return t.slop !== undefined ? { kind: 'phrase', value: t.text, slop: t.slop } : { kind: 'phrase', value: t.text };
    }
    if (t.type === 'word') {
      pos++;
      if (t.text.endsWith('*') && t.text.length > 1) return { kind: 'prefix', value: t.text.slice(0, -1) };
      return { kind: 'term', value: t.text.replace(/~\d*$/, '') };
    }
    throw searchError(`Syntax error in query: unexpected '${t.type}'`);
  }

  if (tokens.length === 0) throw searchError('Syntax error in query: empty query');
  const result = parseOr();
  if (pos < tokens.length) throw searchError(`Syntax error in query: unexpected '${peek().type}'`);
  return result;
}

type SimpleToken =
  | { type: '+' | '-' | '|' | '(' | ')' }
  | { type: 'phrase'; text: string; slop?: number }
  | { type: 'word'; text: string };

function tokenizeSimple(q: string): SimpleToken[] {
  const tokens: SimpleToken[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '+' || c === '-' || c === '|' || c === '(' || c === ')') {
      tokens.push({ type: c });
      i++;
    } else if (c === '"') {
      const end = q.indexOf('"', i + 1);
      if (end < 0) throw searchError('Syntax error in query: unterminated phrase');
      const text = q.slice(i + 1, end);
      i = end + 1;
      const slop = /^~(\d+)/.exec(q.slice(i));
      if (slop) i += slop[0].length;
      tokens.push(slop ? { type: 'phrase', text, slop: Number(slop[1]) } : { type: 'phrase', text });
    } else {
      let j = i;
      while (j < q.length && !/[\s()|"]/.test(q[j])) j++;
      tokens.push({ type: 'word', text: q.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

// ---------------------------------------------------------------- structured

const COMPOUND = new Set(['and', 'or', 'not']);
const LEAF = new Set(['term', 'phrase', 'prefix', 'range', 'near', 'matchall']);

/** Structured parser: `(and ...)`, `(or ...)`, `(not ...)`, `(term field=f 'v')`, `(phrase ...)`, `(prefix ...)`,
 * `(range field=f [a,b})`, `(near field=f distance=n '...')`, `matchall`, `field:'value'`, `field:[a,b]`, `'value'`. */
export function parseStructured(q: string): CsQuery {
  const p = new StructuredReader(q);
  const result = p.expression();
  p.skipSpace();
  if (!p.done()) p.fail(`unexpected '${q.slice(p.pos, p.pos + 10)}'`);
  return result;
}

type StructuredValue = { kind: 'string' | 'bare'; text: string } | { kind: 'range'; range: RangeBounds };
interface RangeBounds {
  lower?: string;
  upper?: string;
  includeLower: boolean;
  includeUpper: boolean;
}

class StructuredReader {
  pos = 0;
  constructor(readonly src: string) {}

  done(): boolean {
    return this.pos >= this.src.length;
  }

  fail(message: string): never {
    throw searchError(`Syntax error in query: ${message} (at character ${this.pos})`);
  }

  skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  expression(): CsQuery {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === undefined) this.fail('unexpected end of query');
    if (c === '(') return this.group();
    if (c === "'") return { kind: 'term', value: this.quoted() };
    if (c === '[' || c === '{') this.fail('a range needs a field');
    const word = this.word();
    if (this.src[this.pos] === ':') {
      this.pos++;
      return fieldValueQuery(word, this.value());
    }
    if (word === 'matchall') return { kind: 'matchall' };
    return { kind: 'term', value: word };
  }

  private group(): CsQuery {
    this.pos++; // (
    this.skipSpace();
    const op = this.word();
    if (!COMPOUND.has(op) && !LEAF.has(op)) this.fail(`unknown operator '${op}'`);
    const options: Record<string, string> = {};
    const children: CsQuery[] = [];
    const values: StructuredValue[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.src[this.pos];
      if (c === undefined) this.fail("missing ')'");
      if (c === ')') {
        this.pos++;
        break;
      }
      if (COMPOUND.has(op)) {
        const optionMatch = /^([a-z]+)=/.exec(this.src.slice(this.pos));
        if (optionMatch && (optionMatch[1] === 'boost' || optionMatch[1] === 'field')) {
          this.pos += optionMatch[0].length;
          options[optionMatch[1]] = this.bareOrQuoted();
          continue;
        }
        children.push(this.expression());
        continue;
      }
      const optionMatch = /^([a-z]+)=/.exec(this.src.slice(this.pos));
      if (optionMatch) {
        this.pos += optionMatch[0].length;
        options[optionMatch[1]] = this.bareOrQuoted();
        continue;
      }
      values.push(this.value());
    }
    const boost = options.boost !== undefined ? parseBoost(options.boost) : undefined;
    const withBoost = <T extends CsQuery>(query: T): T => (boost !== undefined ? { ...query, boost } : query);
    if (op === 'and' || op === 'or') {
      if (children.length === 0) this.fail(`(${op}) needs at least one clause`);
      const items = options.field ? children.map((c) => applyDefaultField(c, options.field)) : children;
      return withBoost({ kind: op, items });
    }
    if (op === 'not') {
      if (children.length !== 1) this.fail('(not) takes exactly one clause');
      const item = options.field ? applyDefaultField(children[0], options.field) : children[0];
      return withBoost({ kind: 'not', item });
    }
    if (op === 'matchall') return { kind: 'matchall' };
    if (values.length !== 1) this.fail(`(${op}) takes exactly one value`);
    const value = values[0];
    const field = options.field;
    if (op === 'range') {
      if (!field) this.fail('(range) needs field=');
      if (value.kind !== 'range') this.fail('(range) needs a range value like [a,b}');
      return withBoost({ kind: 'range', field, ...value.range });
    }
    if (value.kind === 'range') {
      if (op !== 'term' || !field) this.fail(`(${op}) does not take a range`);
      return withBoost({ kind: 'range', field, ...value.range });
    }
    const text = value.text;
    if (op === 'term') return withBoost(field ? { kind: 'term', field, value: text } : { kind: 'term', value: text });
    if (op === 'prefix')
      return withBoost(field ? { kind: 'prefix', field, value: text } : { kind: 'prefix', value: text });
    const slop = op === 'near' ? Number(options.distance ?? 3) : undefined;
    if (slop !== undefined && !Number.isInteger(slop)) this.fail('distance must be an integer');
    const phrase: CsQuery = {
      kind: 'phrase',
      value: text,
      ...(field ? { field } : {}),
      ...(slop !== undefined ? { slop } : {}),
    };
    return withBoost(phrase);
  }

  private bareOrQuoted(): string {
    return this.src[this.pos] === "'" ? this.quoted() : this.word();
  }

  /** A value: 'quoted', a bare number/word, or a range [a,b] / {a,b} / [a,} ... */
  value(): StructuredValue {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === "'") return { kind: 'string', text: this.quoted() };
    if (c === '[' || c === '{') return { kind: 'range', range: this.range() };
    const word = this.word();
    return { kind: 'bare', text: word };
  }

  private range(): RangeBounds {
    const includeLower = this.src[this.pos] === '[';
    this.pos++;
    this.skipSpace();
    const lower = this.src[this.pos] === ',' ? undefined : this.bareOrQuotedUntil(',');
    this.skipSpace();
    if (this.src[this.pos] !== ',') this.fail("range needs ','");
    this.pos++;
    this.skipSpace();
    const closer = this.src[this.pos];
    const upper = closer === ']' || closer === '}' ? undefined : this.bareOrQuotedUntil(']}');
    this.skipSpace();
    const end = this.src[this.pos];
    if (end !== ']' && end !== '}') this.fail("range needs ']' or '}'");
    this.pos++;
    return {
      ...(lower !== undefined ? { lower } : {}),
      ...(upper !== undefined ? { upper } : {}),
      includeLower: includeLower && lower !== undefined,
      includeUpper: end === ']' && upper !== undefined,
    };
  }

  private bareOrQuotedUntil(stops: string): string {
    if (this.src[this.pos] === "'") return this.quoted();
    const start = this.pos;
    while (this.pos < this.src.length && !stops.includes(this.src[this.pos]) && !/\s/.test(this.src[this.pos]))
      this.pos++;
    if (start === this.pos) this.fail('empty range bound');
    return this.src.slice(start, this.pos);
  }

  quoted(): string {
    this.pos++; // opening quote
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && this.pos + 1 < this.src.length) {
        out += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === "'") {
        this.pos++;
        return out;
      }
      out += c;
      this.pos++;
    }
    return this.fail('unterminated string');
  }

  word(): string {
    const start = this.pos;
    while (this.pos < this.src.length && !/[\s()':=[\]{},]/.test(this.src[this.pos])) this.pos++;
    if (start === this.pos) this.fail(`unexpected '${this.src[this.pos] ?? 'end'}'`);
    return this.src.slice(start, this.pos);
  }
}

function fieldValueQuery(field: string, value: StructuredValue): CsQuery {
  if (value.kind === 'range') return { kind: 'range', field, ...value.range };
  return { kind: 'term', field, value: value.text };
}

function applyDefaultField(q: CsQuery, field: string): CsQuery {
  switch (q.kind) {
    case 'and':
    case 'or':
      return { ...q, items: q.items.map((i) => applyDefaultField(i, field)) };
    case 'not':
      return { ...q, item: applyDefaultField(q.item, field) };
    case 'term':
    case 'phrase':
    case 'prefix':
      return q.field ? q : { ...q, field };
    default:
      return q;
  }
}

function parseBoost(text: string): number {
  const boost = Number(text);
  if (!Number.isFinite(boost) || boost < 0) throw searchError(`Invalid boost '${text}'`);
  return boost;
}

// ---------------------------------------------------------------- lucene

type LuceneToken =
  | { type: 'AND' | 'OR' | 'NOT' | '+' | '-' | '(' | ')' }
  | { type: 'term'; field?: string; text: string; quoted: boolean; boost?: number; slop?: number }
  | { type: 'range'; field?: string; range: RangeBounds; boost?: number }
  | { type: 'fieldgroup'; field: string };

/** Lucene parser: field:value, "phrases"~n, AND/OR/NOT (&&, ||, !), +/-, [a TO b] / {a TO b}, prefix*, ^boost, groups. */
export function parseLucene(q: string, defaultOperator: DefaultOperator = 'and'): CsQuery {
  const tokens = tokenizeLucene(q);
  let pos = 0;
  const peek = () => tokens[pos];

  function parseOr(field?: string): CsQuery {
    const items = [parseAnd(field)];
    while (peek()?.type === 'OR') {
      pos++;
      items.push(parseAnd(field));
    }
    return combine('or', items);
  }

  function parseAnd(field?: string): CsQuery {
    const required: CsQuery[] = [];
    const optional: CsQuery[] = [];
    let explicitAnd = false;
    while (pos < tokens.length && peek().type !== 'OR' && peek().type !== ')') {
      if (peek().type === 'AND') {
        pos++;
        explicitAnd = true;
        // `a AND b`: the clause before the AND becomes required too.
        if (optional.length > 0) required.push(optional.pop() as CsQuery);
        continue;
      }
      let mode: 'required' | 'excluded' | 'default' = 'default';
      if (peek().type === '+') {
        pos++;
        mode = 'required';
      } else if (peek().type === '-' || peek().type === 'NOT') {
        pos++;
        mode = 'excluded';
      }
      const clause = parseClause(field);
      if (mode === 'excluded') required.push({ kind: 'not', item: clause });
      else if (mode === 'required' || explicitAnd || defaultOperator === 'and') required.push(clause);
      else optional.push(clause);
      explicitAnd = false;
    }
    if (required.length === 0 && optional.length === 0) throw searchError('Syntax error in query: empty clause');
    if (optional.length === 0) return combine('and', required);
    if (required.length === 0) return combine('or', optional);
    // Next to required clauses, optional ones only raise the score (Lucene's SHOULD).
    return { kind: 'and', items: required, should: optional };
  }

  function parseClause(field?: string): CsQuery {
    const t = peek();
    if (!t) throw searchError('Syntax error in query: unexpected end');
    pos++;
    if (t.type === '(' || t.type === 'fieldgroup') {
      const inner = parseOr(t.type === 'fieldgroup' ? t.field : field);
      if (peek()?.type !== ')') throw searchError("Syntax error in query: missing ')'");
      pos++;
      return inner;
    }
    if (t.type === 'range') {
      const f = t.field ?? field;
      if (!f) throw searchError('Syntax error in query: a range needs a field');
      return withBoost({ kind: 'range', field: f, ...t.range }, t.boost);
    }
    if (t.type === 'term') {
      const f = t.field ?? field;
      const fieldPart = f ? { field: f } : {};
      if (t.quoted) {
        return withBoost(
          { kind: 'phrase', value: t.text, ...fieldPart, ...(t.slop !== undefined ? { slop: t.slop } : {}) },
          t.boost,
        );
      }
      if (t.text.endsWith('*') && t.text.length > 1)
        return withBoost({ kind: 'prefix', value: t.text.slice(0, -1), ...fieldPart }, t.boost);
      if (t.text === '*' && !f) return { kind: 'matchall' };
      return withBoost({ kind: 'term', value: t.text, ...fieldPart }, t.boost);
    }
    throw searchError(`Syntax error in query: unexpected '${t.type}'`);
  }

  if (tokens.length === 0) throw searchError('Syntax error in query: empty query');
  const result = parseOr();
  if (pos < tokens.length) throw searchError(`Syntax error in query: unexpected '${peek().type}'`);
  return result;
}

function withBoost<T extends CsQuery>(q: T, boost: number | undefined): T {
  return boost === undefined ? q : { ...q, boost };
}

function tokenizeLucene(q: string): LuceneToken[] {
  const tokens: LuceneToken[] = [];
  let i = 0;
  const suffix = (): { boost?: number; slop?: number } => {
    const out: { boost?: number; slop?: number } = {};
    for (;;) {
      const m = /^([~^])(\d+(?:\.\d+)?)?/.exec(q.slice(i));
      if (!m) return out;
      i += m[0].length;
      if (m[1] === '^') out.boost = parseBoost(m[2] ?? '1');
      else out.slop = Number(m[2] ?? 2);
    }
  };
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (q.startsWith('&&', i)) {
      tokens.push({ type: 'AND' });
      i += 2;
      continue;
    }
    if (q.startsWith('||', i)) {
      tokens.push({ type: 'OR' });
      i += 2;
      continue;
    }
    if (c === '!' || c === '+' || c === '-' || c === '(' || c === ')') {
      tokens.push({ type: c === '!' ? 'NOT' : c });
      i++;
      continue;
    }
    // Optional `field:` prefix.
    let field: string | undefined;
    const fm = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(q.slice(i));
    if (fm) {
      field = fm[1];
      i += fm[0].length;
      if (q[i] === '(') {
        tokens.push({ type: 'fieldgroup', field });
        i++;
        continue;
      }
    }
    if (q[i] === '"') {
      const end = q.indexOf('"', i + 1);
      if (end < 0) throw searchError('Syntax error in query: unterminated phrase');
      const text = q.slice(i + 1, end);
      i = end + 1;
      tokens.push({ type: 'term', text, quoted: true, ...(field ? { field } : {}), ...suffix() });
      continue;
    }
    if (q[i] === '[' || q[i] === '{') {
      const m = /^([[{])\s*(\S+)\s+TO\s+(\S+?)\s*([\]}])/.exec(q.slice(i));
      if (!m) throw searchError('Syntax error in query: bad range, expected [a TO b]');
      i += m[0].length;
      const lower = m[2] === '*' ? undefined : unquote(m[2]);
      const upper = m[3] === '*' ? undefined : unquote(m[3]);
      const range: RangeBounds = {
        ...(lower !== undefined ? { lower } : {}),
        ...(upper !== undefined ? { upper } : {}),
        includeLower: m[1] === '[' && lower !== undefined,
        includeUpper: m[4] === ']' && upper !== undefined,
      };
      tokens.push({ type: 'range', range, ...(field ? { field } : {}), ...suffix() });
      continue;
    }
    let j = i;
    while (j < q.length && !/[\s()"^~]/.test(q[j])) {
      if (q[j] === '\\' && j + 1 < q.length) j++;
      j++;
    }
    const raw = q.slice(i, j);
    i = j;
    if (!field && (raw === 'AND' || raw === 'OR' || raw === 'NOT')) {
      tokens.push({ type: raw });
      continue;
    }
    if (raw === '') throw searchError(`Syntax error in query: unexpected '${q[i]}'`);
    tokens.push({
      type: 'term',
      text: raw.replace(/\\(.)/g, '$1'),
      quoted: false,
      ...(field ? { field } : {}),
      ...suffix(),
    });
  }
  return tokens;
}

function unquote(s: string): string {
  return s.startsWith('"') && s.endsWith('"') && s.length >= 2 ? s.slice(1, -1) : s;
}
