// src/emulators/gremlin/engine/graph.ts
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

// src/emulators/gremlin/engine/structure.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var gremlin = require2("gremlin");
var strategyModule = require2("gremlin/lib/process/traversal-strategy.js");
var { Bytecode, P, TextP, EnumValue } = gremlin.process;
var { Vertex, Edge, VertexProperty, Property, Path } = gremlin.structure;
var { TraversalStrategy } = strategyModule;
function isEnum(x, type) {
  return typeof x === "object" && x !== null && typeof x.typeName === "string" && typeof x.elementName === "string" && (type === void 0 || x.typeName === type);
}

// src/emulators/gremlin/engine/values.ts
function isNum(x) {
  return typeof x === "number" || typeof x === "bigint";
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

// ../../tmp/p1/dbg2.ts
var xs = Array.from({ length: 380 }, (_, i) => ({ keys: [1, `person ${i * 7919 % 1e4}`, "x"] }));
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  let n = 0;
  for (let k = 0; k < 200; k++) {
    const c = [...xs];
    c.sort((x, y) => {
      for (let i = 0; i < 3; i++) {
        n++;
        const v = gCompare(x.keys[i], y.keys[i]);
        if (v) return v;
      }
      return 0;
    });
  }
  console.log(((performance.now() - t0) / 200).toFixed(3), n / 200);
}
