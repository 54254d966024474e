/** Pixel box in the full image, origin top-left (tesseract's x0/y0 inclusive, x1/y1 exclusive). */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWord {
  text: string;
  /** 0..100 */
  confidence: number;
  bbox: PixelBox;
}

export interface OcrLine {
  /** The words joined with one space. */
  text: string;
  /** 0..100, mean of the words' confidences. */
  confidence: number;
  bbox: PixelBox;
  words: OcrWord[];
  /** Slant of the baseline in radians (positive: descending to the right); absent or 0 when level. */
  angle?: number;
}

/** One recognised image: lines in tesseract's reading order, coordinates in image pixels. */
export interface OcrPage {
  width: number;
  height: number;
  lines: OcrLine[];
}

export function pageText(page: OcrPage): string {
  return page.lines.map((line) => line.text).join('\n');
}

/** A line slanted less than this (half a degree) is level: no `angle` is given for it. */
export const MIN_LINE_ANGLE = (0.5 * Math.PI) / 180;

/** The smallest box holding every one of `boxes` (at least one). */
export function unionBox(boxes: PixelBox[]): PixelBox {
  return {
    x0: Math.min(...boxes.map((b) => b.x0)),
    y0: Math.min(...boxes.map((b) => b.y0)),
    x1: Math.max(...boxes.map((b) => b.x1)),
    y1: Math.max(...boxes.map((b) => b.y1)),
  };
}

/** The share of the smaller of two boxes that they have in common (0 when they do not meet). */
export function overlapOfSmaller(a: PixelBox, b: PixelBox): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return 0;
  const area = (box: PixelBox) => (box.x1 - box.x0) * (box.y1 - box.y0);
  return (w * h) / Math.min(area(a), area(b));
}
