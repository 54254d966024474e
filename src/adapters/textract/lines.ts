import type { Block, Geometry } from '@aws-sdk/client-textract';
import type { OcrBox, OcrLine, OcrPoint, OcrWord } from '../../ports/ocr.js';

/**
 * Textract blocks → the Ocr port's lines: every LINE in the response's (reading) order with its CHILD WORDs,
 * geometry kept in page fractions. A LINE without WORD children gets its words spread over its box by
 * character count; PAGE, tables, forms and selection elements are left out.
 */
export function linesOfBlocks(blocks: readonly Block[]): OcrLine[] {
  const byId = new Map<string, Block>();
  for (const block of blocks) if (block.Id) byId.set(block.Id, block);
  const lines: OcrLine[] = [];
  for (const block of blocks) {
    const text = block.Text?.trim();
    if (block.BlockType !== 'LINE' || !text) continue;
    const children = (block.Relationships ?? [])
      .filter((r) => r.Type === 'CHILD')
      .flatMap((r) => r.Ids ?? [])
      .map((id) => byId.get(id))
      .filter((b): b is Block => b?.BlockType === 'WORD' && !!b.Text?.trim());
    const line: OcrLine = {
      text,
      confidence: block.Confidence ?? 100,
      ...geometryOf(block.Geometry),
      words: children.length
        ? children.map((w) => ({
            text: (w.Text ?? '').trim(),
            confidence: w.Confidence ?? 100,
            ...geometryOf(w.Geometry),
          }))
        : [],
    };
    if (line.words.length === 0) line.words = spreadWords(line);
    if (block.Page !== undefined) line.page = block.Page;
    lines.push(line);
  }
  return lines;
}

function geometryOf(geometry: Geometry | undefined): { box: OcrBox; polygon?: OcrPoint[] } {
  const bb = geometry?.BoundingBox;
  const box = { left: bb?.Left ?? 0, top: bb?.Top ?? 0, width: bb?.Width ?? 0, height: bb?.Height ?? 0 };
  const polygon = geometry?.Polygon?.map((p) => ({ x: p.X ?? 0, y: p.Y ?? 0 }));
  return polygon?.length ? { box, polygon } : { box };
}

/** Words of a LINE that came without WORD children, spread over its box by character count. */
function spreadWords(line: OcrLine): OcrWord[] {
  const tokens = line.text.split(/\s+/);
  const totalChars = tokens.reduce((n, t) => n + t.length, 0) + tokens.length - 1;
  let offset = 0;
  return tokens.map((text) => {
    const word = {
      text,
      confidence: line.confidence,
      box: {
        left: line.box.left + (line.box.width * offset) / totalChars,
        top: line.box.top,
        width: (line.box.width * text.length) / totalChars,
        height: line.box.height,
      },
    };
    offset += text.length + 1;
    return word;
  });
}
