import { type GreyImage, INK_LEVEL, pgm } from './image-scale.js';
import { type OcrLine, overlapOfSmaller, type PixelBox } from './ocr-page.js';

/**
 * A page's first read as two parts, top and bottom, read at once on two tesseract workers: with one card in
 * flight the second worker would otherwise idle. The page is cut only across a wide band of blank rows (no
 * print is cut through), so each line is read whole by one of the two reads; a page without such a band (a
 * turned card whose edges cross every row, print from top to bottom, a small image) is read whole. Each part is
 * levelled on its own (tesseract's rotateAuto) and its lines put back in page rows. The cut depends on the image
 * only, never on load: a card reads the same alone and in a crowd.
 */

/** Rows with at most this share of their pixels inked (speckles) count as blank. */
const SPECKLE_SHARE = 0.002;
/** The cut is looked for between these shares of the page's height. */
const SEARCH_FROM = 0.15;
const SEARCH_TO = 0.85;
/**
 * A blank band must be at least this tall (pixels) to cut across: a gap between blocks of print (the real photos'
 * gaps are 15-17 px), not one between two lines of a block, where a tilted line's ends may reach across.
 */
const MIN_BAND_PX = 12;
/** A run of inked rows lower than this (pixels) is counted as this tall: a rule or a speck, not small print. */
const MIN_LINE_PX = 8;
/** The lighter part must hold at least this share of the page's reading work, or the page is read whole. */
const MIN_LIGHTER_SHARE = 0.25;
/** Pages with a shorter side than this (pixels) are read whole. */
const MIN_SPLIT_PX = 400;
/** White rows added at each part's cut edge, so a line next to the cut does not touch its part's border. */
const PAD_PX = 16;

export interface BlankCut {
  /** First row of the bottom part. */
  row: number;
  /** The blank band the cut lies in (rows, end exclusive). */
  band: { from: number; to: number };
}

/**
 * The row to cut an 8-bit grey page (flattened: paper white, print dark) at: the middle of a blank band of rows,
 * the one that best shares the reading work between the two parts; undefined when there is none or when the
 * lighter part would get too little of the work for the split to pay.
 *
 * Tesseract's work on a line grows with the number of its characters, not with its ink: a line is scaled to a
 * fixed height before it is read, so a big name costs less than a long address in small print. A run of inked
 * rows (a line of print) of height h and ink n holds about n / h² characters.
 */
export function findBlankCut(grey: Uint8Array, width: number, height: number): BlankCut | undefined {
  if (Math.min(width, height) < MIN_SPLIT_PX) return undefined;
  const ink = rowInk(grey, width, height);
  const allowed = Math.max(1, Math.floor(width * SPECKLE_SHARE));
  // work above each row (work[y]: rows 0..y-1), and the blank bands
  const work = new Float64Array(height + 1);
  const bands: { from: number; to: number }[] = [];
  for (let y = 0; y < height; ) {
    const blank = ink[y] <= allowed;
    let end = y;
    let sum = 0;
    while (end < height && ink[end] <= allowed === blank) sum += ink[end++];
    const perRow = blank ? 0 : sum / Math.max(MIN_LINE_PX, end - y) ** 2 / (end - y);
    for (let r = y; r < end; r++) work[r + 1] = work[r] + perRow;
    if (blank && y > 0 && end < height) bands.push({ from: y, to: end });
    y = end;
  }
  const total = work[height];
  let best: BlankCut | undefined;
  let bestLighter = 0;
  for (const band of bands) {
    if (band.to - band.from < MIN_BAND_PX) continue;
    const row = Math.floor((band.from + band.to) / 2);
    if (row < height * SEARCH_FROM || row > height * SEARCH_TO) continue;
    const lighter = Math.min(work[row], total - work[row]);
    if (lighter > bestLighter) {
      bestLighter = lighter;
      best = { row, band };
    }
  }
  return best && bestLighter >= MIN_LIGHTER_SHARE * total && isLevel(grey, width, height) ? best : undefined;
}

/** Shears (tangents of ±0.25° to ±6°) to find how the print lies; the first pair is "level". */
const SHEARS = [0.25, 0.5, 1, 2, 4, 6].flatMap((deg) => [
  Math.tan((deg * Math.PI) / 180),
  -Math.tan((deg * Math.PI) / 180),
]);

/**
 * Whether the print lies level: its rows of ink are sharpest (sum of squared row counts) sheared by ±0.25°, less
 * so by any larger angle. Not compared with 0° itself: a flattened photo's card edges come out as short level
 * dashes (flatten works in 8 px cells) that are sharpest at exactly 0° however the card is turned. A turned page
 * is read whole: tesseract levels each part on its own, and a part of a turned card (one line of it, say) is
 * levelled and laid out worse than the whole card (on dev photos that lost fields).
 */
function isLevel(grey: Uint8Array, width: number, height: number): boolean {
  const margin = Math.ceil(width * SHEARS[SHEARS.length - 2]) + 1;
  const counts = SHEARS.map(() => new Float64Array(height + 2 * margin));
  for (let y = 0; y < height; y++) {
    const at = y * width;
    for (let x = 0; x < width; x++) {
      if (grey[at + x] >= INK_LEVEL) continue;
      for (let i = 0; i < SHEARS.length; i++) counts[i][margin + y + Math.round(x * SHEARS[i])]++;
    }
  }
  const sharpness = counts.map((rows) => rows.reduce((sum, n) => sum + n * n, 0));
  const sharpest = sharpness.indexOf(Math.max(...sharpness));
  return sharpest < 2;
}

/** Inked pixels per row. */
function rowInk(grey: Uint8Array, width: number, height: number): Uint32Array {
  const ink = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    let n = 0;
    const at = y * width;
    for (let x = 0; x < width; x++) if (grey[at + x] < INK_LEVEL) n++;
    ink[y] = n;
  }
  return ink;
}

/** Rows [from, to) of a grey image as a PGM, with `padTop` and `padBottom` white rows around them. */
function pgmRows(image: GreyImage, from: number, to: number, padTop: number, padBottom: number): Uint8Array {
  const { width } = image;
  const height = padTop + (to - from) + padBottom;
  const rows = new Uint8Array(width * height).fill(255);
  rows.set(image.grey.subarray(from * width, to * width), padTop * width);
  return pgm(rows, width, height);
}

/** One part of a split page: its image and where its rows lie in the page (`offset`: page row of its row 0). */
export interface PagePart {
  image: Uint8Array;
  width: number;
  height: number;
  offset: number;
}

/** The page (flattened grey) as its top and bottom parts, each a PGM, or undefined when it is better read whole. */
export function splitPage(image: GreyImage): [PagePart, PagePart] | undefined {
  const cut = findBlankCut(image.grey, image.width, image.height);
  if (!cut) return undefined;
  const { width, height } = image;
  return [
    { image: pgmRows(image, 0, cut.row, 0, PAD_PX), width, height: cut.row + PAD_PX, offset: 0 },
    {
      image: pgmRows(image, cut.row, height, PAD_PX, 0),
      width,
      height: height - cut.row + PAD_PX,
      offset: cut.row - PAD_PX,
    },
  ];
}

/**
 * The lines of the parts, in page coordinates, top part first. A line both parts read (the same text at the same
 * place: parts cut across a blank band share only white rows, so this is a safeguard) is kept once, the copy read
 * with more confidence.
 */
export function mergeParts(parts: { offset: number; lines: OcrLine[] }[]): OcrLine[] {
  const placed = parts.map(({ offset, lines }) => lines.map((line) => shiftLine(line, offset)));
  const merged: OcrLine[] = [];
  for (const lines of placed) {
    for (const line of lines) {
      const twin = merged.findIndex((kept) => sameLine(kept, line));
      if (twin < 0) merged.push(line);
      else if (line.confidence > merged[twin].confidence) merged[twin] = line;
    }
  }
  return merged;
}

/** Two reads of one line: boxes that share over half the smaller one, and the same text. */
function sameLine(a: OcrLine, b: OcrLine): boolean {
  return a.text === b.text && overlapOfSmaller(a.bbox, b.bbox) > 0.5;
}

function shiftLine(line: OcrLine, dy: number): OcrLine {
  if (dy === 0) return line;
  const shift = (b: PixelBox): PixelBox => ({ x0: b.x0, y0: b.y0 + dy, x1: b.x1, y1: b.y1 + dy });
  return { ...line, bbox: shift(line.bbox), words: line.words.map((w) => ({ ...w, bbox: shift(w.bbox) })) };
}

/**
 * Reads a flattened grey page as two parts at once with `read` (each part deskewed on its own: `read` gets the
 * part's size for that), or returns undefined when the page has no blank band to cut across.
 */
export async function readInParts(
  page: GreyImage,
  read: (image: Uint8Array, size: { width: number; height: number }) => Promise<OcrLine[]>,
): Promise<OcrLine[] | undefined> {
  const parts = splitPage(page);
  if (!parts) return undefined;
  const lines = await Promise.all(parts.map((p) => read(p.image, { width: p.width, height: p.height })));
  return mergeParts(parts.map((p, i) => ({ offset: p.offset, lines: lines[i] })));
}
