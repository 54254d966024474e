import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { CardFields } from '../../domain/card-fields.js';
import { TesseractPool } from '../../emulators/textract/tesseract-pool.js';
import { readCardLocally } from './extract-ocr.js';

export interface ExtractOptions {
  /** One JSON object per line per image instead of the readable listing. */
  json?: boolean;
  /** A pool to reuse (tests, benchmarks); one is started and closed otherwise. */
  pool?: TesseractPool;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

export type ExtractedCard = { file: string } & CardFields;

/**
 * `octember extract IMAGE... [--json]`: OCR + field extraction for local files, printing exactly
 * the fields the pipeline stores. Exit code 0 when every image was read, 1 when any failed
 * (the others are still printed).
 */
export async function runExtract(images: string[], opts: ExtractOptions = {}): Promise<number> {
  const out = opts.out ?? process.stdout;
  const err = opts.err ?? process.stderr;
  if (images.length === 0) {
    err.write('octember extract: no image given\n');
    return 2;
  }
  const pool = opts.pool ?? TesseractPool.create({ size: Math.min(images.length, availableParallelism()) });
  let failed = 0;
  try {
    // Read in parallel (the pool queues), print in the order given.
    const results = images.map((file) =>
      readFile(file)
        .then((bytes) => readCardLocally(pool, bytes))
        .then(
          (fields) => ({ file, fields, error: null }),
          (error: unknown) => ({ file, fields: null, error }),
        ),
    );
    for (const pending of results) {
      const { file, fields, error } = await pending;
      if (fields) {
        const card: ExtractedCard = { file, ...fields };
        out.write(opts.json ? `${JSON.stringify(card)}\n` : formatCard(card));
      } else {
        failed++;
        err.write(`octember extract: ${file}: ${describe(error)}\n`);
      }
    }
  } finally {
    if (!opts.pool) await pool.close();
  }
  return failed ? 1 : 0;
}

function describe(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && (e as NodeJS.ErrnoException).code === 'ENOENT')
    return 'no such file';
  if (e instanceof Error) return `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
  return String(e);
}

export function formatCard(card: ExtractedCard): string {
  const show = (v: string | null) => v ?? '-';
  const phones = card.phones.length ? card.phones.map((p) => `${p.number} (${p.kind})`).join(', ') : '-';
  return [
    card.file,
    `  name          ${show(card.name)}`,
    `  job_title     ${show(card.job_title)}`,
    `  company       ${show(card.company)}`,
    `  email         ${show(card.email)}`,
    `  phone_number  ${show(card.phone_number)}`,
    `  phones        ${phones}`,
    `  addr          ${show(card.addr)}`,
    `  url           ${show(card.url)}`,
    '',
  ].join('\n');
}
