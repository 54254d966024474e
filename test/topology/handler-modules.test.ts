import { describe, expect, it } from 'vitest';
import { HANDLER_MODULES } from '../../src/handlers/modules.js';
import { handlerOf } from '../../src/targets/functions.js';
import { TOPOLOGY } from '../../src/topology/index.js';

describe('handler modules the CLI bundle follows', () => {
  it('lists every function of the topology, each module exporting that function', async () => {
    for (const fn of TOPOLOGY.functions) {
      const load = HANDLER_MODULES[fn.handler];
      expect(load, `${fn.handler} is missing from src/handlers/modules.ts`).toBeTypeOf('function');
      expect(handlerOf(await load(), fn).functionName).toBe(fn.name);
    }
  });

  it('lists nothing the topology does not name', () => {
    const named = new Set(TOPOLOGY.functions.map((fn) => fn.handler));
    expect(Object.keys(HANDLER_MODULES).filter((name) => !named.has(name))).toEqual([]);
  });
});
