import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type OcrPage, readImageInfo, TesseractPool, toTextractBlocks } from '../../src/emulators/textract/index.js';
import { edyCardPath, projectRoot } from './textract-harness.js';
import { textBlockViolations } from './textract-shape-checks.js';

const canIsolateNetwork = spawnSync('unshare', ['-n', 'true']).status === 0;

describe('toTextractBlocks', () => {
  const page: OcrPage = {
    width: 200,
    height: 100,
    lines: [
      {
        text: 'Edy Kim',
        confidence: 0,
        bbox: { x0: 50, y0: 10, x1: 150, y1: 30 },
        words: [
          { text: 'Edy', confidence: 90, bbox: { x0: 50, y0: 10, x1: 90, y1: 30 } },
          { text: 'Kim', confidence: 96, bbox: { x0: 100, y0: 12, x1: 150, y1: 30 } },
        ],
      },
      {
        text: 'aws',
        confidence: 80,
        bbox: { x0: 0, y0: 80, x1: 200, y1: 100 },
        words: [{ text: 'aws', confidence: 80, bbox: { x0: 0, y0: 80, x1: 200, y1: 100 } }],
      },
    ],
  };

  it('normalises pixels to page fractions, PAGE then LINEs then WORDs, line confidence = mean of its words', () => {
    const { blocks, pages } = toTextractBlocks(page);
    expect(pages).toBe(1);
    expect(blocks.map((b) => `${b.BlockType}:${b.Text ?? ''}`)).toEqual([
      'PAGE:',
      'LINE:Edy Kim',
      'LINE:aws',
      'WORD:Edy',
      'WORD:Kim',
      'WORD:aws',
    ]);
    const [pageBlock, line1, line2, edy] = blocks;
    expect(pageBlock.Relationships).toEqual([{ Type: 'CHILD', Ids: [line1.Id, line2.Id] }]);
    expect(line1.Relationships).toEqual([{ Type: 'CHILD', Ids: [blocks[3].Id, blocks[4].Id] }]);
    expect(line1.Confidence).toBe(93);
    expect(line1.Geometry?.BoundingBox).toEqual({ Left: 0.25, Top: 0.1, Width: 0.5, Height: 0.2 });
    expect(edy.Geometry?.Polygon).toEqual([
      { X: 0.25, Y: 0.1 },
      { X: 0.45, Y: 0.1 },
      { X: 0.45, Y: 0.3 },
      { X: 0.25, Y: 0.3 },
    ]);
    expect(edy.TextType).toBe('PRINTED');
    expect(blocks.some((b) => 'Page' in b)).toBe(false);
    expect(toTextractBlocks(page, { page: 1 }).blocks.every((b) => b.Page === 1)).toBe(true);
  });

  it('a slanted line gets a rotated polygon whose axis-aligned hull is the BoundingBox', () => {
    const angle = (4 * Math.PI) / 180;
    const [w, h] = [300, 30];
    // Hull of a 300×30 rectangle turned by 4°, top-left corner at (100 + h·sin, 50).
    const hull = {
      x0: 100,
      y0: 50,
      x1: 100 + w * Math.cos(angle) + h * Math.sin(angle),
      y1: 50 + w * Math.sin(angle) + h * Math.cos(angle),
    };
    const word = { text: 'slanted', confidence: 90, bbox: hull };
    const { blocks } = toTextractBlocks({
      width: 1000,
      height: 500,
      lines: [{ text: 'slanted', confidence: 90, bbox: hull, words: [word], angle }],
    });
    const polygon = blocks[1].Geometry?.Polygon ?? [];
    expect(polygon[0].X).toBeCloseTo((100 + h * Math.sin(angle)) / 1000, 6);
    expect(polygon[0].Y).toBeCloseTo(0.1, 6);
    expect(polygon[1].X).toBeCloseTo(hull.x1 / 1000, 6);
    expect(polygon[1].Y).toBeCloseTo((50 + w * Math.sin(angle)) / 500, 6);
    expect(polygon[3].X).toBeCloseTo(0.1, 6);
    expect(Math.min(...polygon.map((p) => p.Y ?? 0))).toBeCloseTo(blocks[1].Geometry?.BoundingBox?.Top ?? -1, 9);
  });

  it('an empty page is a lone PAGE block without Relationships', () => {
    const { blocks } = toTextractBlocks({ width: 10, height: 10, lines: [] });
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).not.toHaveProperty('Relationships');
  });
});

describe('readImageInfo', () => {
  it('reads the JPEG frame size of the card photo', () => {
    expect(readImageInfo(readFileSync(edyCardPath))).toEqual({
      format: 'jpeg',
      width: 1044,
      height: 512,
      orientation: 1,
    });
  });
  it('reads a PNG header and refuses other bytes', () => {
    const png = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(png);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(640, 16);
    png.writeUInt32BE(480, 20);
    expect(readImageInfo(png)).toEqual({ format: 'png', width: 640, height: 480, orientation: 1 });
    expect(readImageInfo(Buffer.from('GIF89a....'))).toBeUndefined();
  });
});

describe('TesseractPool', () => {
  const pool = TesseractPool.create({ size: 1 });
  afterAll(() => pool.close());

  it('warmUp starts the workers once and reports the load time', async () => {
    const first = pool.warmUp();
    expect(pool.warmUp()).toBe(first);
    const { ms } = await first;
    expect(ms).toBeGreaterThan(0);
  });

  it('recognize returns lines with words in image pixels', async () => {
    const page = await pool.recognize(readFileSync(edyCardPath));
    expect(page.width).toBe(1044);
    expect(page.height).toBe(512);
    const email = page.lines.flatMap((l) => l.words).find((w) => w.text.includes('edy@amazon.com'));
    expect(email).toBeDefined();
    expect(email?.bbox.x1).toBeLessThanOrEqual(1044);
    expect(email?.bbox.x0).toBeLessThan(email?.bbox.x1 ?? 0);
  });

  it('a rectangle reads only that region, coordinates still in full-image pixels', async () => {
    const full = await pool.recognize(readFileSync(edyCardPath));
    const name = full.lines.find((l) => l.text === 'Edy Kim');
    expect(name).toBeDefined();
    const { x0, y0, x1, y1 } = name?.bbox ?? { x0: 0, y0: 0, x1: 0, y1: 0 };
    const region = await pool.recognize(readFileSync(edyCardPath), {
      rectangle: { left: x0 - 8, top: y0 - 8, width: x1 - x0 + 16, height: y1 - y0 + 16 },
    });
    expect(region.lines.map((l) => l.text)).toEqual(['Edy Kim']);
    expect(Math.abs(region.lines[0].bbox.x0 - x0)).toBeLessThanOrEqual(2);
    expect(Math.abs(region.lines[0].bbox.y0 - y0)).toBeLessThanOrEqual(2);
  });

  it('a small photo (text under 16 px) is read upscaled, coordinates in its own pixels', async () => {
    const canvas = await import('@napi-rs/canvas');
    const photo = await canvas.loadImage(readFileSync(edyCardPath));
    const small = canvas.createCanvas(Math.round(photo.width / 2), Math.round(photo.height / 2));
    small.getContext('2d').drawImage(photo, 0, 0, small.width, small.height);
    const bytes = small.toBuffer('image/jpeg', 90);
    const asIs = await pool.recognize(bytes, { autoScale: false });
    const page = await pool.recognize(bytes);
    const coords = (p: OcrPage) =>
      p.lines.flatMap((l) => l.words.flatMap((w) => [w.bbox.x0, w.bbox.y0, w.bbox.x1, w.bbox.y1]));
    // Tesseract's own pixel coordinates are integers; fractional ones were mapped back from the upscaled read.
    expect(coords(asIs).every(Number.isInteger)).toBe(true);
    expect(coords(page).some((v) => !Number.isInteger(v))).toBe(true);
    const email = page.lines.find((l) => l.text.includes('edy@amazon.com'));
    expect(email).toBeDefined();
    expect(page.width).toBe(small.width);
    expect(email?.bbox.x1).toBeLessThanOrEqual(small.width);
    expect(email?.bbox.y0).toBeGreaterThan(small.height / 2);
  });

  it('a card photographed at a 3° tilt gets slanted polygons (as real Textract), BoundingBox = their hull', async () => {
    const canvas = await import('@napi-rs/canvas');
    const photo = await canvas.loadImage(readFileSync(edyCardPath));
    const tilted = canvas.createCanvas(photo.width + 100, photo.height + 100);
    const ctx = tilted.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, tilted.width, tilted.height);
    ctx.translate(50, 50);
    ctx.rotate((3 * Math.PI) / 180);
    ctx.drawImage(photo, 0, 0);
    const { blocks, pages } = toTextractBlocks(await pool.recognize(tilted.toBuffer('image/png')));
    const response = { DocumentMetadata: { Pages: pages }, Blocks: blocks };
    expect(textBlockViolations(response, { async: false })).toEqual([]);
    const address = blocks.find((b) => b.BlockType === 'LINE' && b.Text?.includes('Nonhyeon-ro'));
    const [tl, tr] = address?.Geometry?.Polygon ?? [];
    const slope = (((tr?.Y ?? 0) - (tl?.Y ?? 0)) * tilted.height) / (((tr?.X ?? 0) - (tl?.X ?? 0)) * tilted.width);
    expect((Math.atan(slope) * 180) / Math.PI).toBeCloseTo(3, 0);
  });

  it('a rectangle can be re-read at a higher scale, coordinates mapped back to the full image', async () => {
    const full = await pool.recognize(readFileSync(edyCardPath));
    const name = full.lines.find((l) => l.text === 'Edy Kim');
    const { x0, y0, x1, y1 } = name?.bbox ?? { x0: 0, y0: 0, x1: 0, y1: 0 };
    const rectangle = { left: x0 - 8, top: y0 - 8, width: x1 - x0 + 16, height: y1 - y0 + 16 };
    const region = await pool.recognize(readFileSync(edyCardPath), { rectangle, scale: 2 });
    expect(region.lines.map((l) => l.text)).toEqual(['Edy Kim']);
    expect(Math.abs(region.lines[0].bbox.x0 - x0)).toBeLessThanOrEqual(2);
    expect(Math.abs(region.lines[0].bbox.y1 - y1)).toBeLessThanOrEqual(2);
  });
});

describe.skipIf(!canIsolateNetwork)(
  `offline model load ${canIsolateNetwork ? '' : '(skipped: `unshare -n` is not permitted here)'}`,
  () => {
    it('reads a card in a process without network and writes no traineddata cache', () => {
      const cwd = mkdtempSync(join(tmpdir(), 'octember-offline-'));
      const scriptDir = mkdtempSync(join(tmpdir(), 'octember-offline-script-'));
      try {
        const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
        const pool = pathToFileURL(resolve(projectRoot, 'src/emulators/textract/tesseract-pool.ts')).href;
        const script = `
          const { TesseractPool, pageText } = await import(${JSON.stringify(pool)});
          const { readFileSync } = await import('node:fs');
          const p = TesseractPool.create({ size: 1 });
          const page = await p.recognize(readFileSync(${JSON.stringify(edyCardPath)}));
          await p.close();
          await fetch('https://cdn.jsdelivr.net/').then(() => console.log('NETWORK-REACHABLE'), () => {});
          console.log(pageText(page));`;
        // A file, not --eval: tesseract's worker threads inherit the exec arguments.
        const scriptPath = join(scriptDir, 'offline.mjs');
        writeFileSync(scriptPath, script);
        const run = spawnSync('unshare', ['-n', process.execPath, '--import', tsx, scriptPath], {
          cwd,
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect(run.stderr).not.toMatch(/Error/);
        expect(run.stdout).not.toContain('NETWORK-REACHABLE');
        expect(run.stdout).toContain('edy@amazon.com');
        expect(readdirSync(cwd)).toEqual([]);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
        rmSync(scriptDir, { recursive: true, force: true });
      }
    });
  },
);
