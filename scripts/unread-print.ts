/**
 * What the second read of unread print (src/emulators/textract/unread-print.ts) finds and adds, card by card, and
 * what it costs: the first pass alone, then the finder and the re-read timed on their own.
 *
 *   npx tsx scripts/unread-print.ts DIR [--lines]     (a folder of card photos: .jpg/.png)
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderGrey } from '../src/emulators/textract/image-scale.js';
import { TesseractPool } from '../src/emulators/textract/tesseract-pool.js';
import { readUnreadPrint } from '../src/emulators/textract/unread-print.js';
import { readImageInfo } from '../src/lib/image-info.js';

async function main(): Promise<void> {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: scripts/unread-print.ts DIR [--lines]');
  const showLines = process.argv.includes('--lines');
  const files = (await readdir(dir)).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort();
  const pool = TesseractPool.create();
  await pool.warmUp();
  const extra: number[] = [];
  const extraWhenRead: number[] = [];
  let triggered = 0;
  let added = 0;
  try {
    for (const file of files) {
      const bytes = await readFile(join(dir, file));
      const first = await pool.recognize(bytes, { unreadPrint: false });
      const info = readImageInfo(bytes);
      // the grey render is the first pass's own (shared in recognize), so it is not counted here
      const grey = info && (await renderGrey(bytes, { left: 0, top: 0, width: info.width, height: info.height }, 1));
      if (!grey) continue;
      const began = performance.now();
      // the pool's own reader of a page (private): the same call recognize's hook makes
      const run = (pool as unknown as { run: (...a: unknown[]) => Promise<never> }).run.bind(pool);
      const result = await readUnreadPrint(grey, first.lines, (pgm, size, layout) =>
        run(pgm, layout === 'single-block' ? '6' : '11', undefined, size),
      );
      const ms = performance.now() - began;
      extra.push(ms);
      if (result.regions.length > 0) {
        triggered++;
        extraWhenRead.push(ms);
      }
      added += result.added.length;
      const regions = result.regions.map((r) => `${r.marks}@${r.markHeight}px`).join(' ');
      console.log(`${file} ${ms.toFixed(0)} ms, ${result.regions.length} regions ${regions}`);
      if (showLines) for (const line of result.added) console.log(`    + ${line.text} (${line.confidence.toFixed(0)})`);
    }
  } finally {
    await pool.close();
  }
  const mean = (ms: number[]) => (ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length)).toFixed(0);
  console.log(
    `${files.length} cards, ${triggered} read again, ${added} lines added; extra time per card: mean ${mean(extra)} ms ` +
      `(${mean(extraWhenRead)} ms on a card read again, ${mean(extra.filter((_, i) => !extraWhenRead.includes(extra[i])))} ms on the others)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
