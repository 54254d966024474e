export { type ImageFormat, type ImageInfo, readImageInfo, sniffFormat } from '../../lib/image-info.js';
export { toTextractBlocks } from './blocks.js';
export { TextractError, type TextractErrorCode } from './errors.js';
export type {
  OcrLine,
  OcrPage,
  OcrWord,
  PageSegMode,
  PixelBox,
  RecognizeOptions,
  Rectangle,
} from './tesseract-pool.js';
export { ImageDecodeError, pageText, TesseractPool } from './tesseract-pool.js';
export { createTextractService, type TextractServiceOptions } from './textract-service.js';
