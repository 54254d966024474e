// src/emulators/gremlin/engine/structure.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var gremlin = require2("gremlin");
var strategyModule = require2("gremlin/lib/process/traversal-strategy.js");
var { Bytecode, P, TextP, EnumValue } = gremlin.process;
var { Vertex, Edge, VertexProperty, Property, Path } = gremlin.structure;
var { TraversalStrategy } = strategyModule;
function isBytecode(x) {
  return typeof x === "object" && x !== null && Array.isArray(x.stepInstructions) && Array.isArray(x.sourceInstructions);
}
function isEnum(x, type) {
  return typeof x === "object" && x !== null && typeof x.typeName === "string" && typeof x.elementName === "string" && (type === void 0 || x.typeName === type);
}
function isP(x) {
  return typeof x === "object" && x !== null && typeof x.operator === "string" && "value" in x;
}

// src/emulators/gremlin/language/lexer.ts
var GremlinSyntaxError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "GremlinSyntaxError";
  }
};
var PUNCT = /* @__PURE__ */ new Set([".", "(", ")", "[", "]", ",", ":", "{", "}", ";", "-", "+"]);
var NUM_SUFFIX = /[bBsSiIlLnNfFdDmM]/;
function unescapeString(body, pos) {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case "n":
        out += "\n";
        break;
      case "t":
        out += "	";
        break;
      case "r":
        out += "\r";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "u": {
        out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      }
      case void 0:
        throw new GremlinSyntaxError(`Bad escape at ${pos}`);
      default:
        out += n;
    }
  }
  return out;
}
function tokenize(src) {
  const toks = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "	" || c === "\r" || c === "\n") {
      i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      i = end < 0 ? src.length : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = i;
      const triple = src.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      i += q.length;
      let body = "";
      while (i < src.length && !src.startsWith(q, i)) {
        if (src[i] === "\\") {
          body += src[i] + (src[i + 1] ?? "");
          i += 2;
        } else body += src[i++];
      }
      if (i >= src.length) throw new GremlinSyntaxError(`Unterminated string starting at ${start}`);
      i += q.length;
      toks.push({ kind: "str", text: src.slice(start, i), pos: start, value: unescapeString(body, start) });
      continue;
    }
    if (/[0-9]/.test(c) || c === "." && /[0-9]/.test(src[i + 1] ?? "") && toks.at(-1)?.text !== ")") {
      const start = i;
      let text = "";
      if (c === "0" && (src[i + 1] === "x" || src[i + 1] === "X")) {
        i += 2;
        while (/[0-9a-fA-F_]/.test(src[i] ?? "")) i++;
        text = src.slice(start, i);
      } else {
        while (/[0-9_]/.test(src[i] ?? "")) i++;
        if (src[i] === "." && /[0-9]/.test(src[i + 1] ?? "")) {
          i++;
          while (/[0-9_]/.test(src[i] ?? "")) i++;
        }
        if ((src[i] === "e" || src[i] === "E") && /[-+0-9]/.test(src[i + 1] ?? "")) {
          i += 2;
          while (/[0-9]/.test(src[i] ?? "")) i++;
        }
        text = src.slice(start, i);
      }
      let suffix;
      if (NUM_SUFFIX.test(src[i] ?? "") && !/[A-Za-z0-9_]/.test(src[i + 1] ?? "")) suffix = src[i++];
      toks.push({ kind: "num", text: src.slice(start, i), pos: start, value: text.replace(/_/g, ""), suffix });
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (/[A-Za-z0-9_$]/.test(src[i] ?? "")) i++;
      toks.push({ kind: "id", text: src.slice(start, i), pos: start });
      continue;
    }
    if (PUNCT.has(c)) {
      toks.push({ kind: "punct", text: c, pos: i });
      i++;
      continue;
    }
    throw new GremlinSyntaxError(`Unexpected character '${c}' at position ${i}`);
  }
  toks.push({ kind: "eof", text: "", pos: src.length });
  return toks;
}

// src/emulators/gremlin/language/index.ts
var SOURCE_STEPS = /* @__PURE__ */ new Set([
  "with",
  "withSideEffect",
  "withSack",
  "withStrategies",
  "withoutStrategies",
  "withBulk",
  "withPath",
  "withComputer"
]);
var TERMINALS = /* @__PURE__ */ new Set(["toList", "toSet", "next", "tryNext", "hasNext", "iterate", "toBulkSet", "explain"]);
var P_NAMES = /* @__PURE__ */ new Set([
  "eq",
  "neq",
  "lt",
  "lte",
  "gt",
  "gte",
  "inside",
  "outside",
  "between",
  "within",
  "without",
  "not",
  "typeOf"
]);
var TEXTP_NAMES = /* @__PURE__ */ new Set([
  "containing",
  "notContaining",
  "startingWith",
  "notStartingWith",
  "endingWith",
  "notEndingWith",
  "regex",
  "notRegex"
]);
var ENUMS = {
  T: ["id", "label", "key", "value"],
  Order: ["asc", "desc", "shuffle", "incr", "decr"],
  Scope: ["local", "global"],
  Column: ["keys", "values"],
  Direction: ["OUT", "IN", "BOTH", "from", "to"],
  Pop: ["first", "last", "all", "mixed"],
  Cardinality: ["single", "list", "set"],
  Merge: ["onCreate", "onMatch", "outV", "inV"],
  Operator: ["sum", "minus", "mult", "div", "min", "max", "assign", "and", "or", "addAll", "sumLong"],
  Barrier: ["normSack"],
  Pick: ["any", "none", "unproductive"],
  DT: ["second", "minute", "hour", "day"],
  GType: [
    "BIGDECIMAL",
    "BIGINT",
    "BINARY",
    "BOOLEAN",
    "BYTE",
    "CHAR",
    "DATETIME",
    "DOUBLE",
    "DURATION",
    "EDGE",
    "FLOAT",
    "GRAPH",
    "INT",
    "LIST",
    "LONG",
    "MAP",
    "NULL",
    "NUMBER",
    "PATH",
    "PROPERTY",
    "SET",
    "SHORT",
    "STRING",
    "TREE",
    "UUID",
    "VERTEX",
    "VPROPERTY"
  ]
};
var BARE_ENUMS = /* @__PURE__ */ new Map();
for (const t of [
  "T",
  "Order",
  "Column",
  "Direction",
  "Pop",
  "Cardinality",
  "Merge",
  "Pick",
  "DT",
  "Scope",
  "Barrier",
  "Operator",
  "GType"
]) {
  for (const n of ENUMS[t]) if (!BARE_ENUMS.has(n)) BARE_ENUMS.set(n, t);
}
var WITH_OPTIONS = {
  tokens: "~tinkerpop.valueMap.tokens",
  none: 0,
  ids: 1,
  labels: 2,
  keys: 4,
  values: 8,
  all: 15,
  indexer: "~tinkerpop.index.indexer",
  list: 0,
  map: 1
};
function makeEnum(type, name) {
  if (type === "Direction") {
    if (name === "from") name = "OUT";
    if (name === "to") name = "IN";
  }
  if (type === "Order") {
    if (name === "incr") name = "asc";
    if (name === "decr") name = "desc";
  }
  return new EnumValue(type, name);
}
var UnresolvedVariableError = class extends GremlinSyntaxError {
};
var Parser = class {
  constructor(toks, bindings, src) {
    this.toks = toks;
    this.bindings = bindings;
    this.src = src;
  }
  toks;
  bindings;
  src;
  i = 0;
  peek(o = 0) {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  next() {
    return this.toks[this.i++];
  }
  isP(text, o = 0) {
    const t = this.peek(o);
    return t.kind === "punct" && t.text === text;
  }
  expect(text) {
    const t = this.next();
    if (t.text !== text || t.kind === "str")
      throw this.err(`expected '${text}' but found '${t.text || "end of script"}'`, t);
    return t;
  }
  err(msg, t = this.peek()) {
    return new GremlinSyntaxError(
      `Failed to interpret Gremlin query: ${msg} at position ${t.pos} of: ${this.src.slice(0, 200)}`
    );
  }
  parseScript() {
    const out = [];
    while (this.peek().kind !== "eof") {
      if (this.isP(";")) {
        this.next();
        continue;
      }
      out.push(this.parseStatement());
    }
    return out;
  }
  parseStatement() {
    const t = this.peek();
    if (t.kind === "id" && t.text === "g") {
      this.next();
      const bc = new Bytecode();
      let inSource = true;
      while (this.isP(".")) {
        this.next();
        const nameTok = this.next();
        if (nameTok.kind !== "id") throw this.err(`expected a step name`, nameTok);
        const name = nameTok.text;
        if (TERMINALS.has(name)) {
          this.parseArgs();
          if (name === "iterate") bc.addStep("discard", []);
          else if (name === "next" || name === "tryNext") bc.addStep("limit", [1]);
          else if (name === "hasNext") bc.addStep("hasNext", []);
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
    if (t.kind === "id" && t.text === "__") {
      return this.parseValue();
    }
    throw this.err(`expected a traversal starting with 'g'`, t);
  }
  parseArgs() {
    this.expect("(");
    const args = [];
    if (this.isP(")")) {
      this.next();
      return args;
    }
    for (; ; ) {
      args.push(this.parseValue());
      if (this.isP(",")) {
        this.next();
        continue;
      }
      this.expect(")");
      return args;
    }
  }
  /** Steps chained after an anonymous start (`__.out().in()` / `out().in()`). */
  parseChain(bc) {
    while (this.isP(".")) {
      const t = this.peek(1);
      if (t.kind !== "id") break;
      this.next();
      this.next();
      bc.addStep(t.text, this.parseArgs());
    }
    return bc;
  }
  parsePredicateChain(p) {
    while (this.isP(".") && this.peek(1).kind === "id" && ["and", "or", "negate"].includes(this.peek(1).text)) {
      this.next();
      const op = this.next().text;
      const args = this.parseArgs();
      if (op === "negate") p = negate(p);
      else p = new P(op, p, args[0]);
    }
    return p;
  }
  makePredicate(cls, name, args) {
    if (cls === "TextP" || TEXTP_NAMES.has(name)) {
      if (!TEXTP_NAMES.has(name)) throw this.err(`unknown TextP predicate '${name}'`);
      return new TextP(name, args[0]);
    }
    if (name === "within" || name === "without") {
      const vals = args.length === 1 && Array.isArray(args[0]) ? args[0] : args.length === 1 && args[0] instanceof Set ? [...args[0]] : args;
      return new P(name, vals, null);
    }
    if (name === "between" || name === "inside" || name === "outside") return new P(name, args[0], args[1]);
    if (name === "not") return new P("not", args[0], null);
    if (!P_NAMES.has(name)) throw this.err(`unknown predicate P.${name}`);
    return new P(name, args[0], null);
  }
  parseStrategy(name) {
    const config = {};
    if (this.isP("(")) {
      this.next();
      while (!this.isP(")")) {
        const k = this.next();
        this.expect(":");
        config[k.kind === "str" ? k.value : k.text] = this.parseValue();
        if (this.isP(",")) this.next();
      }
      this.expect(")");
    }
    return new TraversalStrategy(`org.apache.tinkerpop.gremlin.process.traversal.strategy.${name}`, config);
  }
  parseValue() {
    const t = this.next();
    switch (t.kind) {
      case "str":
        return t.value;
      case "num":
        return numberLiteral(t);
      case "eof":
        throw this.err("unexpected end of script", t);
      case "punct":
        return this.parsePunctValue(t);
      default:
        return this.parseIdentValue(t);
    }
  }
  parsePunctValue(t) {
    switch (t.text) {
      case "-":
      case "+": {
        const n = this.next();
        const sign = t.text === "-" ? -1 : 1;
        if (n.kind === "num") {
          const v = numberLiteral(n);
          return typeof v === "bigint" ? BigInt(sign) * v : sign * v;
        }
        if (n.kind === "id" && n.text === "Infinity") return sign * Number.POSITIVE_INFINITY;
        throw this.err(`unexpected '${n.text}' after '${t.text}'`, n);
      }
      case "(": {
        const v = this.parseValue();
        this.expect(")");
        return v;
      }
      case "{": {
        const s = /* @__PURE__ */ new Set();
        while (!this.isP("}")) {
          s.add(this.parseValue());
          if (this.isP(",")) this.next();
        }
        this.next();
        return s;
      }
      case "[":
        return this.parseListOrMap();
      default:
        throw this.err(`unexpected '${t.text}'`, t);
    }
  }
  parseListOrMap() {
    if (this.isP(":") && this.isP("]", 1)) {
      this.next();
      this.next();
      return /* @__PURE__ */ new Map();
    }
    if (this.isP("]")) {
      this.next();
      return [];
    }
    const items = [];
    let map = null;
    for (; ; ) {
      let key;
      const t = this.peek();
      if ((t.kind === "id" || t.kind === "str" || t.kind === "num") && this.isP(":", 1) && (map || items.length === 0)) {
        this.next();
        key = t.kind === "id" ? ["true", "false", "null"].includes(t.text) ? this.literalKeyword(t.text) : t.text : t.kind === "str" ? t.value : numberLiteral(t);
      } else {
        key = this.parseValue();
      }
      if (this.isP(":")) {
        this.next();
        if (!map) {
          if (items.length) throw this.err("mixed list and map literal");
          map = /* @__PURE__ */ new Map();
        }
        map.set(key, this.parseValue());
      } else {
        if (map) throw this.err('expected ":" in map literal');
        items.push(key);
      }
      if (this.isP(",")) {
        this.next();
        continue;
      }
      this.expect("]");
      return map ?? items;
    }
  }
  literalKeyword(text) {
    return text === "true" ? true : text === "false" ? false : null;
  }
  parseIdentValue(t) {
    const name = t.text;
    switch (name) {
      case "true":
        return true;
      case "false":
        return false;
      case "null":
        return null;
      case "NaN":
        return Number.NaN;
      case "Infinity":
        return Number.POSITIVE_INFINITY;
      case "__": {
        const bc = new Bytecode();
        if (!this.isP(".")) return bc;
        return this.parseChain(bc);
      }
      case "new": {
        const n = this.next();
        return this.parseStrategy(n.text);
      }
      case "P":
      case "TextP": {
        if (this.isP(".")) {
          this.next();
          const pn = this.next().text;
          const p = this.makePredicate(name, pn, this.parseArgs());
          return this.parsePredicateChain(p);
        }
        break;
      }
      case "WithOptions": {
        this.expect(".");
        const k = this.next().text;
        if (!(k in WITH_OPTIONS)) throw this.err(`unknown WithOptions.${k}`);
        return WITH_OPTIONS[k];
      }
      case "DateTime":
      case "datetime": {
        const args = this.parseArgs();
        return args.length ? parseDatetime(String(args[0])) : /* @__PURE__ */ new Date();
      }
      case "UUID": {
        const args = this.parseArgs();
        return args.length ? String(args[0]) : crypto.randomUUID();
      }
      default:
        break;
    }
    if (ENUMS[name] && this.isP(".")) {
      this.next();
      const en2 = this.next().text;
      if (!ENUMS[name].includes(en2)) throw this.err(`unknown enum ${name}.${en2}`);
      if (name === "Cardinality" && this.isP("(")) {
        const args = this.parseArgs();
        return { cardinality: makeEnum(name, en2), value: args[0] };
      }
      return makeEnum(name, en2);
    }
    if (name === "IO" && this.isP(".")) {
      this.next();
      const k = this.next().text;
      return k === "reader" || k === "writer" ? `~tinkerpop.io.${k}` : k;
    }
    if (name.endsWith("Strategy")) return this.parseStrategy(name);
    if (this.isP("(")) {
      if (P_NAMES.has(name) || TEXTP_NAMES.has(name)) {
        const save = this.i;
        const args = this.parseArgs();
        if (!(name === "not" && isBytecode(args[0])))
          return this.parsePredicateChain(this.makePredicate("P", name, args));
        this.i = save;
      }
      const bc = new Bytecode();
      bc.addStep(name, this.parseArgs());
      return this.parseChain(bc);
    }
    if (Object.hasOwn(this.bindings, name)) return this.bindings[name];
    const en = BARE_ENUMS.get(name);
    if (en) return makeEnum(en, name);
    throw new UnresolvedVariableError(
      `No such property: ${name} for class: Script (the variable '${name}' is not bound)`
    );
  }
};
function negate(p) {
  const inverse = {
    eq: "neq",
    neq: "eq",
    lt: "gte",
    gte: "lt",
    gt: "lte",
    lte: "gt",
    within: "without",
    without: "within",
    inside: "outside",
    outside: "inside",
    containing: "notContaining",
    notContaining: "containing",
    startingWith: "notStartingWith",
    notStartingWith: "startingWith",
    endingWith: "notEndingWith",
    notEndingWith: "endingWith",
    regex: "notRegex",
    notRegex: "regex"
  };
  const inv = inverse[p.operator];
  if (inv) return TEXTP_NAMES.has(p.operator) ? new TextP(inv, p.value, p.other) : new P(inv, p.value, p.other);
  return new P("not", p, null);
}
function numberLiteral(t) {
  const text = t.value;
  const suffix = t.suffix?.toLowerCase();
  if (/^0[xX]/.test(text)) return Number.parseInt(text.slice(2), 16);
  const isFloat = /[.eE]/.test(text) || suffix === "f" || suffix === "d" || suffix === "m";
  if (isFloat) return Number.parseFloat(text);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return BigInt(text);
  return n;
}
function parseDatetime(s) {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) || !/T/.test(s) ? s : `${s}Z`);
  if (Number.isNaN(d.getTime())) throw new GremlinSyntaxError(`Invalid datetime: ${s}`);
  return d;
}
function parseGremlinStatements(script, bindings = {}) {
  const statements = new Parser(tokenize(script), bindings, script).parseScript();
  if (!statements.length) throw new GremlinSyntaxError("Failed to interpret Gremlin query: empty script");
  return statements;
}
function parseGremlinScript(script, bindings = {}) {
  const all = parseGremlinStatements(script, bindings);
  if (all.length === 1) return all[0];
  const combined = new Bytecode();
  combined.sourceInstructions = [...all[all.length - 1].sourceInstructions];
  combined.addStep("statements", all);
  return combined;
}

// src/emulators/gremlin/engine/graph.ts
import { randomUUID } from "node:crypto";
var GremlinEngineError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "GremlinEngineError";
  }
};
var GVertexProperty = class {
  constructor(id, key, value, vertex) {
    this.id = id;
    this.key = key;
    this.value = value;
    this.vertex = vertex;
  }
  id;
  key;
  value;
  vertex;
  kind = "vp";
  meta = /* @__PURE__ */ new Map();
};
var GProperty = class {
  constructor(key, value, element) {
    this.key = key;
    this.value = value;
    this.element = element;
  }
  key;
  value;
  element;
  kind = "p";
};
var GVertex = class {
  constructor(id, label) {
    this.id = id;
    this.label = label;
  }
  id;
  label;
  kind = "v";
  props = /* @__PURE__ */ new Map();
  outE = [];
  inE = [];
  removed = false;
};
var GEdge = class {
  constructor(id, label, outV, inV) {
    this.id = id;
    this.label = label;
    this.outV = outV;
    this.inV = inV;
  }
  id;
  label;
  outV;
  inV;
  kind = "e";
  props = /* @__PURE__ */ new Map();
  removed = false;
};
function valueKey(v) {
  switch (typeof v) {
    case "number":
      return `n:${v}`;
    case "bigint":
      return `n:${v}`;
    case "string":
      return `s:${v}`;
    case "boolean":
      return `b:${v}`;
    default:
      if (v === null || v === void 0) return "null";
      if (v instanceof Date) return `d:${v.getTime()}`;
      return null;
  }
}
var TinkerGraphLike = class _TinkerGraphLike {
  vertices = /* @__PURE__ */ new Map();
  edges = /* @__PURE__ */ new Map();
  labelIndex = /* @__PURE__ */ new Map();
  propIndex = /* @__PURE__ */ new Map();
  counter = 0;
  idGen;
  constructor(options = {}) {
    this.idGen = options.idGenerator ?? (options.ids === "uuid" ? () => randomUUID() : () => {
      this.counter++;
      return this.counter;
    });
  }
  nextId(kind) {
    let id = this.idGen(kind);
    const map = kind === "vertex" ? this.vertices : kind === "edge" ? this.edges : null;
    while (map?.has(valueKey(id))) id = this.idGen(kind);
    return id;
  }
  vertex(id) {
    const k = valueKey(id);
    return k === null ? void 0 : this.vertices.get(k);
  }
  edge(id) {
    const k = valueKey(id);
    return k === null ? void 0 : this.edges.get(k);
  }
  addVertex(label, id) {
    const vid = id === void 0 || id === null ? this.nextId("vertex") : id;
    const k = valueKey(vid);
    if (k === null) throw new GremlinEngineError(`Vertex id must be a string or number: ${String(vid)}`);
    if (this.vertices.has(k)) throw new GremlinEngineError(`Vertex with id already exists: ${String(vid)}`);
    const v = new GVertex(vid, label);
    this.vertices.set(k, v);
    let s = this.labelIndex.get(label);
    if (!s) {
      s = /* @__PURE__ */ new Set();
      this.labelIndex.set(label, s);
    }
    s.add(v);
    return v;
  }
  addEdge(label, outV, inV, id) {
    if (outV.removed || inV.removed) throw new GremlinEngineError("Vertex does not exist: it was removed");
    const eid = id === void 0 || id === null ? this.nextId("edge") : id;
    const k = valueKey(eid);
    if (k === null) throw new GremlinEngineError(`Edge id must be a string or number: ${String(eid)}`);
    if (this.edges.has(k)) throw new GremlinEngineError(`Edge with id already exists: ${String(eid)}`);
    const e = new GEdge(eid, label, outV, inV);
    this.edges.set(k, e);
    outV.outE.push(e);
    inV.inE.push(e);
    return e;
  }
  setVertexProperty(v, key, value, card = "single", id) {
    const list = v.props.get(key) ?? [];
    if (card === "single") {
      const old = list.splice(0, list.length);
      for (const p of old) this.unindex(v, key, p.value);
    } else if (card === "set") {
      const existing = list.find((p) => valueKey(p.value) !== null && valueKey(p.value) === valueKey(value));
      if (existing) return existing;
    }
    const vp = new GVertexProperty(id ?? this.nextId("vertexProperty"), key, value, v);
    list.push(vp);
    v.props.set(key, list);
    this.index(v, key, value);
    return vp;
  }
  removeVertexProperty(vp) {
    const list = vp.vertex.props.get(vp.key);
    if (!list) return;
    const i = list.indexOf(vp);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) vp.vertex.props.delete(vp.key);
    this.unindex(vp.vertex, vp.key, vp.value);
  }
  removeVertex(v) {
    if (v.removed) return;
    for (const e of [...v.outE, ...v.inE]) this.removeEdge(e);
    for (const [key, list] of v.props) {
      for (const p of list) {
        const vk = valueKey(p.value);
        if (vk !== null) this.propIndex.get(key)?.get(vk)?.delete(v);
      }
    }
    this.labelIndex.get(v.label)?.delete(v);
    this.vertices.delete(valueKey(v.id));
    v.removed = true;
  }
  removeEdge(e) {
    if (e.removed) return;
    e.outV.outE.splice(e.outV.outE.indexOf(e), 1);
    e.inV.inE.splice(e.inV.inE.indexOf(e), 1);
    this.edges.delete(valueKey(e.id));
    e.removed = true;
  }
  verticesByLabel(label) {
    return this.labelIndex.get(label) ?? [];
  }
  /** Candidate vertices having `key` equal to `value` (null when the value is not indexable). */
  verticesByProperty(key, value) {
    const vk = valueKey(value);
    if (vk === null || value === null) return null;
    const byVal = this.propIndex.get(key)?.get(vk);
    return byVal ? [...byVal] : [];
  }
  index(v, key, value) {
    const vk = valueKey(value);
    if (vk === null) return;
    let m = this.propIndex.get(key);
    if (!m) {
      m = /* @__PURE__ */ new Map();
      this.propIndex.set(key, m);
    }
    let s = m.get(vk);
    if (!s) {
      s = /* @__PURE__ */ new Set();
      m.set(vk, s);
    }
    s.add(v);
  }
  unindex(v, key, value) {
    const vk = valueKey(value);
    if (vk === null) return;
    const s = this.propIndex.get(key)?.get(vk);
    if (!s) return;
    if ((v.props.get(key) ?? []).some((p) => valueKey(p.value) === vk)) return;
    s.delete(v);
  }
  clear() {
    this.vertices.clear();
    this.edges.clear();
    this.labelIndex.clear();
    this.propIndex.clear();
  }
  toJSON() {
    return {
      counter: this.counter,
      vertices: [...this.vertices.values()].map((v) => ({
        id: toJsonValue(v.id),
        label: v.label,
        props: [...v.props.values()].flat().map((p) => ({
          id: toJsonValue(p.id),
          key: p.key,
          value: toJsonValue(p.value),
          meta: [...p.meta].map(([k, x]) => [k, toJsonValue(x)])
        }))
      })),
      edges: [...this.edges.values()].map((e) => ({
        id: toJsonValue(e.id),
        label: e.label,
        outV: toJsonValue(e.outV.id),
        inV: toJsonValue(e.inV.id),
        props: [...e.props].map(([k, x]) => [k, toJsonValue(x)])
      }))
    };
  }
  static fromJSON(json, options = {}) {
    const g = new _TinkerGraphLike(options);
    g.loadJSON(json);
    return g;
  }
  loadJSON(json) {
    const data = json;
    this.clear();
    this.counter = data.counter ?? 0;
    for (const vj of data.vertices) {
      const v = this.addVertex(vj.label, fromJsonValue(vj.id));
      for (const pj of vj.props) {
        const vp = this.setVertexProperty(v, pj.key, fromJsonValue(pj.value), "list", fromJsonValue(pj.id));
        for (const [k, x] of pj.meta) vp.meta.set(k, fromJsonValue(x));
      }
    }
    for (const ej of data.edges) {
      const o = this.vertex(fromJsonValue(ej.outV));
      const i = this.vertex(fromJsonValue(ej.inV));
      if (!o || !i) continue;
      const e = this.addEdge(ej.label, o, i, fromJsonValue(ej.id));
      for (const [k, x] of ej.props) e.props.set(k, fromJsonValue(x));
    }
  }
};
function toJsonValue(v) {
  if (typeof v === "bigint") return { t: "bigint", v: v.toString() };
  if (v instanceof Date) return { t: "date", v: v.toISOString() };
  if (typeof v === "number" && !Number.isFinite(v)) return { t: "num", v: String(v) };
  if (v instanceof Map) return { t: "map", v: [...v].map(([a, b]) => [toJsonValue(a), toJsonValue(b)]) };
  if (v instanceof Set) return { t: "set", v: [...v].map(toJsonValue) };
  if (Array.isArray(v)) return { t: "list", v: v.map(toJsonValue) };
  return { t: "json", v };
}
function fromJsonValue(j) {
  switch (j.t) {
    case "bigint":
      return BigInt(j.v);
    case "date":
      return new Date(j.v);
    case "num":
      return Number(j.v);
    case "map":
      return new Map(j.v.map(([a, b]) => [fromJsonValue(a), fromJsonValue(b)]));
    case "set":
      return new Set(j.v.map(fromJsonValue));
    case "list":
      return j.v.map(fromJsonValue);
    default:
      return j.v;
  }
}

// src/emulators/gremlin/engine/traverser.ts
function startTrav(o, sack) {
  return { o, p: { obj: o, labels: [], prev: null }, loops: [], sack };
}
function move(t, o) {
  return { o, p: { obj: o, labels: [], prev: t.p }, loops: t.loops, sack: t.sack, bulk: t.bulk };
}
function replace(t, o) {
  return {
    o,
    p: t.p ? { obj: o, labels: t.p.labels, prev: t.p.prev } : { obj: o, labels: [], prev: null },
    loops: t.loops,
    sack: t.sack,
    bulk: t.bulk
  };
}
function labelTrav(t, labels) {
  const p = t.p ?? { obj: t.o, labels: [], prev: null };
  return {
    ...t,
    p: { obj: p.obj, labels: [...p.labels, ...labels.filter((l) => !p.labels.includes(l))], prev: p.prev }
  };
}
function pathNodes(p) {
  const out = [];
  for (let n = p; n; n = n.prev) out.push(n);
  return out.reverse();
}
function pathLabelled(p, label) {
  const out = [];
  for (let n = p; n; n = n.prev) if (n.labels.includes(label)) out.push(n.obj);
  return out.reverse();
}

// src/emulators/gremlin/engine/values.ts
function isNum(x) {
  return typeof x === "number" || typeof x === "bigint";
}
function isElement(x) {
  return x instanceof GVertex || x instanceof GEdge || x instanceof GVertexProperty;
}
function elementIdOf(x) {
  if (isElement(x)) return x.id;
  if (x && typeof x === "object" && "id" in x && "label" in x) return x.id;
  return x;
}
function gEquals(a, b) {
  if (a === b) return true;
  if (isNum(a) && isNum(b)) {
    if (typeof a === "number" && Number.isNaN(a)) return false;
    return typeof a === typeof b ? a === b : Number(a) === Number(b);
  }
  if (a === null || b === null || a === void 0 || b === void 0) return false;
  if (isElement(a) || isElement(b)) {
    if (isElement(a) && isElement(b)) return a.kind === b.kind && gEquals(a.id, b.id);
    return false;
  }
  if (a instanceof GProperty && b instanceof GProperty) return a.key === b.key && gEquals(a.value, b.value);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => gEquals(x, b[i]));
  if (a instanceof PathValue && b instanceof PathValue) return gEquals(a.objects, b.objects);
  if (a instanceof Set && b instanceof Set) {
    if (a.size !== b.size) return false;
    const bs = [...b];
    return [...a].every((x) => bs.some((y) => gEquals(x, y)));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    const be = [...b];
    return [...a].every(([k, v]) => be.some(([k2, v2]) => gEquals(k, k2) && gEquals(v, v2)));
  }
  if (isEnum(a) && isEnum(b)) return a.typeName === b.typeName && a.elementName === b.elementName;
  return false;
}
var PathValue = class {
  constructor(labels, objects) {
    this.labels = labels;
    this.objects = objects;
  }
  labels;
  objects;
};
function typeRank(x) {
  if (x === null || x === void 0) return 0;
  if (typeof x === "boolean") return 1;
  if (isNum(x)) return 2;
  if (x instanceof Date) return 3;
  if (isEnum(x)) return 4;
  if (typeof x === "string") return 4;
  if (x instanceof GVertex) return 6;
  if (x instanceof GEdge) return 7;
  if (x instanceof GVertexProperty) return 8;
  if (x instanceof GProperty) return 9;
  if (x instanceof PathValue) return 10;
  if (x instanceof Set) return 11;
  if (Array.isArray(x)) return 12;
  if (x instanceof Map) return 13;
  return 14;
}
function gCompare(a, b) {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 2: {
      const x = a;
      const y = b;
      if (typeof x === "number" && Number.isNaN(x)) return typeof y === "number" && Number.isNaN(y) ? 0 : 1;
      if (typeof y === "number" && Number.isNaN(y)) return -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3:
      return a.getTime() - b.getTime();
    case 4: {
      const x = isEnum(a) ? a.elementName : a;
      const y = isEnum(b) ? b.elementName : b;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3.5:
      return String(a.elementName).localeCompare(
        b.elementName
      );
    case 6:
    case 7:
    case 8:
      return gCompare(a.id, b.id);
    case 9: {
      const c = gCompare(a.key, b.key);
      return c || gCompare(a.value, b.value);
    }
    case 10:
      return compareLists(a.objects, b.objects);
    case 11:
      return compareLists([...a], [...b]);
    case 12:
      return compareLists(a, b);
    case 13:
      return compareLists([...a].flat(), [...b].flat());
    default:
      return String(a).localeCompare(String(b));
  }
}
function compareLists(a, b) {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = gCompare(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}
function predCompare(a, b) {
  if (a === null || b === null || a === void 0 || b === void 0) return void 0;
  if (isNum(a) && isNum(b)) {
    if (typeof a === "number" && Number.isNaN(a) || typeof b === "number" && Number.isNaN(b)) return void 0;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === "boolean" && typeof b === "boolean") return (a ? 1 : 0) - (b ? 1 : 0);
  if (typeRank(a) === typeRank(b) && typeRank(a) >= 6) return gCompare(a, b);
  return void 0;
}
function asElementAware(v) {
  return v;
}
function testPredicate(p, value) {
  const op = p.operator;
  const arg = asElementAware(p.value);
  switch (op) {
    case "eq":
      return gEquals(value, arg) || isElementRef(arg) && isElement(value) && gEquals(value.id, elementIdOf(arg));
    case "neq":
      return !(gEquals(value, arg) || isElementRef(arg) && isElement(value) && gEquals(value.id, elementIdOf(arg)));
    case "lt": {
      const c = predCompare(value, arg);
      return c !== void 0 && c < 0;
    }
    case "lte": {
      const c = predCompare(value, arg);
      return c !== void 0 && c <= 0;
    }
    case "gt": {
      const c = predCompare(value, arg);
      return c !== void 0 && c > 0;
    }
    case "gte": {
      const c = predCompare(value, arg);
      return c !== void 0 && c >= 0;
    }
    case "inside": {
      const a = predCompare(value, arg);
      const b = predCompare(value, p.other);
      return a !== void 0 && b !== void 0 && a > 0 && b < 0;
    }
    case "outside": {
      const a = predCompare(value, arg);
      const b = predCompare(value, p.other);
      return a !== void 0 && a < 0 || b !== void 0 && b > 0;
    }
    case "between": {
      const a = predCompare(value, arg);
      const b = predCompare(value, p.other);
      return a !== void 0 && b !== void 0 && a >= 0 && b < 0;
    }
    case "within": {
      const fast = keySetTest(arg, value);
      if (fast !== void 0) return fast;
      const list = collectionOf(arg);
      return list.some(
        (x) => gEquals(value, x) || isElement(value) && isElementRef(x) && gEquals(value.id, elementIdOf(x))
      );
    }
    case "without": {
      const fast = keySetTest(arg, value);
      if (fast !== void 0) return !fast;
      const list = collectionOf(arg);
      return !list.some(
        (x) => gEquals(value, x) || isElement(value) && isElementRef(x) && gEquals(value.id, elementIdOf(x))
      );
    }
    case "not":
      return !testPredicate(arg, value);
    case "typeOf":
      return typeOfTest(arg, value);
    case "and":
      return testPredicate(arg, value) && testPredicate(p.other, value);
    case "or":
      return testPredicate(arg, value) || testPredicate(p.other, value);
    case "containing":
      return typeof value === "string" && typeof arg === "string" && value.includes(arg);
    case "notContaining":
      return typeof value === "string" && typeof arg === "string" && !value.includes(arg);
    case "startingWith":
      return typeof value === "string" && typeof arg === "string" && value.startsWith(arg);
    case "notStartingWith":
      return typeof value === "string" && typeof arg === "string" && !value.startsWith(arg);
    case "endingWith":
      return typeof value === "string" && typeof arg === "string" && value.endsWith(arg);
    case "notEndingWith":
      return typeof value === "string" && typeof arg === "string" && !value.endsWith(arg);
    case "regex":
      return typeof value === "string" && new RegExp(String(arg)).test(value);
    case "notRegex":
      return typeof value === "string" && !new RegExp(String(arg)).test(value);
    default:
      throw new GremlinEngineError(`Unsupported predicate: ${op}`);
  }
}
var keySets = /* @__PURE__ */ new WeakMap();
function keySetTest(list, value) {
  if (!Array.isArray(list) || list.length < 8) return void 0;
  const cached = keySets.get(list);
  let set = cached && cached.size === list.length ? cached.set : void 0;
  if (set === void 0) {
    set = /* @__PURE__ */ new Set();
    for (const x of list) {
      const k = isElement(x) ? `${x.kind}:${valueKey(x.id)}` : typeof x === "object" && x !== null ? null : valueKey(x);
      if (k === null) {
        set = null;
        break;
      }
      set.add(k);
    }
    keySets.set(list, { size: list.length, set });
  }
  if (set === null) return void 0;
  const vk = isElement(value) ? `${value.kind}:${valueKey(value.id)}` : typeof value === "object" && value !== null ? null : valueKey(value);
  if (vk === null) return void 0;
  if (typeof value === "number" && Number.isNaN(value)) return false;
  return set.has(vk);
}
function isElementRef(x) {
  return isElement(x) || !!x && typeof x === "object" && "id" in x && "label" in x && !isP(x);
}
function collectionOf(x) {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x === void 0) return [];
  return [x];
}
function typeNameOf(x) {
  if (x === null || x === void 0) return "null";
  if (typeof x === "string") return "String";
  if (typeof x === "number") return Number.isInteger(x) ? "Integer" : "Double";
  if (typeof x === "bigint") return "BigInteger";
  if (typeof x === "boolean") return "Boolean";
  if (x instanceof GVertex) return "Vertex";
  if (x instanceof GEdge) return "Edge";
  if (x instanceof GVertexProperty) return "VertexProperty";
  if (x instanceof GProperty) return "Property";
  if (x instanceof Map) return "LinkedHashMap";
  if (x instanceof Set) return "LinkedHashSet";
  if (Array.isArray(x)) return "ArrayList";
  if (x instanceof Date) return "Date";
  return typeof x;
}
var TYPE_NAMES = {
  String: "STRING",
  Integer: "INT",
  Long: "LONG",
  Double: "DOUBLE",
  Float: "FLOAT",
  Boolean: "BOOLEAN",
  Short: "SHORT",
  Byte: "BYTE",
  BigInteger: "BIGINT",
  BigDecimal: "BIGDECIMAL",
  Number: "NUMBER",
  Vertex: "VERTEX",
  Edge: "EDGE",
  VertexProperty: "VPROPERTY",
  Property: "PROPERTY",
  Path: "PATH",
  List: "LIST",
  Map: "MAP",
  Set: "SET",
  UUID: "UUID",
  Date: "DATETIME",
  OffsetDateTime: "DATETIME",
  Tree: "TREE",
  Graph: "GRAPH",
  Character: "CHAR"
};
function typeOfTest(arg, value) {
  let t;
  if (isEnum(arg, "GType")) t = arg.elementName;
  else if (typeof arg === "string") {
    const short = arg.split(".").pop();
    const mapped = TYPE_NAMES[short];
    if (!mapped) throw new GremlinEngineError(`${arg} is not a registered type name`);
    t = mapped;
  } else throw new GremlinEngineError("typeOf() requires a GType or a type name");
  switch (t) {
    case "NULL":
      return value === null || value === void 0;
    case "STRING":
      return typeof value === "string";
    case "BOOLEAN":
      return typeof value === "boolean";
    case "NUMBER":
      return isNum(value);
    case "INT":
    case "LONG":
    case "SHORT":
    case "BYTE":
      return typeof value === "number" && Number.isInteger(value);
    case "BIGINT":
      return typeof value === "bigint";
    case "DOUBLE":
    case "FLOAT":
    case "BIGDECIMAL":
      return typeof value === "number" && !Number.isInteger(value);
    case "VERTEX":
      return value instanceof GVertex;
    case "EDGE":
      return value instanceof GEdge;
    case "VPROPERTY":
      return value instanceof GVertexProperty;
    case "PROPERTY":
      return value instanceof GProperty;
    case "PATH":
      return value instanceof PathValue;
    case "LIST":
      return Array.isArray(value);
    case "SET":
      return value instanceof Set;
    case "MAP":
      return value instanceof Map;
    case "DATETIME":
      return value instanceof Date;
    case "GRAPH":
      return !!value && typeof value === "object" && value.constructor?.name === "TinkerGraphLike";
    case "TREE":
      return !!value && typeof value === "object" && value.constructor?.name === "TreeValue";
    default:
      return false;
  }
}

// src/emulators/gremlin/engine/collection-steps.ts
var LIST_STEPS = /* @__PURE__ */ new Set([
  "concat",
  "asString",
  "toUpper",
  "toLower",
  "length",
  "trim",
  "lTrim",
  "rTrim",
  "ltrim",
  "rtrim",
  "replace",
  "split",
  "substring",
  "reverse",
  "format",
  "asDate",
  "dateAdd",
  "dateDiff",
  "combine",
  "difference",
  "disjunct",
  "intersect",
  "conjoin",
  "merge",
  "product",
  "all",
  "any",
  "none",
  "asBool",
  "asNumber"
]);
var STRING_FNS = {
  toUpper: "toUpper",
  toLower: "toLower",
  length: "length",
  trim: "trim",
  lTrim: "lTrim",
  rTrim: "rTrim",
  ltrim: "lTrim",
  rtrim: "rTrim",
  asString: "asString"
};
function isLocal(x) {
  return isEnum(x, "Scope") && x.elementName === "local";
}
function iterableOf(x) {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  return null;
}
function asStringValue(x) {
  if (x === null || x === void 0) return "null";
  if (typeof x === "string") return x;
  if (typeof x === "number") {
    if (Number.isInteger(x)) return String(x);
    return String(x);
  }
  if (x instanceof Date) return x.toISOString();
  if (Array.isArray(x)) return `[${x.map(asStringValue).join(", ")}]`;
  if (x instanceof Map) return `{${[...x].map(([k, v]) => `${asStringValue(k)}=${asStringValue(v)}`).join(", ")}}`;
  if (typeof x === "object" && x && "kind" in x) {
    const el = x;
    if (el.kind === "v") return `v[${String(el.id)}]`;
    if (el.kind === "e") return `e[${String(el.id)}][${String(el.outV?.id)}-${el.label}->${String(el.inV?.id)}]`;
    if (el.kind === "vp") return `vp[${el.key}->${asStringValue(el.value)}]`;
    if (el.kind === "p") return `p[${el.key}->${asStringValue(el.value)}]`;
  }
  return String(x);
}
function stringFn(name, x, local) {
  const label = name === "lTrim" ? "lTrim" : name === "rTrim" ? "rTrim" : name;
  if (name === "asString") {
    if (x === null) throw new GremlinEngineError("Can't parse null as String.");
    return asStringValue(x);
  }
  if (x === null || x === void 0) return null;
  if (typeof x !== "string") {
    if (local)
      throw new GremlinEngineError(
        `The ${label}(local) step can only take string or list of strings, encountered ${typeNameOf(x)}`
      );
    throw new GremlinEngineError(`The ${label}() step can only take string as argument, encountered ${typeNameOf(x)}`);
  }
  switch (name) {
    case "toUpper":
      return x.toUpperCase();
    case "toLower":
      return x.toLowerCase();
    case "length":
      return x.length;
    case "trim":
      return x.trim();
    case "lTrim":
      return x.replace(/^\s+/, "");
    case "rTrim":
      return x.replace(/\s+$/, "");
    default:
      return x;
  }
}
function checkString(name, x) {
  if (x === null || x === void 0) return null;
  if (typeof x !== "string")
    throw new GremlinEngineError(`The ${name}() step can only take string as argument, encountered ${typeNameOf(x)}`);
  return x;
}
function argIterable(m, t, arg, step) {
  let v = arg;
  if (isBytecode(arg)) {
    const r = m.runChild(arg, t);
    v = r.length ? r[0].o : null;
    if (v === null)
      throw new GremlinEngineError(`traversal argument for ${step} step must yield an iterable type, not null`);
    const it2 = iterableOf(v);
    if (!it2)
      throw new GremlinEngineError(
        `traversal argument for ${step} step must yield an iterable type, encountered ${typeNameOf(v)}`
      );
    return it2;
  }
  if (v === null || v === void 0) throw new GremlinEngineError(`Argument provided for ${step} step can't be null`);
  const it = iterableOf(v);
  if (!it)
    throw new GremlinEngineError(
      `${step} step can only take an array or an Iterable as an argument, encountered ${typeNameOf(v)}`
    );
  return it;
}
function incomingIterable(x, step) {
  if (x === null || x === void 0) throw new GremlinEngineError(`Incoming traverser for ${step} step can't be null`);
  const it = iterableOf(x);
  if (!it)
    throw new GremlinEngineError(
      `${step} step can only take an array or an Iterable type for incoming traversers, encountered ${typeNameOf(x)}`
    );
  return it;
}
function uniq(xs) {
  const out = [];
  for (const x of xs) if (!out.some((y) => gEquals(x, y))) out.push(x);
  return out;
}
var DAY = 864e5;
var DT_MS = { second: 1e3, minute: 6e4, hour: 36e5, day: DAY };
function parseNumberString(s) {
  const t = s.trim();
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t, 16);
  if (t === "" || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[dDfFlL]?$/.test(t))
    throw new GremlinEngineError(`Can't parse string '${s}' as number.`);
  return Number(t.replace(/[dDfFlL]$/, ""));
}
var INT_RANGES = {
  BYTE: [-128, 127, "Byte"],
  SHORT: [-32768, 32767, "Short"],
  INT: [-2147483648, 2147483647, "Integer"],
  LONG: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, "Long"]
};
function asNumber(x, type) {
  if (x === null || x === void 0) return null;
  let n;
  if (typeof x === "number" || typeof x === "bigint") n = x;
  else if (typeof x === "string") n = parseNumberString(x);
  else if (x instanceof Date) n = x.getTime();
  else if (typeof x === "boolean") n = x ? 1 : 0;
  else throw new GremlinEngineError(`Can't parse type ${typeNameOf(x)} as number.`);
  if (!type || type === "NUMBER") return n;
  if (type in INT_RANGES) {
    const [lo, hi, name] = INT_RANGES[type];
    const v = Math.trunc(Number(n));
    if (v < lo || v > hi)
      throw new GremlinEngineError(`Can't convert number of type ${typeNameOf(x)} to ${name} due to overflow.`);
    return v;
  }
  if (type === "DOUBLE" || type === "FLOAT" || type === "BIGDECIMAL") return Number(n);
  if (type === "BIGINT") return typeof n === "bigint" ? n : Math.trunc(n);
  throw new GremlinEngineError(`asNumber() requires a numeric type token, got ${type}`);
}
function asBool(x) {
  if (x === null || x === void 0) throw new GremlinEngineError("Can't parse null as Boolean.");
  if (typeof x === "boolean") return x;
  if (typeof x === "number") return x !== 0 && !Number.isNaN(x);
  if (typeof x === "bigint") return x !== 0n;
  if (typeof x === "string") {
    const l = x.toLowerCase();
    if (l === "true") return true;
    if (l === "false") return false;
    throw new GremlinEngineError(`Can't parse ${x} as Boolean.`);
  }
  throw new GremlinEngineError(`Can't parse ${typeNameOf(x)} as Boolean.`);
}
function asDate(x) {
  if (x instanceof Date) return x;
  if (typeof x === "bigint" || typeof x === "number" && Number.isInteger(x)) return new Date(Number(x));
  if (x === null || x === void 0) throw new GremlinEngineError("Can't parse null as Date.");
  if (typeof x === "string") {
    const d = new Date(/T.*(Z|[+-]\d\d:?\d\d)$/.test(x) || !x.includes("T") ? x : `${x}Z`);
    if (Number.isNaN(d.getTime())) throw new GremlinEngineError(`Can't parse ${x} as Date.`);
    return d;
  }
  throw new GremlinEngineError(`Can't parse ${typeNameOf(x)} as Date.`);
}
function formatString(fmt, t, m, by) {
  let ok = true;
  let pos = 0;
  let byIdx = 0;
  const out = fmt.replace(/%\{(\w+)\}|%\{_\}/g, (_all, name) => {
    const key = name ?? "_";
    let v;
    if (key === "_") {
      if (by.length) {
        const r = m.byValue(by[byIdx++ % by.length], t);
        if (!r.ok) {
          ok = false;
          return "";
        }
        v = r.v;
      } else v = t.o;
    } else {
      const o = t.o;
      const viaProp = typeof o === "object" && o !== null && "kind" in o ? m.byValue([key], t, o) : o instanceof Map ? { ok: o.has(key), v: o.get(key) } : { ok: false };
      if (viaProp.ok && viaProp.v !== null) v = viaProp.v;
      else {
        const r = m.selectLabel(t, key, "last");
        if (!r.ok) {
          ok = false;
          return "";
        }
        v = r.v;
      }
    }
    pos++;
    return asStringValue(v);
  });
  void pos;
  return ok ? out : void 0;
}
function listStep(name, s, travs, m) {
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
          items.map((x) => stringFn(fn, x, true))
        );
      if (fn === "asString" && items && !local) return move(t, stringFn(fn, o, false));
      return move(t, stringFn(fn, o, local));
    });
  }
  switch (name) {
    case "concat":
      return travs.map((t) => {
        if (t.o !== null && typeof t.o !== "string")
          throw new GremlinEngineError(
            `String concat() can only take string as argument, encountered ${typeNameOf(t.o)}`
          );
        let out = t.o === null ? null : t.o;
        for (const x of a) {
          if (isBytecode(x)) {
            const r = m.runChild(x, t);
            const v = r.length ? r[0].o : null;
            if (v !== null) out = (out ?? "") + asStringValue(v);
          } else if (x !== null && x !== void 0) out = (out ?? "") + asStringValue(x);
        }
        return move(t, out);
      });
    case "replace": {
      const local = isLocal(a[0]);
      const [from, to] = local ? [a[1], a[2]] : [a[0], a[1]];
      const fn = (x) => {
        const sv = checkString("replace", x);
        return sv === null ? null : sv.split(String(from)).join(to === null ? "null" : String(to));
      };
      return travs.map((t) => {
        const items = iterableOf(t.o);
        return move(t, local && items ? items.map(fn) : fn(t.o));
      });
    }
    case "split": {
      const local = isLocal(a[0]);
      const sep = local ? a[1] : a[0];
      const fn = (x) => {
        const sv = checkString("split", x);
        if (sv === null) return null;
        if (sep === null || sep === void 0) return sv.trim() === "" ? [] : sv.trim().split(/\s+/);
        if (sep === "") return [...sv];
        return sv.split(String(sep));
      };
      return travs.map((t) => {
        const items = iterableOf(t.o);
        return move(t, local && items ? items.map(fn) : fn(t.o));
      });
    }
    case "substring": {
      const local = isLocal(a[0]);
      const [st, en] = local ? [a[1], a[2]] : [a[0], a[1]];
      const fn = (x) => {
        const sv = checkString("substring", x);
        if (sv === null) return null;
        const len = sv.length;
        let b = Number(st);
        if (b < 0) b = Math.max(0, len + b);
        let e = en === void 0 || en === null ? len : Number(en);
        if (e < 0) e = len + e;
        e = Math.min(e, len);
        if (b >= e) return "";
        return sv.slice(b, e);
      };
      return travs.map((t) => {
        const items = iterableOf(t.o);
        return move(t, local && items ? items.map(fn) : fn(t.o));
      });
    }
    case "reverse":
      return travs.map((t) => {
        const o = t.o;
        if (typeof o === "string") return move(t, [...o].reverse().join(""));
        const items = iterableOf(o);
        if (items) return move(t, [...items].reverse());
        return move(t, o);
      });
    case "format":
      return travs.flatMap((t) => {
        const r = formatString(String(a[0]), t, m, s.by);
        return r === void 0 ? [] : [move(t, r)];
      });
    case "asDate":
      return travs.map((t) => move(t, asDate(t.o)));
    case "dateAdd": {
      const unit = a[0].elementName;
      return travs.map((t) => {
        if (!(t.o instanceof Date))
          throw new GremlinEngineError(`dateAdd accept only Date, encountered ${typeNameOf(t.o)}`);
        return move(t, new Date(t.o.getTime() + Number(a[1]) * DT_MS[unit]));
      });
    }
    case "dateDiff":
      return travs.map((t) => {
        if (!(t.o instanceof Date))
          throw new GremlinEngineError(`dateDiff accept only Date, encountered ${typeNameOf(t.o)}`);
        let other = a[0];
        if (isBytecode(other)) {
          const r = m.runChild(other, t);
          other = r.length ? r[0].o : null;
        }
        if (other === null) return move(t, t.o.getTime());
        return move(t, t.o.getTime() - asDate(other).getTime());
      });
    case "combine":
      return travs.map((t) => move(t, [...incomingIterable(t.o, name), ...argIterable(m, t, a[0], name)]));
    case "difference":
      return travs.map((t) => {
        const x = incomingIterable(t.o, name);
        const y = argIterable(m, t, a[0], name);
        return move(t, new Set(uniq(x).filter((v) => !y.some((w) => gEquals(v, w)))));
      });
    case "disjunct":
      return travs.map((t) => {
        const x = uniq(incomingIterable(t.o, name));
        const y = uniq(argIterable(m, t, a[0], name));
        return move(
          t,
          /* @__PURE__ */ new Set([
            ...x.filter((v) => !y.some((w) => gEquals(v, w))),
            ...y.filter((v) => !x.some((w) => gEquals(v, w)))
          ])
        );
      });
    case "intersect":
      return travs.map((t) => {
        const x = uniq(incomingIterable(t.o, name));
        const y = argIterable(m, t, a[0], name);
        return move(t, new Set(x.filter((v) => y.some((w) => gEquals(v, w)))));
      });
    case "conjoin":
      return travs.map((t) => {
        const x = incomingIterable(t.o, name);
        return move(
          t,
          x.filter((v) => v !== null).map(asStringValue).join(String(a[0]))
        );
      });
    case "product":
      return travs.map((t) => {
        const x = incomingIterable(t.o, name);
        const y = argIterable(m, t, a[0], name);
        return move(
          t,
          x.flatMap((v) => y.map((w) => [v, w]))
        );
      });
    case "merge":
      return travs.map((t) => {
        const o = t.o;
        if (o === null || o === void 0)
          throw new GremlinEngineError(`Incoming traverser for merge step can't be null`);
        if (o instanceof Map) {
          let v = a[0];
          if (isBytecode(v)) {
            const r = m.runChild(v, t);
            v = r.length ? r[0].o : null;
          }
          if (v === null || v === void 0)
            throw new GremlinEngineError(`Argument provided for merge step can't be null`);
          if (!(v instanceof Map))
            throw new GremlinEngineError(
              `merge step expected provided argument to evaluate to a Map, encountered ${typeNameOf(v)}`
            );
          return move(t, new Map([...o, ...v]));
        }
        const x = iterableOf(o);
        if (!x)
          throw new GremlinEngineError(
            `merge step can only take an array or an Iterable type for incoming traversers, encountered ${typeNameOf(o)}`
          );
        if (a[0] instanceof Map)
          throw new GremlinEngineError("step type mismatch: expected argument to be Iterable but got Map");
        return move(t, new Set(uniq([...x, ...argIterable(m, t, a[0], name)])));
      });
    case "all":
    case "any":
    case "none":
      return travs.filter((t) => {
        const items = iterableOf(t.o);
        if (!items) return false;
        const p = a[0];
        if (!isP(p)) return false;
        if (name === "all") return items.every((x) => testPredicate(p, x));
        if (name === "any") return items.some((x) => testPredicate(p, x));
        return !items.some((x) => testPredicate(p, x));
      });
    case "asBool":
      return travs.map((t) => move(t, asBool(t.o)));
    case "asNumber": {
      const type = isEnum(a[0], "GType") ? a[0].elementName : void 0;
      return travs.map((t) => move(t, asNumber(t.o, type)));
    }
    default:
      throw new GremlinEngineError(`Unsupported step: ${name}()`);
  }
}

// src/emulators/gremlin/engine/fast-chain.ts
var NO_VALUE = /* @__PURE__ */ Symbol("no value");
function buildFastChain(steps, ops, childSteps) {
  const fns = [];
  for (const s of steps) {
    if (s.by.length || s.options.length || s.withs.length) return null;
    const a = s.args;
    switch (s.name) {
      case "identity":
        break;
      case "select": {
        if (a.length !== 1 || !isEnum(a[0], "Column")) return null;
        const col = a[0].elementName;
        fns.push((o) => ops.columnValue(o, col));
        break;
      }
      case "values": {
        if (a.length !== 1 || typeof a[0] !== "string") return null;
        const key = a[0];
        fns.push((o) => ops.firstValue(o, key));
        break;
      }
      case "id":
      case "label":
      case "key":
      case "value": {
        if (a.length) return null;
        const name = s.name;
        fns.push((o) => ops.tokenValue(o, name));
        break;
      }
      case "constant": {
        if (a.length !== 1) return null;
        const c = a[0];
        fns.push(() => c);
        break;
      }
      case "coalesce": {
        const branches = [];
        for (const b of a) {
          const f = buildFastChain(childSteps(b), ops, childSteps);
          if (!f) return null;
          branches.push(f);
        }
        fns.push((o) => {
          for (const f of branches) {
            const v = f(o);
            if (v !== NO_VALUE) return v;
          }
          return NO_VALUE;
        });
        break;
      }
      default:
        return null;
    }
  }
  if (fns.length === 1) return fns[0];
  return (o) => {
    let v = o;
    for (const f of fns) {
      v = f(v);
      if (v === NO_VALUE) return v;
    }
    return v;
  };
}

// src/emulators/gremlin/engine/math.ts
var FUNCS = {
  abs: Math.abs,
  acos: Math.acos,
  asin: Math.asin,
  atan: Math.atan,
  cbrt: Math.cbrt,
  ceil: Math.ceil,
  cos: Math.cos,
  cosh: Math.cosh,
  exp: Math.exp,
  floor: Math.floor,
  log: Math.log,
  log10: Math.log10,
  log2: Math.log2,
  sin: Math.sin,
  sinh: Math.sinh,
  sqrt: Math.sqrt,
  tan: Math.tan,
  tanh: Math.tanh,
  signum: Math.sign
};
var CONSTS = { pi: Math.PI, e: Math.E };
var cache = /* @__PURE__ */ new Map();
function parse(src) {
  const hit = cache.get(src);
  if (hit) return hit;
  const toks = src.match(/\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+|[A-Za-z_][A-Za-z0-9_]*|[-+*/%^()]/g) ?? [];
  let i = 0;
  const vars = [];
  const peek = () => toks[i];
  const expr = () => {
    let l = term();
    while (peek() === "+" || peek() === "-") {
      const op = toks[i++];
      l = { k: "bin", op, l, r: term() };
    }
    return l;
  };
  const term = () => {
    let l = unary();
    while (peek() === "*" || peek() === "/" || peek() === "%") {
      const op = toks[i++];
      l = { k: "bin", op, l, r: unary() };
    }
    return l;
  };
  const unary = () => {
    if (peek() === "-") {
      i++;
      return { k: "neg", e: unary() };
    }
    if (peek() === "+") {
      i++;
      return unary();
    }
    return power();
  };
  const power = () => {
    const b = atom();
    if (peek() === "^") {
      i++;
      return { k: "bin", op: "^", l: b, r: unary() };
    }
    return b;
  };
  const atom = () => {
    const t = toks[i++];
    if (t === void 0) throw new GremlinEngineError(`Invalid math expression: ${src}`);
    if (t === "(") {
      const e = expr();
      if (toks[i++] !== ")") throw new GremlinEngineError(`Invalid math expression: ${src}`);
      return e;
    }
    if (/^[\d.]/.test(t)) return { k: "num", v: Number(t) };
    if (FUNCS[t]) {
      if (peek() === "(") {
        i++;
        const e = expr();
        i++;
        return { k: "fn", f: t, e };
      }
      return { k: "fn", f: t, e: unary() };
    }
    if (t in CONSTS) return { k: "num", v: CONSTS[t] };
    if (!vars.includes(t)) vars.push(t);
    return { k: "var", name: t };
  };
  const ast = expr();
  if (i < toks.length) throw new GremlinEngineError(`Invalid math expression: ${src}`);
  const r = { ast, vars };
  cache.set(src, r);
  return r;
}
function evalNode(n, env) {
  switch (n.k) {
    case "num":
      return n.v;
    case "var":
      return env.get(n.name);
    case "neg":
      return -evalNode(n.e, env);
    case "fn":
      return FUNCS[n.f](evalNode(n.e, env));
    case "bin": {
      const l = evalNode(n.l, env);
      const r = evalNode(n.r, env);
      switch (n.op) {
        case "+":
          return l + r;
        case "-":
          return l - r;
        case "*":
          return l * r;
        case "/":
          if (r === 0 && l !== 0) return l > 0 ? Infinity : -Infinity;
          return l / r;
        case "%":
          return l % r;
        default:
          return l ** r;
      }
    }
  }
}
function evalMath(src, t, by, m) {
  const { ast, vars } = parse(src);
  const env = /* @__PURE__ */ new Map();
  let byIdx = 0;
  for (const v of vars) {
    let raw;
    if (v === "_") raw = t.o;
    else {
      const r = m.selectLabel(t, v, "last");
      if (!r.ok)
        throw new GremlinEngineError(
          `Neither the current traverser nor any of its labels/side-effects hold a value for: ${v}`
        );
      raw = r.v;
    }
    if (by.length) {
      const r = m.byValue(by[byIdx % by.length], t, raw);
      byIdx++;
      if (!r.ok) return void 0;
      raw = r.v;
    }
    if (typeof raw !== "number" && typeof raw !== "bigint") {
      throw new GremlinEngineError(
        `The variable ${v} for math() must be a Number but found ${raw === null ? "null" : typeof raw}`
      );
    }
    env.set(v, Number(raw));
  }
  return evalNode(ast, env);
}

// src/emulators/gremlin/engine/machine.ts
var MAX_TRAVERSERS = 5e5;
var BULK_AWARE = /* @__PURE__ */ new Set([
  "out",
  "in",
  "both",
  "outE",
  "inE",
  "bothE",
  "outV",
  "inV",
  "bothV",
  "has",
  "hasLabel",
  "hasId",
  "hasKey",
  "hasValue",
  "hasNot",
  "is",
  "not",
  "and",
  "or",
  "filter",
  "values",
  "id",
  "label",
  "key",
  "value",
  "constant",
  "identity",
  "count",
  "repeat",
  "properties",
  "barrier",
  "groupCount",
  "group",
  "union",
  "choose",
  "optional",
  "coalesce",
  "local",
  "dedup",
  "cap"
]);
var TraversalTimeoutError = class extends GremlinEngineError {
  constructor() {
    super("A timeout occurred during traversal evaluation");
    this.name = "TraversalTimeoutError";
  }
};
function single(t) {
  return (t.bulk ?? 1) === 1 ? t : { ...t, bulk: 1 };
}
var MapEntry = class {
  constructor(key, value) {
    this.key = key;
    this.value = value;
  }
  key;
  value;
};
var fastChains = /* @__PURE__ */ new WeakMap();
var fastChainOps = { columnValue, firstValue: firstPropValue, tokenValue };
function fastChainOf(bc) {
  let f = fastChains.get(bc);
  if (f === void 0) {
    f = buildFastChain(compile(bc), fastChainOps, (b) => compile(b));
    fastChains.set(bc, f);
  }
  return f;
}
var MODULATORS = /* @__PURE__ */ new Set(["by", "option", "times", "until", "emit", "with", "from", "to", "read", "write"]);
var compiled = /* @__PURE__ */ new WeakMap();
var START_STEPS = /* @__PURE__ */ new Set(["V", "E", "inject", "addV", "addE", "mergeV", "mergeE"]);
function rewriteConnectives(ins) {
  const isConn = (i) => (i[0] === "and" || i[0] === "or") && i.length === 1;
  if (!ins.some(isConn)) return ins;
  const head = ins.length && START_STEPS.has(ins[0][0]) ? [ins[0]] : [];
  while (ins[head.length]?.[0] === "as") head.push(ins[head.length]);
  const rest = ins.slice(head.length);
  const segments = [[]];
  const ops = [];
  for (const i of rest) {
    if (isConn(i)) {
      ops.push(i[0]);
      segments.push([]);
    } else segments[segments.length - 1].push(i);
  }
  const toBc = (instrs) => {
    const b = new Bytecode();
    b.stepInstructions = instrs;
    return b;
  };
  const orGroups = [[segments[0]]];
  ops.forEach((op, i) => {
    if (op === "and") orGroups[orGroups.length - 1].push(segments[i + 1]);
    else orGroups.push([segments[i + 1]]);
  });
  const andOf = (g) => g.length === 1 ? toBc(g[0]) : toBc([["and", ...g.map(toBc)]]);
  const filter = orGroups.length === 1 ? ["and", ...orGroups[0].map(toBc)] : ["or", ...orGroups.map(andOf)];
  return [...head, filter];
}
function compile(bc) {
  const hit = compiled.get(bc);
  if (hit) return hit;
  const steps = [];
  let pending = {};
  for (const ins of rewriteConnectives(bc.stepInstructions)) {
    const name = ins[0];
    const args = ins.slice(1);
    const prev = steps[steps.length - 1];
    if (MODULATORS.has(name) && !(name === "to" || name === "from" ? isEnum(args[0], "Direction") : false)) {
      if ((name === "until" || name === "emit" || name === "times") && prev?.name !== "repeat") {
        if (prev?.name !== "repeat") {
          if (name === "until") {
            pending.until = args[0];
            pending.untilFirst = true;
          } else if (name === "emit") {
            pending.emit = args[0];
            pending.emitSet = true;
            pending.emitFirst = true;
          } else {
            pending.times = Number(args[0]);
            pending.timesFirst = true;
          }
          continue;
        }
      }
      if (!prev) throw new GremlinEngineError(`The ${name}() modulator has no step to modulate`);
      switch (name) {
        case "by":
          prev.by.push(args);
          break;
        case "option":
          prev.options.push(args.length === 1 ? [void 0, args[0]] : [args[0], args[1]]);
          break;
        case "times":
          prev.times = Number(args[0]);
          break;
        case "until":
          prev.until = args[0];
          prev.untilFirst = prev.untilFirst ?? false;
          break;
        case "emit":
          prev.emit = args[0];
          prev.emitSet = true;
          prev.emitFirst = prev.emitFirst ?? false;
          break;
        case "with":
          prev.withs.push([args[0], args.length > 1 ? args[1] : true]);
          break;
        case "from":
          prev.from = args[0];
          prev.fromSet = true;
          break;
        case "to":
          prev.to = args[0];
          prev.toSet = true;
          break;
        default:
          break;
      }
      continue;
    }
    if (name === "property" && prev && (prev.name === "addV" || prev.name === "addE") && prev.props) {
      prev.props.push(args);
      continue;
    }
    const step = { name, args, by: [], options: [], withs: [], ...pending };
    if (name === "addV" || name === "addE") step.props = [];
    if (name !== "repeat") {
      if (Object.keys(pending).length)
        throw new GremlinEngineError(`${Object.keys(pending)[0]}() must modulate repeat()`);
    }
    pending = {};
    steps.push(step);
  }
  if (Object.keys(pending).length) throw new GremlinEngineError("The repeat()-traversal was not defined");
  compiled.set(bc, steps);
  return steps;
}
var Machine = class {
  constructor(ctx) {
    this.ctx = ctx;
  }
  ctx;
  /** dedup() steps directly inside a repeat() body keep what they saw across the iterations */
  dedupStates = /* @__PURE__ */ new Map();
  run(steps, travs) {
    let cur = travs;
    for (let i = 0; i < steps.length; i++) {
      const cands = this.indexedCandidates(steps, i);
      if (cands) {
        const startOf = (v) => this.start(v);
        cur = i === 0 && travs.length === 0 ? cands.map(startOf) : this.flatMapChecked(cur, () => cands);
      } else cur = this.step(steps[i], cur, i === 0 && travs.length === 0);
      if (cur.length > MAX_TRAVERSERS) {
        throw new GremlinEngineError(
          `The traversal produced more than ${MAX_TRAVERSERS} traversers at ${steps[i].name}()`
        );
      }
      if (this.ctx.deadline !== void 0 && Date.now() > this.ctx.deadline) throw new TraversalTimeoutError();
    }
    return cur;
  }
  /** V().has(...)/hasLabel(...) answered from the label and property indexes (the has steps still filter) */
  indexedCandidates(steps, i) {
    if (steps[i].name !== "V" || steps[i].args.length) return null;
    const g = this.ctx.graph;
    for (let j = i + 1; j < steps.length; j++) {
      const st = steps[j];
      if (st.name === "has" && (st.args.length === 2 || st.args.length === 3)) {
        const key = st.args[st.args.length - 2];
        const val = st.args[st.args.length - 1];
        if (typeof key === "string" && !isP(val) && !isBytecode(val)) {
          const hit = g.verticesByProperty(key, val);
          if (hit) return hit;
        }
        if (st.args.length === 3 && typeof st.args[0] === "string") return [...g.verticesByLabel(st.args[0])];
      } else if (st.name === "hasLabel" && st.args.length && st.args.every((x) => typeof x === "string")) {
        return st.args.flatMap((l) => [...g.verticesByLabel(l)]);
      } else if (st.name !== "has" && st.name !== "hasLabel") return null;
    }
    return null;
  }
  runChild(bc, t) {
    if (!isBytecode(bc)) throw new GremlinEngineError("Expected a traversal argument");
    return this.run(compile(bc), [t]);
  }
  /** First result of a child traversal (for by(), where(), etc.) */
  first(bc, t) {
    const r = this.runChild(bc, single(t));
    return r.length ? { ok: true, v: r[0].o } : { ok: false };
  }
  test(arg, t) {
    if (isBytecode(arg)) return this.patternTest(compile(arg), single(t));
    if (isP(arg)) return testPredicate(arg, t.o);
    if (typeof arg === "boolean") return arg;
    return gEquals(t.o, arg);
  }
  /** A filter traversal; as() at its start/end binds it to path labels (where()/match() pattern semantics). */
  patternTest(steps, t) {
    const startLabel = steps[0]?.name === "as" ? String(steps[0].args[0]) : void 0;
    const last = steps[steps.length - 1];
    const endLabel = steps.length > 1 && last?.name === "as" ? String(last.args[0]) : void 0;
    if (startLabel === void 0 && endLabel === void 0) return this.run(steps, [t]).length > 0;
    let start = t;
    let body = steps;
    if (startLabel !== void 0) {
      const v = this.selectLabel(t, startLabel, "last");
      if (!v.ok) return false;
      start = replace(t, v.v);
      body = steps.slice(1);
    }
    if (endLabel !== void 0) {
      const want = this.selectLabel(t, endLabel, "last");
      body = body.slice(0, -1);
      if (!want.ok) return false;
      return this.run(body, [start]).some((x) => gEquals(x.o, want.v));
    }
    return this.run(body, [start]).length > 0;
  }
  /** by() modulation value for a traverser; ok=false when the modulator produced nothing */
  byValue(by, t, obj = t.o) {
    if (!by || by.length === 0) return { ok: true, v: obj };
    const b = by[0];
    if (b === void 0 || b === null || isEnum(b, "Order")) return { ok: true, v: obj };
    if (typeof b === "string") {
      const v = propValue(obj, b);
      if (v === void 0) {
        if (!isElement(obj) && !(obj instanceof Map)) {
          throw new GremlinEngineError(
            `The provided traverser does not map to a value: ${describe(obj)}[${typeNameOf(obj)}]->[PropertiesStep([${b}],value)]`
          );
        }
        return this.ctx.productiveBy ? { ok: true, v: null } : { ok: false };
      }
      return { ok: true, v };
    }
    if (isEnum(b, "T")) return { ok: true, v: tokenValue(obj, b.elementName) };
    if (isEnum(b, "Column")) return { ok: true, v: columnValue(obj, b.elementName) };
    if (isBytecode(b)) {
      const fast = fastChainOf(b);
      if (fast) {
        const v = fast(obj);
        if (v === NO_VALUE) return this.ctx.productiveBy ? { ok: true, v: null } : { ok: false };
        return { ok: true, v };
      }
      const r = this.runChild(b, single(obj === t.o ? t : replace(t, obj)));
      if (!r.length) return this.ctx.productiveBy ? { ok: true, v: null } : { ok: false };
      return { ok: true, v: r[0].o };
    }
    throw new GremlinEngineError(`Unsupported by() modulator: ${String(b)}`);
  }
  // -------------------------------------------------------------------------------------------------------------
  /** Traversers with a bulk become that many single traversers (for steps that do not understand bulks). */
  expand(travs) {
    if (!travs.some((t) => (t.bulk ?? 1) !== 1)) return travs;
    const out = [];
    for (const t of travs) {
      const n = t.bulk ?? 1;
      if (out.length + n > MAX_TRAVERSERS) {
        throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers`);
      }
      for (let i = 0; i < n; i++) out.push({ ...t, bulk: 1 });
    }
    return out;
  }
  /** Merges equal traversers (same object, loops and sack) into one with the summed bulk. */
  merge(travs) {
    if (!this.ctx.pathless || travs.length < 2) return travs;
    const byKey = /* @__PURE__ */ new Map();
    const out = [];
    for (const t of travs) {
      const ok = primitiveKey(t.o);
      if (ok === null || t.sack !== void 0) {
        out.push(t);
        continue;
      }
      const key = `${ok}|${t.loops.map((l) => `${l.name ?? ""}:${l.n}`).join(",")}`;
      const hit = byKey.get(key);
      if (hit) hit.bulk = (hit.bulk ?? 1) + (t.bulk ?? 1);
      else {
        const c = { ...t, bulk: t.bulk ?? 1 };
        byKey.set(key, c);
        out.push(c);
      }
    }
    return out;
  }
  step(s, travs, isStart) {
    if (!BULK_AWARE.has(s.name)) travs = this.expand(travs);
    const g = this.ctx.graph;
    const a = s.args;
    switch (s.name) {
      case "V":
      case "E": {
        const ids = flattenIds(a);
        const pick = (t) => {
          let elems;
          if (a.length > 0 && ids.length === 0) elems = [];
          else if (ids.length === 0) elems = s.name === "V" ? [...g.vertices.values()] : [...g.edges.values()];
          else {
            elems = [];
            for (const id of ids) {
              const el = s.name === "V" ? lookupLoose(g.vertex.bind(g), elementIdOf(id)) : lookupLoose(g.edge.bind(g), elementIdOf(id));
              if (el) elems.push(el);
            }
          }
          return elems.map((e) => t ? move(t, e) : this.start(e));
        };
        if (isStart && travs.length === 0) return pick(null);
        return travs.flatMap((t) => pick(t));
      }
      case "statements": {
        let last = [];
        for (const b of a) last = this.run(compile(b), []);
        return last;
      }
      case "inject": {
        const items = a.map((x) => this.start(x));
        return [...travs, ...items];
      }
      case "addV":
        return this.addV(s, travs, isStart);
      case "addE":
        return this.addE(s, travs, isStart);
      case "mergeV":
        return this.mergeV(s, travs, isStart);
      case "mergeE":
        return this.mergeE(s, travs, isStart);
      case "property":
        return this.property(s, travs);
      case "drop": {
        for (const t of travs) {
          const o = t.o;
          if (o instanceof GVertex) g.removeVertex(o);
          else if (o instanceof GEdge) g.removeEdge(o);
          else if (o instanceof GVertexProperty) g.removeVertexProperty(o);
          else if (o instanceof GProperty) {
            if (o.element instanceof GEdge) o.element.props.delete(o.key);
            else o.element.meta.delete(o.key);
          }
        }
        return [];
      }
      // ---- navigation
      case "out":
      case "in":
      case "both":
        return this.flatMapChecked(travs, (t) => adjacentV(t.o, s.name, a));
      case "outE":
      case "inE":
      case "bothE":
        return this.flatMapChecked(travs, (t) => incidentE(t.o, s.name, a));
      case "to":
      case "from": {
        const dir = a[0].elementName;
        const name = dir === "OUT" ? "out" : dir === "IN" ? "in" : "both";
        return travs.flatMap((t) => adjacentV(t.o, name, a.slice(1)).map((v) => move(t, v)));
      }
      case "toE": {
        const dir = a[0].elementName;
        const name = dir === "OUT" ? "outE" : dir === "IN" ? "inE" : "bothE";
        return travs.flatMap((t) => incidentE(t.o, name, a.slice(1)).map((e) => move(t, e)));
      }
      case "outV":
        return travs.flatMap((t) => t.o instanceof GEdge ? [move(t, t.o.outV)] : []);
      case "inV":
        return travs.flatMap((t) => t.o instanceof GEdge ? [move(t, t.o.inV)] : []);
      case "bothV":
        return travs.flatMap((t) => t.o instanceof GEdge ? [move(t, t.o.outV), move(t, t.o.inV)] : []);
      case "otherV":
        return travs.flatMap((t) => {
          if (!(t.o instanceof GEdge)) return [];
          const prev = t.p?.prev?.obj;
          const e = t.o;
          const other = prev instanceof GVertex && prev === e.outV ? e.inV : prev instanceof GVertex && prev === e.inV ? e.outV : e.inV;
          return [move(t, other)];
        });
      case "element":
        return travs.flatMap(
          (t) => t.o instanceof GVertexProperty ? [move(t, t.o.vertex)] : t.o instanceof GProperty ? [move(t, t.o.element)] : []
        );
      // ---- filters
      case "has":
        return travs.filter((t) => this.hasTest(t, a));
      case "hasLabel": {
        const labels = a.flat();
        return travs.filter((t) => {
          const l = labelOf(t.o);
          return labels.some((x) => isP(x) ? testPredicate(x, l) : x === l);
        });
      }
      case "hasId": {
        const ids = a.flat();
        return travs.filter(
          (t) => isElement(t.o) && ids.some(
            (x) => isP(x) ? testPredicate(x, t.o.id) : idEquals(t.o.id, elementIdOf(x))
          )
        );
      }
      case "hasKey":
        return travs.filter((t) => {
          const k = t.o instanceof GVertexProperty || t.o instanceof GProperty ? t.o.key : void 0;
          return a.some((x) => isP(x) ? testPredicate(x, k) : x === k);
        });
      case "hasValue":
        return travs.filter((t) => {
          const v = t.o instanceof GVertexProperty || t.o instanceof GProperty ? t.o.value : void 0;
          return a.flat().some((x) => isP(x) ? testPredicate(x, v) : gEquals(v, x));
        });
      case "hasNot":
        return travs.filter((t) => propValue(t.o, a[0]) === void 0);
      case "is":
        return travs.filter((t) => isP(a[0]) ? testPredicate(a[0], t.o) : gEquals(t.o, a[0]));
      case "filter":
        return travs.filter((t) => this.test(a[0], t));
      case "not":
        return travs.filter((t) => !this.test(a[0], t));
      case "and":
        return travs.filter((t) => a.every((x) => this.test(x, t)));
      case "or":
        return travs.filter((t) => a.some((x) => this.test(x, t)));
      case "where":
        return this.where(s, travs);
      case "dedup":
        return this.dedup(s, travs);
      case "simplePath":
      case "cyclicPath":
        return travs.filter((t) => {
          let objs = this.pathSection(s, t);
          if (s.by.length) {
            const mapped = [];
            for (let i = 0; i < objs.length; i++) {
              const r = this.byValue(s.by[i % s.by.length], t, objs[i]);
              if (!r.ok) return false;
              mapped.push(r.v);
            }
            objs = mapped;
          }
          const unique = objs.every((o, i) => objs.findIndex((x) => sameObj(x, o)) === i);
          return s.name === "simplePath" ? unique : !unique;
        });
      case "range":
      case "limit":
      case "skip":
      case "tail":
        return this.range(s, travs);
      case "coin": {
        const p = Number(a[0]);
        return travs.filter(() => Math.random() < p);
      }
      case "sample": {
        if (s.by.length > 1) throw new GremlinEngineError("Sample step can only have one by modulator");
        if (isEnum(a[0], "Scope") && a[0].elementName === "local") {
          const n = Number(a[1]);
          return travs.map(
            (t) => isCollection(t.o) || t.o instanceof Map ? replace(t, shuffle(toList(t.o)).slice(0, n)) : t
          );
        }
        return shuffle([...travs]).slice(0, Number(a[0]));
      }
      case "timeLimit":
      case "barrier":
        return this.barrier(a, travs);
      case "identity":
      case "withComputer":
        return travs;
      case "none":
      case "discard":
        if (s.name === "none" && a.length) return listStep("none", s, travs, this);
        return [];
      // ---- maps
      case "id":
        return travs.map((t) => move(t, tokenValue(t.o, "id")));
      case "label":
        return travs.map((t) => move(t, tokenValue(t.o, "label")));
      case "key":
        return travs.map((t) => move(t, tokenValue(t.o, "key")));
      case "value":
        return travs.map((t) => move(t, tokenValue(t.o, "value")));
      case "constant":
        return travs.map((t) => move(t, a[0]));
      case "values":
        return travs.flatMap((t) => propsOf(t.o, a).map((p) => move(t, p.value)));
      case "properties":
        return travs.flatMap((t) => propsOf(t.o, a).map((p) => move(t, p)));
      case "valueMap":
      case "propertyMap":
      case "elementMap":
        return this.mapOfProps(s, travs);
      case "path":
        return travs.flatMap((t) => {
          const p = this.pathValue(s, t);
          return p ? [move(t, p)] : [];
        });
      case "select":
        return this.select(s, travs);
      case "project": {
        const out = [];
        for (const t of travs) {
          const m = /* @__PURE__ */ new Map();
          const ok = true;
          a.forEach((k, i) => {
            const r = this.byValue(s.by.length ? s.by[i % s.by.length] : void 0, t);
            if (r.ok) m.set(k, r.v);
          });
          if (ok) out.push(move(t, m));
        }
        return out;
      }
      case "map":
        return travs.flatMap((t) => {
          const r = this.first(a[0], t);
          return r.ok ? [move(t, r.v)] : [];
        });
      case "flatMap":
        return travs.flatMap((t) => this.runChild(a[0], t).map((r) => move(t, r.o)));
      case "unfold":
        return travs.flatMap((t) => unfoldValue(t.o).map((x) => move(t, x)));
      case "fold": {
        if (a.length >= 2) {
          let acc = a[0];
          for (const t of travs) acc = applyOperator(a[1], acc, t.o);
          return [this.start(acc)];
        }
        return [this.start(travs.map((t) => t.o))];
      }
      case "count":
      case "sum":
      case "max":
      case "min":
      case "mean":
        return this.reduce(s, travs);
      case "order":
        return this.order(s, travs);
      case "group":
      case "groupCount":
        return this.group(s, travs);
      case "math":
        return travs.flatMap((t) => {
          const v = evalMath(String(a[0]), t, s.by, this);
          return v === void 0 ? [] : [move(t, v)];
        });
      case "index": {
        const asMap = s.withs.some(([k, v]) => k === "~tinkerpop.index.indexer" && v === 1);
        return travs.map((t) => {
          const items = toList(t.o);
          return move(t, asMap ? new Map(items.map((x, i) => [i, x])) : items.map((x, i) => [x, i]));
        });
      }
      case "loops": {
        return travs.map((t) => {
          const name = a[0];
          const f = name ? [...t.loops].reverse().find((l) => l.name === name) : t.loops[t.loops.length - 1];
          return move(t, f ? f.n : 0);
        });
      }
      case "as":
        return travs.map((t) => labelTrav(t, a));
      // ---- branches
      case "union": {
        if (isStart && travs.length === 0) {
          return a.flatMap((b) => {
            const steps = compile(b);
            const first = steps[0]?.name ?? "";
            return this.run(steps, START_STEPS.has(first) || first === "union" ? [] : [this.start(null)]);
          });
        }
        const out = [];
        for (const b of a) out.push(...this.run(compile(b), travs));
        return out;
      }
      case "coalesce":
        return travs.flatMap((t) => {
          for (const b of a) {
            const r = this.runChild(b, t);
            if (r.length) return r;
          }
          return [];
        });
      case "optional":
        return travs.flatMap((t) => {
          const r = this.runChild(a[0], t);
          return r.length ? r : [t];
        });
      case "local":
        return travs.flatMap((t) => this.runChild(a[0], t));
      case "choose":
      case "branch":
        return this.choose(s, travs);
      case "repeat":
        return this.repeat(s, travs);
      // ---- side effects
      case "sideEffect":
        for (const t of travs) this.runChild(a[0], t);
        return travs;
      case "aggregate":
      case "store": {
        const local = isEnum(a[0], "Scope");
        const key = String(local ? a[1] : a[0]);
        if (s.by.length > 1) throw new GremlinEngineError("Aggregate step can only have one by modulator");
        const op = this.ctx.sideEffectOps.get(key);
        if (op !== void 0 && isEnum(op) && op.elementName === "assign") {
          const vals = [];
          for (const t of travs) {
            const r = this.byValue(s.by[0], t);
            if (r.ok) vals.push(r.v);
          }
          this.ctx.sideEffects.set(key, vals);
          return travs;
        }
        if (op !== void 0) {
          let acc = this.ctx.sideEffects.get(key);
          for (const t of travs) {
            const r = this.byValue(s.by[0], t);
            if (r.ok) acc = applyOperator(op, acc, r.v);
          }
          this.ctx.sideEffects.set(key, acc);
          return travs;
        }
        const list = this.sideEffectList(key);
        for (const t of travs) {
          const r = this.byValue(s.by[0], t);
          if (r.ok) list.push(r.v);
        }
        return travs;
      }
      case "cap": {
        const vals = a.map((k) => this.capValue(String(k)));
        if (a.length === 1) return [this.start(vals[0])];
        return [this.start(new Map(a.map((k, i) => [k, vals[i]])))];
      }
      case "sack":
        return this.sackStep(s, travs);
      case "subgraph":
        return this.subgraph(String(a[0]), travs);
      case "tree":
        return this.tree(s, travs);
      case "fail":
        if (travs.length) throw new GremlinEngineError(a.length ? String(a[0]) : "fail() step triggered");
        return travs;
      case "hasNext":
        return [this.start(travs.length > 0)];
      case "match":
        return this.match(s, travs);
      default:
        if (LIST_STEPS.has(s.name)) return listStep(s.name, s, travs, this);
        throw new GremlinEngineError(`Unsupported step: ${s.name}()`);
    }
  }
  /** flatMap for fan-out steps, bounded by MAX_TRAVERSERS and the deadline */
  flatMapChecked(travs, fn) {
    const out = [];
    let next = 5e4;
    for (const t of travs) {
      for (const o of fn(t)) out.push(move(t, o));
      if (out.length > next) {
        if (out.length > MAX_TRAVERSERS)
          throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers`);
        if (this.ctx.deadline !== void 0 && Date.now() > this.ctx.deadline) throw new TraversalTimeoutError();
        next += 5e4;
      }
    }
    return out;
  }
  start(o) {
    return startTrav(o, this.ctx.sack ? this.ctx.sack.init() : void 0);
  }
  sideEffectList(key) {
    let cur = this.ctx.sideEffects.get(key);
    if (cur === void 0) {
      cur = [];
      this.ctx.sideEffects.set(key, cur);
    }
    if (Array.isArray(cur)) return cur;
    if (cur instanceof Set) {
      const proxy = { push: (x) => cur.add(x) };
      return proxy;
    }
    throw new GremlinEngineError(`The side effect ${key} is not a collection`);
  }
  capValue(key) {
    const v = this.ctx.sideEffects.get(key);
    if (v === void 0) throw new GremlinEngineError(`The side-effect key does not exist in the side-effects: ${key}`);
    if (v instanceof GroupAcc) return v.result(this);
    if (v instanceof TreeAcc) return v.result();
    return v;
  }
  // ---- has -------------------------------------------------------------------------------------------------------
  hasTest(t, a) {
    const o = t.o;
    if (a.length === 1) {
      if (isEnum(a[0], "T")) return tokenValue(o, a[0].elementName) !== void 0;
      return propsOf(o, [a[0]]).length > 0;
    }
    let key = a[0];
    let pred = a[1];
    if (a.length === 3) {
      if (!(isElement(o) && labelOf(o) === a[0])) {
        if (!isElement(o)) return false;
        const l = labelOf(o);
        if (!(isP(a[0]) ? testPredicate(a[0], l) : l === a[0])) return false;
      }
      key = a[1];
      pred = a[2];
    }
    if (isEnum(key, "T")) {
      const v = tokenValue(o, key.elementName);
      if (isP(pred)) {
        if (key.elementName === "id" && typeof v === "number" && isP(pred))
          return testPredicate(pred, v) || testPredicate(pred, String(v));
        return testPredicate(pred, v);
      }
      return key.elementName === "id" ? idEquals(v, elementIdOf(pred)) : gEquals(v, pred);
    }
    if (isBytecode(pred)) {
      return propsOf(o, [key]).some((p) => this.runChild(pred, replace(t, p.value)).length > 0);
    }
    const props = propsOf(o, [key]);
    if (pred === null && !isP(pred)) return false;
    return props.some((p) => isP(pred) ? testPredicate(pred, p.value) : gEquals(p.value, pred));
  }
  // ---- where -----------------------------------------------------------------------------------------------------
  where(s, travs) {
    const a = s.args;
    if (isBytecode(a[0])) return travs.filter((t) => this.test(a[0], t));
    let startKey;
    let pred;
    if (typeof a[0] === "string") {
      startKey = a[0];
      pred = a[1];
    } else pred = a[0];
    const byFor = (i) => s.by.length ? s.by[i % s.by.length] : void 0;
    const labels = this.ctx.pathLabels;
    if (startKey === void 0 && s.by.length === 0 && labels && !predicateNamesAny(pred, labels)) {
      let shared;
      return travs.filter((t) => {
        if (t.o instanceof Map) {
          const own = this.resolvePredicate(pred, t, () => void 0);
          return own !== null && testPredicate(own, t.o);
        }
        if (shared === void 0) shared = this.resolvePredicate(pred, t, () => void 0);
        return shared !== null && testPredicate(shared, t.o);
      });
    }
    return travs.filter((t) => {
      let left = t.o;
      if (startKey !== void 0) {
        const r = this.selectLabel(t, startKey, "last");
        if (!r.ok) return false;
        left = r.v;
      }
      const lb = this.byValue(byFor(0), t, left);
      if (!lb.ok) return false;
      let byIdx = 1;
      const resolved = this.resolvePredicate(pred, t, () => byFor(byIdx++));
      if (resolved === null) return false;
      return testPredicate(resolved, lb.v);
    });
  }
  /** Replaces label references in a where() predicate with the labelled (by-modulated) values. */
  resolvePredicate(p, t, by) {
    if (p.operator === "and" || p.operator === "or") {
      const x = this.resolvePredicate(p.value, t, by);
      const y = this.resolvePredicate(p.other, t, by);
      if (!x || !y) return null;
      return { operator: p.operator, value: x, other: y };
    }
    if (p.operator === "not") {
      const x = this.resolvePredicate(p.value, t, by);
      return x && { operator: "not", value: x, other: null };
    }
    const resolveOne = (v) => {
      if (typeof v !== "string") return { ok: true, v };
      const r2 = this.selectLabel(t, v, "last");
      if (!r2.ok) return r2;
      return this.byValue(by(), t, r2.v);
    };
    if (p.operator === "typeOf") return p;
    if (Array.isArray(p.value)) {
      const collection = p.operator === "within" || p.operator === "without";
      if (collection && p.value.length === 1 && typeof p.value[0] === "string") {
        const r2 = resolveOne(p.value[0]);
        if (!r2.ok) return { operator: p.operator, value: [], other: p.other };
        if (Array.isArray(r2.v)) return { operator: p.operator, value: r2.v, other: p.other };
      }
      const vals = [];
      for (const v of p.value) {
        const r2 = resolveOne(v);
        if (!r2.ok) {
          if (collection) continue;
          return null;
        }
        if (collection && (Array.isArray(r2.v) || r2.v instanceof Set)) vals.push(...r2.v);
        else vals.push(r2.v);
      }
      return { operator: p.operator, value: vals, other: p.other };
    }
    const r = resolveOne(p.value);
    if (!r.ok) return null;
    return { operator: p.operator, value: r.v, other: p.other };
  }
  // ---- select ----------------------------------------------------------------------------------------------------
  selectLabel(t, key, pop) {
    if (isEnum(key, "Column")) return { ok: true, v: columnValue(t.o, key.elementName) };
    const k = String(key);
    const fromPath = pathLabelled(t.p, k);
    if (fromPath.length) {
      if (pop === "all") return { ok: true, v: fromPath };
      if (pop === "first") return { ok: true, v: fromPath[0] };
      if (pop === "mixed") return { ok: true, v: fromPath.length === 1 ? fromPath[0] : fromPath };
      return { ok: true, v: fromPath[fromPath.length - 1] };
    }
    if (t.o instanceof Map && t.o.has(k)) return { ok: true, v: t.o.get(k) };
    if (this.ctx.sideEffects.has(k)) return { ok: true, v: this.capValue(k) };
    return { ok: false };
  }
  select(s, travs) {
    let a = s.args;
    let pop = "last";
    if (isEnum(a[0], "Pop")) {
      pop = a[0].elementName;
      a = a.slice(1);
    }
    if (isEnum(a[0], "Column")) {
      const col = a[0].elementName;
      return travs.map((t) => move(t, columnValue(t.o, col)));
    }
    if (isBytecode(a[0])) {
      return travs.flatMap((t) => {
        const k = this.first(a[0], t);
        if (!k.ok) return [];
        if (t.o instanceof Map) {
          for (const [mk, mv] of t.o) {
            if (!gEquals(mk, k.v)) continue;
            const b = this.byValue(s.by[0], t, mv);
            return b.ok ? [move(t, b.v)] : [];
          }
          return [];
        }
        if (typeof k.v !== "string") return [];
        const r = this.selectLabel(t, k.v, pop);
        return r.ok ? [move(t, r.v)] : [];
      });
    }
    const out = [];
    for (const t of travs) {
      if (a.length === 1) {
        const r = this.selectLabel(t, a[0], pop);
        if (!r.ok) continue;
        const b = this.byValue(s.by[0], t, r.v);
        if (b.ok) out.push(move(t, b.v));
        continue;
      }
      const m = /* @__PURE__ */ new Map();
      let ok = true;
      a.forEach((k, i) => {
        if (!ok) return;
        const r = this.selectLabel(t, k, pop);
        if (!r.ok) {
          ok = false;
          return;
        }
        const b = this.byValue(s.by.length ? s.by[i % s.by.length] : void 0, t, r.v);
        if (!b.ok) ok = false;
        else m.set(k, b.v);
      });
      if (ok) out.push(move(t, m));
    }
    return out;
  }
  // ---- path ------------------------------------------------------------------------------------------------------
  pathSection(s, t) {
    const nodes = pathNodes(t.p);
    let from = 0;
    let to = nodes.length - 1;
    if (s.fromSet) {
      from = nodes.findIndex((n) => n.labels.includes(String(s.from)));
      if (from < 0) from = 0;
    }
    if (s.toSet) {
      for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i].labels.includes(String(s.to))) to = i;
      const idx = nodes.findIndex((n, i) => i >= from && n.labels.includes(String(s.to)));
      if (idx >= 0) to = idx;
    }
    return nodes.slice(from, to + 1).map((n) => n.obj);
  }
  /** the path (from/to section, by-modulated); null when a by() modulator is unproductive */
  pathValue(s, t) {
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
    const objs = [];
    for (let i = 0; i < sel.length; i++) {
      const n = sel[i];
      if (s.by.length) {
        const r = this.byValue(s.by[i % s.by.length], t, n.obj);
        if (!r.ok) return null;
        objs.push(r.v);
      } else objs.push(n.obj);
    }
    return new PathValue(
      sel.map((n) => [...n.labels]),
      objs
    );
  }
  // ---- dedup / range -----------------------------------------------------------------------------------------------
  dedup(s, travs) {
    if (s.by.length > 1) throw new GremlinEngineError("Dedup step can only have one by modulator");
    let a = s.args;
    if (isEnum(a[0], "Scope") && a[0].elementName === "local") {
      return travs.map((t) => {
        const items = toList(t.o);
        const out2 = [];
        for (const x of items) if (!out2.some((y) => gEquals(x, y))) out2.push(x);
        return replace(t, t.o instanceof Set ? new Set(out2) : out2);
      });
    }
    if (isEnum(a[0], "Scope")) a = a.slice(1);
    const shared = this.dedupStates.get(s);
    const seen = shared?.seen ?? [];
    const seenKeys = shared?.keys ?? /* @__PURE__ */ new Set();
    const out = [];
    for (const t of travs) {
      let key;
      if (a.length) {
        const vals = [];
        let ok = true;
        for (const l of a) {
          const r = this.selectLabel(t, l, "last");
          if (!r.ok) ok = false;
          const b = r.ok ? this.byValue(s.by[0], t, r.v) : { ok: false };
          if (!b.ok) ok = false;
          vals.push(b.v);
        }
        if (!ok) continue;
        key = vals;
      } else {
        const r = this.byValue(s.by[0], t);
        if (!r.ok) continue;
        key = r.v;
      }
      const vk = primitiveKey(key);
      if (vk !== null) {
        if (seenKeys.has(vk)) continue;
        seenKeys.add(vk);
      } else {
        if (seen.some((x) => gEquals(x, key))) continue;
        seen.push(key);
      }
      out.push((t.bulk ?? 1) === 1 ? t : { ...t, bulk: 1 });
    }
    return out;
  }
  range(s, travs) {
    let a = s.args;
    let local = false;
    if (isEnum(a[0], "Scope")) {
      local = a[0].elementName === "local";
      a = a.slice(1);
    }
    const n = (x) => Number(x);
    let lo = 0;
    let hi = -1;
    let tail = false;
    switch (s.name) {
      case "range":
        lo = n(a[0]);
        hi = n(a[1]);
        break;
      case "limit":
        hi = n(a[0]);
        break;
      case "skip":
        lo = n(a[0]);
        break;
      case "tail":
        tail = true;
        hi = a.length ? n(a[0]) : 1;
        break;
    }
    if (!tail && hi !== -1 && lo > hi) throw new GremlinEngineError(`Not a legal range: [${lo}, ${hi}]`);
    const slice = (xs) => tail ? hi <= 0 ? [] : xs.slice(Math.max(0, xs.length - hi)) : xs.slice(lo, hi === -1 ? void 0 : hi);
    if (!local) return slice(travs);
    return travs.flatMap((t) => {
      const o = t.o;
      if (o instanceof Map) return [replace(t, new Map(slice([...o])))];
      if (Array.isArray(o) || o instanceof Set || o instanceof PathValue) {
        const items = o instanceof PathValue ? o.objects : [...o];
        return [replace(t, slice(items))];
      }
      return [t];
    });
  }
  // ---- reducers ----------------------------------------------------------------------------------------------------
  reduce(s, travs) {
    const local = isEnum(s.args[0], "Scope") && s.args[0].elementName === "local";
    if (local) {
      return travs.flatMap((t) => {
        const o = t.o;
        if (o instanceof TreeValue && s.name === "count") return [replace(t, o.entries.length)];
        const items = o instanceof Map ? s.name === "count" ? [...o] : [...o.values()] : isCollection(o) ? toList(o) : [o];
        const r2 = reduceValues(s.name, items);
        return r2 === void 0 ? [] : [replace(t, r2)];
      });
    }
    if (s.name === "count") return [this.start(travs.reduce((n, t) => n + (t.bulk ?? 1), 0))];
    const r = reduceValues(
      s.name,
      travs.map((t) => t.o)
    );
    if (r === void 0) return [];
    return [this.start(r)];
  }
  // ---- order -------------------------------------------------------------------------------------------------------
  comparators(s) {
    if (!s.by.length) return [{ by: void 0, desc: false, shuffle: false }];
    return s.by.map((b) => {
      const ord = b.find((x) => isEnum(x, "Order"));
      const spec = b.filter((x) => !isEnum(x, "Order"));
      return {
        by: spec.length ? spec : void 0,
        desc: ord?.elementName === "desc",
        shuffle: ord?.elementName === "shuffle"
      };
    });
  }
  sortValues(items, s, keyOf) {
    const comps = this.comparators(s);
    if (comps.some((c) => c.shuffle)) return shuffle([...items]);
    const keyed = [];
    for (const item of items) {
      const { t, o } = keyOf(item);
      const keys = [];
      let ok = true;
      for (const c of comps) {
        const r = this.byValue(c.by, t, o);
        if (!r.ok) {
          ok = false;
          break;
        }
        keys.push(r.v);
      }
      if (!ok) continue;
      keyed.push({ item, keys });
    }
    keyed.sort((x, y) => {
      for (let i = 0; i < comps.length; i++) {
        const kx = x.keys[i];
        const ky = y.keys[i];
        const c = gCompare(kx, ky);
        if (c) return comps[i].desc ? -c : c;
      }
      return 0;
    });
    return keyed.map((k) => k.item);
  }
  order(s, travs) {
    const local = isEnum(s.args[0], "Scope") && s.args[0].elementName === "local";
    if (!local) {
      for (const c of this.comparators(s)) {
        if (c.by && typeof c.by[0] === "string") {
          for (const t of travs) {
            if (!isElement(t.o) && !(t.o instanceof Map)) this.byValue(c.by, t);
          }
        }
      }
      return this.sortValues(travs, s, (t) => ({ t, o: t.o }));
    }
    return travs.map((t) => {
      const o = t.o;
      if (o instanceof Map) {
        const entries = [...o].map(([k, v]) => new MapEntry(k, v));
        const sorted = this.sortValues(entries, s, (e) => ({ t, o: e }));
        return replace(t, new Map(sorted.map((e) => [e.key, e.value])));
      }
      if (isCollection(o)) {
        const sorted = this.sortValues(toList(o), s, (x) => ({ t, o: x }));
        return replace(t, sorted);
      }
      return t;
    });
  }
  // ---- group ---------------------------------------------------------------------------------------------------
  group(s, travs) {
    if (s.name === "groupCount" && s.by.length > 1)
      throw new GremlinEngineError("GroupCount step can only have one by modulator");
    const sideKey = s.args.find((x) => typeof x === "string");
    let acc;
    if (sideKey !== void 0) {
      const cur = this.ctx.sideEffects.get(sideKey);
      if (cur instanceof GroupAcc) acc = cur;
      else {
        acc = new GroupAcc(s, s.name === "groupCount");
        this.ctx.sideEffects.set(sideKey, acc);
      }
    } else acc = new GroupAcc(s, s.name === "groupCount");
    for (const t of travs) acc.add(t, this, s);
    if (sideKey !== void 0) return travs;
    return [this.start(acc.result(this))];
  }
  // ---- choose / repeat -------------------------------------------------------------------------------------------
  choose(s, travs) {
    const a = s.args;
    const groups = /* @__PURE__ */ new Map();
    const passThrough = [];
    const add = (branch, t) => {
      let g = groups.get(branch);
      if (!g) {
        g = [];
        groups.set(branch, g);
      }
      g.push(t);
    };
    if (a.length >= 2) {
      for (const t of travs) {
        if (this.test(a[0], t)) add(a[1], t);
        else if (a.length > 2) add(a[2], t);
        else passThrough.push(t);
      }
    } else {
      if (s.name === "choose") {
        for (const [k] of s.options) {
          if (isBytecode(k))
            throw new GremlinEngineError("Traversal is not allowed as a Pick token for choose().option()");
        }
      }
      const pick = (name) => s.options.filter(([k]) => isEnum(k, "Pick") && k.elementName === name).map(([, b]) => b);
      for (const t of travs) {
        let r;
        if (isBytecode(a[0])) r = this.first(a[0], t);
        else if (isP(a[0])) r = { ok: true, v: testPredicate(a[0], t.o) };
        else if (isEnum(a[0], "T")) r = { ok: true, v: tokenValue(t.o, a[0].elementName) };
        else if (typeof a[0] === "string") {
          const v = propValue(t.o, a[0]);
          r = v === void 0 ? { ok: false } : { ok: true, v };
        } else r = { ok: true, v: t.o };
        for (const b of pick("any")) add(b, t);
        if (!r.ok) {
          const up = pick("unproductive");
          if (up.length) add(up[0], t);
          else if (s.name === "choose") passThrough.push(t);
          continue;
        }
        let matched = false;
        for (const [k, branch] of s.options) {
          if (isEnum(k, "Pick")) continue;
          const hit = isP(k) ? testPredicate(k, r.v) : isBytecode(k) ? this.runChild(k, replace(single(t), r.v)).length > 0 : gEquals(r.v, k);
          if (hit) {
            matched = true;
            add(branch, t);
            if (s.name === "choose") break;
          }
        }
        if (!matched) {
          const none = pick("none");
          if (none.length) add(none[0], t);
          else if (s.name === "choose" && !pick("any").length) passThrough.push(t);
        }
      }
    }
    const out = [...passThrough];
    for (const [branch, ts] of groups) out.push(...this.run(compile(branch), ts));
    return out;
  }
  repeat(s, travs) {
    const name = typeof s.args[0] === "string" ? s.args[0] : void 0;
    const body = compile(name === void 0 ? s.args[0] : s.args[1]);
    if (body.some((st) => st.name === "inject"))
      throw new GremlinEngineError("The parent of inject()-step can not be repeat()-step");
    for (const st of body)
      if (st.name === "dedup" && !st.args.length) this.dedupStates.set(st, { seen: [], keys: /* @__PURE__ */ new Set() });
    const out = [];
    const shouldEmit = (t) => s.emitSet && (s.emit === void 0 || s.emit === true || this.test(s.emit, t));
    const shouldStop = (t, n) => {
      if (s.until !== void 0 && this.test(s.until, t)) return true;
      if (s.times !== void 0 && n >= s.times) return true;
      return false;
    };
    const withFrame = (t) => ({ ...t, loops: [...t.loops, { name, n: 0 }] });
    const setN = (t, n) => ({ ...t, loops: [...t.loops.slice(0, -1), { name, n }] });
    const pop = (t) => ({ ...t, loops: t.loops.slice(0, -1) });
    let cur = [];
    for (const t0 of travs) {
      const t = withFrame(t0);
      if (s.untilFirst && shouldStop(t, 0)) {
        out.push(pop(t));
        continue;
      }
      if (s.times !== void 0 && s.times <= 0 && s.timesFirst) {
        out.push(pop(t));
        continue;
      }
      if (s.emitFirst && shouldEmit(t)) out.push(pop(t));
      cur.push(t);
    }
    let guard = 0;
    while (cur.length) {
      if (++guard > 1e4) throw new GremlinEngineError("repeat() exceeded 10000 iterations");
      if (out.length + cur.length > MAX_TRAVERSERS) {
        throw new GremlinEngineError(`The traversal produced more than ${MAX_TRAVERSERS} traversers in repeat()`);
      }
      if (this.ctx.deadline !== void 0 && Date.now() > this.ctx.deadline) throw new TraversalTimeoutError();
      const next = this.run(body, this.merge(cur)).map((t) => {
        const f = t.loops[t.loops.length - 1];
        return setN(t, (f?.n ?? 0) + 1);
      });
      cur = [];
      for (const t of next) {
        const n = t.loops[t.loops.length - 1].n;
        if (shouldStop(t, n) || s.until === void 0 && s.times === void 0 && false) {
          out.push(pop(t));
          continue;
        }
        if (s.until === void 0 && s.times === void 0 && !s.emitSet) {
        }
        if (!s.emitFirst && shouldEmit(t)) out.push(pop(t));
        else if (s.emitFirst && shouldEmit(t)) out.push(pop(t));
        cur.push(t);
      }
    }
    return out;
  }
  // ---- sack ------------------------------------------------------------------------------------------------------
  sackStep(s, travs) {
    if (s.by.length > 1) throw new GremlinEngineError("Sack step can only have one by modulator");
    if (s.args.length === 0) return travs.map((t) => move(t, t.sack));
    const op = s.args[0];
    return travs.flatMap((t) => {
      const r = this.byValue(s.by[0], t);
      if (!r.ok) return [];
      return [{ ...t, sack: applyOperator(op, t.sack, r.v) }];
    });
  }
  /** barrier(): with a sack merge operator equal traversers merge (sacks combined); normSack normalises sacks */
  barrier(a, travs) {
    if (isEnum(a[0], "Barrier") && a[0].elementName === "normSack") {
      const total = travs.reduce((n, t) => n + Number(t.sack ?? 0) * (t.bulk ?? 1), 0);
      return travs.map((t) => ({ ...t, sack: total ? Number(t.sack ?? 0) / total : t.sack }));
    }
    const merge = this.ctx.sack?.merge;
    if (merge === void 0) return travs;
    const groups = /* @__PURE__ */ new Map();
    const out = [];
    for (const t of this.expand(travs)) {
      const k = primitiveKey(t.o);
      const hit = k === null ? void 0 : groups.get(k);
      if (hit) {
        hit.sack = applyOperator(merge, hit.sack, t.sack);
        if (this.ctx.withBulk) hit.bulk = (hit.bulk ?? 1) + 1;
        continue;
      }
      const c = { ...t, bulk: 1 };
      if (k !== null) groups.set(k, c);
      out.push(c);
    }
    return out;
  }
  /** subgraph('key'): the traversed edges and their vertices, copied into a graph kept as a side effect */
  subgraph(key, travs) {
    let sg = this.ctx.sideEffects.get(key);
    if (!(sg instanceof TinkerGraphLike)) {
      sg = new TinkerGraphLike();
      this.ctx.sideEffects.set(key, sg);
    }
    const sub = sg;
    const copyV = (v) => {
      const hit = sub.vertex(v.id);
      if (hit) return hit;
      const nv = sub.addVertex(v.label, v.id);
      for (const list of v.props.values())
        for (const p of list) sub.setVertexProperty(nv, p.key, p.value, "list", p.id);
      return nv;
    };
    for (const t of travs) {
      if (!(t.o instanceof GEdge) || sub.edge(t.o.id)) continue;
      const e = sub.addEdge(t.o.label, copyV(t.o.outV), copyV(t.o.inV), t.o.id);
      for (const [k, v] of t.o.props) e.props.set(k, v);
    }
    return travs;
  }
  // ---- tree ------------------------------------------------------------------------------------------------------
  tree(s, travs) {
    const key = typeof s.args[0] === "string" ? s.args[0] : void 0;
    let acc;
    if (key) {
      const cur = this.ctx.sideEffects.get(key);
      acc = cur instanceof TreeAcc ? cur : new TreeAcc();
      this.ctx.sideEffects.set(key, acc);
    } else acc = new TreeAcc();
    for (const t of travs) {
      const objs = [];
      pathNodes(t.p).forEach((n, i) => {
        if (!s.by.length) objs.push(n.obj);
        else {
          const r = this.byValue(s.by[i % s.by.length], t, n.obj);
          if (r.ok) objs.push(r.v);
        }
      });
      acc.add(objs);
    }
    return key ? travs : [this.start(acc.result())];
  }
  // ---- match (declarative patterns, solved greedily in order of readiness) --------------------------------------
  match(s, travs) {
    const patterns = [];
    const addPattern = (bc) => {
      const steps = compile(bc);
      if (steps.length === 1 && steps[0].name === "and" && steps[0].args.every(isBytecode)) {
        for (const x of steps[0].args) addPattern(x);
        return;
      }
      const start = steps[0]?.name === "as" ? String(steps[0].args[0]) : void 0;
      const last = steps[steps.length - 1];
      const end = steps.length > 1 && last?.name === "as" ? String(last.args[0]) : void 0;
      patterns.push({ steps, start, end, labels: [...new Set(collectLabels(steps))] });
    };
    for (const a of s.args) addPattern(a);
    const ends = new Set(patterns.map((p) => p.end).filter((x) => x !== void 0));
    const starts = patterns.map((p) => p.start).filter((x) => x !== void 0);
    const startLabel = starts.find((l) => !ends.has(l)) ?? starts[0];
    const allLabels = [];
    for (const p of patterns) {
      for (const l of [p.start, p.end]) if (l !== void 0 && !allLabels.includes(l)) allLabels.push(l);
    }
    const bound = (t, l) => pathLabelled(t.p, l).length > 0 || t.o instanceof Map && false;
    const out = [];
    for (const t0 of travs) {
      let t = t0;
      if (startLabel !== void 0 && !bound(t, startLabel)) t = labelTrav(t, [startLabel]);
      let cur = [t];
      const remaining = [...patterns];
      while (remaining.length && cur.length) {
        const probe = cur[0];
        let idx = remaining.findIndex(
          (p2) => (p2.start === void 0 || bound(probe, p2.start)) && p2.labels.every((l) => l === p2.end || bound(probe, l))
        );
        if (idx < 0) idx = remaining.findIndex((p2) => p2.start === void 0 || bound(probe, p2.start));
        if (idx < 0) throw new GremlinEngineError("The provided match pattern is unsolvable");
        const [p] = remaining.splice(idx, 1);
        cur = cur.flatMap((x) => this.runMatchPattern(p.steps, p.start, p.end, x));
      }
      for (const x of cur) {
        const m = /* @__PURE__ */ new Map();
        for (const l of allLabels) {
          const v = pathLabelled(x.p, l);
          if (v.length) m.set(l, v[v.length - 1]);
        }
        out.push(move(x, m));
      }
    }
    return out;
  }
  runMatchPattern(steps, start, end, t) {
    if (start === void 0) return this.run(steps, [t]).length ? [t] : [];
    let body = steps.slice(1);
    if (end !== void 0) body = body.slice(0, -1);
    const startVal = pathLabelled(t.p, start).at(-1);
    const results = this.run(body, [move(t, startVal)]);
    if (end === void 0) return results.length ? [t] : [];
    const already = pathLabelled(t.p, end);
    const out = [];
    for (const r of results) {
      if (already.length) {
        if (gEquals(already[already.length - 1], r.o)) out.push(t);
      } else out.push(labelTrav(move(t, r.o), [end]));
    }
    return out;
  }
  // ---- property maps -----------------------------------------------------------------------------------------------
  mapOfProps(s, travs) {
    if (s.by.length > 1) throw new GremlinEngineError(`${s.name}() step can only have one by modulator`);
    let a = s.args;
    let tokens = false;
    if (typeof a[0] === "boolean") {
      tokens = a[0];
      a = a.slice(1);
    }
    let tokenMask = tokens ? 15 : 0;
    for (const [k, v] of s.withs) if (k === "~tinkerpop.valueMap.tokens") tokenMask = typeof v === "number" ? v : 15;
    const keys = a;
    return travs.map((t) => {
      const o = t.o;
      const m = /* @__PURE__ */ new Map();
      if (s.name === "elementMap") {
        m.set(tEnum("id"), tokenValue(o, "id"));
        m.set(tEnum("label"), tokenValue(o, "label"));
        if (o instanceof GEdge) {
          m.set(
            dirEnum("IN"),
            /* @__PURE__ */ new Map([
              [tEnum("id"), o.inV.id],
              [tEnum("label"), o.inV.label]
            ])
          );
          m.set(
            dirEnum("OUT"),
            /* @__PURE__ */ new Map([
              [tEnum("id"), o.outV.id],
              [tEnum("label"), o.outV.label]
            ])
          );
        }
        for (const p of propsOf(o, keys)) if (!m.has(p.key)) m.set(p.key, p.value);
        return move(t, m);
      }
      if (tokenMask & 1) m.set(tEnum("id"), tokenValue(o, "id"));
      if (tokenMask & 2) m.set(tEnum("label"), tokenValue(o, "label"));
      if (o instanceof GVertexProperty) {
        if (tokenMask & 4) m.set(tEnum("key"), o.key);
        if (tokenMask & 8) m.set(tEnum("value"), o.value);
      }
      for (const p of propsOf(o, keys)) {
        const multi = o instanceof GVertex;
        const v = s.name === "propertyMap" ? p : p.value;
        if (multi) {
          const list = m.get(p.key) ?? [];
          list.push(v);
          m.set(p.key, list);
        } else m.set(p.key, s.name === "propertyMap" ? [v] : v);
      }
      if (s.by.length) {
        for (const [k, v] of m) {
          if (isEnum(k, "T")) continue;
          const r = this.byValue(s.by[0], t, v);
          if (r.ok) m.set(k, r.v);
        }
      }
      return move(t, m);
    });
  }
  // ---- mutations ---------------------------------------------------------------------------------------------------
  addV(s, travs, isStart) {
    const make = (t) => {
      let label = "vertex";
      const a0 = s.args[0];
      if (isBytecode(a0)) {
        const r = t ? this.first(a0, t) : this.first(a0, this.start(null));
        if (!r.ok) throw new GremlinEngineError("The traversal for the addV() label produced no result");
        label = String(r.v);
      } else if (a0 !== void 0 && a0 !== null) label = String(a0);
      else if (a0 === null) throw new GremlinEngineError("Label can not be null");
      const base = t ?? this.start(null);
      const { id, label: l2, rest } = this.foldedProps(s, base);
      const v = this.ctx.graph.addVertex(l2 === void 0 ? label : String(l2), id);
      for (const p of rest) this.applyPropertyArgs(base, v, p);
      return t ? move(t, v) : this.start(v);
    };
    if (isStart && travs.length === 0) return [make(null)];
    return travs.map((t) => make(t));
  }
  resolveVertexArg(x, t) {
    let v = x;
    if (typeof x === "string") {
      const r = this.selectLabel(t, x, "last");
      if (!r.ok) throw new GremlinEngineError(`The step with label ${x} does not exist`);
      v = r.v;
    } else if (isBytecode(x)) {
      const r = this.first(x, t);
      if (!r.ok)
        throw new GremlinEngineError(
          "The traversal given to addE().from/to must resolve to a Vertex or the ID of a Vertex present in the graph"
        );
      v = r.v;
    }
    if (v instanceof GVertex) return v;
    const found = lookupLoose(this.ctx.graph.vertex.bind(this.ctx.graph), elementIdOf(v));
    if (!found)
      throw new GremlinEngineError(
        `The value given to addE(${String(elementIdOf(v))}).from/to must resolve to a Vertex or the ID of a Vertex present in the graph`
      );
    return found;
  }
  addE(s, travs, isStart) {
    const make = (t) => {
      let label = "edge";
      const a0 = s.args[0];
      if (isBytecode(a0)) {
        const r = this.first(a0, t);
        label = String(r.v);
      } else if (a0 !== void 0) label = String(a0);
      const from = s.fromSet ? this.resolveVertexArg(s.from, t) : t.o;
      const to = s.toSet ? this.resolveVertexArg(s.to, t) : t.o;
      if (!(from instanceof GVertex) || !(to instanceof GVertex)) {
        throw new GremlinEngineError(
          `The ${from instanceof GVertex ? "to" : "from"}() of addE() must resolve to a Vertex or the ID of a Vertex present in the graph`
        );
      }
      const { id, rest } = this.foldedProps(s, t);
      const e = this.ctx.graph.addEdge(label, from, to, id);
      for (const p of rest) this.applyPropertyArgs(t, e, p);
      return move(t, e);
    };
    if (isStart && travs.length === 0) return [make(this.start(null))];
    return travs.map(make);
  }
  foldedProps(s, t) {
    let id;
    let label;
    const rest = [];
    for (const p of s.props ?? []) {
      if (isEnum(p[0], "T") && (p[0].elementName === "id" || p[0].elementName === "label")) {
        let v = p[1];
        if (isBytecode(v)) v = this.first(v, t).v;
        if (p[0].elementName === "id") id = v;
        else label = v;
      } else rest.push(p);
    }
    return { id, label, rest };
  }
  applyPropertyArgs(t, el, args) {
    let a = args;
    if (a.length === 1 && (a[0] === null || a[0] === void 0)) return;
    let card;
    if (isEnum(a[0], "Cardinality")) {
      card = a[0].elementName;
      a = a.slice(1);
    }
    if (a.length === 1 && (a[0] === null || a[0] === void 0)) return;
    if (a[0] instanceof Map) {
      for (const [k, v] of a[0]) this.setProp(t, el, k, v, card, []);
      return;
    }
    if (isBytecode(a[0])) {
      const k = this.first(a[0], t);
      if (!k.ok) throw new GremlinEngineError("The property() key traversal produced no key");
      a = [k.v, ...a.slice(1)];
    }
    let value = a[1];
    if (isBytecode(value)) {
      const r = this.first(value, t);
      if (!r.ok) throw new GremlinEngineError("The property() value traversal produced no value");
      value = r.v;
    }
    this.setProp(t, el, a[0], value, card, a.slice(2));
  }
  property(s, travs) {
    for (const t of travs) this.applyPropertyArgs(t, t.o, s.args);
    return travs;
  }
  setProp(_t, o, key, value, card, meta) {
    const g = this.ctx.graph;
    if (isEnum(key, "T")) {
      if (key.elementName === "id") {
        throw new GremlinEngineError("Vertex does not support user supplied identifiers on property()");
      }
      throw new GremlinEngineError(`Property key can not be a hidden key: ${key.elementName}`);
    }
    if (typeof key !== "string") throw new GremlinEngineError("The key of a property must be a String");
    if (value === null || value === void 0) {
      if (o instanceof GVertex) for (const p of [...o.props.get(key) ?? []]) g.removeVertexProperty(p);
      else if (o instanceof GEdge) o.props.delete(key);
      return;
    }
    if (o instanceof GVertex) {
      const vp = g.setVertexProperty(o, key, value, card ?? "single");
      for (let i = 0; i + 1 < meta.length; i += 2) vp.meta.set(String(meta[i]), meta[i + 1]);
    } else if (o instanceof GEdge) {
      if (card && card !== "single") throw new GremlinEngineError(`Edge properties do not support ${card} cardinality`);
      o.props.set(key, value);
    } else if (o instanceof GVertexProperty) {
      o.meta.set(key, value);
    } else throw new GremlinEngineError(`property() requires an element, found ${typeNameOf(o)}`);
  }
  mergeOption(s, name) {
    return s.options.find(([k]) => isEnum(k, "Merge") && k.elementName === name);
  }
  /** onCreate map, validated against the merge map (it may not change what the merge map says) */
  onCreateMap(s, spec, t, what) {
    const opt = this.mergeOption(s, "onCreate");
    if (!opt) return null;
    const m = this.mergeMap(opt[1], t, "onCreate");
    if (!m) return null;
    validateMergeMap(m, what);
    for (const [k, v] of m) {
      const hit = findKey(spec, k);
      if (hit && !gEquals(hit[1], v)) {
        throw new GremlinEngineError(
          `option(onCreate) cannot override values from merge() argument: (${mapKeyName(k)}, ${String(v)})`
        );
      }
    }
    return m;
  }
  /** option maps given as literals are checked even when the option does not apply */
  validateStaticOptions(s, what) {
    for (const name of ["onCreate", "onMatch"]) {
      const m = this.mergeOption(s, name)?.[1];
      if (m instanceof Map) validateMergeMap(m, what);
    }
  }
  onMatchMap(s, t, what) {
    const opt = this.mergeOption(s, "onMatch");
    if (!opt) return null;
    const m = this.mergeMap(opt[1], t, "onMatch");
    if (!m) return null;
    validateMergeMap(m, what);
    for (const [k] of m) {
      if (isEnum(k, "T") || isEnum(k, "Direction")) {
        throw new GremlinEngineError(`option(onMatch) cannot set ${mapKeyName(k)}: only properties can be updated`);
      }
    }
    return m;
  }
  mergeV(s, travs, isStart) {
    const run = (t) => {
      const spec = this.mergeMap(s.args[0], t, "mergeV") ?? /* @__PURE__ */ new Map();
      validateMergeMap(spec, "mergeV");
      this.validateStaticOptions(s, "mergeV");
      const matchesFirst = this.findVertices(spec);
      const onCreate = matchesFirst.length && isBytecode(this.mergeOption(s, "onCreate")?.[1]) ? null : this.onCreateMap(s, spec, t, "mergeV");
      const wrap = (v2) => t.o === null && isStart ? this.start(v2) : move(t, v2);
      const matches = matchesFirst;
      if (matches.length) {
        return matches.map((v2) => {
          const m = this.onMatchMap(s, move(t, v2), "mergeV");
          if (m) for (const [k, v22] of m) this.setMergeProp(v2, k, v22);
          return wrap(v2);
        });
      }
      const create = new Map(spec);
      for (const [k, v2] of onCreate ?? []) create.set(findKey(create, k)?.[0] ?? k, v2);
      const label = findT(create, "label");
      const v = this.ctx.graph.addVertex(label === void 0 ? "vertex" : String(label), findT(create, "id"));
      for (const [k, v2] of create) if (!isEnum(k)) this.setMergeProp(v, k, v2);
      return [wrap(v)];
    };
    if (isStart && travs.length === 0) return run(this.start(null));
    return travs.flatMap(run);
  }
  setMergeProp(el, k, v) {
    if (v && typeof v === "object" && "cardinality" in v && "value" in v) {
      const cv = v;
      this.setProp(this.start(el), el, k, cv.value, cv.cardinality.elementName, []);
      return;
    }
    this.setProp(this.start(el), el, k, v, "single", []);
  }
  mergeMap(arg, t, what) {
    let m = arg;
    if (isBytecode(arg)) {
      const r = this.first(arg, t);
      m = r.ok ? r.v : null;
    }
    if (m === void 0) m = t.o;
    if (m === null) return null;
    if (!(m instanceof Map)) {
      throw new GremlinEngineError(`${what}() requires a Map argument but found ${typeNameOf(m)}`);
    }
    return m;
  }
  findVertices(spec) {
    const g = this.ctx.graph;
    const idv = findT(spec, "id");
    let cands;
    if (idv !== void 0) {
      const v = g.vertex(idv);
      cands = v ? [v] : [];
    } else {
      const label = findT(spec, "label");
      const firstProp = [...spec].find(([k]) => typeof k === "string");
      const byProp = firstProp ? g.verticesByProperty(firstProp[0], firstProp[1]) : null;
      cands = byProp ?? (label !== void 0 ? [...g.verticesByLabel(String(label))] : [...g.vertices.values()]);
    }
    return cands.filter((v) => {
      for (const [k, val] of spec) {
        if (isEnum(k, "T")) {
          if (!gEquals(tokenValue(v, k.elementName), val)) return false;
        } else if (!(v.props.get(String(k)) ?? []).some((p) => gEquals(p.value, val))) return false;
      }
      return true;
    });
  }
  mergeE(s, travs, isStart) {
    const g = this.ctx.graph;
    const run = (t) => {
      const spec = this.mergeMap(s.args[0], t, "mergeE") ?? /* @__PURE__ */ new Map();
      validateMergeMap(spec, "mergeE");
      this.validateStaticOptions(s, "mergeE");
      const onCreateArg = this.mergeOption(s, "onCreate")?.[1];
      let onCreate = isBytecode(onCreateArg) ? null : this.onCreateMap(s, spec, t, "mergeE");
      const resolveV = (x, which2) => {
        let v = x;
        if (isEnum(x, "Merge")) {
          const opt = this.mergeOption(s, which2);
          if (!opt) throw new GremlinEngineError(`option(${which2}) must be specified when Merge.${which2} is used`);
          v = isBytecode(opt[1]) ? this.first(opt[1], t).v : opt[1];
          if (v instanceof Map) {
            const found2 = this.findVertices(v);
            if (!found2.length)
              throw new GremlinEngineError(`Vertex id could not be resolved from mergeE: ${describe(v)}`);
            return found2[0];
          }
        }
        if (v instanceof GVertex) return v;
        const found = lookupLoose(g.vertex.bind(g), elementIdOf(v));
        if (!found)
          throw new GremlinEngineError(`Vertex id could not be resolved from mergeE: ${String(elementIdOf(v))}`);
        return found;
      };
      const outRaw = findDir(spec, "OUT");
      const inRaw = findDir(spec, "IN");
      const outV = outRaw === void 0 ? void 0 : resolveV(outRaw, "outV");
      const inV = inRaw === void 0 ? void 0 : resolveV(inRaw, "inV");
      const idv = findT(spec, "id");
      const label = findT(spec, "label");
      let cands;
      if (idv !== void 0) {
        const e2 = lookupLoose(g.edge.bind(g), idv);
        cands = e2 ? [e2] : [];
      } else if (outV) cands = outV.outE;
      else if (inV) cands = inV.inE;
      else cands = [...g.edges.values()];
      const matches = cands.filter((e2) => {
        if (outV && e2.outV !== outV) return false;
        if (inV && e2.inV !== inV) return false;
        if (label !== void 0 && e2.label !== label) return false;
        for (const [k, val] of spec) if (typeof k === "string" && !gEquals(e2.props.get(k), val)) return false;
        return true;
      });
      const wrap = (e2) => t.o === null && isStart ? this.start(e2) : move(t, e2);
      if (matches.length) {
        return matches.map((e2) => {
          const m = this.onMatchMap(s, move(t, e2), "mergeE");
          if (m) for (const [k, v2] of m) this.setProp(t, e2, k, v2, void 0, []);
          return wrap(e2);
        });
      }
      if (isBytecode(onCreateArg)) onCreate = this.onCreateMap(s, spec, t, "mergeE");
      const create = new Map(spec);
      for (const [k, v2] of onCreate ?? []) create.set(findKey(create, k)?.[0] ?? k, v2);
      const co = findDir(create, "OUT");
      const ci = findDir(create, "IN");
      if (co === void 0) throw new GremlinEngineError("Out Vertex not specified");
      if (ci === void 0) throw new GremlinEngineError("In Vertex not specified");
      const ov = co === outRaw && outV ? outV : resolveV(co, "outV");
      const iv = ci === inRaw && inV ? inV : resolveV(ci, "inV");
      const e = g.addEdge(String(findT(create, "label") ?? "edge"), ov, iv, findT(create, "id"));
      for (const [k, v2] of create) if (typeof k === "string") this.setProp(t, e, k, v2, void 0, []);
      return [wrap(e)];
    };
    if (isStart && travs.length === 0) return run(this.start(null));
    return travs.flatMap(run);
  }
};
var GroupAcc = class {
  constructor(s, count) {
    this.s = s;
    this.count = count;
  }
  s;
  count;
  groups = /* @__PURE__ */ new Map();
  order = [];
  add(t, m, step = this.s) {
    const k = m.byValue(step.by[0], t);
    if (!k.ok) return;
    const key = k.v;
    const pk = primitiveKey(key) ?? `obj:${this.order.length}`;
    let found = this.groups.get(pk);
    if (!found && primitiveKey(key) === null) {
      for (const [kk, g] of this.groups) {
        if (gEquals(g.key, key)) {
          found = g;
          void kk;
          break;
        }
      }
    }
    if (!found) {
      found = { key, items: [], count: 0 };
      this.groups.set(pk, found);
      this.order.push(pk);
    }
    found.items.push(t);
    found.count += t.bulk ?? 1;
  }
  result(m) {
    const out = /* @__PURE__ */ new Map();
    for (const { key, items: bulked, count } of this.groups.values()) {
      if (this.count) {
        out.set(key, count);
        continue;
      }
      const items = bulked;
      const vb = this.s.by[1];
      if (!vb?.length) {
        out.set(
          key,
          m.expand(items).map((t) => t.o)
        );
        continue;
      }
      const b = vb[0];
      if (isBytecode(b)) {
        const steps = compile(b);
        const r = m.run(
          steps,
          items.map((t) => ({ ...t }))
        );
        const reducing = steps.some((st) => REDUCERS.has(st.name));
        if (reducing) {
          if (r.length) out.set(key, r[0].o);
        } else if (r.length) out.set(key, r[0].o);
        continue;
      }
      const vals = [];
      for (const t of m.expand(items)) {
        const r = m.byValue(vb, t);
        if (r.ok) vals.push(r.v);
      }
      out.set(key, vals);
    }
    return out;
  }
};
var REDUCERS = /* @__PURE__ */ new Set(["count", "sum", "max", "min", "mean", "fold", "groupCount", "group", "tree", "cap"]);
var TreeAcc = class {
  root = [];
  add(objs) {
    let level = this.root;
    for (const o of objs) {
      let node = level.find((n) => gEquals(n.key, o));
      if (!node) {
        node = { key: o, children: [] };
        level.push(node);
      }
      level = node.children;
    }
  }
  result() {
    const build = (nodes) => new TreeValue(nodes.map((n) => [n.key, build(n.children)]));
    return build(this.root);
  }
};
var TreeValue = class {
  constructor(entries) {
    this.entries = entries;
  }
  entries;
};
function findKey(m, k) {
  if (m.has(k)) return [k, m.get(k)];
  for (const e of m) if (gEquals(e[0], k)) return e;
  return void 0;
}
function validateMergeMap(m, what) {
  if (!m) return;
  for (const [k, v] of m) {
    if (typeof k === "string" && k.startsWith("~"))
      throw new GremlinEngineError(`Property key can not be a hidden key: ${k}`);
    if (isEnum(k, "T") && k.elementName === "label" && typeof v === "string" && v.startsWith("~")) {
      throw new GremlinEngineError(`Label can not be a hidden key: ${v}`);
    }
    if (isEnum(k, "T")) {
      if (k.elementName !== "id" && k.elementName !== "label") {
        throw new GremlinEngineError(`${what}() only supports T.id and T.label as T keys`);
      }
      if (k.elementName === "label" && (v === null || v === void 0))
        throw new GremlinEngineError(`${what}() label cannot be null`);
    } else if (isEnum(k, "Direction")) {
      if (what !== "mergeE") throw new GremlinEngineError(`${what}() does not allow Direction keys`);
    } else if (typeof k !== "string") {
      throw new GremlinEngineError(`${what}() keys must be String, T or Direction but found ${typeNameOf(k)}`);
    }
  }
}
function mapKeyName(k) {
  return isEnum(k) ? k.elementName : String(k);
}
function findT(m, name) {
  for (const [k, v] of m) if (isEnum(k, "T") && k.elementName === name) return v;
  return void 0;
}
function findDir(m, name) {
  for (const [k, v] of m)
    if (isEnum(k, "Direction") && (k.elementName === name || name === "OUT" && k.elementName === "from" || name === "IN" && k.elementName === "to"))
      return v;
  return void 0;
}
var tEnums = /* @__PURE__ */ new Map();
function tEnum(name) {
  let e = tEnums.get(name);
  if (!e) {
    e = { typeName: "T", elementName: name };
    tEnums.set(name, e);
  }
  return e;
}
function dirEnum(name) {
  return { typeName: "Direction", elementName: name };
}
function idEquals(a, b) {
  if (gEquals(a, b)) return true;
  if (typeof a === "number" && typeof b === "string") return String(a) === b;
  if (typeof a === "string" && typeof b === "number") return a === String(b);
  return false;
}
function lookupLoose(get, id) {
  const hit = get(id);
  if (hit !== void 0) return hit;
  if (typeof id === "string" && /^-?\d+$/.test(id)) return get(Number(id));
  if (typeof id === "number") return get(String(id));
  return void 0;
}
function flattenIds(a) {
  const out = [];
  for (const x of a) {
    if (Array.isArray(x)) out.push(...x);
    else if (x instanceof Set) out.push(...x);
    else if (x !== null && x !== void 0) out.push(x);
    else out.push(x);
  }
  return out.filter((x) => x !== null && x !== void 0);
}
function labelOf(o) {
  if (o instanceof GVertex || o instanceof GEdge) return o.label;
  if (o instanceof GVertexProperty) return o.key;
  return void 0;
}
function tokenValue(o, name) {
  switch (name) {
    case "id":
      if (o instanceof GVertex || o instanceof GEdge || o instanceof GVertexProperty) return o.id;
      break;
    case "label":
      if (o instanceof GVertex || o instanceof GEdge) return o.label;
      if (o instanceof GVertexProperty) return o.key;
      break;
    case "key":
      if (o instanceof GVertexProperty || o instanceof GProperty) return o.key;
      if (o instanceof MapEntry) return o.key;
      break;
    case "value":
      if (o instanceof GVertexProperty || o instanceof GProperty) return o.value;
      if (o instanceof MapEntry) return o.value;
      break;
  }
  throw new GremlinEngineError(`The T.${name} token cannot be applied to ${typeNameOf(o)}: ${describe(o)}`);
}
function columnValue(o, col) {
  if (o instanceof Map) return col === "keys" ? new Set(o.keys()) : [...o.values()];
  if (o instanceof MapEntry) return col === "keys" ? o.key : o.value;
  if (o instanceof PathValue) return col === "keys" ? o.labels.map((l) => new Set(l)) : o.objects;
  if (Array.isArray(o)) return o.map((x) => columnValue(x, col));
  throw new GremlinEngineError(`Column.${col} cannot be applied to ${typeNameOf(o)}`);
}
function propsOf(o, keys) {
  const out = [];
  if (o instanceof GVertex) {
    if (keys.length === 0) for (const list of o.props.values()) out.push(...list);
    else for (const k of keys) out.push(...o.props.get(k) ?? []);
  } else if (o instanceof GEdge) {
    if (keys.length === 0) for (const [k, v] of o.props) out.push(new GProperty(k, v, o));
    else for (const k of keys) if (o.props.has(k)) out.push(new GProperty(k, o.props.get(k), o));
  } else if (o instanceof GVertexProperty) {
    if (keys.length === 0) for (const [k, v] of o.meta) out.push(new GProperty(k, v, o));
    else for (const k of keys) if (o.meta.has(k)) out.push(new GProperty(k, o.meta.get(k), o));
  } else if (o instanceof Map) {
    for (const k of keys.length ? keys : [...o.keys()])
      if (o.has(k)) out.push(new GProperty(String(k), o.get(k), null));
  }
  return out;
}
function propValue(o, key) {
  if (o instanceof Map) return o.get(key);
  if (o instanceof GVertex) return o.props.get(key)?.[0]?.value;
  if (o instanceof GEdge) return o.props.get(key);
  const p = propsOf(o, [key]);
  return p.length ? p[0].value : void 0;
}
function firstPropValue(o, key) {
  if (o instanceof GVertex) {
    const list = o.props.get(key);
    return list?.length ? list[0].value : NO_VALUE;
  }
  const p = propsOf(o, [key]);
  return p.length ? p[0].value : NO_VALUE;
}
function adjacentV(o, dir, labels) {
  if (!(o instanceof GVertex)) return [];
  const ok = (e) => labels.length === 0 || labels.includes(e.label);
  const out = [];
  if (dir !== "in") {
    for (const e of o.outE) if (ok(e)) out.push(e.inV);
  }
  if (dir !== "out") {
    for (const e of o.inE) if (ok(e)) out.push(e.outV);
  }
  return out;
}
function incidentE(o, dir, labels) {
  if (!(o instanceof GVertex)) return [];
  const ok = (e) => labels.length === 0 || labels.includes(e.label);
  const out = [];
  if (dir !== "inE") {
    for (const e of o.outE) if (ok(e)) out.push(e);
  }
  if (dir !== "outE") {
    for (const e of o.inE) if (ok(e)) out.push(e);
  }
  return out;
}
function collectLabels(steps) {
  const out = [];
  for (const st of steps) {
    if (st.name === "as") out.push(...st.args);
    if (st.name === "where" && typeof st.args[0] === "string") out.push(st.args[0]);
    if (st.name === "where" && isP(st.args[st.args.length - 1])) {
      const p = st.args[st.args.length - 1];
      if (typeof p.value === "string") out.push(p.value);
    }
    for (const a of st.args) if (isBytecode(a)) out.push(...collectLabels(compile(a)));
  }
  return out;
}
function predicateNamesAny(p, labels) {
  if (p.operator === "and" || p.operator === "or") {
    return predicateNamesAny(p.value, labels) || predicateNamesAny(p.other, labels);
  }
  if (p.operator === "not") return predicateNamesAny(p.value, labels);
  const vals = Array.isArray(p.value) ? p.value : [p.value];
  return vals.some((v) => typeof v === "string" && labels.has(v));
}
function sameObj(a, b) {
  return a === b || gEquals(a, b);
}
function isCollection(x) {
  return Array.isArray(x) || x instanceof Set || x instanceof PathValue;
}
function toList(x) {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  if (x instanceof Map) return [...x].map(([k, v]) => new MapEntry(k, v));
  if (x === null || x === void 0) return [];
  return [x];
}
function unfoldValue(x) {
  if (Array.isArray(x)) return x;
  if (x instanceof Set) return [...x];
  if (x instanceof PathValue) return x.objects;
  if (x instanceof Map) return [...x].map(([k, v]) => new MapEntry(k, v));
  return [x];
}
function primitiveKey(x) {
  if (x instanceof GVertex) return `v:${valueKey(x.id)}`;
  if (x instanceof GEdge) return `e:${valueKey(x.id)}`;
  if (typeof x === "number" && Number.isNaN(x)) return "NaN";
  const k = valueKey(x);
  return k;
}
function shuffle(xs) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
function describe(o) {
  if (o instanceof GVertex) return `v[${String(o.id)}]`;
  if (o instanceof GEdge) return `e[${String(o.id)}][${String(o.outV.id)}-${o.label}->${String(o.inV.id)}]`;
  if (o instanceof GVertexProperty) return `vp[${o.key}->${String(o.value)}]`;
  if (Array.isArray(o)) return `[${o.map(describe).join(", ")}]`;
  return String(o);
}
function addNums(x, y) {
  if (typeof x === "bigint" || typeof y === "bigint") return BigInt(x) + BigInt(y);
  return x + y;
}
function reduceValues(name, items) {
  switch (name) {
    case "count":
      return items.length;
    case "sum": {
      const nums = items.filter((x) => x !== null);
      for (const x of nums)
        if (!isNum(x)) throw new GremlinEngineError(`The sum() step only works on numbers but found ${typeNameOf(x)}`);
      if (!nums.length) return items.length ? null : void 0;
      return nums.reduce((acc, x) => addNums(acc, x), nums.shift());
    }
    case "mean": {
      const nums = items.filter((x) => x !== null);
      for (const x of nums)
        if (!isNum(x)) throw new GremlinEngineError(`The mean() step only works on numbers but found ${typeNameOf(x)}`);
      if (!nums.length) return items.length ? null : void 0;
      return nums.reduce((acc, x) => acc + Number(x), 0) / nums.length;
    }
    case "max":
    case "min": {
      const vals = items.filter((x) => x !== null && x !== void 0);
      if (!vals.length) return items.length ? null : void 0;
      for (const x of vals) {
        if (!(isNum(x) || typeof x === "string" || x instanceof Date || typeof x === "boolean")) {
          throw new GremlinEngineError(`The ${name}() step cannot compare ${typeNameOf(x)}`);
        }
      }
      let best = vals[0];
      for (const x of vals.slice(1)) {
        const c = gCompare(x, best);
        if (name === "max" ? c > 0 : c < 0) best = x;
      }
      return best;
    }
    default:
      throw new GremlinEngineError(`Unknown reducer ${name}`);
  }
}
function applyOperator(op, a, b) {
  const name = isEnum(op) ? op.elementName : String(op);
  switch (name) {
    case "sum":
    case "sumLong":
      return addNums(a ?? 0, b ?? 0);
    case "minus":
      return a - b;
    case "mult":
      return typeof a === "bigint" || typeof b === "bigint" ? BigInt(a) * BigInt(b) : a * b;
    case "div":
      if (Number.isInteger(a) && Number.isInteger(b)) {
        if (b === 0) throw new GremlinEngineError("/ by zero");
        return Math.trunc(a / b);
      }
      return a / b;
    case "min":
      return gCompare(a, b) <= 0 ? a : b;
    case "max":
      return gCompare(a, b) >= 0 ? a : b;
    case "assign":
      return b;
    case "and":
      return Boolean(a) && Boolean(b);
    case "or":
      return Boolean(a) || Boolean(b);
    case "addAll": {
      if (a instanceof Map && b instanceof Map) return new Map([...a, ...b]);
      if (a instanceof Set) return /* @__PURE__ */ new Set([...a, ...toList(b)]);
      return [...toList(a), ...toList(b)];
    }
    default:
      throw new GremlinEngineError(`Unsupported operator ${name}`);
  }
}

// src/emulators/gremlin/engine/index.ts
var Tree = class {
  constructor(entries) {
    this.entries = entries;
  }
  entries;
};
var MUTATING = /* @__PURE__ */ new Set(["addV", "addE", "property", "drop", "mergeV", "mergeE"]);
function cloneInit(v) {
  if (Array.isArray(v)) return [...v];
  if (v instanceof Map) return new Map(v);
  if (v instanceof Set) return new Set(v);
  return v;
}
var PATH_STEPS = /* @__PURE__ */ new Set([
  "path",
  "select",
  "as",
  "simplePath",
  "cyclicPath",
  "tree",
  "match",
  "where",
  "sack",
  "math",
  "otherV",
  "subgraph",
  "format",
  "index"
]);
function isPathless(bc) {
  if (bc.sourceInstructions.some((ins) => ins[0] === "withSack")) return false;
  return bc.stepInstructions.every(
    (ins) => !PATH_STEPS.has(ins[0]) && !(ins[0] === "dedup" && ins.slice(1).some((x) => typeof x === "string")) && ins.slice(1).every((x) => !isBytecode(x) || isPathless(x))
  );
}
function collectAsLabels(bc, out) {
  for (const ins of bc.stepInstructions) {
    if (ins[0] === "as") for (const x of ins.slice(1)) out.add(String(x));
    for (const x of ins.slice(1)) collectNestedAsLabels(x, out);
  }
  return out;
}
function collectNestedAsLabels(x, out) {
  if (isBytecode(x)) collectAsLabels(x, out);
  else if (Array.isArray(x)) for (const y of x) collectNestedAsLabels(y, out);
  else if (x instanceof Map) for (const [k, v] of x) collectNestedAsLabels(k, out), collectNestedAsLabels(v, out);
}
function hasMutation(bc) {
  return bc.stepInstructions.some(
    (ins) => MUTATING.has(ins[0]) || ins.slice(1).some((x) => isBytecode(x) && hasMutation(x))
  );
}
function executeTraversal(graph2, bytecode, options = {}) {
  const ctx = {
    graph: graph2,
    sideEffects: new Map(Object.entries(options.sideEffects ?? {})),
    productiveBy: false,
    sideEffectOps: /* @__PURE__ */ new Map(),
    pathless: isPathless(bytecode),
    pathLabels: collectAsLabels(bytecode, /* @__PURE__ */ new Set()),
    withBulk: true,
    strategies: /* @__PURE__ */ new Map(),
    deadline: options.deadline !== void 0 && Number.isFinite(options.deadline) ? options.deadline : options.timeoutMs === void 0 ? void 0 : Date.now() + options.timeoutMs
  };
  for (const ins of bytecode.sourceInstructions) {
    const [name, ...args] = ins;
    switch (name) {
      case "withBulk":
        ctx.withBulk = args[0] !== false;
        break;
      case "withSideEffect":
        ctx.sideEffects.set(String(args[0]), cloneInit(args[1]));
        if (args.length > 2) ctx.sideEffectOps.set(String(args[0]), args[2]);
        break;
      case "withSack": {
        const init = args[0];
        if (isBytecode(init)) throw new GremlinEngineError("withSack() supplier traversals are not supported");
        ctx.sack = { init: () => cloneInit(init), merge: args.length >= 2 ? args[args.length - 1] : void 0 };
        break;
      }
      case "withStrategies":
        for (const st of args) {
          const s = st;
          const short = String(s.fqcn ?? st).split(".").pop();
          ctx.strategies.set(short, s.configuration ?? {});
          if (short === "ProductiveByStrategy") ctx.productiveBy = true;
        }
        break;
      default:
        break;
    }
  }
  if (ctx.strategies.has("ReadOnlyStrategy") && hasMutation(bytecode)) {
    throw new GremlinEngineError("The provided traversal has a mutating step and thus is not read only");
  }
  const machine = new Machine(ctx);
  const results = machine.expand(machine.run(compile(bytecode), []));
  return results.map((t) => toResult(t.o));
}
function toResult(x) {
  if (x === null || x === void 0 || typeof x !== "object") return x;
  if (x instanceof GVertex) return new Vertex(x.id, x.label, void 0);
  if (x instanceof GEdge) {
    return new Edge(
      x.id,
      new Vertex(x.outV.id, x.outV.label, void 0),
      x.label,
      new Vertex(x.inV.id, x.inV.label, void 0),
      void 0
    );
  }
  if (x instanceof GVertexProperty) return new VertexProperty(x.id, x.key, toResult(x.value), void 0);
  if (x instanceof GProperty) return new Property(x.key, toResult(x.value));
  if (x instanceof PathValue) return new Path(x.labels, x.objects.map(toResult));
  if (x instanceof MapEntry) return /* @__PURE__ */ new Map([[toResult(x.key), toResult(x.value)]]);
  if (x instanceof TreeValue) return new Tree(x.entries.map(([k, v]) => [toResult(k), toResult(v)]));
  if (Array.isArray(x)) return x.map(toResult);
  if (x instanceof Set) return new Set([...x].map(toResult));
  if (x instanceof Map) return new Map([...x].map(([k, v]) => [toResult(k), toResult(v)]));
  if (isEnum(x) && !(x instanceof EnumValue)) {
    const e = x;
    return new EnumValue(e.typeName, e.elementName);
  }
  return x;
}

// ../../tmp/p1/prof.ts
var PERSONS = 1e4;
var EDGES = 1e5;
function rng(seed) {
  let a = seed;
  return () => {
    a = a + 1831565813 | 0;
    let t = Math.imul(a ^ a >>> 15, 1 | a);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var graph = new TinkerGraphLike({ ids: "uuid" });
var adj = /* @__PURE__ */ new Map();
for (let i = 0; i < PERSONS; i++) {
  const v = graph.addVertex("person", `p${i}`);
  graph.setVertexProperty(v, "name", `person ${i}`);
  graph.setVertexProperty(v, "_name", `person ${i}`);
  graph.setVertexProperty(v, "owner_id", `u${i}`);
  adj.set(`p${i}`, /* @__PURE__ */ new Set());
}
var rand = rng(42);
var made = 0;
while (made < EDGES) {
  const a = `p${Math.floor(rand() * PERSONS)}`, b = `p${Math.floor(rand() * PERSONS)}`;
  if (a === b || adj.get(a).has(b)) continue;
  graph.addEdge("knows", graph.vertex(a), graph.vertex(b)).props.set("weight", 1);
  adj.get(a).add(b);
  adj.get(b).add(a);
  made++;
}
var Q = {
  bench: 'g.V(uid).as("me").both("knows").aggregate("f").both("knows").where(neq("me")).where(without("f")).groupCount().order(local).by(values, desc).limit(local, 10)',
  full: 'g.inject(1).coalesce(__.V(uid).hasLabel("person"), __.V().has("person","owner_id",uid)).aggregate("u").both("knows").where(without("u")).dedup().aggregate("f").flatMap(__.both("knows").dedup()).where(without("u")).where(without("f")).groupCount().unfold().order().by(values, desc).by(select(keys).values("_name")).by(select(keys).id()).limit(10).project("v","score").by(select(keys).elementMap("name","phone_number","company","job_title","email")).by(select(values))'
};
var which = process.argv[2] ?? "full";
var users = Array.from({ length: 200 }, (_, i) => `p${i * 37 % PERSONS}`);
var parsed = users.map((uid) => parseGremlinScript(Q[which], { uid }));
for (let i = 0; i < 40; i++) executeTraversal(graph, parsed[i]);
var N = Number(process.argv[3] ?? 1);
var times = [];
for (let r = 0; r < N; r++) for (const bc of parsed) {
  const t0 = performance.now();
  executeTraversal(graph, bc);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(which, "p50", times[times.length >> 1].toFixed(3), "ms");
console.log(JSON.stringify(executeTraversal(graph, parsed[0]).slice(0, 3), (k, v) => v instanceof Map ? [...v] : v).slice(0, 400));
