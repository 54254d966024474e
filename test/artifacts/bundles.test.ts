import { describe, expect, it } from 'vitest';
import { ensureBundles } from '../../src/targets/bundles.js';
import { TOPOLOGY } from '../../src/topology/index.js';
import { functionProcess } from './sdk-only.js';

/** What went into each function's bundle (esbuild's metafile) and how a bundle starts without its settings. */
const bundles = await ensureBundles();

const GRAPH_FUNCTIONS = TOPOLOGY.functions.filter((f) =>
  f.ports.some((p) => p === 'graph' || p === 'interactions' || p === 'recommender'),
);

describe('function bundles', () => {
  it('carry handlers, ports, domain and adapters only: nothing of the runtime, targets, emulators or CLI', () => {
    for (const fn of TOPOLOGY.functions) {
      const inputs = Object.keys(bundles.metafile(fn.name).inputs);
      const offending = inputs.filter((i) => /^src\/(runtime|targets|emulators|cli|infra\/[^c])/.test(i));
      expect(offending, fn.name).toEqual([]);
      expect(
        inputs.filter((i) => /tesseract|kinesis-local|aws-cdk-lib/.test(i)),
        fn.name,
      ).toEqual([]);
      expect(
        inputs.some((i) => i.includes('node_modules/@aws-sdk/')),
        `${fn.name} bundles no AWS SDK`,
      ).toBe(false);
    }
  });

  it('leave the canvas native module out of every bundle but get-text-from-image, which imports it', () => {
    for (const fn of TOPOLOGY.functions) {
      const meta = bundles.metafile(fn.name);
      const output = Object.values(meta.outputs)[0] as unknown as { imports: { path: string; external?: boolean }[] };
      const canvas = output.imports.filter((i) => i.path.startsWith('@napi-rs/canvas'));
      expect(canvas.length > 0, fn.name).toBe(fn.name === 'get-text-from-image');
      for (const i of canvas) expect(i.external).toBe(true);
    }
  });

  it('bundle gremlin into the graph functions (no require of it at run time)', () => {
    expect(GRAPH_FUNCTIONS.length).toBeGreaterThan(0);
    for (const fn of GRAPH_FUNCTIONS) {
      const inputs = Object.keys(bundles.metafile(fn.name).inputs);
      expect(
        inputs.some((i) => i.includes('node_modules/gremlin/')),
        fn.name,
      ).toBe(true);
    }
  });

  it('fail at cold start naming a missing setting, and run once it is given', async () => {
    const missing = functionProcess('events-api', bundles.functionDir('events-api'));
    try {
      await expect(missing.invoke({ body: '{}' }, {} as never)).rejects.toThrow(
        'events-api: environment variable OCTEMBER_EVENTS_STREAM is not set',
      );
    } finally {
      await missing.close();
    }
    const configured = functionProcess('events-api', bundles.functionDir('events-api'), {
      OCTEMBER_EVENTS_STREAM: 'octember-interactions',
    });
    try {
      // A bad request is answered by the handler itself, before any AWS call.
      const response = (await configured.invoke({ body: 'not json' }, {} as never)) as { statusCode: number };
      expect(response.statusCode).toBe(400);
    } finally {
      await configured.close();
    }
  });
});
