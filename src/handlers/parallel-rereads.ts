// Re-reads of a card's doubtful regions, started together while the OCR has idle capacity.
//
// The card extractor asks for its crops one after another: whether it asks for the next depends on what the last one
// read. With one card in flight that leaves all but one OCR worker idle. Here the extractor first runs against a
// cropper that only notes what it is asked for and reads nothing (the most it could ask for, in its order), those
// crops are cropped and read at once as far as idle capacity allows, and the extractor then runs for real over the
// reads already under way. Its answers are the ones it would have got asking one by one (a crop and its reading
// depend on the region alone), so what is read does not change; only when it is read does.

import { cardExtractorFor } from '../domain/card-extraction/refine.js';
import type { CardFields } from '../domain/card-fields.js';
import type { CropOptions, ImageCrop, ImageCropper, PageRegion } from '../ports/image-cropper.js';
import type { Ocr, OcrLine, OcrResult } from '../ports/index.js';

export interface ParallelRereadOptions {
  /**
   * Reads at once (first passes included) below which a planned re-read starts before it is asked for; default 2,
   * the local OCR pool's size on a 2-core machine. Under load the reads are taken as the extractor asks for them.
   */
  idleReads?: number;
}

export interface ParallelRereads {
  /** The Ocr to read first passes through too, so the idle capacity is known. */
  ocr: Ocr;
  /** Card fields of `lines` read from `image`, doubtful regions re-read as the extractor decides. */
  extract(lines: readonly OcrLine[], image: Uint8Array): Promise<CardFields>;
  /** `image` is being read (its first pass under way): with idle capacity, get it ready for crops meanwhile. */
  prepare(image: Uint8Array): void;
}

interface Read {
  crop: Promise<ImageCrop | undefined>;
  read: Promise<OcrResult | undefined>;
}

const NO_TEXT: Ocr = { detectText: async () => ({ lines: [], pages: 1 }) };

export function parallelRereads(
  baseOcr: Ocr,
  cropper: ImageCropper,
  options: ParallelRereadOptions = {},
): ParallelRereads {
  const idleReads = Math.max(0, options.idleReads ?? 2);
  let inFlight = 0;
  const ocr: Ocr = {
    async detectText(document, ocrOptions) {
      inFlight++;
      try {
        return await baseOcr.detectText(document, ocrOptions);
      } finally {
        inFlight--;
      }
    },
  };

  async function extract(lines: readonly OcrLine[], image: Uint8Array): Promise<CardFields> {
    const planned: { region: PageRegion; options: CropOptions }[] = [];
    const planning: ImageCropper = {
      async crop(_image, region, cropOptions) {
        planned.push({ region, options: cropOptions });
        return undefined;
      },
    };
    const firstPass = await cardExtractorFor(NO_TEXT, planning, image)(lines);
    // Nothing doubtful: the extractor asked for nothing, and its fields are final.
    if (planned.length === 0) return firstPass;

    const reads = new Map<string, Read>();
    const byPng = new Map<Buffer, Promise<OcrResult | undefined>>();
    const start = (key: string, region: PageRegion, cropOptions: CropOptions): Read => {
      const crop = cropper.crop(image, region, cropOptions);
      const read = crop.then((c) => {
        if (!c) return undefined;
        const { language } = cropOptions;
        const result = ocr.detectText({ bytes: c.png }, language ? { language } : undefined);
        byPng.set(c.png, result);
        return result;
      });
      const started = { crop, read };
      reads.set(key, started);
      // A read started ahead that is never asked for, or that failed, must not become an unhandled rejection.
      read.catch(() => undefined);
      return started;
    };
    // inFlight counts reads once their crop is ready: the ones started here count from the start
    let startedAhead = 0;
    for (const { region, options: cropOptions } of planned) {
      const key = regionKey(region, cropOptions);
      if (inFlight + startedAhead >= idleReads) break;
      if (reads.has(key)) continue;
      start(key, region, cropOptions);
      startedAhead++;
    }

    const ahead: ImageCropper = {
      async crop(_image, region, cropOptions) {
        const key = regionKey(region, cropOptions);
        const started = reads.get(key) ?? start(key, region, cropOptions);
        try {
          return await started.crop;
        } catch {
          return await start(key, region, cropOptions).crop;
        }
      },
    };
    const readAhead: Ocr = {
      async detectText(document, ocrOptions) {
        const started = 'bytes' in document ? byPng.get(document.bytes as Buffer) : undefined;
        // A read started ahead that failed is asked again, as it would have been asked only now.
        const result = started ? await started.catch(() => undefined) : undefined;
        return result ?? ocr.detectText(document, ocrOptions);
      },
    };
    return cardExtractorFor(readAhead, ahead, image)(lines);
  }

  // Half the cards need no crop, so the photo is decoded ahead only on capacity that would idle otherwise.
  const prepare = (image: Uint8Array) => {
    if (inFlight < idleReads) cropper.prepare?.(image);
  };

  return { ocr, extract, prepare };
}

function regionKey(region: PageRegion, options: CropOptions): string {
  return `${region.left},${region.top},${region.width},${region.height},${options.textPx},${options.marginPx},${options.angle ?? 0},${options.language ?? ''}`;
}
