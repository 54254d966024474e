/**
 * Plays OpenSearch's own REST YAML tests (../shared/conformance/opensearch) against the embedded OpenSearch emulator.
 * Usage: npx tsx scripts/conformance-opensearch.ts [runner args, e.g. --tests DIR --filter RE --quiet --json out.json]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpenSearch } from '../src/emulators/opensearch/index.js';
import { SearchEngine } from '../src/emulators/search-engine/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runner = path.resolve(root, '..', 'shared', 'conformance', 'opensearch', 'run.mjs');

async function main(): Promise<number> {
  if (!fs.existsSync(runner)) {
    console.error(`conformance runner not found at ${runner}`);
    return 2;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'octember-os-conformance-'));
  const engine = new SearchEngine({ dataDir });
  const server = await startOpenSearch({ port: 0, engine });
  try {
    const args = [runner, '--url', server.url, ...process.argv.slice(2)];
    return await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await server.close();
    engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
