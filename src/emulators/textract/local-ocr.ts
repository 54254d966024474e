import type { Ocr, OcrDocument, OcrResult } from '../../ports/ocr.js';
import { toTextractBlocks } from './blocks.js';
import { TextractError } from './errors.js';
import { detectDocumentPage } from './recognize-document.js';
import type { TesseractPool } from './tesseract-pool.js';

/**
 * The Ocr port over the local tesseract pool, for `octember extract` (no Textract wire in between).
 * Takes bytes only; an S3 location is rejected because there is no object store behind it.
 */
export function createLocalOcr(pool: TesseractPool): Ocr {
  return {
    async detectText(document: OcrDocument): Promise<OcrResult> {
      if (!('bytes' in document)) {
        throw new TextractError('InvalidParameterException', 'local OCR reads document bytes only, not S3 objects');
      }
      const page = await detectDocumentPage(pool, document.bytes);
      return toTextractBlocks(page);
    },
  };
}
