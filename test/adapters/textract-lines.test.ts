import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Block } from '@aws-sdk/client-textract';
import { describe, expect, it } from 'vitest';
import { linesOfBlocks } from '../../src/adapters/textract/lines.js';
import { textractFixtureDir } from '../emulators/textract-harness.js';

const response = (file: string) =>
  JSON.parse(readFileSync(join(textractFixtureDir, file), 'utf8')) as { Blocks: Block[] };

describe('linesOfBlocks (Textract blocks → the Ocr port)', () => {
  it('keeps every LINE in order with its CHILD WORDs and their geometry (a real DetectDocumentText response)', () => {
    const { Blocks } = response('detect-document-text.textractor-single-page-1.json');
    const lines = linesOfBlocks(Blocks);
    const lineBlocks = Blocks.filter((b) => b.BlockType === 'LINE');
    expect(lines.map((l) => l.text)).toEqual(lineBlocks.map((b) => b.Text));
    const words = Blocks.filter((b) => b.BlockType === 'WORD');
    expect(lines.flatMap((l) => l.words.map((w) => w.text))).toEqual(words.map((w) => w.Text));
    const first = words[0].Geometry?.BoundingBox;
    expect(lines[0].words[0].box).toEqual({
      left: first?.Left,
      top: first?.Top,
      width: first?.Width,
      height: first?.Height,
    });
    expect(lines[0].polygon).toHaveLength(4);
    expect(lines.every((l) => l.page === undefined)).toBe(true);
  });

  it('numbers the pages of an asynchronous multi-page result and leaves tables and forms out', () => {
    const multi = linesOfBlocks(response('get-document-text-detection.textractor-multipage-2p.json').Blocks);
    expect(new Set(multi.map((l) => l.page))).toEqual(new Set([1, 2]));
    const { Blocks } = response('analyze-document-forms-tables.textractor-patient-intake-form.json');
    expect(linesOfBlocks(Blocks)).toHaveLength(Blocks.filter((b) => b.BlockType === 'LINE').length);
  });

  it('spreads the words of a LINE that has no WORD children over its box', () => {
    const [line] = linesOfBlocks([
      {
        BlockType: 'LINE',
        Text: 'ab cd',
        Confidence: 80,
        Geometry: { BoundingBox: { Left: 0.1, Top: 0.2, Width: 0.5, Height: 0.05 } },
      },
    ]);
    expect(line.words.map((w) => [w.text, w.confidence, w.box.left, w.box.width])).toEqual([
      ['ab', 80, 0.1, 0.2],
      ['cd', 80, 0.1 + 0.3, 0.2],
    ]);
  });
});
