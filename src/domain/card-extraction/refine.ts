import { readImageInfo } from '../../lib/image-info.js';
import type { ImageCrop, ImageCropper } from '../../ports/image-cropper.js';
import type { Ocr, OcrBox, OcrLanguage, OcrLine, OcrPoint } from '../../ports/ocr.js';
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
  const refine = async (region: OcrBox, angle?: number, textPx = REFINE_TEXT_PX, language?: OcrLanguage) => {
    const read = language ? { language } : undefined;
    const crop = await cropper.crop(image, region, { textPx, marginPx: REFINE_MARGIN_PX, angle, ...read });
    if (!crop) return [];
    const { lines } = await ocr.detectText({ bytes: crop.png }, read);
    return lines.map((line) => toPageFrame(line, crop));
  };
  return (lines) => extractCardFieldsAsync(lines, { pageAspectRatio, refine });
}

/**
 * A line read from a crop (crop fractions) in the page's frame: crop pixels → page pixels (turned back by the
 * crop's angle about its centre when it was read turned level) → page fractions.
 */
export function toPageFrame(line: OcrLine, crop: ImageCrop): OcrLine {
  const angle = crop.angle ?? 0;
  if (angle === 0) {
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
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  // The crop's centre is the region's centre on the page.
  const cx = crop.x + (crop.width / 2 - crop.margin) / crop.scale;
  const cy = crop.y + (crop.height / 2 - crop.margin) / crop.scale;
  const point = (p: OcrPoint): OcrPoint => {
    const dx = (p.x - 0.5) * (crop.width / crop.scale);
    const dy = (p.y - 0.5) * (crop.height / crop.scale);
    return { x: (cx + cos * dx - sin * dy) / crop.pageWidth, y: (cy + sin * dx + cos * dy) / crop.pageHeight };
  };
  const corners = (b: OcrBox): OcrPoint[] => [
    { x: b.left, y: b.top },
    { x: b.left + b.width, y: b.top },
    { x: b.left + b.width, y: b.top + b.height },
    { x: b.left, y: b.top + b.height },
  ];
  const hull = (points: OcrPoint[]): OcrBox => {
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const left = Math.min(...xs);
    const top = Math.min(...ys);
    return { left, top, width: Math.max(...xs) - left, height: Math.max(...ys) - top };
  };
  const place = (b: OcrBox, polygon: OcrPoint[] | undefined) => {
    const turned = (polygon ?? corners(b)).map(point);
    return { box: hull(turned), polygon: turned };
  };
  return {
    ...line,
    ...place(line.box, line.polygon),
    words: line.words.map((w) => ({ ...w, ...place(w.box, w.polygon) })),
  };
}
