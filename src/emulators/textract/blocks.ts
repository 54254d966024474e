import { randomUUID } from 'node:crypto';
import type { Block, Geometry } from '@aws-sdk/client-textract';
import type { OcrPage, PixelBox } from './ocr-page.js';
import { pageGeometry } from './page-geometry.js';

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
  const { box, polygon } = pageGeometry(b, page, angle);
  return {
    BoundingBox: { Width: box.width, Height: box.height, Left: box.left, Top: box.top },
    Polygon: polygon.map((p) => ({ X: p.x, Y: p.y })),
  };
}
