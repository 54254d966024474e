import type { OcrLine, OcrPoint } from '../../ports/ocr.js';

/** A box in page fractions (0..1), as the Ocr port gives it. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Word {
  text: string;
  /** In the levelled page: page fractions, the page turned so that its text runs level (see `PageFrame`). */
  box: Box;
  confidence: number;
}

/**
 * How the card lies in the photo: `aspect` = page width / page height (geometry is in fractions of each axis, so
 * comparing a horizontal gap with a text height needs it); `angle` = the slant of its text lines in radians
 * (positive: descending to the right), undone before the layout is read.
 */
export interface PageFrame {
  aspect: number;
  angle: number;
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

/** Below this slant (radians, about 0.4°) the text is taken as level. */
const LEVEL = 0.007;

/**
 * The slant of the page's text: the median angle of the lines' top edges, from their polygons (Textract gives
 * them, following turned text; the BoundingBox is only their hull). 0 when no line has a polygon.
 */
export function pageAngle(lines: readonly OcrLine[], aspect: number): number {
  const angles: number[] = [];
  for (const line of lines) {
    const p = line.polygon;
    if (!p || p.length < 4) continue;
    const dx = (p[1].x - p[0].x) * aspect;
    const dy = p[1].y - p[0].y;
    if (dx < 0.08 * aspect) continue;
    angles.push(Math.atan2(dy, dx));
  }
  const angle = median(angles);
  return Math.abs(angle) < LEVEL ? 0 : angle;
}

function corners(box: Box): OcrPoint[] {
  return [
    { x: box.left, y: box.top },
    { x: box.left + box.width, y: box.top },
    { x: box.left + box.width, y: box.top + box.height },
    { x: box.left, y: box.top + box.height },
  ];
}

/**
 * The hull of `points` turned about the page's centre by the page's slant: `direction` -1 levels the photo's
 * geometry, +1 takes a box of the levelled page back into the photo (rotation in pixel-true proportions).
 */
function turn(points: OcrPoint[], frame: PageFrame, direction: 1 | -1): Box {
  const xs: number[] = [];
  const ys: number[] = [];
  const cos = Math.cos(frame.angle);
  const sin = direction * Math.sin(frame.angle);
  const cx = 0.5 * frame.aspect;
  for (const p of points) {
    const X = p.x * frame.aspect - cx;
    const Y = p.y - 0.5;
    xs.push((cx + cos * X - sin * Y) / frame.aspect);
    ys.push(0.5 + sin * X + cos * Y);
  }
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  return { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top };
}

/** A region of the levelled page in the photo's own frame (the hull of its turned corners): what to crop. */
export function photoRegion(box: Box, frame: PageFrame): Box {
  return frame.angle === 0 ? box : turn(corners(box), frame, 1);
}

function wordsOfLines(lines: readonly OcrLine[], frame: PageFrame | undefined): Word[][] {
  return lines
    .map((line) =>
      line.words
        .filter((w) => w.text.trim())
        .map((w) => ({
          text: w.text.trim(),
          box: frame ? turn(w.polygon ?? corners(w.box), frame, -1) : w.box,
          confidence: w.confidence,
        })),
    )
    .filter((words) => words.length > 0);
}

/** Every word of the page's lines, for estimating the page aspect. */
export function allWords(lines: readonly OcrLine[]): Word[] {
  return wordsOfLines(lines, undefined).flat();
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

/** The page frame of OCR'd lines: the aspect when known (else estimated from the words), and the slant. */
export function pageFrame(lines: readonly OcrLine[], aspect?: number): PageFrame {
  const a = aspect ?? estimateAspect(allWords(lines));
  return { aspect: a, angle: pageAngle(lines, a) };
}

/**
 * Cuts each LINE where the horizontal gap between two words is wider than `gapFactor` text heights (OCR word
 * boxes are loose: tesseract's can be off by half a text height at each end), and after a
 * logo read as a word (see `isLogoWord`). Ordinary word spacing is about a third of the text height.
 */
export function segmentLines(
  ocrLines: readonly OcrLine[],
  opts: { frame?: PageFrame; gapFactor?: number } = {},
): Segment[] {
  const frame = opts.frame ?? pageFrame(ocrLines);
  const lines = wordsOfLines(ocrLines, frame);
  const aspect = frame.aspect;
  const gapFactor = opts.gapFactor ?? 2;
  const segments: Segment[] = [];
  lines.forEach((words, lineIndex) => {
    const sorted = [...words].sort((a, b) => a.box.left - b.box.left);
    const height = median(sorted.map((w) => w.box.height));
    let current: Word[] = [];
    sorted.forEach((word, i) => {
      const prev = current[current.length - 1];
      if (prev) {
        const gapInHeights = ((word.box.left - (prev.box.left + prev.box.width)) * aspect) / (height || 1);
        // A web address's scheme read apart from the rest ("https:" "www.acme.com") stays with it, as does a
        // number's "+" or "(".
        const scheme = /^(?:https?:?\/{0,2}|www\.?)$|[+(]$/i.test(prev.text);
        // A mailbox and its "@domain" read apart ("v.duboisleclerc" "@merlionbiotech.nl") stay together too.
        const mailbox = word.text.startsWith('@') && /^[\w.+-]*\w$/.test(prev.text);
        // Columns on one baseline: a plain wide gap, or a narrower one before contact details ("... China   Phone:").
        const wide = gapInHeights > gapFactor || (gapInHeights > 1.1 && CONTACT_START.test(word.text));
        if ((wide && !scheme && !mailbox) || (i === 1 && isLogoWord(prev, sorted.slice(1), aspect))) {
          segments.push(makeSegment(current, lineIndex));
          current = [];
        }
      }
      current.push(word);
    });
    if (current.length) segments.push(makeSegment(current, lineIndex));
  });
  return readingOrder(segments);
}

/** A word that starts contact details: a phone or web label, a number, an email. */
const CONTACT_START =
  /^(?:\+|\(\+?\d|tel|phone|fax|mobile|mob|cell|office|direct|email|e-mail|web|www|[tmfdew])\b[.:]?|@/i;

/**
 * A logo or an icon printed at the start of a line and read as a short word ("@", "©)", "11]", "AM" for a
 * drawn mark before a company name): taller than the words after it by half again, or no letter or digit at all.
 * Cut off, it is a segment of its own that no field takes.
 */
function isLogoWord(first: Word, rest: Word[], aspect: number): boolean {
  const text = first.text;
  if (text.length > 3 || rest.length === 0) return false;
  const restHeight = median(rest.map((w) => w.box.height));
  // A mark stands apart; a letter read off the front of its word ("S" "able") does not.
  const gap = (rest[0].box.left - (first.box.left + first.box.width)) * aspect;
  if (gap < 0.25 * restHeight) return false;
  // The OCR's own doubt: a mark read as one or two letters with next to no confidence.
  if (text.length <= 2 && first.confidence < 30 && Math.min(...rest.map((w) => w.confidence)) >= 60) return true;
  // An icon or a mark of no letters ("®", "~~", "|") before a word or number; a '+' or '(' starts a phone number.
  if (!/[\p{L}\d]/u.test(text)) return !/^[+(]$/.test(text) && /^[\p{L}\d]/u.test(rest[0].text);
  return first.box.height >= 1.45 * restHeight;
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
