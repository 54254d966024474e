import { TextractError } from '../../emulators/textract/errors.js';
import type { OcrPage } from '../../emulators/textract/ocr-page.js';
import { pageGeometry } from '../../emulators/textract/page-geometry.js';
import { detectDocumentPage } from '../../emulators/textract/recognize-document.js';
import type { PageSegMode, TesseractPool } from '../../emulators/textract/tesseract-pool.js';
import type { Ocr, OcrLine } from '../../ports/ocr.js';

export interface TesseractOcrOptions {
  /**
   * Page segmentation for every image. Default: what the Textract emulator does (a page, or one block of text
   * for a strip-shaped image). `single-block` suits crops of a field re-read at a larger scale.
   */
  segmentation?: PageSegMode;
}

/**
 * The Ocr port straight over the local tesseract pool (no Textract wire in between), for `octember extract`
 * and the accuracy runs. Takes bytes only: there is no object store behind it. Bad documents are refused
 * with the errors Textract gives.
 */
export function createTesseractOcr(pool: TesseractPool, options: TesseractOcrOptions = {}): Ocr {
  return {
    async detectText(document, { language } = {}) {
      if (!('bytes' in document)) {
        throw new TextractError('InvalidParameterException', 'local OCR reads document bytes only, not S3 objects');
      }
      const page = options.segmentation
        ? await pool.recognize(document.bytes, { segmentation: options.segmentation, language })
        : await detectDocumentPage(pool, document.bytes, language);
      return { lines: linesOfPage(page), pages: 1 };
    },
  };
}

/** Tesseract's pixel lines → the port's lines in page fractions (empty lines dropped, as Textract has none). */
export function linesOfPage(page: OcrPage): OcrLine[] {
  return page.lines
    .filter((line) => line.words.length > 0)
    .map((line) => ({
      text: line.words.map((w) => w.text).join(' '),
      confidence: line.words.reduce((sum, w) => sum + w.confidence, 0) / line.words.length,
      ...pageGeometry(line.bbox, page, line.angle),
      words: line.words.map((w) => ({
        text: w.text,
        confidence: w.confidence,
        ...pageGeometry(w.bbox, page, line.angle),
      })),
    }));
}
