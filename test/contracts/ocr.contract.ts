// The Ocr port's contract, run against every adapter (local tesseract, Textract over the kit's emulator, ...).
import { readFileSync } from 'node:fs';
import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { Ocr, OcrBox, OcrLine, OcrPoint } from '../../src/ports/index.js';
import { edyCardPath } from '../emulators/textract-harness.js';
import { useFixture } from './fixture.js';

export interface OcrFixture {
  ocr: Ocr;
  /** Stores an object the adapter can read by S3 reference; absent when the adapter reads bytes only. */
  putObject?(bucket: string, key: string, bytes: Uint8Array): Promise<void>;
  close?(): Promise<void>;
}

const inPage = (v: number) => v >= 0 && v <= 1;
const boxInPage = (b: OcrBox) =>
  inPage(b.left) &&
  inPage(b.top) &&
  b.width > 0 &&
  b.height > 0 &&
  b.left + b.width <= 1.0001 &&
  b.top + b.height <= 1.0001;
const pointsInPage = (p: OcrPoint[] | undefined) =>
  p === undefined || (p.length === 4 && p.every((q) => inPage(q.x) && inPage(q.y)));

/** A white page with black printed lines (the text is big enough for any engine). */
function printedPage(lines: string[], width = 1200, height = 700): Uint8Array {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.font = '56px "DejaVu Sans", sans-serif';
  for (const [i, text] of lines.entries()) ctx.fillText(text, 80, 140 + i * 150);
  return canvas.toBuffer('image/png');
}

function blankPage(): Uint8Array {
  const canvas = createCanvas(800, 500);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 800, 500);
  return canvas.toBuffer('image/png');
}

const textOf = (lines: OcrLine[]) => lines.map((l) => l.text);

export function ocrContract(name: string, setup: () => Promise<OcrFixture>): void {
  describe(`Ocr contract: ${name}`, () => {
    const fixture = useFixture(setup);

    it('reads a real card photo into lines of words with geometry in page fractions', async () => {
      const { lines, pages } = await fixture().ocr.detectText({ bytes: readFileSync(edyCardPath) });
      expect(pages).toBe(1);
      expect(textOf(lines)).toContain('Edy Kim');
      for (const line of lines) {
        expect(line.words.length).toBeGreaterThan(0);
        expect(line.text).toBe(line.words.map((w) => w.text).join(' '));
        expect(line.confidence).toBeGreaterThanOrEqual(0);
        expect(line.confidence).toBeLessThanOrEqual(100);
        expect(boxInPage(line.box), JSON.stringify(line.box)).toBe(true);
        expect(pointsInPage(line.polygon)).toBe(true);
        expect(line.page).toBeUndefined();
        for (const word of line.words) {
          expect(word.text.trim()).toBe(word.text);
          expect(word.text).not.toBe('');
          expect(word.confidence).toBeGreaterThanOrEqual(0);
          expect(word.confidence).toBeLessThanOrEqual(100);
          expect(boxInPage(word.box)).toBe(true);
          expect(pointsInPage(word.polygon)).toBe(true);
          // A word lies within its line (to rounding).
          expect(word.box.left).toBeGreaterThanOrEqual(line.box.left - 0.002);
          expect(word.box.left + word.box.width).toBeLessThanOrEqual(line.box.left + line.box.width + 0.002);
        }
      }
    }, 60_000);

    it('gives lines in reading order, top to bottom, each where it is printed', async () => {
      const printed = ['FIRST LINE 111', 'SECOND LINE 222', 'THIRD LINE 333'];
      const { lines } = await fixture().ocr.detectText({ bytes: printedPage(printed) });
      expect(textOf(lines)).toEqual(printed);
      const tops = lines.map((l) => l.box.top);
      expect([...tops].sort((a, b) => a - b)).toEqual(tops);
      // Drawn at x = 80 of 1200 px, baselines 150 px apart on a 700 px page.
      expect(lines[0].box.left).toBeCloseTo(80 / 1200, 1);
      expect(lines[1].box.top - lines[0].box.top).toBeCloseTo(150 / 700, 1);
      expect(lines[0].words.map((w) => w.text)).toEqual(['FIRST', 'LINE', '111']);
      const [a, b] = lines[0].words;
      expect(a.box.left + a.box.width).toBeLessThanOrEqual(b.box.left);
    }, 60_000);

    it('reads the letters of the language it is told the text is in (ß, ü, ó)', async () => {
      const german = printedPage(['Friedrichstraße 100', '80331 München']);
      expect(textOf((await fixture().ocr.detectText({ bytes: german }, { language: 'de' })).lines)).toEqual([
        'Friedrichstraße 100',
        '80331 München',
      ]);
      const spanish = printedPage(['Calle Colón 58', '46004 Valencia']);
      expect(textOf((await fixture().ocr.detectText({ bytes: spanish }, { language: 'es' })).lines)).toEqual([
        'Calle Colón 58',
        '46004 Valencia',
      ]);
    }, 60_000);

    it('finds no lines on a blank page', async () => {
      expect(await fixture().ocr.detectText({ bytes: blankPage() })).toEqual({ lines: [], pages: 1 });
    }, 60_000);

    it('refuses bytes that are no image with UnsupportedDocumentException', async () => {
      await expect(fixture().ocr.detectText({ bytes: Buffer.from('%PDF-1.4 not really') })).rejects.toMatchObject({
        name: 'UnsupportedDocumentException',
      });
    }, 60_000);

    it('reads a document by S3 reference when it has an object store, else refuses one with InvalidParameterException', async () => {
      const f = fixture();
      const document = { s3: { bucket: 'contract-bucket', key: 'cards/edy.jpg' } };
      if (!f.putObject) {
        await expect(f.ocr.detectText(document)).rejects.toMatchObject({ name: 'InvalidParameterException' });
        return;
      }
      await f.putObject('contract-bucket', 'cards/edy.jpg', readFileSync(edyCardPath));
      const { lines } = await f.ocr.detectText(document);
      expect(textOf(lines)).toContain('Edy Kim');
      await expect(f.ocr.detectText({ s3: { bucket: 'contract-bucket', key: 'missing.jpg' } })).rejects.toMatchObject({
        name: 'InvalidS3ObjectException',
      });
    }, 60_000);
  });
}
