import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTesseractOcr, linesOfPage } from '../../src/adapters/tesseract/ocr.js';
import { linesOfBlocks } from '../../src/adapters/textract/lines.js';
import { type OcrPage, TesseractPool, toTextractBlocks } from '../../src/emulators/textract/index.js';
import { edyCardPath } from '../emulators/textract-harness.js';

const page: OcrPage = {
  width: 400,
  height: 200,
  lines: [
    {
      text: 'Edy Kim',
      confidence: 90,
      bbox: { x0: 40, y0: 20, x1: 200, y1: 60 },
      words: [
        { text: 'Edy', confidence: 92, bbox: { x0: 40, y0: 20, x1: 100, y1: 60 } },
        { text: 'Kim', confidence: 88, bbox: { x0: 120, y0: 22, x1: 200, y1: 60 } },
      ],
      angle: 0.03,
    },
    { text: '', confidence: 0, bbox: { x0: 0, y0: 100, x1: 10, y1: 110 }, words: [] },
  ],
};

describe('linesOfPage (tesseract pixels → the Ocr port)', () => {
  it('gives lines and words in page fractions, empty lines dropped', () => {
    const [line, ...rest] = linesOfPage(page);
    expect(rest).toEqual([]);
    expect(line.text).toBe('Edy Kim');
    expect(line.confidence).toBe(90);
    expect(line.box).toEqual({ left: 0.1, top: 0.1, width: 0.4, height: 0.2 });
    expect(line.words.map((w) => [w.text, w.confidence, w.box.left, w.box.width])).toEqual([
      ['Edy', 92, 0.1, 0.15],
      ['Kim', 88, 0.3, 0.2],
    ]);
    expect(line.polygon).toHaveLength(4);
  });

  it('agrees with the Textract path (emulator blocks → Textract adapter) on the same page', () => {
    const viaTextract = linesOfBlocks(toTextractBlocks(page).blocks);
    const direct = linesOfPage(page);
    expect(viaTextract.map((l) => l.text)).toEqual(direct.map((l) => l.text));
    for (const [i, line] of direct.entries()) {
      expect(viaTextract[i].box).toEqual(line.box);
      expect(viaTextract[i].polygon).toEqual(line.polygon);
      expect(viaTextract[i].words.map((w) => w.box)).toEqual(line.words.map((w) => w.box));
    }
  });
});

describe('createTesseractOcr', () => {
  const pool = TesseractPool.create({ size: 1 });
  afterAll(() => pool.close());

  it('reads image bytes into lines; S3 locations and non-images are refused as Textract would', async () => {
    const ocr = createTesseractOcr(pool);
    const { lines, pages } = await ocr.detectText({ bytes: readFileSync(edyCardPath) });
    expect(pages).toBe(1);
    expect(lines.map((l) => l.text)).toContain('Edy Kim');
    const name = lines.find((l) => l.text === 'Edy Kim');
    expect(name?.words.map((w) => w.text)).toEqual(['Edy', 'Kim']);
    expect(name?.box.left).toBeGreaterThan(0);
    expect(name?.box.width).toBeLessThan(1);
    await expect(ocr.detectText({ s3: { bucket: 'b', key: 'k.jpg' } })).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
    await expect(ocr.detectText({ bytes: Buffer.from('%PDF-1.4') })).rejects.toMatchObject({
      code: 'UnsupportedDocumentException',
    });
  }, 60_000);
});
