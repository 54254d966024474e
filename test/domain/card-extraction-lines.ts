import type { OcrBox, OcrLine, OcrWord } from '../../src/ports/ocr.js';

/** One printed line: text starting at x (page fractions), top y, text height h (page-height fraction). */
export interface PrintedLine {
  text: string;
  x: number;
  y: number;
  h?: number;
  /** Further runs of text on the same baseline that the OCR put in the same line (other columns). */
  more?: Array<{ text: string; x: number }>;
  confidence?: number;
}

/** Glyph advance / text height of an average Latin font, and the space width. */
const CHAR = 0.5;
const SPACE = 0.3;

/**
 * The Ocr port's lines for hand-made cards, with geometry as an OCR engine gives it
 * (fractions of the page; widths scaled by the page aspect so gaps compare with heights).
 */
export function cardLines(lines: PrintedLine[], opts: { aspect?: number } = {}): OcrLine[] {
  const aspect = opts.aspect ?? 1.75;
  return lines.map((line) => {
    const h = line.h ?? 0.04;
    const confidence = line.confidence ?? 99;
    const words: OcrWord[] = [];
    for (const run of [{ text: line.text, x: line.x }, ...(line.more ?? [])]) {
      let x = run.x;
      for (const token of run.text.split(/\s+/).filter(Boolean)) {
        const width = (token.length * CHAR * h) / aspect;
        words.push({ text: token, confidence, box: { left: x, top: line.y, width, height: h } });
        x += width + (SPACE * h) / aspect;
      }
    }
    const left = Math.min(...words.map((w) => w.box.left));
    const right = Math.max(...words.map((w) => w.box.left + w.box.width));
    const box: OcrBox = { left, top: line.y, width: right - left, height: h };
    return { text: words.map((w) => w.text).join(' '), confidence, box, words };
  });
}

/** x where a line of `text` must start to be centred on the page. */
export function centred(text: string, h = 0.04, aspect = 1.75): number {
  const width = ((text.length * CHAR + (text.split(' ').length - 1) * (SPACE - CHAR)) * h) / aspect;
  return 0.5 - width / 2;
}
