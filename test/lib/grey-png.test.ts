import { createCanvas, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { encodeGreyPng } from '../../src/lib/grey-png.js';
import { readImageInfo } from '../../src/lib/image-info.js';

describe('greyscale PNG writer', () => {
  it('writes an 8-bit grey PNG that an image library decodes to the same grey levels', async () => {
    const width = 300;
    const height = 7;
    const grey = Uint8Array.from({ length: width * height }, (_, i) => (i * 37 + (i >> 5)) % 256);
    const png = encodeGreyPng(grey, width, height);
    expect(readImageInfo(png)).toMatchObject({ width, height });
    expect(png[24]).toBe(8); // bit depth
    expect(png[25]).toBe(0); // colour type: grey

    const image = await loadImage(png);
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.drawImage(image, 0, 0);
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const decoded = Uint8Array.from({ length: width * height }, (_, i) => rgba[4 * i]);
    expect(decoded).toEqual(grey);
    expect(rgba.filter((_, i) => i % 4 === 3).every((alpha) => alpha === 255)).toBe(true);
  });

  it('refuses pixels that do not fill the given size', () => {
    expect(() => encodeGreyPng(new Uint8Array(10), 4, 4)).toThrow('10 bytes for 4x4');
  });
});
