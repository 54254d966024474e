/**
 * A phone photo of a printed card: the card on a table, turned and seen at an angle (a perspective warp),
 * with a soft shadow, uneven light and a colour cast, sensor noise, some blur, saved as a JPEG of phone quality.
 */
import { type Canvas, createCanvas } from '@napi-rs/canvas';
import type { Rng } from './rng.js';

export interface PhotoConditions {
  width: number;
  height: number;
  /** Degrees. */
  rotation: number;
  /** Largest corner displacement of the perspective, in fractions of the card width. */
  perspective: number;
  /** Card width / photo width. */
  fill: number;
  blur: number;
  noise: number;
  /** Strength of the light gradient (0 = even). */
  light: number;
  jpegQuality: number;
  background: Background;
}

const BACKGROUNDS = ['wood', 'grey-desk', 'white-table', 'dark-desk', 'green-mat', 'fabric'] as const;
type Background = (typeof BACKGROUNDS)[number];

export function photoConditions(r: Rng, cardW: number, cardH: number): PhotoConditions {
  const portrait = cardH > cardW;
  const longSide = r.int(1150, 1500);
  const aspect = r.pick([4 / 3, 16 / 9, 3 / 2, 1.25]);
  const [width, height] = portrait
    ? [Math.round(longSide / aspect), longSide]
    : [longSide, Math.round(longSide / aspect)];
  const cardAspect = cardW / cardH;
  // The card fills most of the frame, as when someone photographs a card to scan it.
  const maxFill = Math.min(0.93, (0.93 * height * cardAspect) / width);
  return {
    width,
    height,
    rotation: r.weighted([
      [r.float(-1.5, 1.5), 5],
      [r.float(-4, 4), 3],
      [r.float(-7, 7), 1],
    ] as const),
    perspective: r.weighted([
      [r.float(0, 0.02), 4],
      [r.float(0.02, 0.05), 3],
      [r.float(0.05, 0.08), 1],
    ] as const),
    fill: r.float(Math.min(0.7, maxFill * 0.85), maxFill),
    blur: r.weighted([
      [0, 4],
      [0.6, 3],
      [1.1, 2],
      [1.6, 1],
    ] as const),
    noise: r.float(1.5, 6),
    light: r.weighted([
      [r.float(0, 0.12), 3],
      [r.float(0.12, 0.3), 3],
      [r.float(0.3, 0.45), 1],
    ] as const),
    jpegQuality: r.int(55, 86),
    background: r.pick(BACKGROUNDS),
  };
}

/** 3×3 homography mapping the unit square's corners onto `quad` (x, y pairs: tl, tr, br, bl). */
function squareToQuad(q: Array<[number, number]>): number[] {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q;
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const h = (dx1 * sy - sx * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

function background(
  r: Rng,
  kind: PhotoConditions['background'],
  x: number,
  y: number,
  seed: number,
): [number, number, number] {
  switch (kind) {
    case 'wood': {
      const grain = Math.sin(y * 0.045 + Math.sin(x * 0.004 + seed) * 3) * 14;
      return [150 + grain, 104 + grain * 0.8, 64 + grain * 0.5];
    }
    case 'grey-desk':
      return [118, 121, 124];
    case 'white-table':
      return [214, 212, 206];
    case 'dark-desk':
      return [44, 46, 50];
    case 'green-mat': {
      const line = x % 64 < 2 || y % 64 < 2 ? 25 : 0;
      return [38 + line, 92 + line, 70 + line];
    }
    case 'fabric': {
      const weave = ((x >> 1) + (y >> 1)) % 2 ? 8 : -8;
      return [96 + weave + r.float(-3, 3), 84 + weave, 120 + weave];
    }
  }
}

/** The card photographed under `c`; returns the JPEG bytes. */
export async function photograph(r: Rng, card: Canvas, c: PhotoConditions): Promise<Buffer> {
  const { width: W, height: H } = c;
  const cw = card.width;
  const ch = card.height;
  // The card's corners in the photo: centred (with some play), scaled, turned, then each corner nudged.
  const sw = c.fill * W;
  const sh = (sw * ch) / cw;
  const cx = W / 2 + r.float(-0.5, 0.5) * (W - sw) * 0.6;
  const cy = H / 2 + r.float(-0.5, 0.5) * (H - sh) * 0.6;
  const a = (c.rotation * Math.PI) / 180;
  const corners: Array<[number, number]> = [
    [-sw / 2, -sh / 2],
    [sw / 2, -sh / 2],
    [sw / 2, sh / 2],
    [-sw / 2, sh / 2],
  ].map(([x, y]) => {
    const jx = r.float(-1, 1) * c.perspective * sw;
    const jy = r.float(-1, 1) * c.perspective * sw;
    return [cx + x * Math.cos(a) - y * Math.sin(a) + jx, cy + x * Math.sin(a) + y * Math.cos(a) + jy];
  });
  const toPhoto = squareToQuad(corners);
  const toCard = invert3(toPhoto);

  const src = card.getContext('2d').getImageData(0, 0, cw, ch).data;
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(W, H);
  const out = img.data;
  const seed = r.float(0, 10);
  // Light: a linear gradient across the frame plus a soft spot; a warm or cool cast.
  const gx = r.float(-1, 1);
  const gy = r.float(-1, 1);
  const spotX = r.float(0.2, 0.8) * W;
  const spotY = r.float(0.2, 0.8) * H;
  const cast: [number, number, number] = r.pick([
    [1, 1, 1],
    [1.04, 1, 0.9],
    [0.95, 0.99, 1.05],
    [1.02, 1.01, 0.96],
  ]);
  const exposure = r.float(0.88, 1.04);
  const shadowDx = r.float(-0.012, 0.012) * W;
  const shadowDy = r.float(0.004, 0.02) * H;
  const shadowSoft = 0.02 * W;
  const noise = () => (r.float() + r.float() + r.float() - 1.5) * 2 * c.noise;

  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // Card coordinates of this pixel (u, v in 0..1 inside the card).
      const den = toCard[6] * x + toCard[7] * y + toCard[8];
      const u = (toCard[0] * x + toCard[1] * y + toCard[2]) / den;
      const v = (toCard[3] * x + toCard[4] * y + toCard[5]) / den;
      let rgb: [number, number, number];
      const inside = u >= 0 && u <= 1 && v >= 0 && v <= 1;
      if (inside) {
        rgb = bilinear(src, cw, ch, u * (cw - 1), v * (ch - 1));
      } else {
        rgb = background(r, c.background, x, y, seed);
        // Shadow: darker near the card, offset towards the light's far side.
        const sd2 = toCard[6] * (x - shadowDx) + toCard[7] * (y - shadowDy) + toCard[8];
        const su = (toCard[0] * (x - shadowDx) + toCard[1] * (y - shadowDy) + toCard[2]) / sd2;
        const sv = (toCard[3] * (x - shadowDx) + toCard[4] * (y - shadowDy) + toCard[5]) / sd2;
        const outside = Math.max(0, -su, su - 1) * sw + Math.max(0, -sv, sv - 1) * sh;
        const shade = 1 - 0.45 * Math.max(0, 1 - outside / shadowSoft);
        rgb = [rgb[0] * shade, rgb[1] * shade, rgb[2] * shade];
      }
      const lx = x / W - 0.5;
      const ly = y / H - 0.5;
      const dist = Math.hypot(x - spotX, y - spotY) / Math.max(W, H);
      const light = exposure * (1 + c.light * (gx * lx + gy * ly) - c.light * 0.6 * dist);
      const i = (y * W + x) * 4;
      for (let k = 0; k < 3; k++) out[i + k] = clamp(rgb[k] * light * cast[k] + noise());
      out[i + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  let final: Canvas = canvas;
  if (c.blur > 0) {
    final = createCanvas(W, H);
    const fctx = final.getContext('2d');
    fctx.filter = `blur(${c.blur}px)`;
    fctx.drawImage(canvas, 0, 0);
  }
  return final.encode('jpeg', c.jpegQuality);
}

function bilinear(src: Uint8ClampedArray, w: number, h: number, x: number, y: number): [number, number, number] {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number, k: number) => src[(yy * w + xx) * 4 + k];
  const out: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) {
    const top = at(x0, y0, k) * (1 - fx) + at(x1, y0, k) * fx;
    const bottom = at(x0, y1, k) * (1 - fx) + at(x1, y1, k) * fx;
    out[k] = top * (1 - fy) + bottom * fy;
  }
  return out;
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, v));
}
