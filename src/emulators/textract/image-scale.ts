import type { Rectangle } from './tesseract-pool.js';

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasModule: Promise<CanvasModule | undefined> | undefined;

/** @napi-rs/canvas decodes and resamples; without it (a production install) images are read as given. */
export function loadCanvas(): Promise<CanvasModule | undefined> {
  canvasModule ??= import('@napi-rs/canvas').catch(() => undefined);
  return canvasModule;
}

/**
 * Cuts `region` out of a JPEG/PNG, resamples it by `scale` onto white and returns it as an 8-bit grey PGM (which
 * tesseract reads without decoding work), or undefined when no image library is installed.
 *
 * Grey, because tesseract thresholds a colour image channel by channel: orange or red text on white is light in
 * its red channel and comes out as paper, whole lines of it. With `flatten` (photos of a page), the light is
 * also evened out and light-on-dark print turned dark-on-light (see `flatten`).
 */
export async function renderRegion(
  bytes: Uint8Array,
  region: Rectangle,
  scale: number,
  opts: { flatten?: boolean } = {},
): Promise<Uint8Array | undefined> {
  const rendered = await renderGrey(bytes, region, scale);
  if (!rendered) return undefined;
  const { grey, width, height } = rendered;
  return pgm(opts.flatten ? flatten(grey, width, height) : grey, width, height);
}

export interface GreyImage {
  grey: Uint8Array;
  width: number;
  height: number;
}

/** `region` of a JPEG/PNG resampled by `scale` onto white, as 8-bit grey pixels (see renderRegion). */
export async function renderGrey(bytes: Uint8Array, region: Rectangle, scale: number): Promise<GreyImage | undefined> {
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
  return { grey: luma(ctx.getImageData(0, 0, width, height).data), width, height };
}

function luma(rgba: Uint8ClampedArray): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  // ITU-R BT.601 luma, in integers.
  for (let i = 0, j = 0; j < out.length; i += 4, j++)
    out[j] = (rgba[i] * 77 + rgba[i + 1] * 150 + rgba[i + 2] * 29) >> 8;
  return out;
}

export function pgm(grey: Uint8Array, width: number, height: number): Uint8Array {
  const header = Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii');
  return Buffer.concat([header, grey]);
}

/** g / 255, its square and cube, for every grey level g. */
const UNIT = Float64Array.from({ length: 256 }, (_, g) => g / 255);
const UNIT_SQUARED = UNIT.map((v) => v * v);
const UNIT_CUBED = UNIT.map((v) => v * v * v);

/** Side of the cells the local statistics are gathered in (pixels). */
const CELL = 8;
/** A pixel of a flattened page darker than this (0 black .. 255 white) is ink. */
export const INK_LEVEL = 128;

/** The ratio to the surroundings that becomes black, and the one that becomes white. */
const BLACK = 0.45;
const WHITE = 0.9;
/** A cell whose brightest and darkest pixels differ by less than this holds no print (0..1). */
const PRINT_CONTRAST = 0.2;

/**
 * The paper level each pixel is divided by: `mean`, the window's mean brightness (the first pass); `print`, the
 * window's mean over its cells of each cell's brightest pixel where the cell holds print, its mean where smooth.
 * Dark print and coloured bars pull the plain mean down, which turns thin light-grey print (anti-aliased strokes
 * well above BLACK of a darkened mean) into paper; `print` keeps it dark, but on the dev seeds it did not read
 * better than `mean` as the first pass (20261 +4.0 points, 777 +20.8, 5151 -5.5 summed over the fields): it is
 * what print the first pass left unread is found and re-read in (unread-print.ts).
 */
export type PaperLevel = 'mean' | 'print';

/**
 * Evens out a photographed page for one global threshold, as a scanner would: around every pixel (a window of a
 * sixteenth of the image), print that is the bright minority (light text on a dark card or band: the local
 * histogram leans bright) is inverted, then each pixel is divided by its surroundings' mean brightness and the
 * ratio stretched, so paper becomes white however the light falls and faint grey text dark. `paper`: see PaperLevel.
 */
export function flatten(grey: Uint8Array, width: number, height: number, paper: PaperLevel = 'mean'): Uint8Array {
  const gw = Math.ceil(width / CELL);
  const gh = Math.ceil(height / CELL);
  // Per cell: sums of g, g² and g³ (scaled to 0..1) and the pixel count, then their integral over the grid.
  const s1 = new Float64Array(gw * gh);
  const s2 = new Float64Array(gw * gh);
  const s3 = new Float64Array(gw * gh);
  const counts = new Float64Array(gw * gh);
  const brightest = new Uint8Array(gw * gh);
  const darkest = new Uint8Array(gw * gh).fill(255);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / CELL) * gw;
    const at = y * width;
    for (let cx = 0, x = 0; cx < gw; cx++) {
      const c = row + cx;
      const end = Math.min(width, x + CELL);
      let a = 0;
      let b = 0;
      let d = 0;
      let hi = brightest[c];
      let lo = darkest[c];
      counts[c] += end - x;
      for (; x < end; x++) {
        const g = grey[at + x];
        a += UNIT[g];
        b += UNIT_SQUARED[g];
        d += UNIT_CUBED[g];
        if (g > hi) hi = g;
        if (g < lo) lo = g;
      }
      s1[c] += a;
      s2[c] += b;
      s3[c] += d;
      brightest[c] = hi;
      darkest[c] = lo;
    }
  }
  // Per cell, for `print`: its paper, and its paper where print is inverted (1 - its darkest), its mean when smooth.
  const [tPaper, tInvertedPaper] = paper === 'print' ? printPaperLevels(s1, counts, brightest, darkest, gw, gh) : [];
  const [t1, t2, t3, tn] = [s1, s2, s3, counts].map((cells) => integral(cells, gw, gh));
  const radius = Math.max(2, Math.round(Math.min(width, height) / 16 / CELL));
  // Per cell: invert? and the mean brightness of the (possibly inverted) surroundings.
  const invert = new Uint8Array(gw * gh);
  const background = new Float64Array(gw * gh);
  for (let cy = 0; cy < gh; cy++) {
    for (let cx = 0; cx < gw; cx++) {
      const n = windowSum(tn, gw, gh, cx, cy, radius);
      const mean = windowSum(t1, gw, gh, cx, cy, radius) / n;
      const m2 = windowSum(t2, gw, gh, cx, cy, radius) / n;
      const m3 = windowSum(t3, gw, gh, cx, cy, radius) / n;
      const skew = m3 - 3 * mean * m2 + 2 * mean ** 3;
      const i = cy * gw + cx;
      invert[i] = skew > 0.0005 ? 1 : 0;
      const level =
        tPaper && tInvertedPaper
          ? windowSum(invert[i] ? tInvertedPaper : tPaper, gw, gh, cx, cy, radius) / windowCells(gw, gh, cx, cy, radius)
          : invert[i]
            ? 1 - mean
            : mean;
      background[i] = Math.fround(Math.max(0.02, level));
    }
  }
  const out = new Uint8Array(width * height);
  const span = 255 / (WHITE - BLACK);
  for (let y = 0; y < height; y++) {
    const row = Math.min(gh - 1, Math.floor(y / CELL)) * gw;
    const at = y * width;
    for (let cx = 0, x = 0; cx < gw; cx++) {
      const c = row + cx;
      const inv = invert[c] === 1;
      const bg = background[c];
      const end = Math.min(width, x + CELL);
      for (; x < end; x++) {
        const v = UNIT[grey[at + x]];
        const level = Math.round(span * ((inv ? 1 - v : v) / bg - BLACK));
        out[at + x] = Math.max(0, Math.min(255, level));
      }
    }
  }
  return out;
}

function printPaperLevels(
  s1: Float64Array,
  counts: Float64Array,
  brightest: Uint8Array,
  darkest: Uint8Array,
  gw: number,
  gh: number,
): [Float64Array, Float64Array] {
  const paper = new Float64Array(gw * gh);
  const invertedPaper = new Float64Array(gw * gh);
  for (let c = 0; c < paper.length; c++) {
    const smooth = UNIT[brightest[c]] - UNIT[darkest[c]] < PRINT_CONTRAST;
    paper[c] = smooth ? s1[c] / counts[c] : UNIT[brightest[c]];
    invertedPaper[c] = 1 - (smooth ? s1[c] / counts[c] : UNIT[darkest[c]]);
  }
  return [integral(paper, gw, gh), integral(invertedPaper, gw, gh)];
}

function windowCells(gw: number, gh: number, cx: number, cy: number, r: number): number {
  return (Math.min(gw, cx + r + 1) - Math.max(0, cx - r)) * (Math.min(gh, cy + r + 1) - Math.max(0, cy - r));
}

function integral(cells: Float64Array, gw: number, gh: number): Float64Array {
  const t = new Float64Array((gw + 1) * (gh + 1));
  for (let y = 0; y < gh; y++) {
    let row = 0;
    for (let x = 0; x < gw; x++) {
      row += cells[y * gw + x];
      t[(y + 1) * (gw + 1) + x + 1] = t[y * (gw + 1) + x + 1] + row;
    }
  }
  return t;
}

function windowSum(t: Float64Array, gw: number, gh: number, cx: number, cy: number, r: number): number {
  const x0 = Math.max(0, cx - r);
  const y0 = Math.max(0, cy - r);
  const x1 = Math.min(gw, cx + r + 1);
  const y1 = Math.min(gh, cy + r + 1);
  const w = gw + 1;
  return t[y1 * w + x1] - t[y0 * w + x1] - t[y1 * w + x0] + t[y0 * w + x0];
}
