import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { startGremlinServer } from '../../src/emulators/gremlin/index.js';
import { takeStartupNotes } from '../../src/lib/startup-notes.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('Gremlin emulator durability', () => {
  it('keeps every acknowledged change through kill -9, edge ids included', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'octember-graph-kill-'));
    dirs.push(dataDir);
    const host = spawn(process.execPath, ['--import', 'tsx', 'test/safety/support/gremlin-host.ts', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, OCTEMBER_LOG_LEVEL: 'silent' },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      host.stdout!.on('data', (d) => {
        out += d;
        const m = /GREMLIN (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      host.once('exit', (code) => reject(new Error(`host exited (${code}): ${out}`)));
    });
    const store = createGremlinGraphStore({ url });
    const acknowledged: string[] = [];
    for (let i = 0; i < 60; i++) {
      const person = {
        name: `Person ${i}`,
        email: `p${i}@example.com`,
        phone_number: null,
        company: 'Acme',
        job_title: null,
      };
      await store.upsertContact(`owner${i % 3}`, person, 1);
      acknowledged.push(person.email);
    }
    const edgesBefore = (await store.traversal().E().hasLabel('knows').id().toList()).map(String).sort();
    // at once: the debounced snapshot has not been written for the last changes
    host.kill('SIGKILL');
    await new Promise((r) => host.once('exit', r));
    await store.close().catch(() => undefined);

    const server = await startGremlinServer({ port: 0, dataDir });
    const again = createGremlinGraphStore({ url: server.url });
    try {
      const emails = (await again.traversal().V().hasLabel('person').values('email').toList()).map(String);
      expect(emails.sort()).toEqual([...acknowledged].sort());
      const edgesAfter = (await again.traversal().E().hasLabel('knows').id().toList()).map(String).sort();
      expect(edgesAfter).toEqual(edgesBefore);
      expect(edgesAfter).toHaveLength(60);
      // changes after the last snapshot came back from the mutation log, and the start-up said so
      for (const note of takeStartupNotes(dataDir))
        expect(note.message).toMatch(
          /\d+ graph change\(s\) made after the last snapshot replayed from the mutation log$/,
        );
    } finally {
      await again.close();
      await server.close();
    }
  }, 60_000);
});
