import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanvasImageCropper } from '../../src/adapters/canvas/image-cropper.js';
import { createTesseractOcr } from '../../src/adapters/tesseract/ocr.js';
import { cardExtractorFor } from '../../src/domain/card-extraction/refine.js';
import { TesseractPool } from '../../src/emulators/textract/tesseract-pool.js';
import { parallelRereads } from '../../src/handlers/parallel-rereads.js';
import type { ImageCropper, PageRegion } from '../../src/ports/image-cropper.js';
import type { Ocr } from '../../src/ports/ocr.js';
import { cardLines } from '../domain/card-extraction-lines.js';

// The development sample: the real photos' doubts are settled by the rest of their card now, so they re-read nothing.
const DEV_SAMPLE = fileURLToPath(new URL('../../fixtures/cards-dev-sample', import.meta.url));

/** An Ocr that notes how many of its reads ran at once, at most, and how many it made. */
function watched(ocr: Ocr) {
  const seen = { reads: 0, atOnce: 0, maxAtOnce: 0 };
  const wrapped: Ocr = {
    async detectText(document) {
      seen.reads++;
      seen.maxAtOnce = Math.max(seen.maxAtOnce, ++seen.atOnce);
      try {
        return await ocr.detectText(document);
      } finally {
        seen.atOnce--;
      }
    },
  };
  return { ocr: wrapped, seen };
}

describe('re-reads of doubtful regions in parallel', () => {
  let pool: TesseractPool;
  beforeAll(async () => {
    pool = TesseractPool.create({ size: 2 });
    await pool.warmUp();
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('gives the fields the one-by-one extractor gives, reading a card’s regions at once when the OCR idles', async () => {
    const files = (await readdir(DEV_SAMPLE)).filter((f) => f.endsWith('.jpg')).sort();
    const cropper = createCanvasImageCropper();
    let concurrentCards = 0;
    for (const file of files) {
      const image = await readFile(join(DEV_SAMPLE, file));
      const { lines } = await createTesseractOcr(pool).detectText({ bytes: image });
      const oneByOne = watched(createTesseractOcr(pool));
      const expected = await cardExtractorFor(oneByOne.ocr, cropper, image)(lines);
      expect(oneByOne.seen.maxAtOnce).toBeLessThanOrEqual(1);

      const ahead = watched(createTesseractOcr(pool));
      const fields = await parallelRereads(ahead.ocr, cropper).extract(lines, image);
      expect(fields, file).toEqual(expected);
      // every region the extractor read was read ahead or on demand: never fewer reads than one by one, and at most
      // the reads started ahead (idleReads, 2 by default) more, for regions the extractor then did not ask for
      expect(ahead.seen.reads).toBeGreaterThanOrEqual(oneByOne.seen.reads);
      expect(ahead.seen.reads).toBeLessThanOrEqual(oneByOne.seen.reads + 2);
      if (ahead.seen.maxAtOnce > 1) concurrentCards++;

      // busy OCR (no idle read): nothing is read ahead, the reads are the extractor's own, one by one
      const busy = watched(createTesseractOcr(pool));
      expect(await parallelRereads(busy.ocr, cropper, { idleReads: 0 }).extract(lines, image), file).toEqual(expected);
      expect(busy.seen).toMatchObject({ reads: oneByOne.seen.reads, maxAtOnce: Math.min(1, oneByOne.seen.reads) });
    }
    // the cards with two candidate regions had them read at once
    expect(concurrentCards).toBeGreaterThan(0);
  }, 300_000);
});

describe('a photo decoded ahead for its crops', () => {
  it('only on capacity the first passes leave idle', async () => {
    const prepared: Uint8Array[] = [];
    const cropper = { prepare: (image: Uint8Array) => prepared.push(image), crop: async () => undefined };
    let finish: (() => void)[] = [];
    const ocr: Ocr = {
      detectText: () => new Promise((resolve) => finish.push(() => resolve({ lines: [], pages: 1 }))),
    };
    const rereads = parallelRereads(ocr, cropper, { idleReads: 2 });
    const [one, two] = [new Uint8Array([1]), new Uint8Array([2])];

    const first = rereads.ocr.detectText({ bytes: one });
    rereads.prepare(one); // one first pass under way: the other reader idles
    const second = rereads.ocr.detectText({ bytes: two });
    rereads.prepare(two); // both readers busy: the crops, if any, decode when asked for
    expect(prepared).toEqual([one]);

    for (const done of finish) done();
    finish = [];
    await Promise.all([first, second]);
    rereads.prepare(two);
    expect(prepared).toEqual([one, two]);
  });
});

describe('a crop to be read in a language, read ahead', () => {
  it('is read in that language, as the extractor asks for it', async () => {
    const lines = cardLines([
      { text: 'Lucia Romero', x: 0.1, y: 0.1, h: 0.06 },
      { text: 'Account Director', x: 0.1, y: 0.2 },
      { text: 'lromero@tallowmere.es', x: 0.1, y: 0.5 },
      { text: 'Calle Colon 58', x: 0.1, y: 0.7 },
      { text: '46004 Valencia, Spain', x: 0.1, y: 0.76 },
    ]);
    // Crops of the whole page frame (scale 1, no margin), each remembering its region.
    const regions = new Map<Buffer, PageRegion>();
    const cropper: ImageCropper = {
      async crop(_image, region) {
        const png = Buffer.from(`crop ${regions.size}`);
        regions.set(png, region);
        return { png, width: 1750, height: 1000, pageWidth: 1750, pageHeight: 1000, x: 0, y: 0, scale: 1, margin: 0 };
      },
    };
    const languages: Array<string | undefined> = [];
    const ocr: Ocr = {
      async detectText(document, options) {
        languages.push(options?.language);
        const region = 'bytes' in document ? regions.get(document.bytes as Buffer) : undefined;
        if (!region) return { lines: [], pages: 1 };
        const text = region.top < 0.73 ? 'Calle Colon 58' : '46004 Valencia, Spain';
        const read = options?.language === 'es' ? text.replace('Colon', 'Colón') : text;
        return { lines: cardLines([{ text: read, x: 0.1, y: region.top + 0.01 }]), pages: 1 };
      },
    };
    const fields = await parallelRereads(ocr, cropper, { idleReads: 4 }).extract(lines, new Uint8Array([1]));
    expect(fields.addr).toBe('Calle Colón 58, 46004 Valencia, Spain');
    expect(languages).toEqual(['es', 'es']);
  });
});
