import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchResult } from '../src/lib/bench-result.js';

const REAL = '../shared/fixtures/bizcards/real';
const KEY = 'bench-key';

/** `octember dev` as a user runs it: a child process, driven over HTTP like curl. */
export async function run(): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-bench-dev-'));
  const spawned = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/octember.mjs', 'dev', '--fresh', '--data-dir', dataDir, '--port', '3400', '--edge-port', '4600'],
    {
      env: { ...process.env, OCTEMBER_API_KEY: KEY, OCTEMBER_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const output = collect(child);
    const upLine = await output.waitFor(/Octember dev is up .* in (\d+) ms/);
    const processToReady = performance.now() - spawned;
    const api = /API\s+(http:\/\/\S+)\/v1/.exec(output.text())![1];
    const ocrLine = await output.waitFor(/OCR model loaded in (\d+) ms/);

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
    // Pollers share the 2 cores with the pipeline: a burst polls less often than a single upload.
    const waitEnd = async (id: string, pollMs = 10) => {
      for (;;) {
        const r = await fetch(`${api}/v1/status/${id}`, { headers: { 'x-api-key': KEY } });
        if (r.status === 200) {
          const s = (await r.json()) as { status: string };
          if (s.status === 'END') return performance.now();
          if (s.status === 'FAILED') throw new Error(`${id} FAILED`);
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    };

    // One upload at a time: latency from the PUT to END visible in the status API.
    const latencies: number[] = [];
    for (let i = 0; i < 6; i++) {
      const id = `bench_single${i}.jpg`;
      const t0 = performance.now();
      await upload(id, images[i % images.length]);
      latencies.push((await waitEnd(id)) - t0);
    }
    latencies.sort((a, b) => a - b);

    // Sustained: 36 cards in flight at once, until the last reaches END.
    const burst = Array.from({ length: 36 }, (_, i) => ({
      id: `bench_burst${i}.jpg`,
      body: images[i % images.length],
    }));
    const t0 = performance.now();
    await Promise.all(burst.map((c) => upload(c.id, c.body)));
    const ends = await Promise.all(burst.map((c) => waitEnd(c.id, 100)));
    const cardsPerSecond = burst.length / ((Math.max(...ends) - t0) / 1000);

    const rss = await peakRss(child.pid!);
    return [
      { name: 'dev ready (all endpoints listening)', value: Number(upLine[1]), unit: 'ms', target: '<= 2000 ms' },
      { name: 'dev ready incl. process + TS start-up', value: Math.round(processToReady), unit: 'ms' },
      { name: 'OCR model load (background)', value: Number(ocrLine[1]), unit: 'ms', note: 'reported separately' },
      {
        name: 'upload -> END latency p50',
        value: Math.round(latencies[Math.floor(latencies.length / 2)]),
        unit: 'ms',
        target: '<= 1500 ms',
      },
      { name: 'upload -> END latency max', value: Math.round(latencies[latencies.length - 1]), unit: 'ms' },
      {
        name: 'sustained cards/s (36 in flight)',
        value: Number(cardsPerSecond.toFixed(2)),
        unit: 'cards/s',
        target: '>= 4',
      },
      { name: 'peak RSS, dev process', value: rss.self, unit: 'MB', target: '<= 600 MB' },
      { name: 'peak RSS, dev + child processes', value: rss.tree, unit: 'MB', note: 'kinesis-local, redis-server' },
    ];
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

function collect(child: ChildProcess) {
  let text = '';
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const w of [...waiters]) {
      const m = w.re.exec(text);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  return {
    text: () => text,
    waitFor: (re: RegExp, timeoutMs = 120_000) =>
      new Promise<RegExpExecArray>((resolve, reject) => {
        const m = re.exec(text);
        if (m) return resolve(m);
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; output:\n${text}`)), timeoutMs);
        waiters.push({
          re,
          resolve: (x) => {
            clearTimeout(timer);
            resolve(x);
          },
        });
        child.once('exit', (code) => reject(new Error(`dev exited with ${code}; output:\n${text}`)));
      }),
  };
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
