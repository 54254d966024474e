import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCanvasImageCropper } from '../src/adapters/canvas/image-cropper.js';
import { createTesseractOcr } from '../src/adapters/tesseract/ocr.js';
import { TesseractPool } from '../src/emulators/textract/index.js';
import { parallelRereads } from '../src/handlers/parallel-rereads.js';
import type { BenchResult } from '../src/lib/bench-result.js';
import { startDev } from '../test/support/dev-process.js';

const REAL = '../shared/fixtures/bizcards/real';
const KEY = 'bench-key';
const SINGLES = 8;
const BURST = 36;
const SUSTAINED_ROUNDS = 3;

/**
 * What the pipeline's slowest stage allows: the OCR + extraction path of get-text-from-image (tesseract pool of the
 * dev process's size, re-OCR of doubtful regions included), all images at once, in this process. One pool serves every
 * run, as the dev process's pool serves every burst.
 */
async function startPoolBaseline(): Promise<{
  cardsPerSecond(images: Buffer[]): Promise<number>;
  close(): Promise<void>;
}> {
  const pool = TesseractPool.create({ size: Math.min(availableParallelism(), 4) });
  await pool.warmUp();
  return {
    async cardsPerSecond(images) {
      const began = performance.now();
      // get-text-from-image's own path without the wire: OCR, extraction, re-OCR of doubtful regions through the Ocr
      // (read ahead in parallel while the pool idles, as the handler does).
      const rereads = parallelRereads(createTesseractOcr(pool), createCanvasImageCropper());
      await Promise.all(
        images.map(async (image) => rereads.extract((await rereads.ocr.detectText({ bytes: image })).lines, image)),
      );
      return images.length / ((performance.now() - began) / 1000);
    },
    close: () => pool.close(),
  };
}

/**
 * One start and stop of `octember dev`: the first start after a source change builds the CLI's bundle and its code
 * cache (what every later start reuses); resolves with its time from the command to "is up".
 */
async function firstStartMs(): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-bench-dev-'));
  try {
    const dev = await startDev({ dataDir, apiKey: KEY, fresh: true });
    dev.child.kill('SIGINT');
    await dev.exited;
    return dev.upAfterMs;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * `octember dev` as a user runs it: a child process, driven over HTTP like curl. Pipeline efficiency is its sustained
 * cards/s over what the OCR + extraction pool alone does on the same cards in the same run.
 */
export async function run(): Promise<BenchResult[]> {
  const firstStart = await firstStartMs();
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-bench-dev-'));
  const dev = await startDev({ dataDir, apiKey: KEY, fresh: true });
  const { child, api } = dev;
  try {
    const upLine = await dev.waitFor(/Octember dev is up .* in (\d+) ms/);
    const processToReady = dev.upAfterMs;
    const ocrLine = await dev.waitFor(/OCR model loaded in (\d+) ms/);

    const cards = (await readdir(REAL)).filter((f) => f.endsWith('.jpg')).sort();
    const images = await Promise.all(cards.map((f) => readFile(join(REAL, f))));
    const upload = (id: string, body: Buffer) =>
      fetch(`${api}/v1/octember-bizcard/bizcard-raw-img/${id}`, {
        method: 'PUT',
        headers: { 'x-api-key': KEY, 'content-type': 'image/jpeg' },
        body,
      }).then((r) => {
        if (r.status !== 200) throw new Error(`upload ${id}: HTTP ${r.status}`);
      });
    /** The END status's own time (`updated_at`, written by get-text-from-image) or undefined while not at END. */
    const endedAt = async (id: string): Promise<number | undefined> => {
      const r = await fetch(`${api}/v1/status/${id}`, { headers: { 'x-api-key': KEY } });
      if (r.status !== 200) return undefined;
      const s = (await r.json()) as { status: string; updated_at: string };
      if (s.status === 'FAILED') throw new Error(`${id} FAILED`);
      return s.status === 'END' ? Date.parse(s.updated_at) : undefined;
    };
    // One poller asks about one card at a time, the oldest not yet at END (cards end about in upload order), so the
    // bench takes next to nothing of the 2 cores from the pipeline it measures (asking about every pending card each
    // round made hundreds of status calls in a burst, each an API Gateway → Lambda → Redis trip in the dev process).
    // END times are the status records' own timestamps.
    const waitAll = async (ids: string[], pollMs: number): Promise<number[]> => {
      const ends: number[] = [];
      for (const id of ids) {
        let at = await endedAt(id);
        while (at === undefined) {
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          at = await endedAt(id);
        }
        ends.push(at);
      }
      return ends;
    };

    // One upload at a time: from the PUT to END (asked about every 100 ms, as a client would: a poll every 20 ms took
    // the main thread from the card it waited for; END's own timestamp makes the poll's pace irrelevant otherwise).
    const latencies: number[] = [];
    for (let i = 0; i < SINGLES; i++) {
      const id = `bench_single${i}.jpg`;
      const t0 = Date.now();
      await upload(id, images[i % images.length]);
      const [end] = await waitAll([id], 100);
      latencies.push(end - t0);
    }
    latencies.sort((a, b) => a - b);
    const stages = await cardStages(api);

    // The OCR + extraction pool alone, in this process, on the same cards (the dev process idles meanwhile), and the
    // sustained pipeline: BURST cards in flight at once, until the last reaches END. Alternated, pool first and last,
    // so a machine whose speed drifts (shared cores) weighs on both sides of the ratio alike. Both sides are measured
    // warm: one burst of each first, not counted (the pipeline's first burst runs much of its code cold, optimized by
    // V8 on the way: ~15 % slower on this machine, about twice the pool's own first-run loss); it is reported apart.
    const burstImages = Array.from({ length: BURST }, (_, i) => images[i % images.length]);
    const burstOf = async (label: string): Promise<number> => {
      const burst = burstImages.map((body, i) => ({ id: `bench_${label}_${i}.jpg`, body }));
      const t0 = Date.now();
      await Promise.all(burst.map((c) => upload(c.id, c.body)));
      const ends = await waitAll(
        burst.map((c) => c.id),
        250,
      );
      return burst.length / ((Math.max(...ends) - t0) / 1000);
    };
    const baseline = await startPoolBaseline();
    const poolRuns: number[] = [];
    const sustainedRuns: number[] = [];
    let coldPool: number;
    let coldBurst: number;
    try {
      coldPool = await baseline.cardsPerSecond(burstImages);
      coldBurst = await burstOf('warmup');
      poolRuns.push(await baseline.cardsPerSecond(burstImages));
      for (let round = 0; round < SUSTAINED_ROUNDS; round++) {
        sustainedRuns.push(await burstOf(`burst${round}`));
        poolRuns.push(await baseline.cardsPerSecond(burstImages));
      }
    } finally {
      await baseline.close();
    }
    const rss = await peakRss(child.pid!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const cardsPerSecond = mean(sustainedRuns);
    const pool = mean(poolRuns);
    const load = `load avg ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`;

    return [
      { name: 'dev ready (all endpoints listening)', value: Number(upLine[1]), unit: 'ms', note: 'inside the process' },
      {
        name: 'dev ready from the command (spawn → "is up")',
        value: Math.round(processToReady),
        unit: 'ms',
        target: '<= 1000 ms',
        note: `the start before it (bundle and code cache built when the source changed): ${Math.round(firstStart)} ms`,
      },
      { name: 'OCR model load (background)', value: Number(ocrLine[1]), unit: 'ms', note: 'reported separately' },
      {
        name: 'upload -> END latency p50 (one in flight)',
        value: Math.round(latencies[Math.floor(latencies.length / 2)]),
        unit: 'ms',
        target: '<= 400 ms',
        note: `${SINGLES} cards, END = the status record's updated_at`,
      },
      {
        name: 'one card in flight: its OCR first pass p50',
        value: stages.ocrMs,
        unit: 'ms',
        note: `then its fields (re-reads included) p50 ${stages.fieldsMs} ms, its writes up to END p50 ${stages.writesMs} ms (get-text-from-image's trace)`,
      },
      {
        name: 'upload -> END latency max (one in flight)',
        value: Math.round(latencies[latencies.length - 1]),
        unit: 'ms',
        target: '<= 1000 ms',
      },
      {
        name: `sustained cards/s (${BURST} in flight)`,
        value: Number(cardsPerSecond.toFixed(2)),
        unit: 'cards/s',
        note: `runs ${sustainedRuns.map((r) => r.toFixed(2)).join(' / ')}, after a first burst not counted; ${load}`,
      },
      {
        name: 'first burst after the singles (cold code, not counted)',
        value: Number(coldBurst.toFixed(2)),
        unit: 'cards/s',
        note: `the pool's own first run: ${coldPool.toFixed(2)} cards/s; efficiency of the two first runs ${(coldBurst / coldPool).toFixed(2)}`,
      },
      {
        name: 'OCR + extraction pool alone, same cards',
        value: Number(pool.toFixed(2)),
        unit: 'cards/s',
        note: `runs ${poolRuns.map((r) => r.toFixed(2)).join(' / ')}, alternated with the sustained ones`,
      },
      {
        name: 'pipeline efficiency (sustained ÷ pool)',
        value: Number((cardsPerSecond / pool).toFixed(2)),
        unit: 'ratio',
        target: '>= 0.85',
      },
      { name: 'peak RSS, dev process', value: rss.self, unit: 'MB', target: '<= 600 MB' },
      { name: 'peak RSS, dev + child processes', value: rss.tree, unit: 'MB', note: 'redis-server' },
    ];
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** p50 of each stage get-text-from-image logged for the cards read so far (its "card read" lines in the cockpit's traces). */
async function cardStages(api: string): Promise<{ ocrMs: number; fieldsMs: number; writesMs: number }> {
  const get = async <T>(path: string) => (await fetch(`${api}/_octember/api${path}`)).json() as Promise<T>;
  const { invocations } = await get<{ invocations: { id: number }[] }>(
    '/invocations?function=get-text-from-image&limit=100',
  );
  const read: Record<'ocrMs' | 'fieldsMs' | 'writesMs', number[]> = { ocrMs: [], fieldsMs: [], writesMs: [] };
  for (const { id } of invocations) {
    const trace = await get<{ logs: { msg: string; fields?: Record<string, number> }[] }>(`/invocations/${id}`);
    for (const line of trace.logs) {
      if (line.msg !== 'get-text-from-image: card read' || !line.fields) continue;
      for (const key of Object.keys(read) as (keyof typeof read)[]) read[key].push(line.fields[key]);
    }
  }
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  return { ocrMs: p50(read.ocrMs), fieldsMs: p50(read.fieldsMs), writesMs: p50(read.writesMs) };
}

/** VmHWM (peak resident set) of the process and of its whole tree, in MB. */
async function peakRss(pid: number): Promise<{ self: number; tree: number }> {
  const hwm = async (p: number) => {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  };
  const children = async (p: number): Promise<number[]> => {
    const list = await readFile(`/proc/${p}/task/${p}/children`, 'utf8').catch(() => '');
    const direct = list.split(/\s+/).filter(Boolean).map(Number);
    return [...direct, ...(await Promise.all(direct.map(children))).flat()];
  };
  const self = await hwm(pid);
  let tree = self;
  for (const c of await children(pid)) tree += await hwm(c);
  return { self: Math.round(self), tree: Math.round(tree) };
}
