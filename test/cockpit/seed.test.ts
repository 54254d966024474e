import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProcess, startDev } from '../support/dev-process.js';

const run = promisify(execFile);
const API_KEY = 'a-key-of-my-own';
let dataDir: string;
let dev: DevProcess;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-seed-'));
  dev = await startDev({ dataDir, apiKey: API_KEY, fresh: true });
});

afterAll(async () => {
  dev?.child.kill('SIGTERM');
  await dev?.exited;
  await rm(dataDir, { recursive: true, force: true });
});

describe('octember seed against a running octember dev', () => {
  it("uses the running dev's own API key and reports cards at END, the items CSV and events", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, OCTEMBER_LOG_LEVEL: 'warn' };
    delete env.OCTEMBER_API_KEY; // this shell does not know the key dev was started with
    const { stdout } = await run(
      process.execPath,
      ['bin/octember.mjs', 'seed', '--data-dir', dataDir, '--limit', '2', '--events', '30'],
      { env, timeout: 180_000 },
    );
    expect(stdout).toMatch(/cards\s+2 uploaded, 2 at END, 0 FAILED/);
    expect(stdout).toMatch(/items\s+\S+sample-items\.csv \(\d+ rows\)/);
    expect(stdout).toMatch(/events\s+30 of 30 accepted/);
  });
});
