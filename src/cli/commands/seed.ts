import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findRunningDev } from '../../cockpit/dev-client.js';
import { DEFAULT_API_KEY } from '../../domain/names.js';
import { TOPOLOGY } from '../../topology/index.js';

export interface SeedOptions {
  dataDir: string;
  cards: string;
  csv: string;
  events: number;
  /** Cards uploaded at most (default all in the folder). */
  limit?: number;
}

const OWNERS = ['edy', 'jane', 'kim'];

function progress(label: string, done: number, total: number) {
  if (!process.stderr.isTTY) return;
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  process.stderr.write(`\r  ${label.padEnd(14)} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

/** `octember seed`: sample cards (to END), the items CSV and interaction events, through the API. */
export async function runSeed(opts: SeedOptions): Promise<number> {
  const dataDir = resolve(opts.dataDir);
  const dev = await findRunningDev(dataDir);
  let apiUrl: string;
  let stop: () => Promise<void> = async () => undefined;
  let apiKey = process.env.OCTEMBER_API_KEY || DEFAULT_API_KEY;
  if (dev) {
    apiUrl = dev.apiUrl;
    // the running dev's own key: it may have been started with another OCTEMBER_API_KEY than this shell has
    apiKey = (await dev.get<{ apiKey: string }>('/config')).apiKey;
  } else {
    console.error(`no running octember dev for ${dataDir}: starting the embedded target in-process…`);
    const { startEmbeddedStack } = await import('../../targets/embedded.js');
    const stack = await startEmbeddedStack({
      dataDir,
      apiKey,
      apiPort: 0,
      edgePort: 0,
      ports: { opensearch: 0, gremlin: 0, redis: 0 },
    });
    apiUrl = stack.api.url;
    stop = async () => {
      await stack.idle();
      await stack.close();
    };
  }
  const started = performance.now();
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${apiUrl}/${TOPOLOGY.api.stage}${path}`, {
      ...init,
      headers: { 'x-api-key': apiKey, ...(init.headers as Record<string, string>) },
    });
  const bucket = TOPOLOGY.resources.bucket;
  try {
    const files = (await readdir(opts.cards))
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
      .slice(0, opts.limit);
    const ids: string[] = [];
    for (const [i, file] of files.entries()) {
      const id = file.includes('_') ? file : `${OWNERS[i % OWNERS.length]}_${file}`;
      const response = await api(`/${bucket.name}/${bucket.prefixes.rawImages}${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { 'content-type': file.endsWith('.png') ? 'image/png' : 'image/jpeg' },
        body: await readFile(join(opts.cards, file)),
      });
      if (!response.ok) throw new Error(`upload ${file}: HTTP ${response.status} ${await response.text()}`);
      ids.push(id);
      progress('cards uploaded', i + 1, files.length);
    }
    const outcome = { END: 0, FAILED: 0, pending: 0 };
    const deadline = Date.now() + 120_000;
    for (const [i, id] of ids.entries()) {
      for (;;) {
        const response = await api(`/status/${encodeURIComponent(id)}`);
        const status = response.ok ? ((await response.json()) as { status: string }).status : 'START';
        if (status === 'END' || status === 'FAILED') {
          outcome[status]++;
          break;
        }
        if (Date.now() > deadline) {
          outcome.pending++;
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      progress('cards at END', i + 1, ids.length);
    }
    const csv = await readFile(opts.csv);
    const csvKey = `${bucket.prefixes.items}${basename(opts.csv)}`;
    const csvResponse = await api(`/${bucket.name}/${csvKey}`, {
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    if (!csvResponse.ok) throw new Error(`upload ${csvKey}: HTTP ${csvResponse.status}`);
    const rows =
      csv
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim()).length - 1;
    progress('items CSV', 1, 1);
    const itemIds = csv
      .toString('utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]?.trim())
      .filter(Boolean)
      .slice(0, 50);
    const events = Array.from({ length: opts.events }, (_, i) => ({
      user_id: OWNERS[i % OWNERS.length],
      item_id: itemIds[(i * 7) % Math.max(itemIds.length, 1)] ?? `item-${i}`,
      event_type: i % 5 === 0 ? 'purchase' : 'click',
      timestamp: Math.floor(Date.now() / 1000) - (opts.events - i) * 60,
    }));
    let accepted = 0;
    for (let i = 0; i < events.length; i += 25) {
      const batch = events.slice(i, i + 25);
      const response = await api('/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      if (response.ok) accepted += batch.length;
      progress('events', Math.min(i + 25, events.length), events.length);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      [
        `seeded ${apiUrl} in ${seconds} s:`,
        `  cards   ${ids.length} uploaded, ${outcome.END} at END, ${outcome.FAILED} FAILED${outcome.pending ? `, ${outcome.pending} still processing` : ''}`,
        `  items   ${csvKey} (${rows} rows) → csv-to-cloudsearch`,
        `  events  ${accepted} of ${events.length} accepted → ${TOPOLOGY.resources.streams[2].name}`,
      ].join('\n'),
    );
    return outcome.FAILED > 0 ? 1 : 0;
  } finally {
    await stop();
  }
}
