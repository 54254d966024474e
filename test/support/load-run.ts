// N card uploads at C concurrent clients against `octember dev` (a child process): what was accepted, what reached
// END, what is stored once, how much memory the dev process (and its children) needed. Used by the load bench and,
// smaller, by the CI load test.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cardContentId } from '../../src/handlers/upsert-to-search.js';
import { cardStatus, peakRssMb, processTree, startDev, uploadCard } from './dev-process.js';

export interface LoadRunResult {
  uploads: number;
  clients: number;
  accepted: number;
  /** non-2xx answers or failed connections */
  errors: number;
  /** accepted but not at END when the run gave up waiting */
  lost: number;
  failed: number;
  /** search documents beyond one per owner and card content (a card an owner sends again updates its document) */
  duplicates: number;
  /** owner-and-card pairs with no search document */
  missingDocuments: number;
  uploadSeconds: number;
  endSeconds: number;
  cardsPerSecond: number;
  peakRssMb: number;
  peakTreeRssMb: number;
  /** RSS of the dev process sampled every 2 s, MB */
  rssSamples: number[];
}

const REAL = '../shared/fixtures/bizcards/real';

export async function loadRun(opts: {
  uploads: number;
  clients: number;
  endTimeoutMs: number;
}): Promise<LoadRunResult> {
  const apiKey = 'load-key';
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-load-'));
  const files = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
  const images = await Promise.all(files.map((f) => readFile(join(REAL, f))));
  const dev = await startDev({ dataDir, apiKey, detached: true, timeoutMs: 180_000 });
  const rssSamples: number[] = [];
  let peakTree = 0;
  const sampler = setInterval(() => {
    void (async () => {
      const status = await readFile(`/proc/${dev.pid}/status`, 'utf8').catch(() => '');
      rssSamples.push(Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024));
      peakTree = Math.max(peakTree, await peakRssMb(await processTree(dev.pid)));
    })();
  }, 2000);
  try {
    await dev.waitFor(/OCR model loaded/, 180_000);
    const ids = Array.from({ length: opts.uploads }, (_, i) => `l${i % 50}_${String(i).padStart(5, '0')}.jpg`);
    const accepted: string[] = [];
    let errors = 0;
    let next = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        while (next < ids.length) {
          const i = next++;
          const status = await uploadCard(dev.api, apiKey, ids[i], images[i % images.length]);
          if (status === 200) accepted.push(ids[i]);
          else errors++;
        }
      }),
    );
    const uploadSeconds = (Date.now() - t0) / 1000;
    const pending = new Set(accepted);
    /** owner/card content of every upload at END: one search document each is expected */
    const contents = new Set<string>();
    let failed = 0;
    const deadline = Date.now() + opts.endTimeoutMs;
    while (pending.size > 0 && Date.now() < deadline) {
      for (const id of [...pending]) {
        const s = await cardStatus(dev.api, apiKey, id);
        if (s?.status === 'END') {
          pending.delete(id);
          contents.add(`${id.split('_')[0]}/${cardContentId(s.data ?? {})}`);
        } else if (s?.status === 'FAILED') {
          failed++;
          pending.delete(id);
        }
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 1000));
    }
    const endSeconds = (Date.now() - t0) / 1000;
    const count = await fetch(`${dev.opensearch}/octember_bizcard/_count`);
    const documents = ((await count.json()) as { count: number }).count;
    const tree = await processTree(dev.pid);
    const result: LoadRunResult = {
      uploads: opts.uploads,
      clients: opts.clients,
      accepted: accepted.length,
      errors,
      lost: pending.size,
      failed,
      duplicates: Math.max(0, documents - contents.size),
      missingDocuments: Math.max(0, contents.size - documents),
      uploadSeconds,
      endSeconds,
      cardsPerSecond: accepted.length / endSeconds,
      peakRssMb: await peakRssMb([dev.pid]),
      peakTreeRssMb: Math.max(peakTree, await peakRssMb(tree)),
      rssSamples,
    };
    return result;
  } finally {
    clearInterval(sampler);
    dev.child.kill('SIGINT');
    await dev.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}
