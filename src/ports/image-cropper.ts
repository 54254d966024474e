import type { OcrLanguage } from './ocr.js';

/** A region of a page in fractions of its width and height (Textract's BoundingBox frame). */
export interface PageRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** An upscaled crop of a page region and what it takes to map crop coordinates back onto the page. */
export interface ImageCrop {
  png: Buffer;
  /** Crop size in pixels, margins included. */
  width: number;
  height: number;
  /** Page size in pixels. */
  pageWidth: number;
  pageHeight: number;
  /** Top-left page pixel of the cropped region, the scale applied to it and the white margin around it. */
  x: number;
  y: number;
  scale: number;
  margin: number;
  /**
   * The slant the crop was turned by (radians, positive: text descending to the right), so that its text runs
   * level; 0 when not turned. A turned crop holds the region's centre, (x, y) being its top-left as levelled.
   */
  angle?: number;
}

export interface CropOptions {
  textPx: number;
  marginPx: number;
  angle?: number;
  /** The language the crop is to be read in: no cropper uses it; a planner reading crops ahead reads them so. */
  language?: OcrLanguage;
}

/** Pixel work on card photos (JPEG/PNG): crops of doubtful regions, enlarged so OCR can read them again. */
export interface ImageCropper {
  /** A hint that `image` may be cropped soon: work that does not depend on the region can start now. */
  prepare?(image: Uint8Array): void;
  /** Undefined when the region is too small to hold text. */
  crop(image: Uint8Array, region: PageRegion, options: CropOptions): Promise<ImageCrop | undefined>;
}
