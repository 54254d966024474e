import type { IncomingMessage } from 'node:http';
import { OCR_LANGUAGE_HEADER } from '../../lib/ocr-language-header.js';
import { OCR_LANGUAGES, type OcrLanguage } from '../../ports/ocr.js';

/**
 * The language a client hinted the document's text is in (see lib/ocr-language-header.ts): the document is read
 * with that language's model. None for a missing or unknown value: a hint, never an error.
 */
export function hintedLanguage(req: IncomingMessage): OcrLanguage | undefined {
  const value = req.headers[OCR_LANGUAGE_HEADER];
  return OCR_LANGUAGES.find((language) => language === value);
}
