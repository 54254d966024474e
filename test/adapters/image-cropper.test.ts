import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { createCanvasImageCropper } from '../../src/adapters/canvas/image-cropper.js';
import { toPageFrame } from '../../src/domain/card-extraction/refine.js';
import { readImageInfo } from '../../src/lib/image-info.js';

function page(width: number, height: number): Uint8Array {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  ctx.fillRect(100, 50, 200, 20);
  return canvas.toBuffer('image/png');
}

describe('canvas image cropper', () => {
  const cropper = createCanvasImageCropper();

  it('crops and enlarges a region, padded with a white margin', async () => {
    const crop = await cropper.crop(
      page(400, 200),
      { left: 0.25, top: 0.25, width: 0.5, height: 0.1 },
      {
        textPx: 48,
        marginPx: 24,
      },
    );
    expect(crop).toBeDefined();
    expect(crop).toMatchObject({ pageWidth: 400, pageHeight: 200, x: 100, y: 50, margin: 24 });
    expect(crop!.scale).toBeGreaterThan(1);
    expect(crop!.width).toBe(Math.round(200 * crop!.scale) + 48);
    expect(readImageInfo(crop!.png)).toMatchObject({ width: crop!.width, height: crop!.height });
  });

  it("gives a grey PNG, the region's ink stretched to black and its paper to white", async () => {
    const grey = createCanvas(400, 200);
    const ctx = grey.getContext('2d');
    ctx.fillStyle = '#ddd';
    ctx.fillRect(0, 0, 400, 200);
    ctx.fillStyle = '#888';
    ctx.fillRect(100, 50, 200, 20);
    const crop = (await cropper.crop(
      grey.toBuffer('image/png'),
      { left: 0.2, top: 0.2, width: 0.6, height: 0.2 },
      { textPx: 48, marginPx: 24 },
    ))!;
    expect(crop.png[25]).toBe(0); // PNG colour type: grey
    const image = await loadImage(crop.png);
    const read = createCanvas(crop.width, crop.height).getContext('2d');
    read.drawImage(image, 0, 0);
    const levels = new Set(read.getImageData(0, 0, crop.width, crop.height).data.filter((_, i) => i % 4 === 0));
    expect(Math.min(...levels)).toBe(0);
    expect(Math.max(...levels)).toBe(255);
    // the paper inside the white margin is white too (measured without the margin, grey paper stayed grey beside it)
    expect(read.getImageData(crop.margin + 2, crop.margin + 2, 1, 1).data[0]).toBe(255);
  });

  it('crops the same after the photo was prepared (decoded ahead)', async () => {
    const photo = page(400, 200);
    const region = { left: 0.25, top: 0.25, width: 0.5, height: 0.1 };
    const options = { textPx: 48, marginPx: 24, angle: 0.03 };
    const prepared = createCanvasImageCropper();
    prepared.prepare?.(photo);
    const ahead = await prepared.crop(photo, region, options);
    expect(ahead).toBeDefined();
    expect(ahead).toEqual(await createCanvasImageCropper().crop(photo, region, options));
  });

  it('refuses a region too small to hold text', async () => {
    expect(
      await cropper.crop(
        page(400, 200),
        { left: 0.5, top: 0.5, width: 0.001, height: 0.001 },
        {
          textPx: 48,
          marginPx: 24,
        },
      ),
    ).toBeUndefined();
  });

  it('maps lines read from the crop back onto the page', async () => {
    const crop = (await cropper.crop(
      page(400, 200),
      { left: 0.25, top: 0.25, width: 0.5, height: 0.1 },
      {
        textPx: 48,
        marginPx: 24,
      },
    ))!;
    // A line covering the cropped region exactly, in the crop's own 0..1 frame.
    const inCrop = {
      left: crop.margin / crop.width,
      top: crop.margin / crop.height,
      width: (crop.width - 2 * crop.margin) / crop.width,
      height: (crop.height - 2 * crop.margin) / crop.height,
    };
    const polygon = [{ x: inCrop.left, y: inCrop.top }];
    const line = toPageFrame(
      { text: 'x', confidence: 90, box: inCrop, polygon, words: [{ text: 'x', confidence: 90, box: inCrop }] },
      crop,
    );
    for (const box of [line.box, line.words[0].box]) {
      expect(box.left).toBeCloseTo(0.25, 2);
      expect(box.top).toBeCloseTo(0.25, 2);
      expect(box.width).toBeCloseTo(0.5, 2);
      expect(box.height).toBeCloseTo(0.1, 2);
    }
    expect(line.polygon?.[0].x).toBeCloseTo(0.25, 2);
  });

  it('reads a slanted row turned level, and maps what it reads back onto the slant', async () => {
    // A bar 200 × 20 px centred at (200, 100), turned by 5°: the text of a tilted photo.
    const angle = (5 * Math.PI) / 180;
    const canvas = createCanvas(400, 200);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, 400, 200);
    ctx.translate(200, 100);
    ctx.rotate(angle);
    ctx.fillStyle = '#000';
    ctx.fillRect(-100, -10, 200, 20);
    const hullW = 200 * Math.cos(angle) + 40 * Math.sin(angle);
    const hullH = 200 * Math.sin(angle) + 40 * Math.cos(angle);
    const region = {
      left: (200 - hullW / 2) / 400,
      top: (100 - hullH / 2) / 200,
      width: hullW / 400,
      height: hullH / 200,
    };
    const crop = (await cropper.crop(canvas.toBuffer('image/png'), region, { textPx: 48, marginPx: 24, angle }))!;
    expect(crop.angle).toBe(angle);
    // Level: the crop is as tall as the padded row (40 px), not as its slanted hull.
    expect((crop.height - 2 * crop.margin) / crop.scale).toBeCloseTo(40, -0.5);
    // The crop's centre row is all ink, its corners paper.
    const { loadImage } = await import('@napi-rs/canvas');
    const img = await loadImage(crop.png);
    const check = createCanvas(crop.width, crop.height).getContext('2d');
    check.drawImage(img, 0, 0);
    const at = (x: number, y: number) => check.getImageData(Math.round(x), Math.round(y), 1, 1).data[0];
    for (const f of [0.1, 0.5, 0.9]) {
      const x = crop.margin + f * (crop.width - 2 * crop.margin);
      expect(at(x, crop.height / 2)).toBeLessThan(60);
      expect(at(x, crop.margin + 2)).toBeGreaterThan(200);
    }
    // The crop's centre maps back to the bar's centre; its left end to the bar's turned left end.
    const point = (x: number, y: number) => ({ left: x, top: y, width: 0, height: 0 });
    const line = toPageFrame(
      { text: 'x', confidence: 90, box: point(0.5, 0.5), words: [{ text: 'x', confidence: 90, box: point(0.5, 0.5) }] },
      crop,
    );
    expect(line.box.left * 400).toBeCloseTo(200, -0.5);
    expect(line.box.top * 200).toBeCloseTo(100, -0.5);
    const leftEnd = (crop.margin + (crop.width / 2 - crop.margin - 100 * crop.scale)) / crop.width;
    const end = toPageFrame({ text: 'x', confidence: 90, box: point(leftEnd, 0.5), words: [] }, crop);
    expect(end.box.left * 400).toBeCloseTo(200 - 100 * Math.cos(angle), -0.5);
    expect(end.box.top * 200).toBeCloseTo(100 - 100 * Math.sin(angle), -0.5);
  });
});
