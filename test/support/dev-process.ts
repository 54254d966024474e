// `octember dev` as a user runs it: a child process driven over HTTP (the crash tests and the load bench).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { CardFields } from '../../src/domain/card-fields.js';

export interface DevEndpoints {
  api: string;
  edge: string;
  opensearch: string;
  gremlin: string;
}

export interface DevProcess extends DevEndpoints {
  child: ChildProcess;
  pid: number;
  /** Everything the process printed on stdout so far. */
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Milliseconds from spawn until "Octember dev is up" was printed. */
  upAfterMs: number;
  exited: Promise<number | null>;
}

export interface StartDevOptions {
  dataDir: string;
  apiKey: string;
  fresh?: boolean;
  args?: string[];
  env?: NodeJS.ProcessEnv;
  /** Its own process group, so the test can kill -9 the dev process and its children at once. */
  detached?: boolean;
  timeoutMs?: number;
  /** Flags for node itself (e.g. `--cpu-prof`), which NODE_OPTIONS does not allow. */
  nodeArgs?: string[];
}

export async function startDev(opts: StartDevOptions): Promise<DevProcess> {
  const spawned = Date.now();
  // Every port free, so runs beside a developer's `npm run dev` (or another test's) do not collide.
  const ports = ['--port', '--edge-port', '--opensearch-port', '--gremlin-port', '--redis-port'].flatMap((o) => [
    o,
    '0',
  ]);
  const args = ['bin/octember.mjs', 'dev', '--data-dir', opts.dataDir, ...ports];
  if (opts.fresh) args.push('--fresh');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...args, ...(opts.args ?? [])], {
    env: { ...process.env, OCTEMBER_API_KEY: opts.apiKey, OCTEMBER_LOG_LEVEL: 'warn', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let text = '';
  let errors = '';
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
  child.stderr!.on('data', (chunk: Buffer) => {
    errors = `${errors}${chunk}`.slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, timeoutMs = 120_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const m = re.exec(text);
      if (m) return resolve(m);
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${re}; output:\n${text}\nstderr:\n${errors}`)),
        timeoutMs,
      );
      waiters.push({
        re,
        resolve: (x) => {
          clearTimeout(timer);
          resolve(x);
        },
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`dev exited with ${code}; output:\n${text}\nstderr:\n${errors}`));
      });
    });
  await waitFor(/Octember dev is up/, opts.timeoutMs ?? 120_000);
  const upAfterMs = Date.now() - spawned;
  const endpoint = (label: string) => {
    const m = new RegExp(`${label}\\s+(\\S+)`).exec(text);
    if (!m) throw new Error(`no ${label} endpoint in:\n${text}`);
    return m[1];
  };
  return {
    child,
    pid: child.pid as number,
    output: () => text,
    waitFor,
    upAfterMs,
    exited,
    api: endpoint('API').replace(/\/v1$/, ''),
    edge: endpoint('AWS edge'),
    opensearch: endpoint('OpenSearch'),
    gremlin: endpoint('Gremlin'),
  };
}

/**
 * A request through the API as a well-behaved client makes it: a 429 of the usage plan's throttle (the local API
 * enforces the deployed one) is retried after a short backoff, as the AWS SDKs do.
 */
async function throttled(request: () => Promise<Response>): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const res = await request();
    if (res.status !== 429 || attempt >= 8) return res;
    await res.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt * Math.random()));
  }
}

/** PUT a card through the API; resolves with the HTTP status (0 when the connection failed). */
export async function uploadCard(api: string, apiKey: string, imageId: string, body: Buffer): Promise<number> {
  try {
    const res = await throttled(() =>
      fetch(`${api}/v1/octember-bizcard/bizcard-raw-img/${imageId}`, {
        method: 'PUT',
        headers: { 'x-api-key': apiKey, 'content-type': 'image/jpeg' },
        body,
        signal: AbortSignal.timeout(60_000),
      }),
    );
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

export interface CardStatus {
  status: string;
  data?: (Partial<CardFields> & { email?: string | null; name?: string | null }) | null;
  error?: string;
}

export async function cardStatus(api: string, apiKey: string, imageId: string): Promise<CardStatus | undefined> {
  const res = await throttled(() =>
    fetch(`${api}/v1/status/${encodeURIComponent(imageId)}`, { headers: { 'x-api-key': apiKey } }),
  );
  if (res.status === 404) {
    await res.arrayBuffer();
    return undefined;
  }
  if (res.status !== 200) throw new Error(`status ${imageId}: HTTP ${res.status}`);
  return (await res.json()) as CardStatus;
}

/** Pids of a process and all its descendants (Linux /proc; just the pid elsewhere). */
export async function processTree(pid: number): Promise<number[]> {
  const list = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const direct = list.split(/\s+/).filter(Boolean).map(Number);
  return [pid, ...(await Promise.all(direct.map(processTree))).flat()];
}

/** VmHWM (peak resident set) in MB of each process of a tree, summed. */
export async function peakRssMb(pids: number[]): Promise<number> {
  let total = 0;
  for (const p of pids) {
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '');
    total += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  }
  return Math.round(total);
}
