import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { createGremlinGraphStore } from '../../src/adapters/gremlin/graph-store.js';
import { cardContentId } from '../../src/handlers/upsert-to-search.js';
import { isAlive } from '../../src/lib/child-process.js';
import {
  type CardStatus,
  cardStatus,
  type DevProcess,
  processTree,
  startDev,
  uploadCard,
} from '../support/dev-process.js';

/**
 * Crash safety of `octember dev`: a 200-card upload run is interrupted twice by kill -9 — first the dev process
 * alone (its children must go by themselves), then the dev process and its children at the same instant (a power
 * cut as far as the kit can tell) — and every upload that was answered 2xx reaches END exactly once.
 */
const REAL = '../shared/fixtures/bizcards/real';
const API_KEY = 'crash-key';
const UPLOADS = 200;
const CLIENTS = 8;

const running: DevProcess[] = [];
let dataDir: string;
afterAll(async () => {
  for (const dev of running) {
    try {
      process.kill(-dev.pid, 'SIGKILL');
    } catch {}
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function startRun(): Promise<{ dev: DevProcess; tree: number[]; accepted: number }> {
  const dev = await startDev({ dataDir, apiKey: API_KEY, detached: true, timeoutMs: 180_000 });
  running.push(dev);
  await dev.waitFor(/OCR model loaded/, 180_000);
  return { dev, tree: await processTree(dev.pid), accepted: 0 };
}

/** Resolves when `done()` holds; throws if `work` ended before. */
async function until(done: () => boolean, work: Promise<void>): Promise<void> {
  let ended = false;
  void work.finally(() => {
    ended = true;
  });
  while (!done()) {
    if (ended) throw new Error('the uploads stopped before the crash point');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const waitGone = async (pids: number[], ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return pids.filter(isAlive);
};

describe('kill -9 of octember dev in the middle of a 200-card upload run', () => {
  it('loses no accepted upload and duplicates none', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'octember-crash-'));
    const files = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
    const images = await Promise.all(files.map((f) => readFile(join(REAL, f))));
    const cards = Array.from({ length: UPLOADS }, (_, i) => ({
      id: `u${i % 7}_k${String(i).padStart(4, '0')}.jpg`,
      body: images[i % images.length],
    }));
    const accepted = new Set<string>();
    const queue = [...cards];
    /** Uploads until `stopAt` cards were accepted (or all were), CLIENTS at a time; returns when they stop. */
    const uploadUntil = async (api: string, stopAt: number) => {
      await Promise.all(
        Array.from({ length: CLIENTS }, async () => {
          while (accepted.size < stopAt && queue.length > 0) {
            const card = queue.shift()!;
            const status = await uploadCard(api, API_KEY, card.id, card.body);
            if (status >= 200 && status < 300) accepted.add(card.id);
            else if (status === 0) {
              queue.unshift(card); // connection lost: not accepted, sent again to the next run
              return;
            } else throw new Error(`upload ${card.id}: HTTP ${status}`);
          }
        }),
      );
    };

    // run 1: kill -9 of the dev process alone, in the middle of uploads and processing
    const first = await startRun();
    const firstUploads = uploadUntil(first.dev.api, 70);
    await until(() => accepted.size >= 70, firstUploads);
    process.kill(first.dev.pid, 'SIGKILL');
    first.accepted = accepted.size;
    await firstUploads;
    expect(await waitGone(first.tree)).toEqual([]); // redis-server went by itself

    // run 2: kill -9 of the whole process group at once
    const second = await startRun();
    const secondUploads = uploadUntil(second.dev.api, 140);
    await until(() => accepted.size >= 140, secondUploads);
    process.kill(-second.dev.pid, 'SIGKILL');
    second.accepted = accepted.size;
    await secondUploads;
    expect(await waitGone(second.tree)).toEqual([]);

    // run 3: the rest, then everything accepted must reach END
    const beforeCrash = new Set(accepted);
    const restartedAt = Date.now();
    const third = await startRun();
    await uploadUntil(third.dev.api, UPLOADS);
    expect(accepted.size).toBe(UPLOADS);
    const statuses = new Map<string, CardStatus>();
    const endSeenAt = new Map<string, number>();
    const deadline = Date.now() + 480_000;
    while (statuses.size < accepted.size && Date.now() < deadline) {
      for (const id of accepted) {
        if (statuses.has(id)) continue;
        const s = await cardStatus(third.dev.api, API_KEY, id);
        if (s?.status !== 'END') continue;
        statuses.set(id, s);
        endSeenAt.set(id, Date.now());
      }
      if (statuses.size < accepted.size) await new Promise((r) => setTimeout(r, 500));
    }
    // recovery: from the restart until every upload accepted before the crash is at END (the new ones compete)
    const recoveryMs = Math.max(...[...beforeCrash].map((id) => endSeenAt.get(id) ?? Date.now())) - restartedAt;
    const notEnded = [...accepted].filter((id) => !statuses.has(id));
    expect(notEnded).toEqual([]);

    // search: one document per owner and card content (a card an owner uploads again updates its document)
    const search = await fetch(
      `${third.dev.opensearch}/octember_bizcard/_search?size=1000&_source=owner,content_id,image_id`,
    );
    const hits = (
      (await search.json()) as {
        hits: { hits: { _source: { owner: string; content_id: string; image_id: string } }[] };
      }
    ).hits.hits;
    const perContent = new Map<string, number>();
    for (const { _source: d } of hits)
      perContent.set(`${d.owner}/${d.content_id}`, (perContent.get(`${d.owner}/${d.content_id}`) ?? 0) + 1);
    expect([...perContent.values()].filter((n) => n > 1)).toEqual([]);
    // expected: the distinct (owner, card content) pairs of the accepted uploads, from the fields each one ended with
    const cardsByOwner = new Set(
      [...statuses].map(([id, st]) => `${id.split('_')[0]}/${cardContentId(st.data ?? {})}`),
    );
    expect(hits.length).toBe(cardsByOwner.size);
    expect(new Set(perContent.keys())).toEqual(cardsByOwner);
    for (const { _source: d } of hits) expect(accepted.has(d.image_id)).toBe(true);

    // graph: one knows edge per (owner, person), nothing twice
    let edgeCount = 0;
    const graph = createGremlinGraphStore({ url: third.dev.gremlin });
    try {
      const pairs = (
        await graph.traversal().E().hasLabel('knows').project('o', 'i').by(graphOut()).by(graphIn()).toList()
      ).map((m: Map<string, unknown>) => `${m.get('o')}→${m.get('i')}`);
      expect(pairs.length).toBe(new Set(pairs).size);
      const expectedPairs = new Set(
        [...statuses].map(([id, s]) => `${id.split('_')[0]}→${(s.data?.email ?? s.data?.name ?? '').toLowerCase()}`),
      );
      expect(pairs.length).toBe(expectedPairs.size);
      edgeCount = pairs.length;
    } finally {
      await graph.close();
    }

    // S3: one copy per upload under bizcard-by-user/
    const s3 = new S3Client({
      endpoint: third.dev.edge,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const copies: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: 'octember-bizcard', Prefix: 'bizcard-by-user/', ContinuationToken: token }),
      );
      copies.push(...(page.Contents ?? []).map((o) => o.Key!.split('/').pop()!));
      token = page.NextContinuationToken;
    } while (token);
    s3.destroy();
    expect(new Set(copies)).toEqual(accepted);

    const recovered = (dev: DevProcess) =>
      (dev.output().split('Recovered at start-up:')[1] ?? '').split('\n\n')[0].trim();
    console.log(
      [
        `crash runs: 2 (kill -9 of dev alone after ${first.accepted} accepted; of the whole group after ${second.accepted})`,
        `${accepted.size} accepted, ${statuses.size} at END exactly once (search ${hits.length} documents for ${hits.length} owner/card pairs, graph ${edgeCount} edges, ${copies.length} copies)`,
        `restart → up: ${second.dev.upAfterMs} ms and ${third.dev.upAfterMs} ms; restart → all ${beforeCrash.size} pre-crash uploads at END: ${recoveryMs} ms`,
        `second start: ${recovered(second.dev)}`,
        `third start: ${recovered(third.dev)}`,
      ].join('\n'),
    );
    process.kill(third.dev.pid, 'SIGINT');
    await third.dev.exited;
    expect(await waitGone(third.tree)).toEqual([]);
  }, 900_000);
});

const gremlinStatics = createRequire(import.meta.url)('gremlin').process.statics;
const graphOut = () => gremlinStatics.outV().id();
const graphIn = () => gremlinStatics.inV().id();
