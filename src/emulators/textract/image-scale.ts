import type { Rectangle } from './tesseract-pool.js';

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasModule: Promise<CanvasModule | undefined> | undefined;

/** @napi-rs/canvas decodes and resamples; without it (a production install) images are read as given. */
function loadCanvas(): Promise<CanvasModule | undefined> {
  canvasModule ??= import('@napi-rs/canvas').catch(() => undefined);
  return canvasModule;
}

/**
 * Cuts `region` out of a JPEG/PNG and resamples it by `scale` into a PNG on white,
 * or returns undefined when no image library is installed.
 */
export async function renderRegion(
  bytes: Uint8Array,
  region: Rectangle,
  scale: number,
): Promise<Uint8Array | undefined> {
  const canvas = await loadCanvas();
  if (!canvas) return undefined;
  const image = await canvas.loadImage(Buffer.from(bytes));
  const width = Math.max(1, Math.round(region.width * scale));
  const height = Math.max(1, Math.round(region.height * scale));
  const target = canvas.createCanvas(width, height);
  const ctx = target.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, region.left, region.top, region.width, region.height, 0, 0, width, height);
  return target.toBuffer('image/png');
}
