import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { DetectDocumentTextCommand, TextractClient } from '@aws-sdk/client-textract';
import { createTextractService, TesseractPool, toTextractBlocks } from '../src/emulators/textract/index.js';
import type { BenchResult } from '../src/lib/bench-result.js';
import { loadRealCards, machineLoadNote, realCardsDir } from './real-cards.js';

const ROUNDS = 3;

/** OCR of the 12 real card photos with the tesseract pool: start-up, latency per card, throughput. */
export async function run(): Promise<BenchResult[]> {
  const cards = loadRealCards();
  if (!cards) return [{ name: 'ocr', value: 0, unit: 'skipped', note: `${realCardsDir} missing` }];
  const size = availableParallelism();
  const pool = TesseractPool.create({ size });
  const load = machineLoadNote(size);
  try {
    const { ms: startMs } = await pool.warmUp();

    // One card at a time: the latency a single upload sees (PAGE/LINE/WORD block building included).
    const latencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const card of cards) {
        const began = performance.now();
        toTextractBlocks(await pool.recognize(card));
        latencies.push(performance.now() - began);
      }
    }

    // All cards at once: what the pool sustains.
    const began = performance.now();
    for (let round = 0; round < ROUNDS; round++)
      await Promise.all(cards.map(async (card) => toTextractBlocks(await pool.recognize(card))));
    const cardsPerSecond = (ROUNDS * cards.length) / ((performance.now() - began) / 1000);

    const wire = await detectOverHttp(pool, cards);
    const language = await languageReads(pool);
    const note = `${cards.length} real photos × ${ROUNDS} rounds, pool of ${size} workers, ${load}`;
    return [
      {
        name: 'ocr worker start-up (pool warm-up)',
        value: round1(startMs),
        unit: 'ms',
        note: `${size} workers, eng LSTM model from @tesseract.js-data/eng, first recognition included, ${load}`,
      },
      { name: 'ocr per card p50', value: round1(percentile(latencies, 50)), unit: 'ms', note },
      { name: 'ocr per card p95', value: round1(percentile(latencies, 95)), unit: 'ms', note },
      { name: 'ocr throughput (12 cards concurrently)', value: round1(cardsPerSecond), unit: 'cards/s', note },
      {
        name: 'DetectDocumentText via SDK + HTTP p50',
        value: round1(percentile(wire, 50)),
        unit: 'ms',
        note: `${cards.length} cards, one at a time`,
      },
      {
        name: 'language model start-up (first read in German)',
        value: round1(language.startMs),
        unit: 'ms',
        note: 'one worker of @tesseract.js-data/deu, started on first use',
      },
      {
        name: 'address line read in German / in English p50',
        value: round1(language.german / language.english),
        unit: 'x',
        note: `${round1(language.german)} ms / ${round1(language.english)} ms, a 1200×160 strip, ${LANGUAGE_ROUNDS} reads each`,
      },
    ];
  } finally {
    await pool.close();
  }
}

const LANGUAGE_ROUNDS = 10;

/** A strip of an address line (as the extractor crops one) read in English and in German, one after another. */
async function languageReads(pool: TesseractPool): Promise<{ startMs: number; german: number; english: number }> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const canvas = createCanvas(1200, 160);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, 1200, 160);
  ctx.fillStyle = '#000';
  ctx.font = '56px "DejaVu Sans", sans-serif';
  ctx.fillText('Friedrichstraße 100, 80331 München', 40, 105);
  const strip = canvas.toBuffer('image/png');
  const read = { segmentation: 'single-block' as const };
  const first = performance.now();
  await pool.recognize(strip, { ...read, language: 'de' });
  const startMs = performance.now() - first;
  const times = { german: [] as number[], english: [] as number[] };
  for (let i = 0; i < LANGUAGE_ROUNDS; i++) {
    for (const [key, language] of [
      ['german', 'de'],
      ['english', undefined],
    ] as const) {
      const began = performance.now();
      await pool.recognize(strip, { ...read, language });
      times[key].push(performance.now() - began);
    }
  }
  const german = percentile(times.german, 50);
  const english = percentile(times.english, 50);
  return { startMs: startMs - german, german, english };
}

async function detectOverHttp(pool: TesseractPool, cards: Buffer[]): Promise<number[]> {
  const service = createTextractService({ pool, readS3Object: async () => undefined });
  const server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const client = new TextractClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  try {
    const latencies: number[] = [];
    for (const card of cards) {
      const began = performance.now();
      await client.send(new DetectDocumentTextCommand({ Document: { Bytes: card } }));
      latencies.push(performance.now() - began);
    }
    return latencies;
  } finally {
    client.destroy();
    await new Promise<void>((done) => server.close(() => done()));
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
