import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The `octember` commands as a user runs them (child processes, no `octember dev` running). */
const run = promisify(execFile);
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-cli-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function octember(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/octember.mjs', ...args], {
      env: { ...process.env, OCTEMBER_LOG_LEVEL: 'warn', OCTEMBER_LOG_FORMAT: 'json' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('octember invoke and events generate', () => {
  it('pipes a generated Firehose event into the transform and prints its result', async () => {
    const { stdout: event } = await run(process.execPath, [
      'bin/octember.mjs',
      'events',
      'generate',
      'kinesis',
      'kinesis-firehose',
      '--data',
      '{"a":1}',
    ]);
    const out = await octember(['invoke', 'kpl-deaggregate', '--event', '-', '--data-dir', dataDir], event);
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout) as { records: { result: string; data: string }[] };
    expect(result.records[0].result).toBe('Ok');
    expect(Buffer.from(result.records[0].data, 'base64').toString()).toBe('{"a":1}');
    expect(JSON.parse(out.stderr.trim().split('\n').at(-1) as string)).toMatchObject({
      function: 'kpl-deaggregate',
      outcome: 'success',
      source: 'firehose',
    });
  }, 60_000);

  it('exits 2 on an unknown function or an event that is not JSON, 1 on a function error', async () => {
    const unknown = await octember(['invoke', 'no-such-function', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown function no-such-function; the topology has put-object-api/);
    const bad = await octember(['invoke', 'kpl-deaggregate', '--event', '-', '--data-dir', dataDir], '{nope');
    expect(bad.code).toBe(2);
    const failing = await octember(['invoke', 'kpl-deaggregate', '--data-dir', dataDir], '');
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout)).toMatchObject({ errorType: 'TypeError' });
  }, 60_000);
});
