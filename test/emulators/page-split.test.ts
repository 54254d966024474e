import { describe, expect, it } from 'vitest';
import type { OcrLine } from '../../src/emulators/textract/ocr-page.js';
import { findBlankCut, mergeParts, readInParts, splitPage } from '../../src/emulators/textract/page-split.js';

/** A white page with black boxes standing in for lines of print. */
function page(width: number, height: number, boxes: { x0: number; y0: number; x1: number; y1: number }[]) {
  const pixels = new Uint8Array(width * height).fill(255);
  for (const b of boxes) for (let y = b.y0; y < b.y1; y++) pixels.fill(0, y * width + b.x0, y * width + b.x1);
  return { width, height, pixels };
}

/** A line of print `h` px tall, `chars` characters long (a character about as wide as the line is tall). */
function printLine(y0: number, h: number, chars: number, x0 = 50) {
  return { x0, y0, x1: x0 + Math.round(chars * h * 0.6), y1: y0 + h };
}

function greyOf(p: { width: number; height: number; pixels: Uint8Array }) {
  return { grey: p.pixels, width: p.width, height: p.height };
}

/** The pixels of a part written as an 8-bit PGM of `width` × `height`, after checking its header. */
function pgmPixels(image: Uint8Array, width: number, height: number): Uint8Array {
  const header = `P5\n${width} ${height}\n255\n`;
  expect(Buffer.from(image.subarray(0, header.length)).toString('latin1')).toBe(header);
  expect(image.length).toBe(header.length + width * height);
  return new Uint8Array(image.subarray(header.length));
}

function line(text: string, x0: number, y0: number, x1: number, y1: number, confidence = 90): OcrLine {
  const bbox = { x0, y0, x1, y1 };
  return { text, confidence, bbox, words: [{ text, confidence, bbox }] };
}

describe('findBlankCut', () => {
  it('cuts across the blank band between two blocks of print, in the middle of the band', () => {
    const p = page(1000, 500, [
      printLine(100, 20, 40),
      printLine(130, 20, 40),
      printLine(300, 20, 40),
      printLine(330, 20, 40),
    ]);
    const cut = findBlankCut(p.pixels, p.width, p.height);
    expect(cut?.band).toEqual({ from: 150, to: 300 });
    expect(cut?.row).toBe(225);
  });

  it('shares the work by characters, not ink: one big name above is lighter than three lines of small print', () => {
    // a name 80 px tall (10 characters) | band A | a title (60 characters) | band B | three lines of small print
    const p = page(1000, 600, [
      printLine(40, 80, 10),
      printLine(200, 20, 60),
      printLine(300, 16, 60),
      printLine(320, 16, 60),
      printLine(340, 16, 60),
    ]);
    const byChars = findBlankCut(p.pixels, p.width, p.height);
    // band A (120-200) holds the middle of the ink but would leave the name alone against 240 characters;
    // band B (220-300) shares 70 | 180
    expect(byChars?.band).toEqual({ from: 220, to: 300 });
  });

  it('does not cut when print crosses every row (the edge of a turned card, a frame)', () => {
    const p = page(1000, 500, [printLine(100, 20, 40), printLine(300, 20, 40), { x0: 5, y0: 0, x1: 12, y1: 500 }]);
    expect(findBlankCut(p.pixels, p.width, p.height)).toBeUndefined();
  });

  it('does not cut a turned page, even across a wide blank band (each part would be levelled on its own)', () => {
    // lines of print turned by 2°: each column of a line a little lower than the one before
    const turned = (y0: number, h: number, chars: number) =>
      Array.from({ length: Math.round(chars * h * 0.6) }, (_, i) => {
        const x = 50 + i;
        const y = y0 + Math.round(i * Math.tan((2 * Math.PI) / 180));
        return { x0: x, y0: y, x1: x + 1, y1: y + h };
      });
    const p = page(1000, 600, [...turned(60, 20, 40), ...turned(120, 20, 40), ...turned(380, 20, 40)]);
    expect(findBlankCut(p.pixels, p.width, p.height)).toBeUndefined();
    const level = page(1000, 600, [printLine(60, 20, 40), printLine(120, 20, 40), printLine(380, 20, 40)]);
    expect(findBlankCut(level.pixels, level.width, level.height)).toBeDefined();
  });

  it('tolerates a few specks in the blank band, but not a line of print', () => {
    const lines = [printLine(100, 20, 40), printLine(300, 20, 40)];
    const specks = page(1000, 500, [...lines, { x0: 500, y0: 200, x1: 501, y1: 201 }]);
    expect(findBlankCut(specks.pixels, specks.width, specks.height)?.row).toBe(210);
    const thin = page(1000, 500, [...lines, printLine(215, 10, 30)]);
    const cut = findBlankCut(thin.pixels, thin.width, thin.height);
    expect(cut === undefined || cut.band.to <= 215 || cut.band.from >= 225).toBe(true);
  });

  it('reads a small image, a page with all its print on one side, or a narrow gap whole', () => {
    const small = page(600, 300, [printLine(50, 20, 20), printLine(200, 20, 20)]);
    expect(findBlankCut(small.pixels, small.width, small.height)).toBeUndefined();
    const oneSided = page(1000, 500, [printLine(50, 20, 60), printLine(74, 20, 60), printLine(400, 10, 3)]);
    expect(findBlankCut(oneSided.pixels, oneSided.width, oneSided.height)).toBeUndefined();
    const tight = page(1000, 500, [printLine(100, 20, 40), printLine(124, 20, 40), printLine(148, 20, 40)]);
    expect(findBlankCut(tight.pixels, tight.width, tight.height)).toBeUndefined();
  });
});

describe('splitPage', () => {
  it('gives two PGM parts that hold the page rows, with white rows at the cut and their page offsets', () => {
    const p = page(1000, 500, [printLine(100, 20, 40), printLine(300, 20, 40)]);
    const parts = splitPage(greyOf(p));
    if (!parts) throw new Error('the page was not split');
    const [top, bottom] = parts;
    const cut = 210;
    expect(top.offset).toBe(0);
    // each page row is in the part at (row - offset), and the pad is white
    const topPixels = pgmPixels(top.image, top.width, top.height);
    const bottomPixels = pgmPixels(bottom.image, bottom.width, bottom.height);
    expect(topPixels.subarray(100 * 1000, 101 * 1000)).toEqual(p.pixels.subarray(100 * 1000, 101 * 1000));
    expect(bottomPixels.subarray((300 - bottom.offset) * 1000, (301 - bottom.offset) * 1000)).toEqual(
      p.pixels.subarray(300 * 1000, 301 * 1000),
    );
    expect(bottom.offset).toBeLessThan(cut);
    expect(bottomPixels.subarray(0, (cut - bottom.offset) * 1000).every((v) => v === 255)).toBe(true);
    expect(top.height).toBeGreaterThan(cut);
    expect(topPixels.subarray(cut * 1000).every((v) => v === 255)).toBe(true);
    expect(bottom.height + bottom.offset).toBe(500);
  });

  it('is undefined for a page without a blank band', () => {
    expect(splitPage(greyOf(page(1000, 500, [{ x0: 0, y0: 0, x1: 10, y1: 500 }])))).toBeUndefined();
  });
});

describe('mergeParts', () => {
  it('puts the bottom part lines and words back in page rows, top part first', () => {
    const merged = mergeParts([
      { offset: 0, lines: [line('Edy Kim', 100, 50, 300, 80)] },
      { offset: 190, lines: [line('Seoul', 100, 30, 200, 50)] },
    ]);
    expect(merged.map((l) => [l.text, l.bbox.y0, l.bbox.y1, l.words[0].bbox.y0])).toEqual([
      ['Edy Kim', 50, 80, 50],
      ['Seoul', 220, 240, 220],
    ]);
  });

  it('keeps a line both parts read (where they overlap) once, the better-read copy', () => {
    const merged = mergeParts([
      { offset: 0, lines: [line('Edy Kim', 100, 50, 300, 80), line('aws', 100, 200, 200, 230, 60)] },
      { offset: 180, lines: [line('aws', 101, 21, 200, 50, 95), line('Seoul', 100, 100, 200, 120)] },
    ]);
    expect(merged.map((l) => `${l.text}:${l.confidence}`)).toEqual(['Edy Kim:90', 'aws:95', 'Seoul:90']);
  });

  it('keeps two different lines at the same place', () => {
    const merged = mergeParts([
      { offset: 0, lines: [line('aws', 100, 200, 200, 230)] },
      { offset: 180, lines: [line('ows', 100, 20, 200, 50)] },
    ]);
    expect(merged).toHaveLength(2);
  });
});

describe('readInParts', () => {
  it('reads the two parts at once, each with its own size, and merges them in page coordinates', async () => {
    const p = page(1000, 500, [printLine(100, 20, 40), printLine(300, 20, 40)]);
    const calls: { width: number; height: number }[] = [];
    let inFlight = 0;
    let most = 0;
    const lines = await readInParts(greyOf(p), async (image, size) => {
      calls.push(size);
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
      // each part "reads" its one line of print where its rows put it
      const y = pgmPixels(image, size.width, size.height).indexOf(0);
      const row = Math.floor(y / 1000);
      return [line(`at ${row}`, 50, row, 530, row + 20)];
    });
    expect(most).toBe(2);
    expect(calls.map((c) => c.width)).toEqual([1000, 1000]);
    expect(lines?.map((l) => [l.bbox.y0, l.bbox.y1])).toEqual([
      [100, 120],
      [300, 320],
    ]);
  });

  it('leaves a page without a blank band to be read whole', async () => {
    const read = async () => [] as OcrLine[];
    expect(await readInParts(greyOf(page(1000, 500, [{ x0: 0, y0: 0, x1: 10, y1: 500 }])), read)).toBeUndefined();
  });
});
