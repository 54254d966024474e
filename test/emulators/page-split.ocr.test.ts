import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCardLocally } from '../../src/cli/commands/extract-ocr.js';
import { fieldMatches, SCORED_FIELDS } from '../../src/domain/card-extraction/scoring.js';
import type { CardFields } from '../../src/domain/card-fields.js';
import { flatten, renderGrey } from '../../src/emulators/textract/image-scale.js';
import { readImageInfo } from '../../src/emulators/textract/index.js';
import { splitPage } from '../../src/emulators/textract/page-split.js';
import { TesseractPool } from '../../src/emulators/textract/tesseract-pool.js';
import { sharedPath } from '../support/shared.js';

// A real photo whose logo tesseract reads differently in the top part alone ("dws" for "aws", so the company comes
// from the web address: "AWS" for "aws"): every scored field must still match, by the accuracy table's rules.
const PHOTO = sharedPath('fixtures', 'bizcards', 'real', 'edy_ha3800766762.jpg');

async function fieldsWith(splitPages: boolean, bytes: Uint8Array): Promise<CardFields> {
  const pool = TesseractPool.create({ size: 2, splitPages });
  try {
    return await readCardLocally(pool, bytes);
  } finally {
    await pool.close();
  }
}

describe('a real photo read in two parts', () => {
  it('is cut across a blank band, and reads the same fields split as whole', async () => {
    const bytes = readFileSync(PHOTO);
    const info = readImageInfo(bytes);
    if (!info) throw new Error(`not an image: ${PHOTO}`);
    const page = await renderGrey(bytes, { left: 0, top: 0, width: info.width, height: info.height }, 1);
    if (!page) throw new Error(`cannot render: ${PHOTO}`);
    expect(splitPage({ ...page, grey: flatten(page.grey, page.width, page.height) })).toBeDefined();
    const whole = await fieldsWith(false, bytes);
    const split = await fieldsWith(true, bytes);
    for (const field of SCORED_FIELDS) {
      const [a, b] = [whole[field], split[field]];
      expect(fieldMatches(field, a ?? null, b ?? null), `${field}: whole ${a}, split ${b}`).toBe(true);
    }
    expect(split.name).toBe('Harry Jang');
    expect(split.email).toBe('harry@amazon.com');
  }, 120_000);
});
