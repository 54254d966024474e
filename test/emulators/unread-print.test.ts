import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { OcrLine, OcrWord } from '../../src/emulators/textract/ocr-page.js';
import { TesseractPool } from '../../src/emulators/textract/tesseract-pool.js';
import { findUnreadPrint, readUnreadPrint } from '../../src/emulators/textract/unread-print.js';
import { sharedPath } from '../support/shared.js';

const WIDTH = 600;
const HEIGHT = 300;

/** A levelled page (255 paper) with dark rectangles painted on, [x0, y0, x1, y1) each. */
function page(marks: [number, number, number, number][]) {
  const grey = new Uint8Array(WIDTH * HEIGHT).fill(255);
  for (const [x0, y0, x1, y1] of marks) for (let y = y0; y < y1; y++) grey.fill(0, y * WIDTH + x0, y * WIDTH + x1);
  return { grey, width: WIDTH, height: HEIGHT };
}

/**
 * `count` letter-like marks (an "o": a ring, 7 wide, 10 tall) on one line from (x, y), 10 px apart, each `drop`
 * pixels lower than the one before (a slanted line).
 */
function letters(x: number, y: number, count: number, drop = 0): [number, number, number, number][] {
  return Array.from({ length: count }, (_, i): [number, number, number, number][] => {
    const left = x + 10 * i;
    const top = y + Math.round(drop * i);
    return [
      [left, top, left + 7, top + 2],
      [left, top + 8, left + 7, top + 10],
      [left, top, left + 2, top + 10],
      [left + 5, top, left + 7, top + 10],
    ];
  }).flat();
}

describe('findUnreadPrint', () => {
  it('finds a line of letters outside the lines read, not the read line, a logo blob, a rule or a lone mark', () => {
    const image = page([
      ...letters(40, 40, 12), // read by the first pass (its box below)
      ...letters(40, 120, 9), // unread
      [400, 30, 470, 100], // a filled logo
      [40, 220, 560, 222], // a thin rule
      ...letters(300, 260, 1), // one stray mark
    ]);
    const regions = findUnreadPrint(image, [{ x0: 38, y0: 38, x1: 160, y1: 52 }]);
    expect(regions).toEqual([{ box: { x0: 40, y0: 120, x1: 127, y1: 130 }, markHeight: 10, marks: 9, angle: 0 }]);
  });

  it('reads two close lines as one block and a far line on its own', () => {
    const image = page([...letters(40, 100, 6), ...letters(40, 115, 8), ...letters(400, 250, 5)]);
    const regions = findUnreadPrint(image, []);
    expect(regions.map((r) => r.box)).toEqual([
      { x0: 40, y0: 100, x1: 117, y1: 125 },
      { x0: 400, y0: 250, x1: 447, y1: 260 },
    ]);
  });

  it('measures the slant of a block of lines (to read it turned level)', () => {
    const drop = 10 * Math.tan((6 * Math.PI) / 180);
    const image = page([
      ...letters(100, 100, 20, drop),
      ...letters(100, 116, 20, drop),
      ...letters(100, 132, 16, drop),
    ]);
    const [region, ...others] = findUnreadPrint(image, []);
    expect(others).toEqual([]);
    expect(region.marks).toBe(56);
    expect(Math.abs((region.angle * 180) / Math.PI - 6)).toBeLessThanOrEqual(1);
  });

  it('finds the one line left unread in a block of lines read (the mailbox between the phone and the web)', () => {
    const image = page([...letters(40, 100, 20), ...letters(40, 115, 20), ...letters(40, 130, 20)]);
    const read = [
      { x0: 40, y0: 100, x1: 237, y1: 110 },
      { x0: 40, y0: 130, x1: 237, y1: 140 },
    ];
    expect(findUnreadPrint(image, read).map((r) => r.box)).toEqual([{ x0: 40, y0: 115, x1: 237, y1: 125 }]);
  });

  it("reaches along a line's row to its end past a gap too wide to cluster (a dot too small to be a mark)", () => {
    const image = page([...letters(40, 120, 9), ...letters(145, 120, 2), [138, 128, 140, 130]]);
    expect(findUnreadPrint(image, []).map((r) => r.box)).toEqual([{ x0: 40, y0: 120, x1: 162, y1: 130 }]);
  });

  it('does not reach to a taller mark on the row (a logo, the name in large print)', () => {
    const image = page([...letters(40, 120, 9), [145, 110, 170, 140]]);
    expect(findUnreadPrint(image, []).map((r) => r.box)).toEqual([{ x0: 40, y0: 120, x1: 127, y1: 130 }]);
  });

  it('finds nothing where every line was read', () => {
    const image = page([...letters(40, 100, 6)]);
    expect(findUnreadPrint(image, [{ x0: 40, y0: 100, x1: 97, y1: 110 }])).toEqual([]);
  });
});

describe('readUnreadPrint', () => {
  const word = (text: string, confidence: number, x0: number, x1: number, y0 = 120, y1 = 130): OcrWord => ({
    text,
    confidence,
    bbox: { x0, y0, x1, y1 },
  });
  const line = (words: OcrWord[]): OcrLine => ({
    text: words.map((w) => w.text).join(' '),
    confidence: words.reduce((sum, w) => sum + w.confidence, 0) / words.length,
    bbox: {
      x0: Math.min(...words.map((w) => w.bbox.x0)),
      y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)),
      y1: Math.max(...words.map((w) => w.bbox.y1)),
    },
    words,
  });
  /** A reader that reads "Neude 16" across the middle of whatever it is given, and records how it was asked. */
  const reader = (confidence: number) => {
    const asked: Array<{ width: number; height: number; layout?: string }> = [];
    const read = async (
      _pgm: Uint8Array,
      size: { width: number; height: number },
      layout?: 'sparse' | 'single-block',
    ) => {
      asked.push({ ...size, layout });
      const [w, h] = [size.width, size.height];
      const y0 = 0.3 * h;
      const y1 = 0.7 * h;
      return [
        line([word('Neude', confidence, 0.1 * w, 0.55 * w, y0, y1), word('16', confidence, 0.6 * w, 0.9 * w, y0, y1)]),
      ];
    };
    return { read, asked };
  };
  // Nine letters at (40, 120), of which the first pass read two words: "ae" (a misreading, 71) and "16".
  const printed = page(letters(40, 120, 9));
  const misread = [line([word('ae', 71, 60, 80), word('16', 91, 100, 115)])];

  it('reads a region whole and row by row, each row scaled to its own height', async () => {
    const { read, asked } = reader(92);
    await readUnreadPrint(printed, misread, read);
    expect(asked.map((a) => a.layout)).toEqual(['sparse', 'single-block']);
    // the whole region scaled for its letters (10 px to 18), the row for its height (10 px to 40)
    expect(asked[1].width / asked[0].width).toBeCloseTo(40 / 18, 1);
  });

  it('replaces a short word read with far less confidence by the fuller line read over it', async () => {
    const { read } = reader(92);
    const { lines, added } = await readUnreadPrint(printed, misread, read);
    expect(added.map((l) => l.text)).toEqual(['Neude 16']);
    expect(lines.map((l) => l.text)).toEqual(['Neude 16']);
  });

  it('keeps the first reading where the re-read is less sure than it', async () => {
    const { read } = reader(70);
    const { lines, added } = await readUnreadPrint(printed, misread, read);
    expect(added).toEqual([]);
    expect(lines).toEqual(misread);
  });

  it("adds no line read in the cut's margin, outside the region's print (a line read before, above it)", async () => {
    const { read: neude } = reader(92);
    const read: typeof neude = async (pgmBytes, size, layout) => [
      line([word('Tel', 92, 0.1 * size.width, 0.5 * size.width, 0.02 * size.height, 0.12 * size.height)]),
      ...(await neude(pgmBytes, size, layout)),
    ];
    const { added } = await readUnreadPrint(printed, misread, read);
    expect(added.map((l) => l.text)).toEqual(['Neude 16']);
  });

  it('keeps a longer word read with confidence that the re-read spells otherwise', async () => {
    const { read } = reader(92);
    const confident = [line([word('Neuda', 90, 55, 95), word('16', 91, 100, 115)])];
    const { lines } = await readUnreadPrint(printed, confident, read);
    expect(lines).toEqual(confident);
  });

  it('replaces words read before with far less confidence, taken together, though one spells otherwise', async () => {
    const { read } = reader(95);
    const poorly = [line([word('Neuda', 82, 55, 95), word('1', 27, 100, 108)])];
    const { lines } = await readUnreadPrint(printed, poorly, read);
    expect(lines.map((l) => l.text)).toEqual(['Neude 16']);
  });

  it('adds a mail address read with little confidence where none was read, never over one read before', async () => {
    const read = async (_pgm: Uint8Array, size: { width: number; height: number }) => {
      const [w, h] = [size.width, size.height];
      return [
        line([
          word('seoseoun@wyvernhalltabrication', 19, 0.1 * w, 0.75 * w, 0.3 * h, 0.7 * h),
          word('sg', 86, 0.8 * w, 0.9 * w, 0.3 * h, 0.7 * h),
        ]),
      ];
    };
    const { added } = await readUnreadPrint(printed, [], read);
    expect(added.map((l) => l.text)).toEqual(['seoseoun@wyvernhalltabrication sg']);
    const before = [line([word('seoseojun@wyvernhall', 30, 60, 110)])];
    expect((await readUnreadPrint(printed, before, read)).added).toEqual([]);
  });

  it('adds a number without a label read before it with little confidence (a label in light print)', async () => {
    const read = async (_pgm: Uint8Array, size: { width: number; height: number }) => {
      const [w, h] = [size.width, size.height];
      const at = (text: string, confidence: number, from: number, to: number) =>
        word(text, confidence, from * w, to * w, 0.3 * h, 0.7 * h);
      return [
        line([
          at('Mobde', 36, 0.1, 0.3),
          at('138', 95, 0.35, 0.5),
          at('6101', 95, 0.55, 0.7),
          at('7871', 96, 0.75, 0.9),
        ]),
      ];
    };
    const { added } = await readUnreadPrint(printed, [], read);
    expect(added.map((l) => l.text)).toEqual(['138 6101 7871']);
  });
});

describe('the second read on real card photos', () => {
  const pool = TesseractPool.create({ size: 1 });
  afterAll(() => pool.close());
  const real = sharedPath('fixtures', 'bizcards', 'real');
  const photos = readdirSync(real)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, 2);

  it.each(photos)(
    '%s reads the same with and without it',
    async (file) => {
      const bytes = readFileSync(`${real}/${file}`);
      const without = await pool.recognize(bytes, { unreadPrint: false });
      const withIt = await pool.recognize(bytes);
      expect(without.lines.length).toBeGreaterThan(3);
      expect(withIt).toEqual(without);
    },
    60_000,
  );
});
