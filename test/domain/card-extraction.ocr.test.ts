import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardSetDir, formatTable, measureSetLocally, type SetResult } from '../../scripts/accuracy.js';
import { rates, SCORED_FIELDS, type ScoredField } from '../../src/domain/card-extraction/scoring.js';
import { TesseractPool } from '../../src/emulators/textract/tesseract-pool.js';
import { sharedPath } from '../support/shared.js';

// Full local OCR path (tesseract adapter → extractCardFieldsAsync with re-reads of doubtful regions). The whole
// development and held-out sets run in `npm run accuracy` (through the pipeline); CI reads the 12 real photos
// and a fixed sample of the development set (every sixth photo, committed: rendering needs fonts CI may lack).
const DEV_SAMPLE = fileURLToPath(new URL('../../fixtures/cards-dev-sample', import.meta.url));
// The real photos are read from ../shared: fail with the path named when it is missing.
sharedPath('fixtures', 'bizcards', 'real', 'truth.json');

describe('card extraction accuracy through local OCR', () => {
  let pool: TesseractPool;
  beforeAll(async () => {
    pool = TesseractPool.create({ size: 2 });
    await pool.warmUp();
  });
  afterAll(async () => {
    await pool?.close();
  });

  function expectAtLeast(result: SetResult, targets: Record<ScoredField, number>, precision: number) {
    const report = `${formatTable(result)}\n${result.misses.map((m) => `${m.file} ${m.field}: ${m.expected} ≠ ${m.actual}`).join('\n')}`;
    expect(result.cards).toBeGreaterThan(0);
    for (const field of SCORED_FIELDS) {
      const r = rates(result.fields[field]);
      expect(r.accuracy, `${field} accuracy\n${report}`).toBeGreaterThanOrEqual(targets[field]);
      expect(r.precision, `${field} precision\n${report}`).toBeGreaterThanOrEqual(precision);
    }
  }

  it('reads every field of the 12 real photos exactly', async () => {
    const result = await measureSetLocally(pool, 'real', await cardSetDir('real'));
    expect(result.cards).toBe(12);
    expectAtLeast(result, Object.fromEntries(SCORED_FIELDS.map((f) => [f, 1])) as Record<ScoredField, number>, 1);
  }, 300_000);

  // A regression floor, not the goal (npm run accuracy reports the whole sets): what this sample read when last
  // measured, less one card per field (2026-12-06: every field at these floors plus one card or more).
  const SAMPLE_FLOORS: Record<ScoredField, number> = {
    name: 11 / 12,
    job_title: 10 / 12,
    company: 10 / 12,
    email: 9 / 12,
    phone_number: 9 / 12,
    addr: 8 / 12,
    url: 10 / 12,
  };

  it('reads a sample of the development set (every sixth photo) no worse than last measured', async () => {
    const result = await measureSetLocally(pool, 'dev sample', DEV_SAMPLE);
    expect(result.cards).toBe(12);
    expectAtLeast(result, SAMPLE_FLOORS, 0.7);
  }, 300_000);
});
