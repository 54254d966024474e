import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExtract } from '../../src/cli/commands/extract.js';
import { TesseractPool } from '../../src/emulators/textract/tesseract-pool.js';

const CARD = 'fixtures/cards/card-02-uk-left.jpg';
const truth = (JSON.parse(readFileSync('fixtures/cards/truth.json', 'utf8')) as Array<Record<string, unknown>>).find(
  (t) => CARD.endsWith(t.file as string),
);

function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const w = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(w, { text: () => chunks.join('') });
}

describe('octember extract', () => {
  let pool: TesseractPool;
  beforeAll(() => {
    pool = TesseractPool.create({ size: 1 });
  });
  afterAll(async () => {
    await pool?.close();
  });

  it('prints one JSON object per image with the stored fields', async () => {
    const out = sink();
    const err = sink();
    const code = await runExtract([CARD], { json: true, pool, out, err });
    expect(code).toBe(0);
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const card = JSON.parse(lines[0]);
    expect(Object.keys(card).sort()).toEqual([
      'addr',
      'company',
      'email',
      'file',
      'job_title',
      'name',
      'phone_number',
      'phones',
      'url',
    ]);
    expect(card.file).toBe(CARD);
    expect(card.name).toBe(truth?.name);
    expect(card.email).toBe(truth?.email);
    expect(card.phone_number).toBe(truth?.phone);
    expect(err.text()).toBe('');
  }, 120_000);

  it('prints a readable listing without --json, and exit code 1 plus a message for an unreadable file', async () => {
    const out = sink();
    const err = sink();
    const code = await runExtract([CARD, 'does-not-exist.jpg', 'package.json'], { pool, out, err });
    expect(code).toBe(1);
    expect(out.text()).toContain(`name          ${truth?.name}`);
    expect(err.text()).toContain('does-not-exist.jpg: no such file');
    expect(err.text()).toMatch(/package\.json: UnsupportedDocumentException/);
  }, 120_000);

  it('fails with exit code 2 when no image is given', async () => {
    const err = sink();
    expect(await runExtract([], { pool, out: sink(), err })).toBe(2);
    expect(err.text()).toContain('no image given');
  });
});
