import { randomUUID } from 'node:crypto';
import type { Block, Geometry } from '@aws-sdk/client-textract';
import type { OcrPage, PixelBox } from './ocr-page.js';

/**
 * Turns one OCR'd image into Textract DetectDocumentText blocks, in Textract's order:
 * PAGE, then every LINE in reading order, then every WORD grouped by line in the same order.
 * `page` (1-based) is set on every block only for the async API, as Textract does.
 */
export function toTextractBlocks(page: OcrPage, opts: { page?: number } = {}): { blocks: Block[]; pages: number } {
  const withPage = <T extends Block>(block: T): T => (opts.page === undefined ? block : { ...block, Page: opts.page });
  const lines: Block[] = [];
  const words: Block[] = [];
  for (const line of page.lines) {
    // Textract has no empty LINEs (nor empty CHILD lists).
    if (line.words.length === 0) continue;
    const wordIds = line.words.map(() => randomUUID());
    line.words.forEach((word, i) => {
      words.push(
        withPage({
          BlockType: 'WORD',
          Confidence: word.confidence,
          Text: word.text,
          TextType: 'PRINTED',
          Geometry: geometry(word.bbox, page, line.angle),
          Id: wordIds[i],
        }),
      );
    });
    lines.push(
      withPage({
        BlockType: 'LINE',
        Confidence: mean(line.words.map((w) => w.confidence)),
        Text: line.words.map((w) => w.text).join(' '),
        Geometry: geometry(line.bbox, page, line.angle),
        Id: randomUUID(),
        Relationships: [{ Type: 'CHILD', Ids: wordIds }],
      }),
    );
  }
  const pageBlock: Block = withPage({
    BlockType: 'PAGE',
    Geometry: geometry({ x0: 0, y0: 0, x1: page.width, y1: page.height }, page),
    Id: randomUUID(),
    // Absent rather than empty when the page has no text, as in real responses.
    ...(lines.length > 0 ? { Relationships: [{ Type: 'CHILD', Ids: lines.map((l) => l.Id as string) }] } : {}),
  });
  return { blocks: [pageBlock, ...lines, ...words], pages: 1 };
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function geometry(b: PixelBox, page: OcrPage, angle = 0): Geometry {
  const left = clamp01(b.x0 / page.width);
  const top = clamp01(b.y0 / page.height);
  const corners = slantedCorners(b, angle) ?? [
    { X: b.x0, Y: b.y0 },
    { X: b.x1, Y: b.y0 },
    { X: b.x1, Y: b.y1 },
    { X: b.x0, Y: b.y1 },
  ];
  return {
    BoundingBox: {
      Width: Math.min(1 - left, Math.max(0, (b.x1 - b.x0) / page.width)),
      Height: Math.min(1 - top, Math.max(0, (b.y1 - b.y0) / page.height)),
      Left: left,
      Top: top,
    },
    Polygon: corners.map((p) => ({ X: clamp01(p.X / page.width), Y: clamp01(p.Y / page.height) })),
  };
}

/**
 * Textract's polygon follows slanted text: top-left, top-right, bottom-right, bottom-left of the
 * text itself. Tesseract gives the axis-aligned hull and the baseline slope; this recovers the
 * rotated rectangle whose hull that is (in pixels, so the page's aspect ratio does not skew it).
 */
function slantedCorners(b: PixelBox, angle: number): { X: number; Y: number }[] | undefined {
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
    const tl = { X: b.x0 + h * s, Y: b.y0 };
    const tr = { X: tl.X + w * c, Y: tl.Y + w * s };
    return [tl, tr, { X: tr.X - h * s, Y: tr.Y + h * c }, { X: b.x0, Y: b.y0 + h * c }];
  }
  // Ascending to the right: the top-right corner touches the hull's top edge.
  const tl = { X: b.x0, Y: b.y0 + w * s };
  const tr = { X: b.x0 + w * c, Y: b.y0 };
  return [tl, tr, { X: tr.X + h * s, Y: tr.Y + h * c }, { X: b.x0 + h * s, Y: tl.Y + h * c }];
}

function clamp01(v: number): number {
  return Math.max(0, Math.min(1, v));
}
