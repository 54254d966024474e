import { createCanvasImageCropper } from '../../adapters/canvas/image-cropper.js';
import { createTesseractOcr } from '../../adapters/tesseract/ocr.js';
import { extractFromImage } from '../../domain/card-extraction/refine.js';
import type { CardFields } from '../../domain/card-fields.js';
import type { TesseractPool } from '../../emulators/textract/tesseract-pool.js';

/**
 * The full local path: the Textract emulator's tesseract pool as the Ocr; crops are read as one
 * block of text (tesseract PSM 6), which splits a run-together number better than page layout analysis.
 */
export function readCardLocally(pool: TesseractPool, bytes: Uint8Array): Promise<CardFields> {
  return extractFromImage(
    createTesseractOcr(pool),
    createCanvasImageCropper(),
    bytes,
    createTesseractOcr(pool, { segmentation: 'single-block' }),
  );
}
