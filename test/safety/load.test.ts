import { describe, expect, it } from 'vitest';
import { loadRun } from '../support/load-run.js';

/**
 * The CI-sized load run (the full one, 1 000 uploads, is `npm run bench load`): 100 uploads at 20 concurrent
 * clients through `octember dev` as a child process: all accepted, all at END, nothing twice, memory bounded.
 */
describe('load: 100 uploads at 20 concurrent clients', () => {
  it('loses nothing, errs nowhere, duplicates nothing, and stays within its memory', async () => {
    const r = await loadRun({ uploads: 100, clients: 20, endTimeoutMs: 300_000 });
    expect({
      accepted: r.accepted,
      errors: r.errors,
      lost: r.lost,
      failed: r.failed,
      duplicates: r.duplicates,
    }).toEqual({
      accepted: 100,
      errors: 0,
      lost: 0,
      failed: 0,
      duplicates: 0,
    });
    expect(r.peakRssMb).toBeLessThan(1024);
    console.log(
      `load: 100 uploads at 20 clients: accepted in ${r.uploadSeconds.toFixed(1)} s, all at END in ${r.endSeconds.toFixed(1)} s; peak RSS ${r.peakRssMb} MB (with children ${r.peakTreeRssMb} MB)`,
    );
  }, 480_000);
});
