import { readImageInfo, sniffFormat } from '../../lib/image-info.js';
import type { OcrLanguage } from '../../ports/ocr.js';
import { TextractError } from './errors.js';
import type { OcrPage } from './ocr-page.js';
import { ImageDecodeError, type TesseractPool } from './tesseract-pool.js';

/** Textract's limit for synchronous `Document.Bytes` (and for S3 images). */
export const MAX_SYNC_DOCUMENT_BYTES = 10 * 1024 * 1024;

/**
 * OCRs one document as the synchronous Textract APIs would, mapping bad input to Textract errors:
 * JPEG and PNG are read; PDF and TIFF are valid Textract formats this emulator cannot rasterise. `language`: the
 * text's language besides English, when the client hinted it (see textract-service.ts).
 */
export async function detectDocumentPage(
  pool: TesseractPool,
  bytes: Uint8Array,
  language?: OcrLanguage,
): Promise<OcrPage> {
  if (bytes.length > MAX_SYNC_DOCUMENT_BYTES) {
    throw new TextractError(
      'DocumentTooLargeException',
      'S3 object size or document bytes exceed the maximum allowed 10 MB.',
    );
  }
  const format = sniffFormat(bytes);
  if (format !== 'jpeg' && format !== 'png') {
    const what = format
      ? `${format.toUpperCase()} documents are not supported by the local emulator (JPEG and PNG are)`
      : 'Request has unsupported document format';
    throw new TextractError('UnsupportedDocumentException', what);
  }
  try {
    return await pool.recognize(bytes, { segmentation: isTextStrip(bytes) ? 'single-block' : 'sparse', language });
  } catch (err) {
    if (err instanceof ImageDecodeError)
      throw new TextractError('UnsupportedDocumentException', 'Request has unsupported document format');
    throw err;
  }
}

/**
 * A wide, short image is a strip of text (a cropped line or field, as clients send to re-read a region):
 * tesseract reads those best as one block, where page layout analysis splits run-together digits apart.
 */
function isTextStrip(bytes: Uint8Array): boolean {
  const info = readImageInfo(bytes);
  return !!info && info.height <= 320 && info.width >= 3 * info.height;
}
