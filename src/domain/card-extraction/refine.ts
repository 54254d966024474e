import { readImageInfo } from '../../lib/image-info.js';
import type { ImageCrop, ImageCropper } from '../../ports/image-cropper.js';
import type { Ocr, OcrBox, OcrLine } from '../../ports/ocr.js';
import type { CardFields } from '../card-fields.js';
import { extractCardFields, extractCardFieldsAsync } from './index.js';

/** Text height (pixels) the re-OCR of a doubtful region is scaled to; tesseract reads best around 30–50 px. */
const REFINE_TEXT_PX = 48;
const REFINE_MARGIN_PX = 24;

/**
 * Card fields of one image through any Ocr: OCR, extraction, and a re-read of doubtful regions from upscaled
 * crops (through `cropOcr`, default the same Ocr).
 */
export async function extractFromImage(
  ocr: Ocr,
  cropper: ImageCropper,
  bytes: Uint8Array,
  cropOcr: Ocr = ocr,
): Promise<CardFields> {
  const { lines } = await ocr.detectText({ bytes });
  return cardExtractorFor(cropOcr, cropper, bytes)(lines);
}

/**
 * Extraction of lines already read from `image`, re-reading doubtful regions through `ocr` when a cropper is
 * there; without one, the plain extractor.
 */
export function cardExtractorFor(
  ocr: Ocr,
  cropper: ImageCropper | undefined,
  image: Uint8Array,
): (lines: readonly OcrLine[]) => Promise<CardFields> {
  const info = readImageInfo(image);
  const pageAspectRatio = info ? info.width / info.height : undefined;
  if (!cropper) return async (lines) => extractCardFields(lines, { pageAspectRatio });
  const refine = async (region: OcrBox) => {
    const crop = await cropper.crop(image, region, { textPx: REFINE_TEXT_PX, marginPx: REFINE_MARGIN_PX });
    if (!crop) return [];
    const { lines } = await ocr.detectText({ bytes: crop.png });
    return lines.map((line) => toPageFrame(line, crop));
  };
  return (lines) => extractCardFieldsAsync(lines, { pageAspectRatio, refine });
}

/** A line read from a crop (crop fractions) in the page's frame: crop pixels → page pixels → page fractions. */
export function toPageFrame(line: OcrLine, crop: ImageCrop): OcrLine {
  const x = (f: number) => ((f * crop.width - crop.margin) / crop.scale + crop.x) / crop.pageWidth;
  const y = (f: number) => ((f * crop.height - crop.margin) / crop.scale + crop.y) / crop.pageHeight;
  const box = (b: OcrBox): OcrBox => ({
    left: x(b.left),
    top: y(b.top),
    width: (b.width * crop.width) / crop.scale / crop.pageWidth,
    height: (b.height * crop.height) / crop.scale / crop.pageHeight,
  });
  const polygon = (p: OcrLine['polygon']) => p?.map((point) => ({ x: x(point.x), y: y(point.y) }));
  return {
    ...line,
    box: box(line.box),
    polygon: polygon(line.polygon),
    words: line.words.map((w) => ({ ...w, box: box(w.box), polygon: polygon(w.polygon) })),
  };
}
