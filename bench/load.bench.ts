// 1 000 card uploads at 20 concurrent clients against `octember dev` (a child process, driven over HTTP):
// nothing lost, no errors, no duplicates, and the memory the dev process needs (every cache and map is capped).
import type { BenchResult } from '../src/lib/bench-result.js';
import { loadRun } from '../test/support/load-run.js';
import { machineLoadNote } from './real-cards.js';

export async function run(): Promise<BenchResult[]> {
  const uploads = Number(process.env.OCTEMBER_LOAD_UPLOADS ?? 1000);
  const clients = Number(process.env.OCTEMBER_LOAD_CLIENTS ?? 20);
  const note = machineLoadNote();
  const r = await loadRun({ uploads, clients, endTimeoutMs: 1_800_000 });
  const settled = r.rssSamples.slice(-5);
  return [
    {
      name: `uploads accepted (${uploads} at ${clients} clients)`,
      value: r.accepted,
      unit: 'uploads',
      target: `${uploads}`,
    },
    { name: 'upload errors (non-2xx, failed connections)', value: r.errors, unit: 'errors', target: '0' },
    { name: 'accepted uploads lost (not at END)', value: r.lost, unit: 'uploads', target: '0' },
    { name: 'uploads ended FAILED', value: r.failed, unit: 'uploads', target: '0' },
    { name: 'duplicate search documents', value: r.duplicates, unit: 'docs', target: '0' },
    { name: 'missing search documents', value: r.missingDocuments, unit: 'docs', target: '0' },
    { name: 'all uploads accepted after', value: Number(r.uploadSeconds.toFixed(1)), unit: 's', note },
    { name: 'all uploads at END after', value: Number(r.endSeconds.toFixed(1)), unit: 's' },
    { name: 'cards/s end to end under load', value: Number(r.cardsPerSecond.toFixed(2)), unit: 'cards/s' },
    { name: 'peak RSS, dev process', value: r.peakRssMb, unit: 'MB' },
    { name: 'peak RSS, dev + children', value: r.peakTreeRssMb, unit: 'MB', note: 'redis-server' },
    { name: 'RSS at the end (last 5 samples, max)', value: Math.max(...settled, 0), unit: 'MB' },
  ];
}
