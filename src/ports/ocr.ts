export type OcrDocument = { bytes: Uint8Array } | { s3: { bucket: string; key: string } };

/** A box in fractions of the page's width and height (0..1), origin top-left. */
export interface OcrBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A point in page fractions. */
export interface OcrPoint {
  x: number;
  y: number;
}

export interface OcrWord {
  text: string;
  /** 0..100 */
  confidence: number;
  box: OcrBox;
  /** Corners of the text itself (top-left, top-right, bottom-right, bottom-left), when the engine gives them. */
  polygon?: OcrPoint[];
}

/** One printed line: its words left to right, with the line's own geometry. */
export interface OcrLine {
  text: string;
  /** 0..100 */
  confidence: number;
  box: OcrBox;
  polygon?: OcrPoint[];
  words: OcrWord[];
  /** 1-based page of a multi-page document; absent for a single image. */
  page?: number;
}

export interface OcrResult {
  /** Lines in the engine's reading order. */
  lines: OcrLine[];
  pages: number;
}

/**
 * Languages besides English whose letters a document's text may carry (ISO 639-1): Textract's own languages, which
 * it reads without being told.
 */
export const OCR_LANGUAGES = ['de', 'fr', 'es', 'it', 'pt'] as const;
export type OcrLanguage = (typeof OCR_LANGUAGES)[number];

export interface OcrOptions {
  /**
   * The language the text is in, when known (an address's country's): a hint that lets a local engine read its
   * letters (ü, ó, ß). Textract reads them without it (the Textract adapter sends it unsigned, for the emulator).
   */
  language?: OcrLanguage;
}

/** Text detection: printed lines and words with their geometry (Textract DetectDocumentText on AWS). */
export interface Ocr {
  detectText(document: OcrDocument, options?: OcrOptions): Promise<OcrResult>;
}
