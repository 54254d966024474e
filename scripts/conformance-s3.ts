/**
 * Ceph's s3-tests (../shared/conformance/s3) against `octember emulate --services s3`, the command users run, as a
 * child process with the suite's users (scripts/conformance-s3-accounts.json). Fails under the pass rate threshold.
 * Usage: npx tsx scripts/conformance-s3.ts [--min 0.9] [run.sh args, e.g. --quiet, -k versioning, --junit out.xml]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runScript = path.resolve(root, '..', 'shared', 'conformance', 's3', 'run.sh');
const accounts = path.join(root, 'scripts', 'conformance-s3-accounts.json');

function startEmulator(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'bin', 'octember.mjs'),
      'emulate',
      '--services',
      's3',
      '--edge-port',
      '0',
      '--data-dir',
      dataDir,
      '--s3-accounts',
      accounts,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /AWS edge\s+(http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`octember emulate exited (${code}) before listening:\n${out}`)));
  });
}

async function main(): Promise<number> {
  if (!fs.existsSync(runScript)) {
    console.error(`s3-tests runner not found at ${runScript}`);
    return 2;
  }
  const args = process.argv.slice(2);
  const minAt = args.indexOf('--min');
  const min = minAt === -1 ? 0.9 : Number(args.splice(minAt, 2)[1]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'octember-s3-conformance-'));
  const { child, url } = await startEmulator(dataDir);
  try {
    let last = '';
    const code = await new Promise<number>((resolve) => {
      const run = spawn('bash', [runScript, '--url', url, ...args], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      run.stdout!.on('data', (chunk: Buffer) => {
        process.stdout.write(chunk);
        const lines = chunk.toString().trim().split('\n');
        last = lines[lines.length - 1] || last;
      });
      run.on('exit', (c) => resolve(c ?? 1));
    });
    const m = /^(\d+) passed, (\d+) failed, (\d+) skipped$/.exec(last.trim());
    if (!m) {
      console.error(`s3-tests did not finish (exit ${code})`);
      return code || 2;
    }
    const passed = Number(m[1]);
    const failed = Number(m[2]);
    const rate = passed / Math.max(1, passed + failed);
    console.log(`S3 conformance: ${(rate * 100).toFixed(1)} % passed (threshold ${(min * 100).toFixed(0)} %)`);
    return rate >= min ? 0 : 1;
  } finally {
    child.kill('SIGTERM');
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
