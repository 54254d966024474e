import type { Block, BoundingBox } from '@aws-sdk/client-textract';
import { extractCardFieldsAsync } from '../../domain/card-extraction/index.js';
import type { CardFields } from '../../domain/card-fields.js';
import { readImageInfo } from '../../lib/image-info.js';
import type { Ocr } from '../../ports/ocr.js';

/** Text height (pixels) the re-OCR of a doubtful region is scaled to; tesseract reads best around 30–50 px. */
const REFINE_TEXT_PX = 48;
const REFINE_MARGIN_PX = 24;

/** OCR of one PNG crop, as Textract-shaped blocks in the crop's own 0..1 frame. */
export type CropReader = (png: Buffer) => Promise<Block[]>;

/**
 * Card fields of one image through any Ocr (Textract DetectDocumentText shape): OCR, extraction,
 * and a re-read of doubtful regions from upscaled crops (through `readCrop`, default the same Ocr).
 */
export async function extractFromImage(ocr: Ocr, bytes: Uint8Array, readCrop?: CropReader): Promise<CardFields> {
  const { blocks } = await ocr.detectText({ bytes });
  return cardExtractorFor(ocr, bytes, readCrop)(blocks);
}

/**
 * Extraction of blocks already read from `image`, re-reading doubtful regions through `ocr`: what a
 * pipeline handler that has the image bytes can use as its extractor to store what `extract` prints.
 */
export function cardExtractorFor(
  ocr: Ocr,
  image: Uint8Array,
  readCrop?: CropReader,
): (blocks: Block[]) => Promise<CardFields> {
  const info = readImageInfo(image);
  const refine = createOcrRefiner(image, readCrop ?? (async (png) => (await ocr.detectText({ bytes: png })).blocks));
  return (blocks) =>
    extractCardFieldsAsync(blocks, { pageAspectRatio: info ? info.width / info.height : undefined, refine });
}

/**
 * `refine` for extractCardFieldsAsync: crops `region` (page fractions) from the image, scales it so
 * its text is about REFINE_TEXT_PX high, OCRs the crop and maps the blocks back to page fractions.
 */
export function createOcrRefiner(bytes: Uint8Array, readCrop: CropReader): (region: BoundingBox) => Promise<Block[]> {
  let image: Promise<{ canvas: typeof import('@napi-rs/canvas'); img: import('@napi-rs/canvas').Image }> | undefined;
  return async (region) => {
    // Loaded on first use: only a card with a doubtful field needs the (native) canvas module.
    image ??= import('@napi-rs/canvas').then(async (canvas) => ({
      canvas,
      img: await canvas.loadImage(Buffer.from(bytes)),
    }));
    const { canvas: napi, img } = await image;
    const { createCanvas } = napi;
    const pageW = img.width;
    const pageH = img.height;
    const x = Math.max(0, Math.floor((region.Left ?? 0) * pageW));
    const y = Math.max(0, Math.floor((region.Top ?? 0) * pageH));
    const w = Math.min(pageW - x, Math.ceil((region.Width ?? 0) * pageW));
    const h = Math.min(pageH - y, Math.ceil((region.Height ?? 0) * pageH));
    if (w < 4 || h < 4) return [];
    // The region is padded by about half a text height on each side.
    const scale = Math.min(4, Math.max(1.5, REFINE_TEXT_PX / (h / 2.2)));
    const cw = Math.round(w * scale) + 2 * REFINE_MARGIN_PX;
    const ch = Math.round(h * scale) + 2 * REFINE_MARGIN_PX;
    const canvas = createCanvas(cw, ch);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, cw, ch);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, x, y, w, h, REFINE_MARGIN_PX, REFINE_MARGIN_PX, Math.round(w * scale), Math.round(h * scale));
    const blocks = await readCrop(canvas.toBuffer('image/png'));
    // Crop fractions → crop pixels → page pixels → page fractions.
    const toX = (f: number) => ((f * cw - REFINE_MARGIN_PX) / scale + x) / pageW;
    const toY = (f: number) => ((f * ch - REFINE_MARGIN_PX) / scale + y) / pageH;
    return blocks.map((b) => {
      const bb = b.Geometry?.BoundingBox;
      if (!bb) return b;
      const left = toX(bb.Left ?? 0);
      const top = toY(bb.Top ?? 0);
      const width = ((bb.Width ?? 0) * cw) / scale / pageW;
      const height = ((bb.Height ?? 0) * ch) / scale / pageH;
      return {
        ...b,
        Geometry: {
          BoundingBox: { Left: left, Top: top, Width: width, Height: height },
          Polygon: (b.Geometry?.Polygon ?? []).map((p) => ({ X: toX(p.X ?? 0), Y: toY(p.Y ?? 0) })),
        },
      };
    });
  };
}
