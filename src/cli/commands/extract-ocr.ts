import type { Block, BoundingBox } from '@aws-sdk/client-textract';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { extractCardFieldsAsync } from '../../domain/card-extraction/index.js';
import type { CardFields } from '../../domain/card-fields.js';
import { toTextractBlocks } from '../../emulators/textract/blocks.js';
import type { OcrLine, OcrPage } from '../../emulators/textract/ocr-page.js';
import { detectDocumentPage } from '../../emulators/textract/recognize-document.js';
import type { TesseractPool } from '../../emulators/textract/tesseract-pool.js';

/** Text height (pixels) the re-OCR of a doubtful region is scaled to; tesseract reads best around 30–50 px. */
const REFINE_TEXT_PX = 48;
const REFINE_MARGIN_PX = 24;

/**
 * The full local path for one card image: tesseract (the Textract emulator's engine) → Textract
 * blocks → field extraction, with doubtful regions re-read from an upscaled crop.
 */
export async function readCardLocally(pool: TesseractPool, bytes: Uint8Array): Promise<CardFields> {
  const page = await detectDocumentPage(pool, bytes);
  const { blocks } = toTextractBlocks(page);
  return extractCardFieldsAsync(blocks, {
    pageAspectRatio: page.width / page.height,
    refine: (region) => reReadRegion(pool, bytes, page, region),
  });
}

/** OCR of `region` (page fractions) from a crop upscaled so its text is about REFINE_TEXT_PX high. */
export async function reReadRegion(
  pool: TesseractPool,
  bytes: Uint8Array,
  page: OcrPage,
  region: BoundingBox,
): Promise<Block[]> {
  const x = Math.max(0, Math.floor((region.Left ?? 0) * page.width));
  const y = Math.max(0, Math.floor((region.Top ?? 0) * page.height));
  const w = Math.min(page.width - x, Math.ceil((region.Width ?? 0) * page.width));
  const h = Math.min(page.height - y, Math.ceil((region.Height ?? 0) * page.height));
  if (w < 4 || h < 4) return [];
  // The region is padded by about half a text height on each side.
  const scale = Math.min(4, Math.max(1.5, REFINE_TEXT_PX / (h / 2.2)));
  const image = await loadImage(Buffer.from(bytes));
  const canvas = createCanvas(
    Math.round(w * scale) + 2 * REFINE_MARGIN_PX,
    Math.round(h * scale) + 2 * REFINE_MARGIN_PX,
  );
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, x, y, w, h, REFINE_MARGIN_PX, REFINE_MARGIN_PX, Math.round(w * scale), Math.round(h * scale));
  const crop = await pool.recognize(canvas.toBuffer('image/png'), { segmentation: 'single-block' });
  // Back to the original page's pixel frame, so the blocks share the first reading's geometry.
  const toPage = (v: number, offset: number) => (v - REFINE_MARGIN_PX) / scale + offset;
  const lines: OcrLine[] = crop.lines.map((line) => ({
    ...line,
    bbox: mapBox(line.bbox),
    words: line.words.map((word) => ({ ...word, bbox: mapBox(word.bbox) })),
  }));
  function mapBox(b: OcrLine['bbox']): OcrLine['bbox'] {
    return { x0: toPage(b.x0, x), y0: toPage(b.y0, y), x1: toPage(b.x1, x), y1: toPage(b.y1, y) };
  }
  return toTextractBlocks({ width: page.width, height: page.height, lines }).blocks;
}
