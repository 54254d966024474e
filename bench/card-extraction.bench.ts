import { availableParallelism } from 'node:os';
import { linesOfPage } from '../src/adapters/tesseract/ocr.js';
import { readCardLocally } from '../src/cli/commands/extract-ocr.js';
import { analyseCard } from '../src/domain/card-extraction/index.js';
import { TesseractPool } from '../src/emulators/textract/index.js';
import type { BenchResult } from '../src/lib/bench-result.js';
import { loadRealCards, machineLoadNote, realCardsDir } from './real-cards.js';

/** OCR + field extraction per real card (re-OCR of doubtful regions included), and extraction alone. */
export async function run(): Promise<BenchResult[]> {
  const cards = loadRealCards();
  if (!cards) return [{ name: 'card extraction', value: 0, unit: 'skipped', note: `${realCardsDir} missing` }];
  const size = availableParallelism();
  const pool = TesseractPool.create({ size });
  const load = machineLoadNote(size);
  try {
    await pool.warmUp();
    const full: number[] = [];
    for (const card of cards) {
      const began = performance.now();
      await readCardLocally(pool, card);
      full.push(performance.now() - began);
    }
    const began = performance.now();
    await Promise.all(cards.map((card) => readCardLocally(pool, card)));
    const cardsPerSecond = cards.length / ((performance.now() - began) / 1000);

    const pages = await Promise.all(cards.map(async (card) => linesOfPage(await pool.recognize(card))));
    const ROUNDS = 200;
    const t0 = performance.now();
    for (let r = 0; r < ROUNDS; r++) for (const lines of pages) analyseCard(lines);
    const extractOnly = (performance.now() - t0) / (ROUNDS * pages.length);

    const note = `${cards.length} real photos, pool of ${size} workers, ${load}`;
    return [
      { name: 'card OCR + extraction p50 (full local path)', value: round1(percentile(full, 50)), unit: 'ms', note },
      { name: 'card OCR + extraction p95 (full local path)', value: round1(percentile(full, 95)), unit: 'ms', note },
      { name: 'card OCR + extraction throughput', value: round1(cardsPerSecond), unit: 'cards/s', note },
      {
        name: 'field extraction only (lines → fields)',
        value: Math.round(extractOnly * 1000) / 1000,
        unit: 'ms/card',
        note: `${ROUNDS} rounds`,
      },
    ];
  } finally {
    await pool.close();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
