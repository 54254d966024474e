import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type Tesseract from 'tesseract.js';
import { readImageInfo } from '../../lib/image-info.js';
import { logger } from '../../lib/logger.js';
import { createSlots } from '../../lib/slots.js';
import type { OcrLanguage } from '../../ports/ocr.js';
import { flatten as flattenPage, pgm, renderGrey, renderRegion } from './image-scale.js';
import { MIN_LINE_ANGLE, type OcrLine, type OcrPage, type OcrWord, type PixelBox, unionBox } from './ocr-page.js';
import { readInParts } from './page-split.js';
import { readUnreadPrint } from './unread-print.js';
import { renderWarmUpPage, WARMUP_PNG } from './warmup-image.js';

export type { OcrLine, OcrPage, OcrWord, PixelBox } from './ocr-page.js';
export { pageText } from './ocr-page.js';

const require = createRequire(import.meta.url);
/**
 * The traineddata shipped in node_modules: tesseract.js reads it from disk, never from its CDN. The LSTM-only
 * "best_int" file, not the package's default: the default also holds the legacy engine's model, which LSTM-only
 * reading never uses but every worker keeps in memory (~100 MB each); the LSTM network is the same (the same text
 * from the 12 real photos).
 */
type LanguageData = { code: string; langPath: string; gzip: boolean };
const engData = require('@tesseract.js-data/eng') as LanguageData;
const LSTM_LANG_PATH = join(dirname(engData.langPath), '4.0.0_best_int');

/** Tesseract's model of each language Textract reads besides English (the same LSTM-only files). */
const LANGUAGE_PACKAGES: Record<OcrLanguage, string> = {
  de: '@tesseract.js-data/deu',
  fr: '@tesseract.js-data/fra',
  es: '@tesseract.js-data/spa',
  it: '@tesseract.js-data/ita',
  pt: '@tesseract.js-data/por',
};

export interface Rectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Tesseract page segmentation modes worth choosing between for cards. */
export type PageSegMode = 'auto' | 'sparse' | 'single-block';

export interface RecognizeOptions {
  /** Only read this part of the image (pixels); result coordinates stay in full-image pixels. */
  rectangle?: Rectangle;
  /** Default 'sparse' (tesseract PSM 11): cards are islands of text; it also splits columns into lines as Textract does. */
  segmentation?: PageSegMode;
  /** Resample the image (or the rectangle) by this factor before reading; coordinates are mapped back. */
  scale?: number;
  /** Default true: when the text comes out small (median word under 15 px tall), read again upscaled. */
  autoScale?: boolean;
  /** Default true: print of a page that the first pass left unread is read again (unread-print.ts). */
  unreadPrint?: boolean;
  /** Read with this language's model instead of English's (its accented letters); one worker of it is started on first use. */
  language?: OcrLanguage;
}

export class ImageDecodeError extends Error {}

const PSM: Record<PageSegMode, string> = { auto: '3', 'single-block': '6', sparse: '11' };

/** Below this (shorter side, pixels) an image is a crop of a few words, read as it is. */
const FLATTEN_MIN_PX = 400;

/**
 * A fixed set of tesseract.js workers (one worker thread each) started once and reused.
 * Start-up happens on the first recognize() or on an explicit warmUp(), whichever comes first.
 */
export class TesseractPool {
  private scheduler: Tesseract.Scheduler | undefined;
  private starting: Promise<{ ms: number }> | undefined;
  private cacheDir: string | undefined;
  private closed = false;

  private constructor(
    readonly size: number,
    private readonly langPath: string,
    private readonly splitPages: boolean,
  ) {
    this.pages = createSlots(size * 2);
  }

  /**
   * `langPath`: a folder holding eng.traineddata.gz (default: the LSTM-only one in @tesseract.js-data/eng).
   * `splitPages` (default true): a page with a blank band of rows across it is read as
   * its top and bottom parts on two workers at once (see page-split.ts).
   */
  static create(opts: { size?: number; langPath?: string; splitPages?: boolean } = {}): TesseractPool {
    const size = Math.max(1, Math.floor(opts.size ?? availableParallelism()));
    return new TesseractPool(size, opts.langPath ?? LSTM_LANG_PATH, opts.splitPages ?? true);
  }

  /** Starts every worker (idempotent); resolves with the time the model load took. */
  warmUp(): Promise<{ ms: number }> {
    if (this.closed) return Promise.reject(new Error('TesseractPool is closed'));
    this.starting ??= this.start();
    return this.starting;
  }

  /**
   * Pages read at once: two a worker keep every worker fed (a page is prepared while another is read). More only
   * held decoded pages in memory: a burst of 36 cards had every one decoded and evened out before any was read.
   */
  private readonly pages: ReturnType<typeof createSlots>;

  recognize(image: Uint8Array, opts: RecognizeOptions = {}): Promise<OcrPage> {
    return this.pages.run(() => this.readPage(image, opts));
  }

  private async readPage(image: Uint8Array, opts: RecognizeOptions): Promise<OcrPage> {
    const info = readImageInfo(image);
    if (!info) throw new ImageDecodeError('not a readable JPEG or PNG image');
    await this.warmUp();
    const region = clampRectangle(opts.rectangle ?? { left: 0, top: 0, width: info.width, height: info.height }, info);
    const psm = PSM[opts.segmentation ?? 'sparse'];
    // Resampling goes through an image library that ignores EXIF turns, so only upright images are scaled.
    const canScale = info.orientation === 1;
    const language = opts.language;
    if (opts.scale !== undefined && opts.scale !== 1 && canScale) {
      const scaled = await this.recognizeScaled(image, region, opts.scale, psm, language);
      if (scaled) return { width: info.width, height: info.height, lines: scaled };
    }
    // Read in grey (see renderRegion), a photographed page also evened out; as given when it cannot be converted.
    const flatten = psm !== PSM['single-block'] && Math.min(info.width, info.height) >= FLATTEN_MIN_PX;
    const rendered = canScale ? await renderGrey(image, fullImage(info), 1).catch(() => undefined) : undefined;
    const page =
      rendered &&
      (flatten ? { ...rendered, grey: flattenPage(rendered.grey, rendered.width, rendered.height) } : rendered);
    const inParts = this.splitPages && flatten && !opts.rectangle && page;
    // the whole page is written out only when it is read whole
    let lines =
      (inParts
        ? await readInParts(inParts, (part, size) => this.run(part, psm, undefined, size, language))
        : undefined) ??
      (await this.run(
        page ? pgm(page.grey, page.width, page.height) : image,
        psm,
        opts.rectangle ? region : undefined,
        info,
        language,
      ));
    if (opts.scale === undefined && (opts.autoScale ?? true) && canScale) {
      const factor = upscaleFactor(lines, region);
      if (factor > 1) lines = (await this.recognizeScaled(image, region, factor, psm, language)) ?? lines;
    }
    if (rendered && flatten && !opts.rectangle && psm === PSM.sparse && (opts.unreadPrint ?? true))
      lines = (
        await readUnreadPrint(rendered, lines, (cut, size, layout) =>
          this.run(cut, layout ? PSM[layout] : psm, undefined, size, language),
        )
      ).lines;
    return { width: info.width, height: info.height, lines };
  }

  private async recognizeScaled(
    image: Uint8Array,
    region: Rectangle,
    scale: number,
    psm: string,
    language: OcrLanguage | undefined,
  ): Promise<OcrLine[] | undefined> {
    // An image the resampler cannot decode is still read as given.
    const flatten = psm !== PSM['single-block'] && Math.min(region.width, region.height) * scale >= FLATTEN_MIN_PX;
    const scaled = await renderRegion(image, region, scale, { flatten }).catch(() => undefined);
    if (!scaled) return undefined;
    const lines = await this.run(
      scaled,
      psm,
      undefined,
      { width: Math.round(region.width * scale), height: Math.round(region.height * scale) },
      language,
    );
    const map = (b: PixelBox): PixelBox => ({
      x0: region.left + b.x0 / scale,
      y0: region.top + b.y0 / scale,
      x1: region.left + b.x1 / scale,
      y1: region.top + b.y1 / scale,
    });
    return lines.map((line) => ({
      ...line,
      bbox: map(line.bbox),
      words: line.words.map((w) => ({ ...w, bbox: map(w.bbox) })),
    }));
  }

  private async run(
    image: Uint8Array,
    psm: string,
    rectangle: Rectangle | undefined,
    size: { width: number; height: number },
    language?: OcrLanguage,
  ): Promise<OcrLine[]> {
    const english = this.scheduler as Tesseract.Scheduler;
    // A language whose model cannot load is read as English: its letters are lost, not the read.
    const scheduler = language ? await this.languageScheduler(language).catch(() => english) : english;
    const options: Record<string, unknown> = { tessedit_pageseg_mode: psm };
    if (rectangle) options.rectangle = rectangle;
    // A photo of a card is seldom level: tesseract levels the whole image first (its page gradient), as Textract
    // reads turned text; a rectangle is given in the image's own frame, so it is read as it is. One block of text (a
    // strip: a field cropped level to re-read it) has no page to level; finding its gradient cost 15 % of the read.
    else if (psm !== PSM['single-block']) options.rotateAuto = true;
    try {
      // Posted to a worker thread: pass a copy so a caller's ArrayBuffer is never detached.
      const result = await scheduler.addJob('recognize', Buffer.from(image), options, { text: false, blocks: true });
      const lines = collectLines(result.data);
      const turned = result.data.rotateRadians ?? 0;
      return turned ? lines.map((line) => unturn(line, turned, size.width, size.height)) : lines;
    } catch (err) {
      const message = String(err);
      // Tesseract's worker rejects with plain strings; only this one means "bad image".
      if (message.includes('attempting to read image')) throw new ImageDecodeError(message);
      throw new Error(`tesseract: ${message}`);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const starting = this.starting;
    this.starting = undefined;
    if (starting) await starting.catch(() => undefined);
    await this.scheduler?.terminate();
    this.scheduler = undefined;
    const languages = [...this.languages.values()];
    this.languages.clear();
    await Promise.all(languages.map((started) => started.then((s) => s.terminate()).catch(() => undefined)));
    if (this.cacheDir) rmSync(this.cacheDir, { recursive: true, force: true });
  }

  private async start(): Promise<{ ms: number }> {
    const began = performance.now();
    // cacheMethod 'none' keeps tesseract.js from writing eng.traineddata into the working
    // directory; the cache path points at an empty private dir in case a version ignores it.
    this.cacheDir = mkdtempSync(join(tmpdir(), 'octember-tess-'));
    // loaded here, not with the module: a start that never OCRs (or OCRs later) does not pay for it
    const warmUpPage = renderWarmUpPage().catch(() => undefined);
    const workers = await this.startWorkers({ ...engData, langPath: this.langPath }, this.size);
    const page = await warmUpPage;
    await Promise.all(
      workers.map((worker) =>
        worker.recognize(page ? Buffer.from(page.pgm) : WARMUP_PNG, {
          tessedit_pageseg_mode: PSM.sparse,
          rotateAuto: true,
        } as Partial<Tesseract.RecognizeOptions>),
      ),
    );
    this.scheduler = await this.scheduled(workers);
    return { ms: performance.now() - began };
  }

  private readonly languages = new Map<OcrLanguage, Promise<Tesseract.Scheduler>>();

  /** One worker reading `language`, started on first use: a crop or two of some cards are read in it, no page. */
  private languageScheduler(language: OcrLanguage): Promise<Tesseract.Scheduler> {
    let started = this.languages.get(language);
    if (!started) {
      started = (async () => {
        const data = require(LANGUAGE_PACKAGES[language]) as LanguageData;
        const lstm = join(dirname(data.langPath), '4.0.0_best_int');
        return this.scheduled(await this.startWorkers({ ...data, langPath: lstm }, 1));
      })();
      this.languages.set(language, started);
      started.catch((err: unknown) =>
        logger.warn({ err, language }, 'tesseract: no model of this language loads; its text is read as English'),
      );
    }
    return started;
  }

  private async startWorkers(data: LanguageData, count: number): Promise<Tesseract.Worker[]> {
    const { default: tesseract } = await import('tesseract.js');
    const workers = await Promise.all(
      Array.from({ length: count }, () =>
        tesseract.createWorker(data.code, tesseract.OEM.LSTM_ONLY, {
          langPath: data.langPath,
          gzip: data.gzip,
          cacheMethod: 'none',
          cachePath: this.cacheDir,
          // the job's own promise is rejected (an undecodable image becomes UnsupportedDocumentException); without
          // a handler tesseract.js also throws from its message listener, an uncaught exception that ends the process
          errorHandler: (error: unknown) => logger.debug({ err: error }, 'tesseract worker: job failed'),
        }),
      ),
    );
    // A fixed 300 dpi read the 12 real card photos better than tesseract's own estimate (~235 dpi
    // from the glyph size) and silences its "Estimating resolution" console noise.
    await Promise.all(
      workers.map((worker) => worker.setParameters({ preserve_interword_spaces: '1', user_defined_dpi: '300' })),
    );
    return workers;
  }

  private async scheduled(workers: Tesseract.Worker[]): Promise<Tesseract.Scheduler> {
    const { default: tesseract } = await import('tesseract.js');
    const scheduler = tesseract.createScheduler();
    for (const worker of workers) scheduler.addWorker(worker);
    if (this.closed) {
      await scheduler.terminate();
      throw new Error('TesseractPool closed while starting');
    }
    return scheduler;
  }
}

// On the real card photos tesseract read best when words were ~18-26 px tall; below ~15 px it lost
// most of them. The 12 photos shrunk to 50 %: 64 of 84 field strings found as is, 79 after
// upscaling; shrunk to 35 %: 35 → 63.
const SMALL_TEXT_PX = 15;
const TARGET_TEXT_PX = 20;
const MAX_UPSCALE = 4;

function upscaleFactor(lines: OcrLine[], region: Rectangle): number {
  // Word heights weighted by character count, so a few big junk "words" (logos) do not dominate.
  const heights = lines
    .flatMap((l) => l.words)
    .flatMap((w) => Array<number>(w.text.length).fill(w.bbox.y1 - w.bbox.y0))
    .sort((a, b) => a - b);
  if (heights.length === 0) {
    // Nothing found: a small image may hold text too small to see at all.
    const longSide = Math.max(region.width, region.height);
    return longSide < 1000 ? Math.min(MAX_UPSCALE, 1200 / longSide) : 1;
  }
  const median = heights[Math.floor(heights.length / 2)];
  return median < SMALL_TEXT_PX ? Math.min(MAX_UPSCALE, TARGET_TEXT_PX / Math.max(1, median)) : 1;
}

function fullImage({ width, height }: { width: number; height: number }): Rectangle {
  return { left: 0, top: 0, width, height };
}

function clampRectangle(r: Rectangle, { width, height }: { width: number; height: number }): Rectangle {
  const left = Math.max(0, Math.min(width - 1, Math.round(r.left)));
  const top = Math.max(0, Math.min(height - 1, Math.round(r.top)));
  return {
    left,
    top,
    width: Math.max(1, Math.min(width - left, Math.round(r.width))),
    height: Math.max(1, Math.min(height - top, Math.round(r.height))),
  };
}

function collectLines(page: Tesseract.Page): OcrLine[] {
  const lines: OcrLine[] = [];
  for (const block of page.blocks ?? []) {
    for (const paragraph of block.paragraphs) {
      for (const line of paragraph.lines) {
        const words: OcrWord[] = [];
        for (const word of line.words) {
          const text = word.text.trim();
          if (!text) continue;
          const whole = { text, confidence: clampConfidence(word.confidence), bbox: box(word.bbox) };
          words.push(...splitDigitRuns(whole, word.symbols ?? []));
        }
        if (words.length === 0) continue;
        const angle = baselineAngle(line.baseline);
        lines.push({
          text: words.map((w) => w.text).join(' '),
          confidence: words.reduce((sum, w) => sum + w.confidence, 0) / words.length,
          bbox: unionBox(words.map((w) => w.bbox)),
          words,
          ...(angle === 0 ? {} : { angle }),
        });
      }
    }
  }
  return lines;
}

// Baselines are whole pixels: over a short line one pixel of rounding would fake a slant.
const MIN_BASELINE_PX = 200;

function baselineAngle(baseline: Tesseract.Baseline | undefined): number {
  if (!baseline) return 0;
  const dx = baseline.x1 - baseline.x0;
  if (dx < MIN_BASELINE_PX) return 0;
  const angle = Math.atan2(baseline.y1 - baseline.y0, dx);
  return Math.abs(angle) < MIN_LINE_ANGLE ? 0 : angle;
}

/** A word of digit groups, maybe after a label run into it ("T0177097287"): a phone number read as one word. */
const DIGIT_WORD = /^([A-Za-z]{1,6}[:.]?)?([+(]?[\d()+\-./]{4,})$/;
const DIGITISH = /[\d+()]/;

/**
 * Splits a run of digit groups that tesseract read as one word ("+3491", "0177097287") where the gap between two
 * of its characters is as wide as a space: over a third of the text height and over twice the usual gap between
 * its characters. Textract gives such groups as separate words. A label run into the number is split off; no
 * group of one digit is made, except right after a country code ("+33 1"). Letters are never split.
 */
function splitDigitRuns(word: OcrWord, symbols: Tesseract.Symbol[]): OcrWord[] {
  const chars = symbols.filter((sym) => sym.text.trim());
  const m = word.text.match(DIGIT_WORD);
  if (!m || chars.length !== word.text.length) return [word];
  const label = m[1]?.length ?? 0;
  const height = word.bbox.y1 - word.bbox.y0;
  const gaps = chars.slice(1).map((sym, i) => sym.bbox.x0 - chars[i].bbox.x1);
  const usual = Math.max(
    1,
    percentile(
      gaps.slice(label).filter((g) => g > 0),
      0.3,
    ),
  );
  const cuts: number[] = [];
  for (let at = 1; at < chars.length; at++) {
    const gap = gaps[at - 1];
    if (at === label) cuts.push(at);
    else if (
      at > label &&
      gap >= height / 3 &&
      gap >= 2.2 * usual &&
      DIGITISH.test(chars[at - 1].text) &&
      /\d/.test(chars[at].text)
    )
      cuts.push(at);
  }
  const kept: number[] = [];
  for (const [i, at] of cuts.entries()) {
    const start = kept[kept.length - 1] ?? 0;
    const previous = word.text.slice(kept[kept.length - 2] ?? 0, start);
    const before = word.text.slice(start, at);
    const after = word.text.slice(at, cuts[i + 1] ?? chars.length);
    const isLabel = at === label;
    const ok = (piece: string, afterCode: boolean) => piece.length > 1 || afterCode;
    if (isLabel || (ok(before, start > label && previous.startsWith('+')) && ok(after, before.startsWith('+'))))
      kept.push(at);
  }
  if (kept.length === 0) return [word];
  const pieces: OcrWord[] = [];
  for (const [i, start] of [0, ...kept].entries()) {
    const end = kept[i] ?? chars.length;
    const part = chars.slice(start, end);
    pieces.push({
      text: word.text.slice(start, end),
      confidence: word.confidence,
      bbox: {
        x0: Math.max(word.bbox.x0, Math.min(...part.map((c) => c.bbox.x0))),
        y0: word.bbox.y0,
        x1: Math.min(word.bbox.x1, Math.max(...part.map((c) => c.bbox.x1))),
        y1: word.bbox.y1,
      },
    });
  }
  return pieces;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(p * (sorted.length - 1))];
}

/**
 * A line read from the image turned clockwise by `radians` about its centre (tesseract's auto-rotation, same
 * size), back in the image's own frame: each box's corners turned back, the hull as its box, the slant added.
 */
function unturn(line: OcrLine, radians: number, width: number, height: number): OcrLine {
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = width / 2;
  const cy = height / 2;
  const back = (b: PixelBox): PixelBox => {
    const corners = [
      [b.x0, b.y0],
      [b.x1, b.y0],
      [b.x1, b.y1],
      [b.x0, b.y1],
    ].map(([x, y]) => [cx + cos * (x - cx) + sin * (y - cy), cy - sin * (x - cx) + cos * (y - cy)]);
    const xs = corners.map(([x]) => x);
    const ys = corners.map(([, y]) => y);
    return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
  };
  const { angle: own = 0, ...rest } = line;
  const angle = own - radians;
  return {
    ...rest,
    bbox: back(line.bbox),
    words: line.words.map((w) => ({ ...w, bbox: back(w.bbox) })),
    ...(Math.abs(angle) < MIN_LINE_ANGLE ? {} : { angle }),
  };
}

function clampConfidence(value: number): number {
  return Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0;
}

function box(b: Tesseract.Bbox): PixelBox {
  return { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 };
}
