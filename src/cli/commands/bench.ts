import { readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchModule, BenchResult } from '../../lib/bench-result.js';
import { importEsm } from '../../lib/import-esm.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench');

/** Runs bench/<area>.bench.ts modules one after another (never in parallel: they measure the machine). */
export async function runBench(areas: string[], opts: { json?: string }): Promise<number> {
  const available = (await readdir(benchDir))
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''));
  const selected = areas.length > 0 ? areas : available;
  const missing = selected.filter((a) => !available.includes(a));
  if (missing.length > 0) {
    console.error(`unknown bench area(s): ${missing.join(', ')}; available: ${available.join(', ')}`);
    return 64;
  }
  // The benches are TypeScript; the CLI itself may run compiled (bin/octember.mjs), so TypeScript loading is added here.
  if (!import.meta.url.endsWith('.ts')) ((await importEsm('tsx/esm/api')) as typeof import('tsx/esm/api')).register();
  const all: (BenchResult & { area: string })[] = [];
  let failed = 0;
  for (const area of selected) {
    console.log(`\n== ${area}`);
    try {
      const mod = (await importEsm(pathToFileURL(join(benchDir, `${area}.bench.ts`)).href)) as BenchModule;
      for (const result of await mod.run()) {
        all.push({ area, ...result });
        console.log(formatRow(result));
      }
    } catch (error) {
      failed++;
      console.error(`  ${area} failed: ${(error as Error).stack ?? error}`);
    }
  }
  if (opts.json) await writeFile(opts.json, `${JSON.stringify(all, null, 2)}\n`);
  return failed > 0 ? 1 : 0;
}

function formatRow(r: BenchResult): string {
  const value = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(r.value < 10 ? 2 : 1);
  const target = r.target ? `  (target ${r.target})` : '';
  const note = r.note ? `  ${r.note}` : '';
  return `  ${r.name.padEnd(48)} ${value.padStart(10)} ${r.unit}${target}${note}`;
}
