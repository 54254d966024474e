// Hand-written parser for gremlin-lang scripts (TinkerPop's Gremlin.g4, 3.7/3.8): turns a script into the `gremlin`
// package's Bytecode, the same form the GraphBinary/GraphSON deserializers produce for bytecode requests.
import {
  Bytecode,
  type BytecodeLike,
  EnumValue,
  isBytecode,
  isP,
  P,
  type PC,
  TextP,
  TraversalStrategy,
} from '../engine/structure.js';
import { GremlinSyntaxError, type Token, tokenize } from './lexer.js';

export { GremlinSyntaxError };

const SOURCE_STEPS = new Set([
  'with',
  'withSideEffect',
  'withSack',
  'withStrategies',
  'withoutStrategies',
  'withBulk',
  'withPath',
  'withComputer',
]);
const TERMINALS = new Set(['toList', 'toSet', 'next', 'tryNext', 'hasNext', 'iterate', 'toBulkSet', 'explain']);

const P_NAMES = new Set([
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'inside',
  'outside',
  'between',
  'within',
  'without',
  'not',
  'typeOf',
]);
const TEXTP_NAMES = new Set([
  'containing',
  'notContaining',
  'startingWith',
  'notStartingWith',
  'endingWith',
  'notEndingWith',
  'regex',
  'notRegex',
]);

const ENUMS: Record<string, string[]> = {
  T: ['id', 'label', 'key', 'value'],
  Order: ['asc', 'desc', 'shuffle', 'incr', 'decr'],
  Scope: ['local', 'global'],
  Column: ['keys', 'values'],
  Direction: ['OUT', 'IN', 'BOTH', 'from', 'to'],
  Pop: ['first', 'last', 'all', 'mixed'],
  Cardinality: ['single', 'list', 'set'],
  Merge: ['onCreate', 'onMatch', 'outV', 'inV'],
  Operator: ['sum', 'minus', 'mult', 'div', 'min', 'max', 'assign', 'and', 'or', 'addAll', 'sumLong'],
  Barrier: ['normSack'],
  Pick: ['any', 'none', 'unproductive'],
  DT: ['second', 'minute', 'hour', 'day'],
  GType: [
    'BIGDECIMAL',
    'BIGINT',
    'BINARY',
    'BOOLEAN',
    'BYTE',
    'CHAR',
    'DATETIME',
    'DOUBLE',
    'DURATION',
    'EDGE',
    'FLOAT',
    'GRAPH',
    'INT',
    'LIST',
    'LONG',
    'MAP',
    'NULL',
    'NUMBER',
    'PATH',
    'PROPERTY',
    'SET',
    'SHORT',
    'STRING',
    'TREE',
    'UUID',
    'VERTEX',
    'VPROPERTY',
  ],
};
/** bare enum names (no class prefix) and the enum they mean; steps with the same name need parentheses */
const BARE_ENUMS = new Map<string, string>();
for (const t of [
  'T',
  'Order',
  'Column',
  'Direction',
  'Pop',
  'Cardinality',
  'Merge',
  'Pick',
  'DT',
  'Scope',
  'Barrier',
  'Operator',
  'GType',
]) {
  for (const n of ENUMS[t]) if (!BARE_ENUMS.has(n)) BARE_ENUMS.set(n, t);
}

const WITH_OPTIONS: Record<string, unknown> = {
  tokens: '~tinkerpop.valueMap.tokens',
  none: 0,
  ids: 1,
  labels: 2,
  keys: 4,
  values: 8,
  all: 15,
  indexer: '~tinkerpop.index.indexer',
  list: 0,
  map: 1,
};

function makeEnum(type: string, name: string): unknown {
  if (type === 'Direction') {
    if (name === 'from') name = 'OUT';
    if (name === 'to') name = 'IN';
  }
  if (type === 'Order') {
    if (name === 'incr') name = 'asc';
    if (name === 'decr') name = 'desc';
  }
  return new EnumValue(type, name);
}

/** A `datetime(...)`-style or typed literal the engine understands as a special value. */
export class UnresolvedVariableError extends GremlinSyntaxError {}

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly bindings: Record<string, unknown>,
    private readonly src: string,
  ) {}

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  private next(): Token {
    return this.toks[this.i++];
  }
  private isP(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'punct' && t.text === text;
  }
  private expect(text: string): Token {
    const t = this.next();
    if (t.text !== text || t.kind === 'str')
      throw this.err(`expected '${text}' but found '${t.text || 'end of script'}'`, t);
    return t;
  }
  private err(msg: string, t: Token = this.peek()): GremlinSyntaxError {
    return new GremlinSyntaxError(
      `Failed to interpret Gremlin query: ${msg} at position ${t.pos} of: ${this.src.slice(0, 200)}`,
    );
  }

  parseScript(): BytecodeLike[] {
    const out: BytecodeLike[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.isP(';')) {
        this.next();
        continue;
      }
      out.push(this.parseStatement());
    }
    return out;
  }

  private parseStatement(): BytecodeLike {
    const t = this.peek();
    if (t.kind === 'id' && t.text === 'g') {
      this.next();
      const bc = new Bytecode();
      let inSource = true;
      while (this.isP('.')) {
        this.next();
        const nameTok = this.next();
        if (nameTok.kind !== 'id') throw this.err(`expected a step name`, nameTok);
        const name = nameTok.text;
        if (TERMINALS.has(name)) {
          this.parseArgs();
          if (name === 'iterate') bc.addStep('discard', []);
          else if (name === 'next' || name === 'tryNext') bc.addStep('limit', [1]);
          else if (name === 'hasNext') bc.addStep('hasNext', []);
          continue;
        }
        const args = this.parseArgs();
        if (inSource && SOURCE_STEPS.has(name)) bc.addSource(name, args);
        else {
          inSource = false;
          bc.addStep(name, args);
        }
      }
      return bc;
    }
    if (t.kind === 'id' && t.text === '__') {
      return this.parseValue() as BytecodeLike;
    }
    throw this.err(`expected a traversal starting with 'g'`, t);
  }

  private parseArgs(): unknown[] {
    this.expect('(');
    const args: unknown[] = [];
    if (this.isP(')')) {
      this.next();
      return args;
    }
    // 3.8 strategy configuration style: name: value pairs
    for (;;) {
      args.push(this.parseValue());
      if (this.isP(',')) {
        this.next();
        continue;
      }
      this.expect(')');
      return args;
    }
  }

  /** Steps chained after an anonymous start (`__.out().in()` / `out().in()`). */
  private parseChain(bc: BytecodeLike): BytecodeLike {
    while (this.isP('.')) {
      const t = this.peek(1);
      if (t.kind !== 'id') break;
      this.next();
      this.next();
      bc.addStep(t.text, this.parseArgs());
    }
    return bc;
  }

  private parsePredicateChain(p: PC): PC {
    while (this.isP('.') && this.peek(1).kind === 'id' && ['and', 'or', 'negate'].includes(this.peek(1).text)) {
      this.next();
      const op = this.next().text;
      const args = this.parseArgs();
      if (op === 'negate') p = negate(p);
      else p = new P(op, p, args[0]);
    }
    return p;
  }

  private makePredicate(cls: 'P' | 'TextP', name: string, args: unknown[]): PC {
    if (cls === 'TextP' || TEXTP_NAMES.has(name)) {
      if (!TEXTP_NAMES.has(name)) throw this.err(`unknown TextP predicate '${name}'`);
      return new TextP(name, args[0]);
    }
    if (name === 'within' || name === 'without') {
      const vals =
        args.length === 1 && Array.isArray(args[0])
          ? args[0]
          : args.length === 1 && args[0] instanceof Set
            ? [...args[0]]
            : args;
      return new P(name, vals, null);
    }
    if (name === 'between' || name === 'inside' || name === 'outside') return new P(name, args[0], args[1]);
    if (name === 'not') return new P('not', args[0], null);
    if (!P_NAMES.has(name)) throw this.err(`unknown predicate P.${name}`);
    return new P(name, args[0], null);
  }

  private parseStrategy(name: string): unknown {
    const config: Record<string, unknown> = {};
    if (this.isP('(')) {
      this.next();
      while (!this.isP(')')) {
        const k = this.next();
        this.expect(':');
        config[k.kind === 'str' ? (k.value as string) : k.text] = this.parseValue();
        if (this.isP(',')) this.next();
      }
      this.expect(')');
    }
    return new TraversalStrategy(`org.apache.tinkerpop.gremlin.process.traversal.strategy.${name}`, config);
  }

  parseValue(): unknown {
    const t = this.next();
    switch (t.kind) {
      case 'str':
        return t.value;
      case 'num':
        return numberLiteral(t);
      case 'eof':
        throw this.err('unexpected end of script', t);
      case 'punct':
        return this.parsePunctValue(t);
      default:
        return this.parseIdentValue(t);
    }
  }

  private parsePunctValue(t: Token): unknown {
    switch (t.text) {
      case '-':
      case '+': {
        const n = this.next();
        const sign = t.text === '-' ? -1 : 1;
        if (n.kind === 'num') {
          const v = numberLiteral(n);
          return typeof v === 'bigint' ? BigInt(sign) * v : sign * (v as number);
        }
        if (n.kind === 'id' && n.text === 'Infinity') return sign * Number.POSITIVE_INFINITY;
        throw this.err(`unexpected '${n.text}' after '${t.text}'`, n);
      }
      case '(': {
        const v = this.parseValue();
        this.expect(')');
        return v;
      }
      case '{': {
        const s = new Set<unknown>();
        while (!this.isP('}')) {
          s.add(this.parseValue());
          if (this.isP(',')) this.next();
        }
        this.next();
        return s;
      }
      case '[':
        return this.parseListOrMap();
      default:
        throw this.err(`unexpected '${t.text}'`, t);
    }
  }

  private parseListOrMap(): unknown {
    if (this.isP(':') && this.isP(']', 1)) {
      this.next();
      this.next();
      return new Map();
    }
    if (this.isP(']')) {
      this.next();
      return [];
    }
    const items: unknown[] = [];
    let map: Map<unknown, unknown> | null = null;
    for (;;) {
      let key: unknown;
      const t = this.peek();
      if (
        (t.kind === 'id' || t.kind === 'str' || t.kind === 'num') &&
        this.isP(':', 1) &&
        (map || items.length === 0)
      ) {
        // bare identifiers as map keys are strings ([name: "x"]); keywords too
        this.next();
        key =
          t.kind === 'id'
            ? ['true', 'false', 'null'].includes(t.text)
              ? this.literalKeyword(t.text)
              : t.text
            : t.kind === 'str'
              ? t.value
              : numberLiteral(t);
      } else {
        key = this.parseValue();
      }
      if (this.isP(':')) {
        this.next();
        if (!map) {
          if (items.length) throw this.err('mixed list and map literal');
          map = new Map();
        }
        map.set(key, this.parseValue());
      } else {
        if (map) throw this.err('expected ":" in map literal');
        items.push(key);
      }
      if (this.isP(',')) {
        this.next();
        continue;
      }
      this.expect(']');
      return map ?? items;
    }
  }

  private literalKeyword(text: string): unknown {
    return text === 'true' ? true : text === 'false' ? false : null;
  }

  private parseIdentValue(t: Token): unknown {
    const name = t.text;
    switch (name) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'NaN':
        return Number.NaN;
      case 'Infinity':
        return Number.POSITIVE_INFINITY;
      case '__': {
        const bc = new Bytecode();
        if (!this.isP('.')) return bc;
        return this.parseChain(bc);
      }
      case 'new': {
        const n = this.next();
        return this.parseStrategy(n.text);
      }
      case 'P':
      case 'TextP': {
        if (this.isP('.')) {
          this.next();
          const pn = this.next().text;
          const p = this.makePredicate(name, pn, this.parseArgs());
          return this.parsePredicateChain(p);
        }
        break;
      }
      case 'WithOptions': {
        this.expect('.');
        const k = this.next().text;
        if (!(k in WITH_OPTIONS)) throw this.err(`unknown WithOptions.${k}`);
        return WITH_OPTIONS[k];
      }
      case 'DateTime':
      case 'datetime': {
        const args = this.parseArgs();
        return args.length ? parseDatetime(String(args[0])) : new Date();
      }
      case 'UUID': {
        const args = this.parseArgs();
        return args.length ? String(args[0]) : crypto.randomUUID();
      }
      default:
        break;
    }
    if (ENUMS[name] && this.isP('.')) {
      this.next();
      const en = this.next().text;
      if (!ENUMS[name].includes(en)) throw this.err(`unknown enum ${name}.${en}`);
      if (name === 'Cardinality' && this.isP('(')) {
        // Cardinality.list(value): a value with the cardinality to store it with (mergeV/property maps)
        const args = this.parseArgs();
        return { cardinality: makeEnum(name, en), value: args[0] };
      }
      return makeEnum(name, en);
    }
    if (name === 'IO' && this.isP('.')) {
      this.next();
      const k = this.next().text;
      return k === 'reader' || k === 'writer' ? `~tinkerpop.io.${k}` : k;
    }
    if (name.endsWith('Strategy')) return this.parseStrategy(name);
    if (this.isP('(')) {
      if (P_NAMES.has(name) || TEXTP_NAMES.has(name)) {
        const save = this.i;
        const args = this.parseArgs();
        if (!(name === 'not' && isBytecode(args[0])))
          return this.parsePredicateChain(this.makePredicate('P', name, args));
        this.i = save;
      }
      // anonymous traversal started by a bare step: out(), values("name"), ...
      const bc = new Bytecode();
      bc.addStep(name, this.parseArgs());
      return this.parseChain(bc);
    }
    if (Object.hasOwn(this.bindings, name)) return this.bindings[name];
    const en = BARE_ENUMS.get(name);
    if (en) return makeEnum(en, name);
    throw new UnresolvedVariableError(
      `No such property: ${name} for class: Script (the variable '${name}' is not bound)`,
    );
  }
}

function negate(p: PC): PC {
  const inverse: Record<string, string> = {
    eq: 'neq',
    neq: 'eq',
    lt: 'gte',
    gte: 'lt',
    gt: 'lte',
    lte: 'gt',
    within: 'without',
    without: 'within',
    inside: 'outside',
    outside: 'inside',
    containing: 'notContaining',
    notContaining: 'containing',
    startingWith: 'notStartingWith',
    notStartingWith: 'startingWith',
    endingWith: 'notEndingWith',
    notEndingWith: 'endingWith',
    regex: 'notRegex',
    notRegex: 'regex',
  };
  const inv = inverse[p.operator];
  if (inv) return TEXTP_NAMES.has(p.operator) ? new TextP(inv, p.value, p.other) : new P(inv, p.value, p.other);
  return new P('not', p, null);
}

function numberLiteral(t: Token): unknown {
  const text = t.value as string;
  const suffix = t.suffix?.toLowerCase();
  if (/^0[xX]/.test(text)) return Number.parseInt(text.slice(2), 16);
  const isFloat = /[.eE]/.test(text) || suffix === 'f' || suffix === 'd' || suffix === 'm';
  if (isFloat) return Number.parseFloat(text);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return BigInt(text);
  return n;
}

function parseDatetime(s: string): Date {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || !/T/.test(s) ? s : `${s}Z`);
  if (Number.isNaN(d.getTime())) throw new GremlinSyntaxError(`Invalid datetime: ${s}`);
  return d;
}

/** Every statement of a script (separated by ';' or line breaks), each as Bytecode. */
export function parseGremlinStatements(script: string, bindings: Record<string, unknown> = {}): BytecodeLike[] {
  const statements = new Parser(tokenize(script), bindings, script).parseScript();
  if (!statements.length) throw new GremlinSyntaxError('Failed to interpret Gremlin query: empty script');
  return statements;
}

/**
 * The script as one Bytecode. Several statements (Gremlin Server runs them all and returns the last one's result)
 * become a single `statements(bc1, bc2, ...)` step that the engine runs in order.
 */
export function parseGremlinScript(script: string, bindings: Record<string, unknown> = {}): BytecodeLike {
  const all = parseGremlinStatements(script, bindings);
  if (all.length === 1) return all[0];
  const combined = new Bytecode();
  combined.sourceInstructions = [...all[all.length - 1].sourceInstructions];
  combined.addStep('statements', all);
  return combined;
}

export { isP };
