import { flatten, type GreyImage, pgm } from './image-scale.js';
import { MIN_LINE_ANGLE, type OcrLine, type OcrWord, overlapOfSmaller, type PixelBox, unionBox } from './ocr-page.js';

/**
 * Print the first pass left unread: whole contact blocks, address lines, light-grey thin print that the page
 * levelling turned into paper or tesseract's layout analysis skipped or read as junk. Found as ink (in the page
 * levelled with the `print` paper level, which keeps thin grey strokes dark, and a light ink level) in clusters of
 * marks of the size and shape of letters that lie mostly outside the words the first pass read with confidence (or a
 * line of such marks left unread in a block read otherwise); each cluster is cut out, turned level, its contrast
 * stretched, and read again whole and row by row, each upscaled to a size tesseract reads well. Only whole lines read
 * with confidence that are new print (or a fuller reading of the words read there) are added; the first pass's words
 * they read again are taken out of its lines.
 */

/** A cluster of letter-like marks mostly outside the words the first pass read. */
export interface UnreadRegion {
  box: PixelBox;
  /** Median height of its unread marks (pixels). */
  markHeight: number;
  /** Its marks outside the words read. */
  marks: number;
  /** Slant of its lines (radians, positive descending to the right). */
  angle: number;
}

/**
 * A pixel of the levelled page darker than this is ink of a mark: lighter than the first pass's INK_LEVEL, which
 * drops small light-grey print (its strokes level out at 150-220).
 */
const MARK_INK_LEVEL = 224;
/** A letter-like mark: at least this tall (pixels) and at most this share of the page's shorter side. */
const MIN_MARK_PX = 5;
const MAX_MARK_SHARE = 0.07;
/** ... at most this many times as wide as tall (a few letters run together), at least this share of its box inked. */
const MAX_MARK_ASPECT = 8;
const MIN_MARK_FILL = 0.12;
/** A cluster worth reading: at least this many marks unread, a median mark at least this tall (pixels). */
const MIN_MARKS = 4;
const MIN_REGION_MARK_PX = 6;
/** ... as wide as this many mark heights at least (a word or more, not a column of stray marks). */
const MIN_REGION_WIDTH = 3;
/** Marks join a cluster when the gap is under this many mark heights across, this many down. */
const JOIN_ACROSS = 1.2;
const JOIN_DOWN = 1;
/** A cluster is read again when at least this share of its marks lies outside the words read. */
const UNREAD_SHARE = 0.4;
/** A first-pass word read with this confidence or more counts as read. */
const READ_CONFIDENCE = 60;
/** Clusters within this many mark heights of each other are read as one region. */
const MERGE_MARGIN = 1;
/** Around a first-pass line, this share of its height counts as read too. */
const LINE_MARGIN = 0.2;

/**
 * Clusters of letter-like ink in `image` (a levelled grey page) that lie mostly outside `read` (boxes of the words
 * already read): a block of lines each whole, with the part already read, so that it is cut out and read whole.
 */
export function findUnreadPrint(image: GreyImage, read: PixelBox[]): UnreadRegion[] {
  const { grey: ink, width, height } = image;
  const covered = new Uint8Array(width * height);
  for (const b of read) fillBox(covered, width, height, grow(b, LINE_MARGIN * (b.y1 - b.y0)), 1);
  const maxMark = MAX_MARK_SHARE * Math.min(width, height);
  const marks = inkMarks(ink, width, height).filter((m) => {
    const w = m.x1 - m.x0;
    const h = m.y1 - m.y0;
    const edge = m.x0 === 0 || m.y0 === 0 || m.x1 === width || m.y1 === height;
    return (
      !edge &&
      w >= 2 &&
      h >= MIN_MARK_PX &&
      h <= maxMark &&
      w <= MAX_MARK_ASPECT * h &&
      m.pixels >= MIN_MARK_FILL * w * h
    );
  });
  const isRead = (m: Mark) => covered[Math.floor((m.y0 + m.y1) / 2) * width + Math.floor((m.x0 + m.x1) / 2)] === 1;
  const region = (group: Mark[], unread: Mark[]): UnreadRegion[] => {
    const heights = unread.map((m) => m.y1 - m.y0).sort((a, b) => a - b);
    const markHeight = heights[Math.floor(heights.length / 2)];
    const box = unionBox(group);
    if (markHeight < MIN_REGION_MARK_PX || box.x1 - box.x0 < MIN_REGION_WIDTH * markHeight) return [];
    return [
      { box: alongRows(box, markHeight, marks), markHeight, marks: unread.length, angle: slant(group, markHeight) },
    ];
  };
  return clusters(marks)
    .flatMap((group): UnreadRegion[] => {
      const unread = group.filter((m) => !isRead(m));
      if (unread.length < MIN_MARKS) return [];
      if (unread.length >= UNREAD_SHARE * group.length) return region(group, unread);
      // A block mostly read: a line of it left unread (between two lines read, or below them) is a cluster of its own.
      return clusters(unread).flatMap((line) => (line.length >= MIN_MARKS ? region(line, line) : []));
    })
    .reduce(mergeNear, []);
}

/** A region reaches along its rows to marks at most this many mark heights past its side. */
const REACH = 2.5;
/** ... letter-like marks: between these shares of its mark height tall (a small letter to a capital). */
const LETTER_SIZES = [0.4, 1.5];

/**
 * `box` reaching along its rows to the marks just past its sides: the end of a line that its cluster left out, past a
 * gap that a full stop or hyphen too small for a mark left (".ca" of an address in small print).
 */
function alongRows(box: PixelBox, markHeight: number, marks: Mark[]): PixelBox {
  const reach = REACH * markHeight;
  const inRows = marks.filter((m) => {
    const middle = (m.y0 + m.y1) / 2;
    const h = m.y1 - m.y0;
    return (
      middle >= box.y0 && middle <= box.y1 && h >= LETTER_SIZES[0] * markHeight && h <= LETTER_SIZES[1] * markHeight
    );
  });
  let b = box;
  for (let grown = true; grown; ) {
    grown = false;
    for (const m of inRows) {
      if (m.x1 > b.x1 && m.x0 >= b.x1 - 1 && m.x0 - b.x1 <= reach) b = { ...b, x1: m.x1 };
      else if (m.x0 < b.x0 && m.x1 <= b.x0 + 1 && b.x0 - m.x1 <= reach) b = { ...b, x0: m.x0 };
      else continue;
      grown = true;
    }
  }
  return b;
}

/** Slants tried for a cluster's lines (radians): -12° to 12° by 0.5°. */
const SLANTS = Array.from({ length: 49 }, (_, i) => ((i - 24) * 0.5 * Math.PI) / 180);

/**
 * The slant of a cluster's lines (radians, positive descending to the right): the one at which its marks' centres,
 * seen along it, stack into the fewest, fullest rows.
 */
function slant(marks: Mark[], markHeight: number): number {
  if (marks.length < 2 * MIN_MARKS) return 0;
  const bin = Math.max(1, markHeight / 3);
  let best = 0;
  let bestScore = -1;
  for (const angle of SLANTS) {
    const sin = Math.sin(angle);
    const cos = Math.cos(angle);
    const rows = new Map<number, number>();
    for (const m of marks) {
      const x = (m.x0 + m.x1) / 2;
      const y = m.y1;
      const row = Math.round((y * cos - x * sin) / bin);
      rows.set(row, (rows.get(row) ?? 0) + 1);
    }
    let score = 0;
    for (const n of rows.values()) score += n * n;
    if (score > bestScore || (score === bestScore && Math.abs(angle) < Math.abs(best))) {
      best = angle;
      bestScore = score;
    }
  }
  return best;
}

/** Adds `region` to `regions`, merged with every one within MERGE_MARGIN mark heights of it (a block of lines). */
function mergeNear(regions: UnreadRegion[], region: UnreadRegion): UnreadRegion[] {
  let merged = region;
  let rest = regions;
  for (;;) {
    const near = rest.filter((r) =>
      touches(grow(r.box, MERGE_MARGIN * r.markHeight), grow(merged.box, MERGE_MARGIN * merged.markHeight)),
    );
    if (near.length === 0) return [...rest, merged];
    rest = rest.filter((r) => !near.includes(r));
    merged = near.reduce(
      (m, r) => ({
        box: unionBox([m.box, r.box]),
        markHeight: r.marks > m.marks ? r.markHeight : m.markHeight,
        marks: m.marks + r.marks,
        angle: r.marks > m.marks ? r.angle : m.angle,
      }),
      merged,
    );
  }
}

function touches(a: PixelBox, b: PixelBox): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

interface Mark extends PixelBox {
  pixels: number;
}

/** 8-connected components of ink pixels. */
function inkMarks(ink: Uint8Array, width: number, height: number): Mark[] {
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  const marks: Mark[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (seen[start] || ink[start] >= MARK_INK_LEVEL) continue;
    seen[start] = 1;
    let top = 0;
    stack[top++] = start;
    const mark: Mark = { x0: width, y0: height, x1: 0, y1: 0, pixels: 0 };
    while (top > 0) {
      const p = stack[--top];
      const x = p % width;
      const y = (p - x) / width;
      mark.pixels++;
      if (x < mark.x0) mark.x0 = x;
      if (x >= mark.x1) mark.x1 = x + 1;
      if (y < mark.y0) mark.y0 = y;
      if (y >= mark.y1) mark.y1 = y + 1;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (seen[q] || ink[q] >= MARK_INK_LEVEL) continue;
          seen[q] = 1;
          stack[top++] = q;
        }
      }
    }
    marks.push(mark);
  }
  return marks;
}

/** Marks of similar height near each other, across or down (a line, a block of lines). */
function clusters(marks: Mark[]): Mark[][] {
  const sorted = [...marks].sort((a, b) => a.x0 - b.x0);
  const parent = sorted.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const maxHeight = Math.max(0, ...sorted.map((m) => m.y1 - m.y0));
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    const ha = a.y1 - a.y0;
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j];
      if (b.x0 > a.x1 + JOIN_ACROSS * Math.max(ha, maxHeight)) break;
      const hb = b.y1 - b.y0;
      const h = Math.max(ha, hb);
      if (h > 2.5 * Math.min(ha, hb)) continue;
      const across = Math.max(0, b.x0 - a.x1, a.x0 - b.x1);
      const down = Math.max(0, b.y0 - a.y1, a.y0 - b.y1);
      if (across <= JOIN_ACROSS * h && down <= JOIN_DOWN * Math.min(ha, hb)) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, Mark[]>();
  for (const [i, m] of sorted.entries()) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(m);
    else groups.set(root, [m]);
  }
  return [...groups.values()];
}

/** Reads a levelled grey image (PGM bytes), by default with sparse layout; lines in that image's pixels. */
export type ReadImage = (
  pgmBytes: Uint8Array,
  size: { width: number; height: number },
  layout?: 'sparse' | 'single-block',
) => Promise<OcrLine[]>;

/** Letters read best around this height (pixels of a median mark: about an x-height). */
const TARGET_MARK_PX = 18;
const MAX_SCALE = 4;
/** A line that ends within this many of its heights of a word read before is the rest of that word's line. */
const CONTINUES = 2;
/** A line read again within this many mark heights of its cut's side may be cut off. */
const EDGE = 0.5;
/** A fuller reading of words read before has at least this many more letters and digits. */
const MIN_MORE_LETTERS = 3;
/** Around a region cut out to read, this many mark heights of margin. */
const CUT_MARGIN = 1.5;
/** A word read again is kept at this confidence or more, a line when its words average this much. */
const MIN_WORD_CONFIDENCE = 50;
const MIN_LINE_CONFIDENCE = 70;
/** A line with a mail address in it is kept when its words average this much (see rereadRegions). */
const MIN_MAIL_LINE_CONFIDENCE = 40;
/** A lone mark at a line's end read with less confidence than this is dropped (an icon, a logo's edge). */
const SURE_MARK_CONFIDENCE = 90;
/** ... and standing this many of the next word's heights apart from it. */
const APART = 0.6;

export interface UnreadPrintResult {
  lines: OcrLine[];
  regions: UnreadRegion[];
  /** The lines added (also at the end of `lines`). */
  added: OcrLine[];
}

/**
 * The first pass's `lines` of a page (`grey`: its render before levelling, the first pass's pixels) and the lines
 * read again in print they left unread, appended; as given when nothing is left unread.
 */
export async function readUnreadPrint(
  grey: GreyImage,
  lines: OcrLine[],
  readImage: ReadImage,
): Promise<UnreadPrintResult> {
  const none = { lines, regions: [], added: [] };
  const levelled = levelForUnreadPrint(grey);
  // Words read with little confidence, or single marks, are often junk over print tesseract could not make out.
  const read = lines.flatMap((l) => l.words);
  const regions = findUnreadPrint(
    levelled,
    read.filter((w) => w.confidence >= READ_CONFIDENCE && key(w.text).length >= 2).map((w) => w.bbox),
  );
  if (regions.length === 0) return none;
  const reread = await rereadRegions(levelled, regions, read, readImage);
  const replaced = new Set(reread.flatMap((line) => line.replaces));
  const added = reread.map(({ replaces: _, ...line }) => line);
  return { lines: [...withoutWords(lines, replaced), ...added], regions, added };
}

/** Reads every region of the levelled page: its confident lines of new print (see fuller), in page pixels. */
async function rereadRegions(
  levelled: GreyImage,
  regions: UnreadRegion[],
  read: OcrWord[],
  readImage: ReadImage,
): Promise<RereadLine[]> {
  const found = await Promise.all(
    regions
      .flatMap((region) => cutsOf(levelled, region))
      .map(async ({ crop, region, scale, layout }) => {
        const lines = await readImage(pgm(stretched(crop.grey), crop.width, crop.height), crop, layout);
        // The words read before, as centres in the cut's level frame.
        const before = read.map((word) => ({
          word,
          text: key(word.text),
          at: crop.toCut(centre(word.bbox)),
          sure: word.confidence >= READ_CONFIDENCE && key(word.text).length >= 2,
        }));
        const edge = EDGE * region.markHeight * scale;
        const back = (b: PixelBox): PixelBox => {
          const corners = [
            crop.toPage(b.x0, b.y0),
            crop.toPage(b.x1, b.y0),
            crop.toPage(b.x1, b.y1),
            crop.toPage(b.x0, b.y1),
          ];
          const xs = corners.map((p) => p.x);
          const ys = corners.map((p) => p.y);
          return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
        };
        return lines.flatMap((line): RereadLine[] => {
          const level = withoutDoubtfulLabel(trimDoubtful(line.words));
          if (level.length === 0) return [];
          const words = level.map((w) => ({ ...w, bbox: back(w.bbox) }));
          const bbox = unionBox(words.map((w) => w.bbox));
          // a line of the margin cut around the region (a line read before, above or below it) is not the region's
          const middle = (bbox.y0 + bbox.y1) / 2;
          if (middle < region.box.y0 || middle > region.box.y1) return [];
          const confidence = words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
          const text = words.map((w) => w.text).join(' ');
          // Whole lines of new print only: not the rest of a line read in part; where it covers words read, a
          // fuller reading of them (their letters in its own).
          const spelled = key(text);
          const sure = confidence >= MIN_LINE_CONFIDENCE && words.every((w) => w.confidence >= MIN_WORD_CONFIDENCE);
          // A mail address is no dictionary word, read with little confidence: taken where none was read (the card's
          // name, company and web address check it after), never over one read before.
          const mail = !sure && confidence >= MIN_MAIL_LINE_CONFIDENCE && words.some((w) => /\w@\w/.test(w.text));
          const whole =
            (sure || mail) &&
            spelled.length >= 2 &&
            // a line cut off by the cut's side is a piece of a line
            Math.min(...level.map((w) => w.bbox.x0)) > edge &&
            Math.max(...level.map((w) => w.bbox.x1)) < crop.width - edge;
          const replaces = whole ? fuller(spelled, level, confidence, before) : undefined;
          if (mail && replaces?.some((w) => w.text.includes('@'))) return [];
          if (!replaces) return [];
          const angle = (line.angle ?? 0) + region.angle;
          return [{ text, confidence, words, bbox, replaces, ...(Math.abs(angle) >= MIN_LINE_ANGLE ? { angle } : {}) }];
        });
      }),
  );
  // Regions' margins overlap, and a region is read whole and row by row: of the lines read in one place, the fullest
  // reading is kept, else the most confident.
  const kept: RereadLine[] = [];
  for (const line of found.flat().sort((x, y) => y.confidence - x.confidence)) {
    const spelled = key(line.text);
    const at = kept.findIndex((k) => overlaps(k.bbox, line.bbox));
    if (at < 0) kept.push(line);
    else if (spelled.length > key(kept[at].text).length && spelled.includes(key(kept[at].text))) kept[at] = line;
  }
  return kept;
}

/** A line read again, with the words read before that it reads again. */
interface RereadLine extends OcrLine {
  replaces: OcrWord[];
}

/** `lines` without `words` (a line left without any is dropped). */
function withoutWords(lines: OcrLine[], words: Set<OcrWord>): OcrLine[] {
  if (words.size === 0) return lines;
  return lines.flatMap((line): OcrLine[] => {
    const kept = line.words.filter((w) => !words.has(w));
    if (kept.length === line.words.length) return [line];
    if (kept.length === 0) return [];
    return [
      {
        ...line,
        words: kept,
        text: kept.map((w) => w.text).join(' '),
        confidence: kept.reduce((sum, w) => sum + w.confidence, 0) / kept.length,
        bbox: unionBox(kept.map((w) => w.bbox)),
      },
    ];
  });
}

function levelForUnreadPrint(image: GreyImage): GreyImage {
  return { ...image, grey: flatten(image.grey, image.width, image.height, 'print') };
}

/** Two boxes share over this share of the smaller one's area. */
const OVERLAP = 0.3;

function overlaps(a: PixelBox, b: PixelBox): boolean {
  return overlapOfSmaller(a, b) > OVERLAP;
}

/**
 * A line read again (its words in the cut's level frame, `confidence` their mean) is new print, or a fuller reading
 * of the words read there before: it holds each of their letters and at least MIN_MORE_LETTERS more (a stray mark
 * read as a letter is not more), save a short word read with far less confidence ("ae" where it reads "Neude").
 * Never the rest of a line read in part, beside it on its row. The words it reads again, or undefined.
 */
function fuller(
  spelled: string,
  words: OcrWord[],
  confidence: number,
  before: { word: OcrWord; text: string; at: Point; sure: boolean }[],
): OcrWord[] | undefined {
  const line = unionBox(words.map((w) => w.bbox));
  const height = line.y1 - line.y0;
  const replaces: OcrWord[] = [];
  let covered = 0;
  let doubtful = '';
  let contradicted = false;
  for (const { word, text, at, sure } of before) {
    if (at.y < line.y0 || at.y > line.y1) continue;
    if (words.some((w) => at.x >= w.bbox.x0 && at.x <= w.bbox.x1)) {
      replaces.push(word);
      if (!sure || (!spelled.includes(text) && outweighed(word, text, confidence))) doubtful += text;
      else if (!spelled.includes(text)) {
        contradicted = true;
        doubtful += text;
      } else covered += text.length;
    } else if (sure && Math.max(line.x0 - at.x, at.x - line.x1) < CONTINUES * height) return undefined;
  }
  // A word read with confidence that the line read again spells otherwise stands, unless the words read there
  // before, taken together, were read with far less confidence ("Tokvo 1 Japar" under "Tokyo 106-6108, Japan").
  if (contradicted && !outweighedAll(replaces, confidence)) return undefined;
  // the same letters as words read before with little confidence: nothing new
  if (doubtful.includes(spelled)) return undefined;
  return covered === 0 || spelled.length >= covered + MIN_MORE_LETTERS ? replaces : undefined;
}

/** A word of at most this many letters read with this much less confidence than a line read again over it. */
const SHORT_WORD = 3;
const OUTWEIGHED_BY = 15;

function outweighed(word: OcrWord, text: string, confidence: number): boolean {
  return word.confidence + (text.length <= SHORT_WORD ? 0 : OUTWEIGHED_BY) <= confidence;
}

/** Words read before whose mean confidence is OUTWEIGHED_BY less than a line read again over them. */
function outweighedAll(words: OcrWord[], confidence: number): boolean {
  const mean = words.reduce((sum, w) => sum + w.confidence, 0) / words.length;
  return words.every((w) => w.confidence < confidence) && mean + OUTWEIGHED_BY <= confidence;
}

interface Point {
  x: number;
  y: number;
}

function centre(b: PixelBox): Point {
  return { x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 };
}

/** A word's letters and digits, lower case: what two readings of it share. */
function key(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The words of a line without a doubtful lone mark standing apart at either end (an icon or a logo's edge read as a
 * letter; a letter close to the next word is part of the line: "t moyo@").
 */
function trimDoubtful(words: OcrWord[]): OcrWord[] {
  const doubtful = (w: OcrWord, next: OcrWord) =>
    key(w.text).length <= 1 &&
    w.confidence < SURE_MARK_CONFIDENCE &&
    Math.max(next.bbox.x0 - w.bbox.x1, w.bbox.x0 - next.bbox.x1) >= APART * (next.bbox.y1 - next.bbox.y0);
  let start = 0;
  let end = words.length;
  while (start < end - 1 && doubtful(words[start], words[start + 1])) start++;
  while (end - 1 > start && doubtful(words[end - 1], words[end - 2])) end--;
  return words.slice(start, end);
}

/** A word of a phone number (digits and their separators); a number has at least this many digits. */
const NUMBER_WORD = /^[+(]?[\d()\-.]+$/;
const MIN_NUMBER_DIGITS = 7;

/**
 * The words of a line without a first word read with little confidence before a number ("Mobde 138 6101 7871": a
 * label in a light or coloured print tesseract makes little of); the number is read whole without it.
 */
function withoutDoubtfulLabel(words: OcrWord[]): OcrWord[] {
  const [label, ...rest] = words;
  const number = rest.length > 0 && rest.every((w) => NUMBER_WORD.test(w.text));
  const digits = rest.reduce((n, w) => n + w.text.replace(/\D/g, '').length, 0);
  return label && label.confidence < MIN_WORD_CONFIDENCE && number && digits >= MIN_NUMBER_DIGITS ? rest : words;
}

/** A box about `b`'s centre that holds `b`'s content once turned level by `angle`. */
function levelBox(b: PixelBox, angle: number): PixelBox {
  const w = b.x1 - b.x0;
  const h = b.y1 - b.y0;
  const sin = Math.abs(Math.sin(angle));
  return {
    x0: b.x0 - (h * sin) / 2,
    x1: b.x1 + (h * sin) / 2,
    y0: b.y0 - (w * sin) / 2,
    y1: b.y1 + (w * sin) / 2,
  };
}

function grow(b: PixelBox, by: number, across = by): PixelBox {
  return { x0: b.x0 - across, y0: b.y0 - by, x1: b.x1 + across, y1: b.y1 + by };
}

/** A cut of the page turned level: page pixels of a point of the cut, and back. */
interface CutFrame {
  toPage(u: number, v: number): Point;
  toCut(p: Point): Point;
}

/**
 * `box` of the image turned by `-angle` about its centre (its lines level) and resampled by `scale` (bilinear),
 * paper beyond the page; with the map from its pixels back to the page's.
 */
function cutOut(image: GreyImage, box: PixelBox, scale: number, angle: number): GreyImage & CutFrame {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const toPage = (u: number, v: number): Point => {
    const du = u / scale - w / 2;
    const dv = v / scale - h / 2;
    return { x: cx + cos * du - sin * dv, y: cy + sin * du + cos * dv };
  };
  const toCut = ({ x, y }: Point): Point => ({
    x: ((x - cx) * cos + (y - cy) * sin + w / 2) * scale,
    y: (-(x - cx) * sin + (y - cy) * cos + h / 2) * scale,
  });
  const width = Math.max(1, Math.round(w * scale));
  const height = Math.max(1, Math.round(h * scale));
  const { grey: src, width: sw, height: sh } = image;
  const pixel = (x: number, y: number) => (x < 0 || y < 0 || x >= sw || y >= sh ? 255 : src[y * sw + x]);
  const grey = new Uint8Array(width * height);
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const { x, y } = toPage(u + 0.5, v + 0.5);
      const sx = x - 0.5;
      const sy = y - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const top = pixel(x0, y0) * (1 - fx) + pixel(x0 + 1, y0) * fx;
      const bottom = pixel(x0, y0 + 1) * (1 - fx) + pixel(x0 + 1, y0 + 1) * fx;
      grey[v * width + u] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { grey, width, height, toPage, toCut };
}

function fillBox(target: Uint8Array, width: number, height: number, b: PixelBox, value: number): void {
  const { x0, y0, x1, y1 } = clampBox(b, width, height);
  for (let y = y0; y < y1; y++) target.fill(value, y * width + x0, y * width + x1);
}

function clampBox(b: PixelBox, width: number, height: number): PixelBox {
  return {
    x0: Math.max(0, Math.min(width, Math.floor(b.x0))),
    y0: Math.max(0, Math.min(height, Math.floor(b.y0))),
    x1: Math.max(0, Math.min(width, Math.ceil(b.x1))),
    y1: Math.max(0, Math.min(height, Math.ceil(b.y1))),
  };
}

/** The share of a cut's pixels that are made black: its darkest print (a line of text inks several per cent). */
const DARKEST_SHARE = 0.01;

/** The cut's darkest print made black, its paper kept white: light-grey print is read as dark print is. */
function stretched(grey: Uint8Array): Uint8Array {
  const counts = new Uint32Array(256);
  for (const g of grey) counts[g]++;
  const darkest = Math.max(1, Math.round(DARKEST_SHARE * grey.length));
  let level = 0;
  for (let seen = 0; level < 255 && seen + counts[level] < darkest; level++) seen += counts[level];
  const span = 255 - level;
  if (span <= 0) return grey;
  return grey.map((g) => Math.max(0, Math.round(((g - level) * 255) / span)));
}

/** A region cut out level, scaled, and how tesseract reads it. */
interface RegionCut {
  crop: GreyImage & CutFrame;
  region: UnreadRegion;
  scale: number;
  layout: 'sparse' | 'single-block';
}

/** In a region cut out level, a pixel darker than this is ink of a row (blank rows part its rows). */
const ROW_INK_LEVEL = 216;
/** A row is read scaled to this height (pixels, ascenders to descenders), and with this share of it as margin. */
const TARGET_ROW_PX = 40;
const ROW_MARGIN = 0.4;

/**
 * The cuts a region is read from: whole, with sparse layout, scaled for its median mark; and each of its rows alone
 * as one block, scaled for its own height. The rows are read better (a row of small print below a large one is read
 * at its own size) but a row's cut misses what overhangs it; the whole read finds what the rows miss.
 */
function cutsOf(levelled: GreyImage, region: UnreadRegion): RegionCut[] {
  const margin = CUT_MARGIN * region.markHeight;
  const box = levelBox(grow(region.box, margin, 2 * margin), region.angle);
  const scale = Math.min(MAX_SCALE, Math.max(1, TARGET_MARK_PX / region.markHeight));
  const whole: RegionCut = { crop: cutOut(levelled, box, scale, region.angle), region, scale, layout: 'sparse' };
  const level = cutOut(levelled, box, 1, region.angle);
  const rows = rowsOf(level).map(({ y0, y1 }): RegionCut => {
    const h = y1 - y0;
    const rowScale = Math.min(MAX_SCALE, Math.max(1, TARGET_ROW_PX / h));
    // The row cut from the page itself (not from the level cut: one resampling), about its centre, turned as it.
    const centre = level.toPage(level.width / 2, (y0 + y1) / 2);
    const across = level.width / 2;
    const down = (0.5 + ROW_MARGIN) * h;
    const rowBox = { x0: centre.x - across, x1: centre.x + across, y0: centre.y - down, y1: centre.y + down };
    return { crop: cutOut(levelled, rowBox, rowScale, region.angle), region, scale: rowScale, layout: 'single-block' };
  });
  return [whole, ...rows];
}

/** The rows of a level cut holding ink, parted by blank rows. */
function rowsOf(cut: GreyImage): { y0: number; y1: number }[] {
  const rows: { y0: number; y1: number }[] = [];
  let start = -1;
  for (let y = 0; y <= cut.height; y++) {
    let inked = false;
    for (let x = 0, at = y * cut.width; y < cut.height && x < cut.width && !inked; x++)
      inked = cut.grey[at + x] < ROW_INK_LEVEL;
    if (inked && start < 0) start = y;
    if (!inked && start >= 0) {
      if (y - start >= MIN_MARK_PX) rows.push({ y0: start, y1: y });
      start = -1;
    }
  }
  return rows;
}
