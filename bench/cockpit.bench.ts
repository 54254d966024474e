import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startHotReload } from '../src/cockpit/hot-reload.js';
import { createKplDeaggregate } from '../src/handlers/kpl-deaggregate.js';
import type { BenchResult } from '../src/lib/bench-result.js';
import { createInvoker } from '../src/runtime/invoker.js';
import type { Adapters } from '../src/targets/adapters.js';
import { startStack } from '../src/testing/index.js';
import { chromiumAvailable, launchChromium } from '../test/support/chromium.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const max = (values: number[]) => Math.max(...values);

/** Save → the new code answering an invocation, over a copy of src/ (the real files stay untouched). */
async function hotReload(): Promise<BenchResult[]> {
  await mkdir('.octember', { recursive: true });
  const root = await mkdtemp(join(process.cwd(), '.octember', 'bench-hot-reload-'));
  await cp('src', join(root, 'src'), { recursive: true });
  await cp('tsconfig.json', join(root, 'tsconfig.json'));
  const invoker = createInvoker();
  invoker.register('kpl-deaggregate', createKplDeaggregate());
  const reload = await startHotReload({
    invoker,
    adapters: { settings: {} } as unknown as Adapters,
    root,
    debounceMs: 10,
  });
  const file = join(root, 'src/handlers/kpl-deaggregate.ts');
  const original = await readFile(file, 'utf8');
  const event = {
    invocationId: 'i',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:0:deliverystream/d',
    region: 'us-east-1',
    records: [],
  };
  const latencies: number[] = [];
  const loads: number[] = [];
  try {
    for (let i = 0; i <= 10; i++) {
      const marker = `v${i}`;
      const saved = performance.now();
      await writeFile(
        file,
        original.replace(
          'return { records };',
          `return { records, marker: '${marker}' } as FirehoseTransformationResult;`,
        ),
      );
      for (;;) {
        const result = (await invoker.invoke('kpl-deaggregate', event)) as { marker?: string };
        if (result.marker === marker) break;
        await new Promise((r) => setTimeout(r, 1));
        if (performance.now() - saved > 60_000) throw new Error('the new code never served');
      }
      if (i > 0) latencies.push(performance.now() - saved); // the first one also loads tsx's loader
      const report = await reload.settled(); // the type check of this save, before the next one
      if (i > 0 && report?.loadMs !== undefined) loads.push(report.loadMs);
    }
  } finally {
    await reload.close();
    await rm(root, { recursive: true, force: true });
  }
  return [
    {
      name: 'hot reload: save → new code serving, p50',
      value: median(latencies),
      unit: 'ms',
      target: '<= 300 ms',
      note: `${latencies.length} saves`,
    },
    { name: 'hot reload: save → new code serving, max', value: max(latencies), unit: 'ms' },
    { name: 'hot reload: file event → new code registered, p50', value: median(loads), unit: 'ms' },
  ];
}

/** `startStack()` from `octember-kit/testing`: in-process, free ports, own data dir. */
async function testStack(): Promise<BenchResult[]> {
  const ready: number[] = [];
  let dashboard: BenchResult[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const stack = await startStack();
    ready.push(performance.now() - started);
    if (i === 2) dashboard = await firstPaint(stack.endpoints.dashboard);
    await stack.stop();
  }
  return [
    {
      name: 'test stack ready (startStack, in-process), median of 3',
      value: median(ready),
      unit: 'ms',
      target: '<= 500 ms',
      note: ready.map((r) => Math.round(r)).join(' / '),
    },
    ...dashboard,
  ];
}

/** The dashboard in Chromium: first contentful paint and the pipeline drawn with live counts. */
async function firstPaint(url: string): Promise<BenchResult[]> {
  if (!chromiumAvailable()) return [];
  const browser = await launchChromium();
  const paints: number[] = [];
  const drawn: number[] = [];
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    for (let i = 0; i < 4; i++) {
      await page.goto(url);
      await page.waitForSelector('body[data-ready="pipeline"] svg.pipeline');
      const m = (await page.evaluate(
        `({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime, ready: performance.getEntriesByName('cockpit-ready')[0]?.startTime })`,
      )) as { fcp: number; ready: number };
      if (i > 0) {
        paints.push(m.fcp);
        drawn.push(m.ready);
      }
    }
  } finally {
    await browser.close();
  }
  return [
    { name: 'dashboard first contentful paint, median of 3', value: median(paints), unit: 'ms' },
    { name: 'dashboard pipeline drawn with counts, median of 3', value: median(drawn), unit: 'ms' },
  ];
}

export async function run(): Promise<BenchResult[]> {
  return [...(await hotReload()), ...(await testStack())];
}
