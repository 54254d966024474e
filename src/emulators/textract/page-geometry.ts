import type { OcrPage, PixelBox } from './ocr-page.js';

/** A pixel box of an OCR'd image in page fractions: the axis-aligned box and the corners of the text itself. */
export interface FractionGeometry {
  box: { left: number; top: number; width: number; height: number };
  /** Top-left, top-right, bottom-right, bottom-left. */
  polygon: Array<{ x: number; y: number }>;
}

export function pageGeometry(b: PixelBox, page: Pick<OcrPage, 'width' | 'height'>, angle = 0): FractionGeometry {
  const left = clamp01(b.x0 / page.width);
  const top = clamp01(b.y0 / page.height);
  const corners = slantedCorners(b, angle) ?? [
    { x: b.x0, y: b.y0 },
    { x: b.x1, y: b.y0 },
    { x: b.x1, y: b.y1 },
    { x: b.x0, y: b.y1 },
  ];
  return {
    box: {
      left,
      top,
      width: Math.min(1 - left, Math.max(0, (b.x1 - b.x0) / page.width)),
      height: Math.min(1 - top, Math.max(0, (b.y1 - b.y0) / page.height)),
    },
    polygon: corners.map((p) => ({ x: clamp01(p.x / page.width), y: clamp01(p.y / page.height) })),
  };
}

/**
 * Textract's polygon follows slanted text: top-left, top-right, bottom-right, bottom-left of the
 * text itself. Tesseract gives the axis-aligned hull and the baseline slope; this recovers the
 * rotated rectangle whose hull that is (in pixels, so the page's aspect ratio does not skew it).
 */
function slantedCorners(b: PixelBox, angle: number): Array<{ x: number; y: number }> | undefined {
  if (angle === 0) return undefined;
  const c = Math.cos(angle);
  const s = Math.abs(Math.sin(angle));
  const hullW = b.x1 - b.x0;
  const hullH = b.y1 - b.y0;
  const det = c * c - s * s;
  if (det <= 0.1) return undefined;
  const w = (hullW * c - hullH * s) / det;
  const h = (hullH * c - hullW * s) / det;
  if (w <= 0 || h <= 0) return undefined;
  if (angle > 0) {
    // Descending to the right: the top-left corner touches the hull's top edge.
    const tl = { x: b.x0 + h * s, y: b.y0 };
    const tr = { x: tl.x + w * c, y: tl.y + w * s };
    return [tl, tr, { x: tr.x - h * s, y: tr.y + h * c }, { x: b.x0, y: b.y0 + h * c }];
  }
  // Ascending to the right: the top-right corner touches the hull's top edge.
  const tl = { x: b.x0, y: b.y0 + w * s };
  const tr = { x: b.x0 + w * c, y: b.y0 };
  return [tl, tr, { x: tr.x + h * s, y: tr.y + h * c }, { x: b.x0 + h * s, y: tl.y + h * c }];
}

function clamp01(v: number): number {
  return Math.max(0, Math.min(1, v));
}
