/**
 * `npm run bundle [-- --measure] [function...]`: every function's deployable bundle in dist/lambda/<function>/
 * (index.mjs and, for get-text-from-image, node_modules/ with the Linux x64 canvas binary), built with the options
 * the CDK stack uses (src/infra/bundling.ts). `--measure` prints each bundle's size and its cold import time (median
 * of 3 fresh processes, each beside only the AWS SDK, as in Lambda).
 */
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLE_FILE, bundleFunction, PROJECT_ROOT } from '../src/infra/bundling.js';
import { createLambdaProcess } from '../src/runtime/lambda-process.js';
import { linkSdkOnlyModules } from '../src/targets/bundles.js';
import { functionDef, TOPOLOGY } from '../src/topology/index.js';

export const DIST_LAMBDA = join(PROJECT_ROOT, 'dist', 'lambda');

async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

async function importMs(name: string, dir: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const lambda = createLambdaProcess({
      functionName: name,
      dir,
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' },
      timeoutMs: 30_000,
    });
    try {
      times.push((await lambda.load()).importMs);
    } finally {
      await lambda.close();
    }
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

async function main(args: string[]): Promise<void> {
  const measure = args.includes('--measure');
  const names = args.filter((a) => !a.startsWith('--'));
  const functions = names.length > 0 ? names.map((name) => functionDef(name)) : [...TOPOLOGY.functions];
  const sandbox = measure ? mkdtempSync(join(tmpdir(), 'octember-measure-')) : undefined;
  if (sandbox) linkSdkOnlyModules(join(sandbox, 'node_modules'));
  try {
    if (measure)
      console.log('| function | index.mjs | with node_modules | import (cold start, median of 3) |\n|---|---|---|---|');
    for (const fn of functions) {
      const started = performance.now();
      const outDir = join(DIST_LAMBDA, fn.name);
      await bundleFunction(fn, outDir);
      const built = Math.round(performance.now() - started);
      if (!sandbox) {
        console.log(`${fn.name.padEnd(24)} ${outDir}  ${built} ms`);
        continue;
      }
      cpSync(outDir, join(sandbox, fn.name), { recursive: true });
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
      const total = await directoryBytes(outDir);
      const mjs = statSync(join(outDir, BUNDLE_FILE)).size;
      const ms = await importMs(fn.name, join(sandbox, fn.name), 3);
      console.log(
        `| ${fn.name} | ${kb(mjs)} | ${total === mjs ? '–' : `${(total / 1024 / 1024).toFixed(1)} MB`} | ${Math.round(ms)} ms |`,
      );
    }
  } finally {
    if (sandbox) rmSync(sandbox, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
