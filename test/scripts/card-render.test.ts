import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { Design } from '../../scripts/generate-cards-photos/design.js';
import { FONT_PACKAGES, missingFonts, registerFonts } from '../../scripts/generate-cards-photos/fonts.js';
import { type Block, Drawer } from '../../scripts/generate-cards-photos/render.js';

/** The columns of ink: x positions holding any pixel darker than the white page. */
function inkedColumns(data: Uint8ClampedArray, width: number, height: number): number[] {
  const columns: number[] = [];
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      if (data[(y * width + x) * 4] < 200) {
        columns.push(x);
        break;
      }
    }
  }
  return columns;
}

const fontsMissing = missingFonts().length > 0;
if (fontsMissing)
  console.log(`skipping the card generator's test: its fonts are missing (apt-get install ${FONT_PACKAGES})`);

describe.skipIf(fontsMissing)('the card generator', () => {
  it('keeps a letter-spaced company name inside its column when it shrinks it to fit', () => {
    const faces = registerFonts();
    const bold = faces.find((f) => f.style === 'sans' && f.bold);
    const [width, height, x0, x1] = [600, 200, 150, 450];
    const canvas = createCanvas(width, height);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    const company = { kind: 'text', text: 'FUJIMOTO FABRICATION GMBH & CO. KG', color: '#000', spacing: 0.2 } as const;
    const brand: Block = { lines: [{ segs: [{ ...company, face: bold ?? faces[0] }], px: 40 }], align: 'center' };
    new Drawer(ctx, {} as Design, '#fff').stack([brand], x0, x1, 20, height - 20, 'middle');

    const ink = inkedColumns(ctx.getImageData(0, 0, width, height).data, width, height);
    expect(ink.length).toBeGreaterThan(100);
    expect(Math.min(...ink)).toBeGreaterThanOrEqual(x0);
    expect(Math.max(...ink)).toBeLessThanOrEqual(x1);
  });
});
