import { describe, expect, it } from 'vitest';
import { type BrokenCsvRecord, type CsvRecord, readCsvRecords } from '../../src/domain/csv-records.js';

type Item = CsvRecord | BrokenCsvRecord;

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function read(input: string | Buffer, size = 1 << 16, maxRecordBytes?: number): Promise<Item[]> {
  const out: Item[] = [];
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  for await (const item of readCsvRecords(chunked(bytes, size), { maxRecordBytes })) out.push(item);
  return out;
}

/** `line:fields` for records, `line!` for broken ones: compact enough to compare whole files. */
function summary(items: Item[]): string[] {
  return items.map((i) => (i.kind === 'record' ? `${i.line}:${i.fields.join('|')}` : `${i.line}!`));
}

describe('readCsvRecords', () => {
  it('reports a row with an unclosed quote and goes on from the next line, however the bytes are chunked', async () => {
    const csv =
      '\uFEFFid,title\r\n' + // 1
      'a,"one\r\nline two"\r\n' + // 2-3
      'b,"never closed\r\n' + // 4: broken
      '\r\n' + // 5
      'c,three\r\n' + // 6
      'd,"again open\n' + // 7: broken
      'e,"fine"\n' + // 8
      'f,"open at the end'; // 9: broken
    const expected = ['1:id|title', '2:a|one\r\nline two', '4!', '6:c|three', '7!', '8:e|fine', '9!'];
    for (const size of [1, 2, 3, 5, 7, 64, 1 << 16]) {
      expect(summary(await read(csv, size)), `chunk size ${size}`).toEqual(expected);
    }
    const broken = (await read(csv)).filter((i): i is BrokenCsvRecord => i.kind === 'broken');
    expect(broken[0].reason).toMatch(/quote not closed: this row is skipped and reading goes on from the next line/);
  });

  it('gives up on a record longer than the limit and resumes after its first line', async () => {
    const long = 'x'.repeat(100);
    const csv = `id,t\na,"${long}\n${long}\nb,ok\nc,"${long}${long}\nd,last\n`;
    for (const size of [1, 16, 1 << 16]) {
      const items = await read(csv, size, 128);
      expect(summary(items), `chunk size ${size}`).toEqual(['1:id|t', '2!', `3:${long}`, '4:b|ok', '5!', '6:d|last']);
      expect((items[1] as BrokenCsvRecord).reason).toMatch(/longer than 128 bytes/);
    }
  });

  it('reports invalid UTF-8 per field instead of replacing it, and decodes valid UTF-8', async () => {
    const csv = Buffer.concat([
      Buffer.from('id,category\n1,운동화\n2,bad'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('bytes\n3,"원피스, 여성"\n'),
    ]);
    for (const size of [1, 4, 1 << 16]) {
      const items = (await read(csv, size)) as CsvRecord[];
      expect(items.map((i) => i.fields)).toEqual([
        ['id', 'category'],
        ['1', '운동화'],
        ['2', 'bad\uFFFD\uFFFDbytes'],
        ['3', '원피스, 여성'],
      ]);
      expect(items.map((i) => i.invalidUtf8Field)).toEqual([undefined, undefined, 1, undefined]);
      expect(items.every((i) => i.strict)).toBe(true);
    }
  });

  it('strips a BOM split over chunks and keeps a file shorter than one', async () => {
    expect(summary(await read('\uFEFFa,b\n1,2', 1))).toEqual(['1:a|b', '2:1|2']);
    expect(summary(await read('x'))).toEqual(['1:x']);
    expect(await read('')).toEqual([]);
  });

  it('marks records that do not follow RFC 4180 quoting', async () => {
    const items = (await read('a,b\n1,"bad"x\n2,ok\n')) as CsvRecord[];
    expect(items.map((i) => i.strict)).toEqual([true, false, true]);
  });
});
