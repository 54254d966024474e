// The gremlin-lang parser: scripts from TinkerPop's feature files become gremlin Bytecode.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBytecode, isEnum, isP } from '../../src/emulators/gremlin/engine/structure.js';
import {
  GremlinSyntaxError,
  parseGremlinScript,
  parseGremlinStatements,
} from '../../src/emulators/gremlin/language/index.js';
import { sharedPath } from '../support/shared.js';

const FEATURES = sharedPath('conformance', 'gremlin', 'features');

describe('parseGremlinScript', () => {
  it('parses steps, literals and anonymous traversals', () => {
    const bc = parseGremlinScript('g.V(1L).has("age", gt(30)).where(__.out("knows")).values(\'name\').limit(2i)');
    expect(bc.stepInstructions.map((i) => i[0])).toEqual(['V', 'has', 'where', 'values', 'limit']);
    expect(bc.stepInstructions[0][1]).toBe(1);
    const p = bc.stepInstructions[1][2];
    expect(isP(p) && p.operator).toBe('gt');
    expect(isBytecode(bc.stepInstructions[2][1])).toBe(true);
    expect(bc.stepInstructions[3][1]).toBe('name');
  });

  it('parses maps with enum keys, lists, sets and numeric suffixes', () => {
    const bc = parseGremlinScript('g.mergeV([(T.label): "person", name: "x", "k": [1, 2.5d, -3f], s: {1, 2}])');
    const m = bc.stepInstructions[0][1] as Map<unknown, unknown>;
    const keys = [...m.keys()];
    expect(isEnum(keys[0], 'T')).toBe(true);
    expect(m.get('name')).toBe('x');
    expect(m.get('k')).toEqual([1, 2.5, -3]);
    expect(m.get('s')).toEqual(new Set([1, 2]));
    expect(parseGremlinScript('g.inject([:])').stepInstructions[0][1]).toEqual(new Map());
  });

  it('parses source steps, qualified and bare enums', () => {
    const bc = parseGremlinScript(
      'g.withSideEffect("a", [1]).withSack(1.0d).V().order().by("age", desc).select(Pop.all, "a")',
    );
    expect(bc.sourceInstructions.map((i) => i[0])).toEqual(['withSideEffect', 'withSack']);
    const by = bc.stepInstructions[2];
    expect(isEnum(by[2], 'Order') && by[2].elementName).toBe('desc');
    expect(isEnum(bc.stepInstructions[3][1], 'Pop')).toBe(true);
  });

  it('resolves bindings and rejects unknown variables', () => {
    const bc = parseGremlinScript('g.V(vid1).out(xx1)', { vid1: 7, xx1: 'knows' });
    expect(bc.stepInstructions[0][1]).toBe(7);
    expect(bc.stepInstructions[1][1]).toBe('knows');
    expect(() => parseGremlinScript('g.V(nope)')).toThrow(/nope/);
  });

  it('splits statements on ; and new lines, chains continue across lines', () => {
    const all = parseGremlinStatements('g.addV("a");\ng.V().\n  count()\ng.E()');
    expect(all.map((b) => b.stepInstructions.map((i) => i[0]).join('.'))).toEqual(['addV', 'V.count', 'E']);
  });

  it('reports syntax errors', () => {
    expect(() => parseGremlinScript('g.V(')).toThrow(GremlinSyntaxError);
    expect(() => parseGremlinScript('g.V().has("a"')).toThrow(GremlinSyntaxError);
  });

  it('parses every traversal of the TinkerPop feature files', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.feature')) files.push(p);
      }
    };
    walk(FEATURES);
    const failures: string[] = [];
    let count = 0;
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/the traversal of\s*\n\s*"""\n([\s\S]*?)\n\s*"""/g)) {
        const script = m[1];
        // parameters are bindings in the feature files: bind every free identifier the parser asks for
        const bindings: Record<string, unknown> = {};
        for (let tries = 0; tries < 20; tries++) {
          try {
            parseGremlinStatements(script, bindings);
            count++;
            break;
          } catch (e) {
            const unbound = /No such property: (\w+)/.exec(String((e as Error).message));
            if (!unbound) {
              failures.push(`${f}: ${script.slice(0, 80)}: ${(e as Error).message}`);
              break;
            }
            bindings[unbound[1]] = 1;
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(1000);
  });
});
