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

/** Text detection: printed lines and words with their geometry (Textract DetectDocumentText on AWS). */
export interface Ocr {
  detectText(document: OcrDocument): Promise<OcrResult>;
}
