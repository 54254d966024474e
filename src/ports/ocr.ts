import type { Block } from '@aws-sdk/client-textract';

export type OcrDocument = { bytes: Uint8Array } | { s3: { bucket: string; key: string } };

export interface OcrResult {
  /** Textract-shaped PAGE, LINE and WORD blocks. */
  blocks: Block[];
  pages: number;
}

/** Text detection (Textract DetectDocumentText on every target). */
export interface Ocr {
  detectText(document: OcrDocument): Promise<OcrResult>;
}
