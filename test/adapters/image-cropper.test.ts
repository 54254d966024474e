import { createCanvas } from '@napi-rs/canvas';
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
});
