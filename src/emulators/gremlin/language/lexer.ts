// Tokenizer for gremlin-lang scripts.

export type TokenKind = 'id' | 'num' | 'str' | 'punct' | 'eof';
export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  /** for 'str': the unescaped value; for 'num': the numeric literal text without suffix */
  value?: string;
  suffix?: string;
}

export class GremlinSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GremlinSyntaxError';
  }
}

const PUNCT = new Set(['.', '(', ')', '[', ']', ',', ':', '{', '}', ';', '-', '+']);
const NUM_SUFFIX = /[bBsSiIlLnNfFdDmM]/;

function unescapeString(body: string, pos: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      }
      case undefined:
        throw new GremlinSyntaxError(`Bad escape at ${pos}`);
      default:
        out += n;
    }
  }
  return out;
}

export function tokenize(src: string): Token[] {
  const toks: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      const triple = src.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      i += q.length;
      let body = '';
      while (i < src.length && !src.startsWith(q, i)) {
        if (src[i] === '\\') {
          body += src[i] + (src[i + 1] ?? '');
          i += 2;
        } else body += src[i++];
      }
      if (i >= src.length) throw new GremlinSyntaxError(`Unterminated string starting at ${start}`);
      i += q.length;
      toks.push({ kind: 'str', text: src.slice(start, i), pos: start, value: unescapeString(body, start) });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? '') && toks.at(-1)?.text !== ')')) {
      const start = i;
      let text = '';
      if (c === '0' && (src[i + 1] === 'x' || src[i + 1] === 'X')) {
        i += 2;
        while (/[0-9a-fA-F_]/.test(src[i] ?? '')) i++;
        text = src.slice(start, i);
      } else {
        while (/[0-9_]/.test(src[i] ?? '')) i++;
        if (src[i] === '.' && /[0-9]/.test(src[i + 1] ?? '')) {
          i++;
          while (/[0-9_]/.test(src[i] ?? '')) i++;
        }
        if ((src[i] === 'e' || src[i] === 'E') && /[-+0-9]/.test(src[i + 1] ?? '')) {
          i += 2;
          while (/[0-9]/.test(src[i] ?? '')) i++;
        }
        text = src.slice(start, i);
      }
      let suffix: string | undefined;
      if (NUM_SUFFIX.test(src[i] ?? '') && !/[A-Za-z0-9_]/.test(src[i + 1] ?? '')) suffix = src[i++];
      toks.push({ kind: 'num', text: src.slice(start, i), pos: start, value: text.replace(/_/g, ''), suffix });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (/[A-Za-z0-9_$]/.test(src[i] ?? '')) i++;
      toks.push({ kind: 'id', text: src.slice(start, i), pos: start });
      continue;
    }
    if (PUNCT.has(c)) {
      toks.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    throw new GremlinSyntaxError(`Unexpected character '${c}' at position ${i}`);
  }
  toks.push({ kind: 'eof', text: '', pos: src.length });
  return toks;
}
