import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type EmbeddedStack, startEmbeddedStack } from '../../../src/targets/embedded.js';

/** An embedded stack on free ports for one test file (started before its tests, closed and removed after). */
export function useEmbeddedStack(name: string, apiKey: string): { stack: EmbeddedStack; dataDir: string } {
  const handle = {} as { stack: EmbeddedStack; dataDir: string };
  beforeAll(async () => {
    handle.dataDir = await mkdtemp(join(tmpdir(), `octember-${name}-`));
    handle.stack = await startEmbeddedStack({
      dataDir: handle.dataDir,
      apiKey,
      apiPort: 0,
      edgePort: 0,
      ports: { opensearch: 0, gremlin: 0, redis: 0 },
    });
  }, 120_000);
  afterAll(async () => {
    await handle.stack?.close();
    if (handle.dataDir) await rm(handle.dataDir, { recursive: true, force: true });
  });
  return handle;
}

/** The files of a directory once there are some (the failure destination fills after retries), or [] at the deadline. */
export async function filesWhenThere(dir: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = await readdir(dir).catch(() => [] as string[]);
    if (files.length > 0 || Date.now() > deadline) return files;
    await new Promise((r) => setTimeout(r, 250));
  }
}
