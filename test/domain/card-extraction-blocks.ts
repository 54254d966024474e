import { randomUUID } from 'node:crypto';
import type { Block } from '@aws-sdk/client-textract';

/** One printed line: text starting at x (page fractions), top y, text height h (page-height fraction). */
export interface PrintedLine {
  text: string;
  x: number;
  y: number;
  h?: number;
  /** Further runs of text on the same baseline that Textract put in the same LINE (other columns). */
  more?: Array<{ text: string; x: number }>;
  confidence?: number;
}

/** Glyph advance / text height of an average Latin font, and the space width. */
const CHAR = 0.5;
const SPACE = 0.3;

/**
 * Textract-shaped PAGE/LINE/WORD blocks for hand-made cards, with geometry as Textract gives it
 * (fractions of the page; widths scaled by the page aspect so gaps compare with heights).
 */
export function cardBlocks(lines: PrintedLine[], opts: { aspect?: number } = {}): Block[] {
  const aspect = opts.aspect ?? 1.75;
  const lineBlocks: Block[] = [];
  const wordBlocks: Block[] = [];
  for (const line of lines) {
    const h = line.h ?? 0.04;
    const runs = [{ text: line.text, x: line.x }, ...(line.more ?? [])];
    const ids: string[] = [];
    const words: Block[] = [];
    for (const run of runs) {
      let x = run.x;
      for (const token of run.text.split(/\s+/).filter(Boolean)) {
        const width = (token.length * CHAR * h) / aspect;
        const id = randomUUID();
        ids.push(id);
        words.push({
          BlockType: 'WORD',
          Confidence: line.confidence ?? 99,
          Text: token,
          TextType: 'PRINTED',
          Geometry: geometry(x, line.y, width, h),
          Id: id,
        });
        x += width + (SPACE * h) / aspect;
      }
    }
    const left = Math.min(...words.map((w) => w.Geometry?.BoundingBox?.Left ?? 0));
    const right = Math.max(
      ...words.map((w) => (w.Geometry?.BoundingBox?.Left ?? 0) + (w.Geometry?.BoundingBox?.Width ?? 0)),
    );
    lineBlocks.push({
      BlockType: 'LINE',
      Confidence: line.confidence ?? 99,
      Text: words.map((w) => w.Text).join(' '),
      Geometry: geometry(left, line.y, right - left, h),
      Id: randomUUID(),
      Relationships: [{ Type: 'CHILD', Ids: ids }],
    });
    wordBlocks.push(...words);
  }
  const pageBlock: Block = {
    BlockType: 'PAGE',
    Geometry: geometry(0, 0, 1, 1),
    Id: randomUUID(),
    Relationships: [{ Type: 'CHILD', Ids: lineBlocks.map((l) => l.Id as string) }],
  };
  return [pageBlock, ...lineBlocks, ...wordBlocks];
}

/** x where a line of `text` must start to be centred on the page. */
export function centred(text: string, h = 0.04, aspect = 1.75): number {
  const width = ((text.length * CHAR + (text.split(' ').length - 1) * (SPACE - CHAR)) * h) / aspect;
  return 0.5 - width / 2;
}

function geometry(left: number, top: number, width: number, height: number): Block['Geometry'] {
  return {
    BoundingBox: { Left: left, Top: top, Width: width, Height: height },
    Polygon: [
      { X: left, Y: top },
      { X: left + width, Y: top },
      { X: left + width, Y: top + height },
      { X: left, Y: top + height },
    ],
  };
}
