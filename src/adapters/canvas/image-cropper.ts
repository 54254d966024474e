import { encodeGreyPng } from '../../lib/grey-png.js';
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
  const decoded = new WeakMap<Uint8Array, Promise<import('@napi-rs/canvas').Image | undefined>>();
  const decode = (image: Uint8Array) => {
    let decoding = decoded.get(image);
    if (!decoding) {
      canvasModule ??= import('@napi-rs/canvas').catch((error) => {
        logger.warn({ err: error }, '@napi-rs/canvas cannot load: doubtful card fields are not re-read');
        return undefined;
      });
      decoding = canvasModule.then((napi) => napi?.loadImage(Buffer.from(image)));
      decoded.set(image, decoding);
    }
    return decoding;
  };
  return {
    prepare(image) {
      // Errors surface (and are handled) when a crop asks for the decoded photo.
      decode(image).catch(() => undefined);
    },
    async crop(image, region, { textPx, marginPx, angle = 0 }) {
      const img = await decode(image);
      const napi = await canvasModule;
      if (!img || !napi) return undefined;
      const { createCanvas } = napi;
      const pageWidth = img.width;
      const pageHeight = img.height;
      const x = Math.max(0, Math.floor(region.left * pageWidth));
      const y = Math.max(0, Math.floor(region.top * pageHeight));
      const w = Math.min(pageWidth - x, Math.ceil(region.width * pageWidth));
      const h = Math.min(pageHeight - y, Math.ceil(region.height * pageHeight));
      if (w < 4 || h < 4) return undefined;
      // A slanted row: the level rectangle whose turned hull is the region, read turned level (tesseract reads a
      // slanted strip of several rows as one jumble).
      const cos = Math.cos(angle);
      const sin = Math.abs(Math.sin(angle));
      const turned = Math.abs(angle) > 0.005 && cos * cos - sin * sin > 0.5;
      const levelW = turned ? (w * cos - h * sin) / (cos * cos - sin * sin) : w;
      const levelH = turned ? (h * cos - w * sin) / (cos * cos - sin * sin) : h;
      if (turned && (levelW < 4 || levelH < 4)) return undefined;
      const rw = turned ? levelW : w;
      const rh = turned ? levelH : h;
      // The region is padded by about half a text height on each side.
      const scale = Math.min(4, Math.max(1.5, textPx / (rh / 2.2)));
      const width = Math.round(rw * scale) + 2 * marginPx;
      const height = Math.round(rh * scale) + 2 * marginPx;
      const canvas = createCanvas(width, height);
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#ffffff';
      ctx.fillRect(0, 0, width, height);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      if (!turned) {
        ctx.drawImage(img, x, y, w, h, marginPx, marginPx, Math.round(w * scale), Math.round(h * scale));
        const png = encodeGreyPng(stretchedGrey(ctx, width, height, marginPx), width, height);
        return { png, width, height, pageWidth, pageHeight, x, y, scale, margin: marginPx };
      }
      const cx = x + w / 2;
      const cy = y + h / 2;
      ctx.beginPath();
      ctx.rect(marginPx, marginPx, width - 2 * marginPx, height - 2 * marginPx);
      ctx.clip();
      ctx.translate(width / 2, height / 2);
      ctx.rotate(-angle);
      ctx.scale(scale, scale);
      ctx.drawImage(img, -cx, -cy);
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      const png = encodeGreyPng(stretchedGrey(ctx, width, height, marginPx), width, height);
      return {
        png,
        width,
        height,
        pageWidth,
        pageHeight,
        x: cx - rw / 2,
        y: cy - rh / 2,
        scale,
        margin: marginPx,
        angle,
      };
    },
  };
}

/**
 * The crop in grey, its levels stretched so that its darkest ink is black and its paper white (light grey print on a
 * white card, or a dim photo, is read far better so): the 1st and 99th percentiles of luminance map to 0 and 255.
 * They are taken inside the white margin: counted with it, grey paper stayed grey beside a white frame, and tesseract
 * took the frame for the paper and the paper for ink ("Tee" for "Tel. +34 91 169 77 50").
 */
function stretchedGrey(
  ctx: import('@napi-rs/canvas').SKRSContext2D,
  width: number,
  height: number,
  margin: number,
): Uint8Array {
  const image = ctx.getImageData(0, 0, width, height);
  const px = image.data;
  const grey = new Uint8Array(px.length / 4);
  for (let i = 0, j = 0; i < px.length; i += 4, j++) grey[j] = (px[i] * 299 + px[i + 1] * 587 + px[i + 2] * 114) / 1000;
  const histogram = new Uint32Array(256);
  let counted = 0;
  for (let y = margin; y < height - margin; y++)
    for (let x = margin, j = y * width + margin; x < width - margin; x++, j++) {
      histogram[grey[j]]++;
      counted++;
    }
  const percentile = (p: number) => {
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += histogram[v];
      if (seen >= p * counted) return v;
    }
    return 255;
  };
  const low = percentile(0.01);
  const high = percentile(0.99);
  // Too flat to stretch: the crop's own grey, as a reader converting its colours would see it (BT.601 in integers).
  if (high - low < 16)
    return Uint8Array.from(grey, (_, j) => (px[4 * j] * 77 + px[4 * j + 1] * 150 + px[4 * j + 2] * 29) >> 8);
  const stretch = new Uint8Array(256);
  for (let v = 0; v < 256; v++) stretch[v] = Math.max(0, Math.min(255, Math.round(((v - low) * 255) / (high - low))));
  for (let j = 0; j < grey.length; j++) grey[j] = stretch[grey[j]];
  return grey;
}
