import type { OcrLine } from '../../ports/ocr.js';

/** A box in page fractions (0..1), as the Ocr port gives it. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Word {
  text: string;
  box: Box;
  confidence: number;
}

/**
 * A run of words that belong together: one LINE, or the part of a LINE on one side of a wide gap
 * (Textract and tesseract both join text of two columns into one LINE when it sits on one baseline).
 */
export interface Segment {
  text: string;
  words: Word[];
  box: Box;
  /** Typical word height in page-height fractions; the text size. */
  size: number;
  /** Index of the LINE this came from; segments of one LINE share it. */
  line: number;
  /** Position in reading order, set by `readingOrder`. */
  order: number;
  /** 0 = single column or left column, 1 = right column. */
  column: number;
}

const ASSUMED_CHAR_ASPECT = 0.52; // average glyph advance / text-line height for Latin fonts

export function unionBox(boxes: Box[]): Box {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Page width / page height. Block geometry is in fractions of each axis, so comparing a horizontal
 * gap with a text height needs it. Estimated from the words (glyph width vs height) when not given.
 */
export function estimateAspect(words: Word[]): number {
  const ratios: number[] = [];
  for (const w of words) {
    const chars = w.text.length;
    if (chars < 3 || w.box.width <= 0 || w.box.height <= 0) continue;
    ratios.push((w.box.height * chars * ASSUMED_CHAR_ASPECT) / w.box.width);
  }
  const estimate = median(ratios);
  return estimate > 0.3 && estimate < 5 ? estimate : 1.75;
}

function wordsOfLines(lines: readonly OcrLine[]): Word[][] {
  return lines
    .map((line) =>
      line.words
        .filter((w) => w.text.trim())
        .map((w) => ({ text: w.text.trim(), box: w.box, confidence: w.confidence })),
    )
    .filter((words) => words.length > 0);
}

/** Every word of the page's lines, for estimating the page aspect. */
export function allWords(lines: readonly OcrLine[]): Word[] {
  return wordsOfLines(lines).flat();
}

function makeSegment(words: Word[], line: number): Segment {
  return {
    text: words.map((w) => w.text).join(' '),
    words,
    box: unionBox(words.map((w) => w.box)),
    size: median(words.map((w) => w.box.height)),
    line,
    order: 0,
    column: 0,
  };
}

/**
 * Cuts each LINE where the horizontal gap between two words is wider than `gapFactor` text heights.
 * Ordinary word spacing is about a third of the text height.
 */
export function segmentLines(
  ocrLines: readonly OcrLine[],
  opts: { aspect?: number; gapFactor?: number } = {},
): Segment[] {
  const lines = wordsOfLines(ocrLines);
  const aspect = opts.aspect ?? estimateAspect(lines.flat());
  const gapFactor = opts.gapFactor ?? 1.1;
  const segments: Segment[] = [];
  lines.forEach((words, lineIndex) => {
    const sorted = [...words].sort((a, b) => a.box.left - b.box.left);
    const height = median(sorted.map((w) => w.box.height));
    let current: Word[] = [];
    for (const word of sorted) {
      const prev = current[current.length - 1];
      if (prev) {
        const gapInHeights = ((word.box.left - (prev.box.left + prev.box.width)) * aspect) / (height || 1);
        if (gapInHeights > gapFactor) {
          segments.push(makeSegment(current, lineIndex));
          current = [];
        }
      }
      current.push(word);
    }
    if (current.length) segments.push(makeSegment(current, lineIndex));
  });
  return readingOrder(segments);
}

/**
 * Orders segments for reading: finds a vertical gutter with text on both sides that no segment
 * crosses (a two-column card), then reads the left column top to bottom before the right one.
 */
export function readingOrder(segments: Segment[]): Segment[] {
  const gutter = findGutter(segments);
  for (const s of segments) s.column = gutter !== null && s.box.left >= gutter ? 1 : 0;
  const byRows = (a: Segment, b: Segment) => {
    const overlap = Math.min(a.box.top + a.box.height, b.box.top + b.box.height) - Math.max(a.box.top, b.box.top);
    if (overlap > 0.5 * Math.min(a.box.height, b.box.height)) return a.box.left - b.box.left;
    return a.box.top - b.box.top;
  };
  const sorted = [...segments].sort((a, b) => a.column - b.column || byRows(a, b));
  sorted.forEach((s, i) => {
    s.order = i;
  });
  return sorted;
}

function findGutter(segments: Segment[]): number | null {
  if (segments.length < 4) return null;
  const spans = segments.map((s) => [s.box.left, s.box.left + s.box.width] as const).sort((a, b) => a[0] - b[0]);
  let best: { at: number; width: number } | null = null;
  let reach = spans[0][1];
  for (let i = 1; i < spans.length; i++) {
    const [left, right] = spans[i];
    if (left > reach) {
      const width = left - reach;
      const leftCount = i;
      const rightCount = spans.length - i;
      if (leftCount >= 2 && rightCount >= 2 && width > 0.04 && (!best || width > best.width))
        best = { at: left, width };
    }
    reach = Math.max(reach, right);
  }
  return best ? best.at : null;
}

export { median };
