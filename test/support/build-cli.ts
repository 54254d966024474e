import { spawnSync } from 'node:child_process';

/**
 * vitest globalSetup: builds the `octember` command's bundle once (bin/octember.mjs builds it when src/ changed), so
 * the test files that spawn `octember` at the same time do not each build it.
 */
export default function setup(): void {
  const run = spawnSync(process.execPath, ['bin/octember.mjs', '--help'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bin/octember.mjs --help failed (${run.status}):\n${run.stderr}`);
  if (run.stderr.includes('could not build')) throw new Error(`the octember bundle did not build:\n${run.stderr}`);
}
