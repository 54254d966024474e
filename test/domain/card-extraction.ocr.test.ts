import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CardSet, formatTable, measureSet } from '../../scripts/accuracy.js';
import { REAL_SET_TARGETS, SCORED_FIELDS } from '../../src/domain/card-extraction/scoring.js';
import { TesseractPool } from '../../src/emulators/textract/tesseract-pool.js';
import { sharedPath } from '../support/shared.js';

// Full local OCR path: tesseract pool → Textract blocks → extractCardFieldsAsync with re-OCR of doubtful regions.
// the real photos are read from ../shared: fail with the path named when it is missing
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

  async function expectTargets(set: CardSet, targets: Partial<Record<(typeof SCORED_FIELDS)[number], number>>) {
    const result = await measureSet(pool, set);
    const report = `${formatTable(result)}\n${result.misses.map((m) => `${m.file} ${m.field}: ${m.expected} ≠ ${m.actual}`).join('\n')}`;
    expect(result.cards).toBeGreaterThan(0);
    for (const field of SCORED_FIELDS) {
      const target = targets[field];
      if (target === undefined) continue;
      const { correct, total } = result.fields[field];
      expect(correct / total, `${field}\n${report}`).toBeGreaterThanOrEqual(target);
    }
  }

  it('meets issue 3’s targets on the 12 real photos', async () => expectTargets('real', REAL_SET_TARGETS), 300_000);

  it(
    'meets the same targets, and url ≥ 90 %, on the generated cards',
    async () => expectTargets('generated', { ...REAL_SET_TARGETS, url: 0.9 }),
    300_000,
  );
});
