/**
 * `npm run bundle [function...]`: every function's deployable bundle in dist/lambda/<function>/ (index.mjs and, for
 * get-text-from-image, node_modules/ with the Linux x64 canvas binary), built with the options the CDK stack uses.
 * Prints each bundle's size and its cold import time beside only the AWS SDK (see scripts/bundle-report.ts).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFunction, PROJECT_ROOT } from '../src/infra/bundling.js';
import { functionDef, TOPOLOGY } from '../src/topology/index.js';

export const DIST_LAMBDA = join(PROJECT_ROOT, 'dist', 'lambda');

async function main(names: string[]): Promise<void> {
  const functions = names.length > 0 ? names.map((name) => functionDef(name)) : [...TOPOLOGY.functions];
  for (const fn of functions) {
    const started = performance.now();
    const outDir = join(DIST_LAMBDA, fn.name);
    await bundleFunction(fn, outDir);
    console.log(`${fn.name.padEnd(24)} ${outDir}  ${Math.round(performance.now() - started)} ms`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
