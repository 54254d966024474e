import type { Block, BoundingBox } from '@aws-sdk/client-textract';
import { readImageInfo } from '../../lib/image-info.js';
import type { ImageCrop, ImageCropper } from '../../ports/image-cropper.js';
import type { Ocr } from '../../ports/ocr.js';
import type { CardFields } from '../card-fields.js';
import { extractCardFields, extractCardFieldsAsync } from './index.js';

/** Text height (pixels) the re-OCR of a doubtful region is scaled to; tesseract reads best around 30–50 px. */
const REFINE_TEXT_PX = 48;
const REFINE_MARGIN_PX = 24;

/** OCR of one PNG crop, as Textract-shaped blocks in the crop's own 0..1 frame. */
export type CropReader = (png: Buffer) => Promise<Block[]>;

/**
 * Card fields of one image through any Ocr (Textract DetectDocumentText shape): OCR, extraction,
 * and a re-read of doubtful regions from upscaled crops (through `readCrop`, default the same Ocr).
 */
export async function extractFromImage(
  ocr: Ocr,
  cropper: ImageCropper,
  bytes: Uint8Array,
  readCrop?: CropReader,
): Promise<CardFields> {
  const { blocks } = await ocr.detectText({ bytes });
  return cardExtractorFor(ocr, cropper, bytes, readCrop)(blocks);
}

/**
 * Extraction of blocks already read from `image`, re-reading doubtful regions through `ocr` when a cropper is
 * there; without one, the plain extractor.
 */
export function cardExtractorFor(
  ocr: Ocr,
  cropper: ImageCropper | undefined,
  image: Uint8Array,
  readCrop?: CropReader,
): (blocks: Block[]) => Promise<CardFields> {
  const info = readImageInfo(image);
  const pageAspectRatio = info ? info.width / info.height : undefined;
  if (!cropper) return async (blocks) => extractCardFields(blocks, { pageAspectRatio });
  const read = readCrop ?? (async (png: Buffer) => (await ocr.detectText({ bytes: png })).blocks);
  const refine = async (region: BoundingBox) => {
    const crop = await cropper.crop(
      image,
      { left: region.Left ?? 0, top: region.Top ?? 0, width: region.Width ?? 0, height: region.Height ?? 0 },
      { textPx: REFINE_TEXT_PX, marginPx: REFINE_MARGIN_PX },
    );
    return crop ? (await read(crop.png)).map((block) => toPageFrame(block, crop)) : [];
  };
  return (blocks) => extractCardFieldsAsync(blocks, { pageAspectRatio, refine });
}

/** Crop fractions → crop pixels → page pixels → page fractions. */
export function toPageFrame(block: Block, crop: ImageCrop): Block {
  const bb = block.Geometry?.BoundingBox;
  if (!bb) return block;
  const toX = (f: number) => ((f * crop.width - crop.margin) / crop.scale + crop.x) / crop.pageWidth;
  const toY = (f: number) => ((f * crop.height - crop.margin) / crop.scale + crop.y) / crop.pageHeight;
  return {
    ...block,
    Geometry: {
      BoundingBox: {
        Left: toX(bb.Left ?? 0),
        Top: toY(bb.Top ?? 0),
        Width: ((bb.Width ?? 0) * crop.width) / crop.scale / crop.pageWidth,
        Height: ((bb.Height ?? 0) * crop.height) / crop.scale / crop.pageHeight,
      },
      Polygon: (block.Geometry?.Polygon ?? []).map((p) => ({ X: toX(p.X ?? 0), Y: toY(p.Y ?? 0) })),
    },
  };
}
