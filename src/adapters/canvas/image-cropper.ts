import { logger } from '../../lib/logger.js';
import type { ImageCropper } from '../../ports/image-cropper.js';

/**
 * ImageCropper over @napi-rs/canvas, loaded on first use: only a card with a doubtful field needs it. Where the
 * native module cannot load, every crop is refused (the first OCR pass stands) and one warning says why.
 */
export function createCanvasImageCropper(): ImageCropper {
  let canvasModule: Promise<typeof import('@napi-rs/canvas') | undefined> | undefined;
  // A card's doubtful fields are cropped from the same photo: decode it once per photo. Cards are read concurrently
  // (several records of a batch, several batches of a shard), so one slot would be overwritten between their crops.
  const decoded = new WeakMap<Uint8Array, Promise<import('@napi-rs/canvas').Image>>();
  return {
    async crop(image, region, { textPx, marginPx }) {
      canvasModule ??= import('@napi-rs/canvas').catch((error) => {
        logger.warn({ err: error }, '@napi-rs/canvas cannot load: doubtful card fields are not re-read');
        return undefined;
      });
      const napi = await canvasModule;
      if (!napi) return undefined;
      const { createCanvas, loadImage } = napi;
      let decoding = decoded.get(image);
      if (!decoding) {
        decoding = loadImage(Buffer.from(image));
        decoded.set(image, decoding);
      }
      const img = await decoding;
      const pageWidth = img.width;
      const pageHeight = img.height;
      const x = Math.max(0, Math.floor(region.left * pageWidth));
      const y = Math.max(0, Math.floor(region.top * pageHeight));
      const w = Math.min(pageWidth - x, Math.ceil(region.width * pageWidth));
      const h = Math.min(pageHeight - y, Math.ceil(region.height * pageHeight));
      if (w < 4 || h < 4) return undefined;
      // The region is padded by about half a text height on each side.
      const scale = Math.min(4, Math.max(1.5, textPx / (h / 2.2)));
      const width = Math.round(w * scale) + 2 * marginPx;
      const height = Math.round(h * scale) + 2 * marginPx;
      const canvas = createCanvas(width, height);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, width, height);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(img, x, y, w, h, marginPx, marginPx, Math.round(w * scale), Math.round(h * scale));
      // encode() runs off the event loop (toBuffer would block it while other cards wait for their I/O)
      return { png: await canvas.encode('png'), width, height, pageWidth, pageHeight, x, y, scale, margin: marginPx };
    },
  };
}
