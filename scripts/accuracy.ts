/**
 * Field-extraction accuracy through the full local OCR path (tesseract pool → Textract blocks →
 * extractCardFieldsAsync with re-OCR of doubtful regions), per field, exact match.
 *
 *   npx tsx scripts/accuracy.ts [--set real|generated|all] [--dir PATH] [--json] [--verbose]
 *
 * Sets: real = ../shared/fixtures/bizcards/real (12 photos), generated = fixtures/cards (scripts/generate-cards.ts).
 * "Exact match" rules (MATCH_RULES in src/domain/card-extraction/scoring.ts):
 *   - whitespace trimmed and collapsed; null matches only null
 *   - company: case-insensitive; an acronym equals its spelled-out form (AWS = Amazon Web Services)
 *   - email: case-insensitive
 *   - name, job_title, phone_number, addr, url: exact (case and punctuation as printed)
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCardLocally } from '../src/cli/commands/extract-ocr.js';
import {
  type CardTruth,
  expectedValue,
  type FieldTally,
  fieldMatches,
  MATCH_RULES,
  REAL_SET_TARGETS,
  SCORED_FIELDS,
  type ScoredField,
  tally,
} from '../src/domain/card-extraction/scoring.js';
import type { CardFields } from '../src/domain/card-fields.js';
import { TesseractPool } from '../src/emulators/textract/tesseract-pool.js';

const ROOT = resolve(import.meta.dirname, '..');
export const CARD_SETS = {
  real: join(ROOT, '../shared/fixtures/bizcards/real'),
  generated: join(ROOT, 'fixtures/cards'),
} as const;
export type CardSet = keyof typeof CARD_SETS | 'dir';

export interface SetResult {
  set: CardSet;
  cards: number;
  fields: Record<ScoredField, FieldTally>;
  misses: Array<{ file: string; field: ScoredField; expected: string | null; actual: string | null }>;
}

export async function measureSet(pool: TesseractPool, set: CardSet, dirOverride?: string): Promise<SetResult> {
  const dir = dirOverride ?? CARD_SETS[set as keyof typeof CARD_SETS];
  const truth = JSON.parse(await readFile(join(dir, 'truth.json'), 'utf8')) as CardTruth[];
  const results = await Promise.all(
    truth.map(async (t) => ({ truth: t, fields: await readCardLocally(pool, await readFile(join(dir, t.file))) })),
  );
  const misses: SetResult['misses'] = [];
  for (const { truth: t, fields } of results) {
    for (const f of SCORED_FIELDS) {
      const expected = expectedValue(t, f);
      if (!fieldMatches(f, expected, fields[f])) misses.push({ file: t.file, field: f, expected, actual: fields[f] });
    }
  }
  return { set, cards: results.length, fields: tally(results), misses };
}

export function formatTable(r: SetResult): string {
  const rows = [`set: ${r.set} (${r.cards} cards)`, 'field          correct   rate     target'];
  for (const f of SCORED_FIELDS) {
    const { correct, total } = r.fields[f];
    const target =
      r.set === 'real' && REAL_SET_TARGETS[f] !== undefined
        ? `>= ${Math.round((REAL_SET_TARGETS[f] as number) * 100)} %`
        : '';
    const rate = `${((100 * correct) / Math.max(1, total)).toFixed(1)} %`;
    rows.push(`${f.padEnd(14)} ${`${correct}/${total}`.padEnd(9)} ${rate.padEnd(8)} ${target}`);
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const setArg = args.includes('--set') ? args[args.indexOf('--set') + 1] : 'all';
  if (!['real', 'generated', 'all'].includes(setArg))
    throw new Error(`--set must be real, generated or all (got ${setArg})`);
  const sets: CardSet[] = setArg === 'all' ? ['real', 'generated'] : [setArg as CardSet];
  // --dir PATH: any folder with images and a truth.json of the same shape (e.g. a held-out generated set).
  const dir = args.includes('--dir') ? resolve(args[args.indexOf('--dir') + 1]) : undefined;
  const pool = TesseractPool.create();
  try {
    const results: SetResult[] = [];
    if (dir) results.push(await measureSet(pool, 'dir', dir));
    else for (const set of sets) results.push(await measureSet(pool, set));
    if (args.includes('--json')) {
      process.stdout.write(`${JSON.stringify({ rules: MATCH_RULES, results }, null, 2)}\n`);
      return;
    }
    console.log(`exact-match rules: ${MATCH_RULES.join('; ')}\n`);
    for (const r of results) {
      console.log(formatTable(r));
      if (args.includes('--verbose')) {
        for (const m of r.misses)
          console.log(
            `  miss ${m.file} ${m.field}: expected ${JSON.stringify(m.expected)} got ${JSON.stringify(m.actual)}`,
          );
      }
      console.log('');
    }
  } finally {
    await pool.close();
  }
}

export type { CardFields };

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
