/**
 * The header in which Octember's Textract adapter tells the emulator which language a document's text is in. It is
 * added after signing: Textract, which reads its languages' letters unprompted, never reads it.
 */
export const OCR_LANGUAGE_HEADER = 'x-octember-ocr-language';
