/** Analyzers: text → tokens with positions and character offsets (offsets feed the highlighter). */
import { badRequest } from './errors.js';

export interface Token {
  term: string;
  position: number;
  start: number;
  end: number;
}

export type Analyzer = (text: string) => Token[];

const MAX_TOKEN_LENGTH = 255;

// UAX#29-like word segmentation as Lucene's StandardTokenizer does it: Han ideographs and Hiragana are one token per
// character; letters joined by ' or . (o'neil, e.g) and digits joined by . or , (3.14, 1,000) stay one token.
// The v flag (set subtraction) needs a RegExp constructor: the ES2022 typings reject it in a literal.
// biome-ignore lint/complexity/useRegexLiterals: see above
const STANDARD_RE = new RegExp(
  String.raw`[\p{Script=Han}\p{Script=Hiragana}]|(?:[[\p{L}\p{M}\p{N}\p{Pc}]--[\p{Script=Han}\p{Script=Hiragana}]])+(?:(?:(?<=\p{L})['’.](?=\p{L})|(?<=\p{N})[.,](?=\p{N}))(?:[[\p{L}\p{M}\p{N}\p{Pc}]--[\p{Script=Han}\p{Script=Hiragana}]])+)*`,
  'gv',
);
const LETTER_RE = /\p{L}+/gu;
const WHITESPACE_RE = /\S+/gu;

function tokenizeWith(re: RegExp, text: string, lower: boolean): Token[] {
  const out: Token[] = [];
  re.lastIndex = 0;
  let position = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    let term = m[0];
    if (term.length > MAX_TOKEN_LENGTH) term = term.slice(0, MAX_TOKEN_LENGTH);
    out.push({
      term: lower ? term.toLowerCase() : term,
      position: position++,
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return out;
}

export const ENGLISH_STOP_WORDS = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

function removeStopWords(tokens: Token[], stop: Set<string>): Token[] {
  return tokens.filter((t) => !stop.has(t.term));
}

const standard: Analyzer = (text) => tokenizeWith(STANDARD_RE, text, true);
const keyword: Analyzer = (text) => [{ term: text, position: 0, start: 0, end: text.length }];

// ---- CJK: Lucene's CJKAnalyzer (OpenSearch's `cjk`): standard tokens → width folding → lowercase → bigrams → stop

/** Scripts CJKBigramFilter bigrams (Lucene's han, hiragana, katakana, hangul). */
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Full-width ASCII variants and half-width Katakana, which CJKWidthFilter folds. */
const WIDTH_VARIANTS = /[\uFF01-\uFF5E\uFF65-\uFF9F]+/g;
const HAS_WIDTH_VARIANT = /[\uFF01-\uFF5E\uFF65-\uFF9F]/;

/** CJKWidthFilter: full-width Latin to ASCII, half-width Katakana to full-width (NFKC does both). */
function cjkWidth(tokens: Token[]): Token[] {
  return tokens.map((t) =>
    HAS_WIDTH_VARIANT.test(t.term) ? { ...t, term: t.term.replace(WIDTH_VARIANTS, (s) => s.normalize('NFKC')) } : t,
  );
}

/**
 * CJKBigramFilter (output_unigrams false): each run of CJK characters, across tokens that touch, becomes overlapping
 * bigrams (`남성운동화` → 남성 성운 운동 동화); a lone CJK character stays a unigram; other text passes through.
 * A Korean word then matches inside compounds and before particles (`운동화` in `남성운동화`, `운동화를`), which is
 * what CloudSearch's Korean decompounding is for.
 */
function cjkBigrams(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let position = 0;
  let run: { ch: string; start: number; end: number }[] = [];
  const flush = () => {
    if (run.length === 1) out.push({ term: run[0].ch, position: position++, start: run[0].start, end: run[0].end });
    for (let i = 0; i + 1 < run.length; i++) {
      out.push({ term: run[i].ch + run[i + 1].ch, position: position++, start: run[i].start, end: run[i + 1].end });
    }
    run = [];
  };
  for (const token of tokens) {
    let offset = token.start;
    let other = '';
    let otherStart = offset;
    const flushOther = () => {
      if (other) out.push({ term: other, position: position++, start: otherStart, end: offset });
      other = '';
    };
    for (const ch of token.term) {
      if (CJK_CHAR.test(ch)) {
        flushOther();
        // Characters of separate tokens join only when nothing stands between them.
        if (run.length > 0 && run[run.length - 1].end !== offset) flush();
        run.push({ ch, start: offset, end: offset + ch.length });
      } else {
        if (run.length > 0) flush();
        if (!other) otherStart = offset;
        other += ch;
      }
      offset += ch.length;
    }
    flushOther();
  }
  flush();
  return out;
}

const cjk: Analyzer = (text) =>
  removeStopWords(cjkBigrams(cjkWidth(tokenizeWith(STANDARD_RE, text, false)).map(lowercaseToken)), ENGLISH_STOP_WORDS);

function lowercaseToken(t: Token): Token {
  return { ...t, term: t.term.toLowerCase() };
}

const BUILTIN: Record<string, Analyzer> = {
  standard,
  default: standard,
  simple: (text) => tokenizeWith(LETTER_RE, text, true),
  whitespace: (text) => tokenizeWith(WHITESPACE_RE, text, false),
  keyword,
  stop: (text) => removeStopWords(tokenizeWith(LETTER_RE, text, true), ENGLISH_STOP_WORDS),
  // Without a stemmer these are approximations: stop words removed, no stemming.
  english: (text) => removeStopWords(standard(text), ENGLISH_STOP_WORDS),
  cjk,
};

const TOKENIZERS: Record<string, (text: string) => Token[]> = {
  standard: (text) => tokenizeWith(STANDARD_RE, text, false),
  whitespace: (text) => tokenizeWith(WHITESPACE_RE, text, false),
  letter: (text) => tokenizeWith(LETTER_RE, text, false),
  keyword: (text) => keyword(text),
};

type TokenFilter = (tokens: Token[]) => Token[];

const TOKEN_FILTERS: Record<string, TokenFilter> = {
  lowercase: (ts) => ts.map((t) => ({ ...t, term: t.term.toLowerCase() })),
  uppercase: (ts) => ts.map((t) => ({ ...t, term: t.term.toUpperCase() })),
  asciifolding: (ts) => ts.map((t) => ({ ...t, term: t.term.normalize('NFD').replace(/\p{M}/gu, '') })),
  stop: (ts) => removeStopWords(ts, ENGLISH_STOP_WORDS),
  trim: (ts) => ts.map((t) => ({ ...t, term: t.term.trim() })),
  cjk_width: cjkWidth,
  cjk_bigram: cjkBigrams,
};

/** Analyzers of one index: the built-ins plus custom ones declared under settings.analysis.analyzer. */
export class AnalyzerRegistry {
  private readonly custom = new Map<string, Analyzer>();
  private readonly normalizers = new Map<string, (text: string) => string>([['lowercase', (t) => t.toLowerCase()]]);

  constructor(settings?: Record<string, unknown>) {
    const analysis = (readSetting(settings, 'analysis') ?? {}) as Record<string, unknown>;
    const analyzers = (analysis.analyzer ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, def] of Object.entries(analyzers)) this.custom.set(name, buildCustom(name, def));
    const normalizers = (analysis.normalizer ?? {}) as Record<string, Record<string, unknown>>;
    for (const [name, def] of Object.entries(normalizers)) {
      const filters = (Array.isArray(def.filter) ? def.filter : def.filter ? [def.filter] : []).map((f) => {
        const filter = TOKEN_FILTERS[String(f)];
        if (!filter) throw badRequest(`failed to find filter under [${String(f)}]`);
        return filter;
      });
      this.normalizers.set(
        name,
        (text) =>
          filters.reduce((ts, fl) => fl(ts), [{ term: text, position: 0, start: 0, end: text.length }])[0]?.term ??
          text,
      );
    }
  }

  /** A keyword normalizer (lowercase, or one declared under settings.analysis.normalizer); identity when unset. */
  normalizer(name: unknown): ((text: string) => string) | undefined {
    if (name === undefined || name === null) return undefined;
    const found = this.normalizers.get(String(name));
    if (!found) throw badRequest(`normalizer [${String(name)}] not found for field`, 'mapper_parsing_exception');
    return found;
  }

  get(name: string | undefined): Analyzer {
    if (!name) return standard;
    const found = this.custom.get(name) ?? BUILTIN[name];
    if (!found) throw badRequest(`analyzer [${name}] has not been configured in mappings`, 'mapper_parsing_exception');
    return found;
  }

  has(name: string): boolean {
    return this.custom.has(name) || name in BUILTIN;
  }
}

function buildCustom(name: string, def: Record<string, unknown>): Analyzer {
  if (def.type && def.type !== 'custom') {
    const builtin = BUILTIN[String(def.type)];
    if (!builtin) throw badRequest(`Unknown analyzer type [${String(def.type)}] for [${name}]`);
    return builtin;
  }
  const tokenizer = TOKENIZERS[String(def.tokenizer ?? 'standard')];
  if (!tokenizer) throw badRequest(`failed to find tokenizer under [${String(def.tokenizer)}]`);
  const filterNames = Array.isArray(def.filter) ? def.filter.map(String) : def.filter ? [String(def.filter)] : [];
  const filters = filterNames.map((f) => {
    const filter = TOKEN_FILTERS[f];
    if (!filter) throw badRequest(`failed to find filter under [${f}]`);
    return filter;
  });
  return (text) => filters.reduce((ts, f) => f(ts), tokenizer(text));
}

/** Reads `index.x` or `x` from flat (`index.analysis`) or nested (`{index: {analysis}}`) settings. */
export function readSetting(settings: Record<string, unknown> | undefined, key: string): unknown {
  if (!settings) return undefined;
  if (settings[`index.${key}`] !== undefined) return settings[`index.${key}`];
  if (settings[key] !== undefined) return settings[key];
  const nested = settings.index as Record<string, unknown> | undefined;
  if (nested && typeof nested === 'object') return nested[key];
  return undefined;
}
