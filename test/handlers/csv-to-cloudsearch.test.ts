import { Readable } from 'node:stream';
import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createMemoryObjectStore } from '../../src/adapters/memory/object-store.js';
import { loadDomainSchema } from '../../src/domain/cloudsearch-schema.js';
import { documentId } from '../../src/domain/csv-items.js';
import { ITEMS_ERRORS_PREFIX } from '../../src/domain/names.js';
import { validateBatch } from '../../src/emulators/cloudsearch/batch.js';
import { createCsvToCloudSearch, errorPageKey, type IndexReport } from '../../src/handlers/csv-to-cloudsearch.js';
import type { CatalogueIndex } from '../../src/ports/catalogue.js';

const BUCKET = 'octember-bizcard';
const schema = loadDomainSchema();

/** A catalogue that checks every batch the way CloudSearch does and keeps the documents in a Map. */
function recordingCatalogue() {
  const docs = new Map<string, Record<string, unknown>>();
  const batchSizes: number[] = [];
  const catalogue: CatalogueIndex = {
    async uploadDocuments(batch) {
      batchSizes.push(Buffer.byteLength(batch));
      const ops = validateBatch(schema, batch);
      for (const op of ops) {
        if (op.type === 'add') docs.set(op.id, op.source);
        else docs.delete(op.id);
      }
      return {
        adds: ops.filter((o) => o.type === 'add').length,
        deletes: ops.filter((o) => o.type === 'delete').length,
        warnings: [],
      };
    },
    async search() {
      throw new Error('not used');
    },
  };
  return { catalogue, docs, batchSizes };
}

function s3Event(eventName: string, key: string): S3Event {
  return {
    Records: [
      {
        eventName,
        s3: {
          bucket: { name: BUCKET },
          object: { key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+') },
        },
      },
    ],
  } as unknown as S3Event;
}

async function setup(options: { maxBatchBytes?: number; errorPageSize?: number } = {}) {
  const objects = createMemoryObjectStore();
  const recorded = recordingCatalogue();
  const handler = createCsvToCloudSearch({ objects, catalogue: recorded.catalogue }, { schema, ...options });
  const put = async (key: string, text: string | Buffer) => {
    await objects.put(BUCKET, key, typeof text === 'string' ? text : new Uint8Array(text));
    return (await handler(s3Event('ObjectCreated:Put', key))).reports[0] as IndexReport;
  };
  const remove = async (key: string) => {
    await objects.delete(BUCKET, key);
    return (await handler(s3Event('ObjectRemoved:Delete', key))).reports[0] as IndexReport;
  };
  return { objects, handler, put, remove, ...recorded };
}

describe('csv-to-cloudsearch', () => {
  it('reads RFC 4180 quoting, CRLF, a BOM and empty lines', async () => {
    const t = await setup();
    const csv =
      '\uFEFFItem ID,Title,Description,Price,Tags\r\n' +
      'A1,"Lamp, brass","Says ""hello""",12.5,home|light\r\n' +
      '\r\n' +
      'A2,"Two\r\nlines",plain,3,\r\n' +
      '\r\n';
    const report = await t.put('items/basic.csv', csv);
    expect(report.rows).toBe(2);
    expect(report.badRows).toBe(0);
    const first = t.docs.get(documentId(BUCKET, 'items/basic.csv', 1));
    expect(first).toMatchObject({
      item_id: 'A1',
      title: 'Lamp, brass',
      description: 'Says "hello"',
      price: 12.5,
      tags: ['home', 'light'],
    });
    const second = t.docs.get(documentId(BUCKET, 'items/basic.csv', 2));
    expect(second).toMatchObject({
      item_id: 'A2',
      title: 'Two\r\nlines',
      price: 3,
      source_key: 'items/basic.csv',
      source_row: 2,
    });
    expect(second).not.toHaveProperty('tags');
  });

  it('reports ragged and malformed rows by line number and keeps the good rows', async () => {
    const t = await setup();
    const csv = [
      'item_id,title,price,stock,created_at', // line 1
      'g1,Good one,1.5,3,2024-01-31', // 2
      'r1,Too few fields', // 3
      'g2,"Good\ntwo",2,4,2024-02-01T10:00:00+02:00', // 4-5
      'b1,"bad"quote,1,1,2024-01-01', // 6
      'n1,Not a number,abc,1,2024-01-01', // 7
      'r2,Too,many,fields,here,extra', // 8
      'g3,Good three,3,5,1706659200', // 9
    ].join('\n');
    const report = await t.put('items/mixed.csv', csv);
    expect(report.rows).toBe(7);
    expect(report.errors.map((e) => e.line)).toEqual([3, 6, 7, 8]);
    expect(report.errors.map((e) => e.row)).toEqual([2, 4, 5, 6]);
    expect(report.errors[0].reason).toMatch(/2 fields, the header has 5/);
    expect(report.errors[2].reason).toMatch(/price/);
    const titles = [...t.docs.values()].map((d) => d.title).sort();
    expect(titles).toEqual(['Good one', 'Good three', 'Good\ntwo'].sort());
    expect(t.docs.get(documentId(BUCKET, 'items/mixed.csv', 3))).toMatchObject({ created_at: '2024-02-01T08:00:00Z' });
    expect(t.docs.get(documentId(BUCKET, 'items/mixed.csv', 7))).toMatchObject({ created_at: '2024-01-31T00:00:00Z' });
    const stored = JSON.parse(
      Buffer.from((await t.objects.get(BUCKET, `${ITEMS_ERRORS_PREFIX}items/mixed.csv.json`)).body).toString(),
    );
    expect(stored.badRows).toBe(4);
    expect(stored.errors[1]).toMatchObject({ line: 6, row: 4 });
  });

  it('gives the same documents and line numbers however the stream is chunked', async () => {
    const csv =
      '\uFEFFitem_id,title,price\r\n' +
      'a,"Alpha\r\nline two",1\r\n' +
      '\r\n' +
      'b,ragged\r\n' +
      'c,"Gamma ""quoted""",3\r\n' +
      'd,"bad"x,4\r\n' +
      'e,Epsilon,5';
    const whole = await setup();
    const expected = await whole.put('items/chunks.csv', csv);
    for (const chunkSize of [1, 2, 3, 7]) {
      const t = await setup();
      const bytes = Buffer.from(csv);
      t.objects.getStream = async () => {
        const chunks: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
        return Readable.from(chunks);
      };
      const report = await t.put('items/chunks.csv', csv);
      expect(report.errors, `chunk size ${chunkSize}`).toEqual(expected.errors);
      expect([...t.docs.entries()]).toEqual([...whole.docs.entries()]);
    }
    expect(expected.errors.map((e) => e.line)).toEqual([5, 7]);
    expect(whole.docs.size).toBe(3);
  });

  it('reports a row with an unclosed quote and reads the rows after it from the next line', async () => {
    const t = await setup();
    const report = await t.put('items/open.csv', 'item_id,title\na,one\nb,"never closed\nc,three\n');
    expect(report.errors).toEqual([{ line: 3, row: 2, reason: expect.stringMatching(/quote not closed/) }]);
    expect(report.rows).toBe(3);
    expect(report.added).toBe(2);
    expect([...t.docs.values()].map((d) => d.item_id)).toEqual(['a', 'c']);
    expect(t.docs.get(documentId(BUCKET, 'items/open.csv', 3))).toMatchObject({ item_id: 'c', title: 'three' });
  });

  it('reports a row with invalid UTF-8 by its column, never indexing replacement characters', async () => {
    const t = await setup();
    const csv = Buffer.concat([
      Buffer.from('item_id,title,category_l1\n'),
      Buffer.from('k1,운동화,신발\n'),
      Buffer.from('k2,bro'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('ken,신발\n'),
      Buffer.from('k3,"원피스, 여성",의류\n'),
    ]);
    const report = await t.put('items/utf8.csv', csv);
    expect(report.errors).toEqual([{ line: 3, row: 2, reason: "column 'title' is not valid UTF-8" }]);
    expect([...t.docs.values()].map((d) => [d.item_id, d.title])).toEqual([
      ['k1', '운동화'],
      ['k3', '원피스, 여성'],
    ]);
    for (const doc of t.docs.values()) expect(JSON.stringify(doc)).not.toContain('\uFFFD');
  });

  it('indexes a row whose cells hold control characters without them, and says so in the report', async () => {
    const t = await setup();
    const report = await t.put('items/ctl.csv', 'item_id,title\nc1,"bell\u0007 and\u000b tab"\nc2,plain\n');
    expect(report).toMatchObject({ added: 2, badRows: 0, alteredRows: 1 });
    expect(report.altered).toEqual([{ line: 2, row: 1, reason: "control characters removed from 'title'" }]);
    expect(t.docs.get(documentId(BUCKET, 'items/ctl.csv', 1))).toMatchObject({ title: 'bell and tab' });
  });

  it('lists every rejected row, in pages beside the report, and removes pages a later version no longer has', async () => {
    const t = await setup({ errorPageSize: 3 });
    const bad = (n: number) => Array.from({ length: n }, (_, i) => `b${i},not-a-number`);
    const report = await t.put('items/pages.csv', ['item_id,price', 'g1,1', ...bad(8), 'g2,2'].join('\n'));
    expect(report).toMatchObject({ rows: 10, added: 2, badRows: 8, errorPages: 3 });
    expect(report.errors.map((e) => e.row)).toEqual([2, 3, 4]);
    const page = async (n: number) =>
      JSON.parse(Buffer.from((await t.objects.get(BUCKET, errorPageKey('items/pages.csv', n))).body).toString()) as {
        errors: { row: number }[];
      };
    expect((await page(2)).errors.map((e) => e.row)).toEqual([5, 6, 7]);
    expect((await page(3)).errors.map((e) => e.row)).toEqual([8, 9]);
    const stored = JSON.parse(
      Buffer.from((await t.objects.get(BUCKET, `${ITEMS_ERRORS_PREFIX}items/pages.csv.json`)).body).toString(),
    );
    expect(stored.errorPageKeys).toEqual([errorPageKey('items/pages.csv', 2), errorPageKey('items/pages.csv', 3)]);

    const fewer = await t.put('items/pages.csv', ['item_id,price', ...bad(4)].join('\n'));
    expect(fewer.errorPages).toBe(2);
    expect(
      t.objects
        .keys(BUCKET)
        .filter((k) => k.startsWith(ITEMS_ERRORS_PREFIX))
        .sort(),
    ).toEqual([`${ITEMS_ERRORS_PREFIX}items/pages.csv.json`, errorPageKey('items/pages.csv', 2)].sort());
    await t.remove('items/pages.csv');
    expect(t.objects.keys(BUCKET).filter((k) => k.startsWith(ITEMS_ERRORS_PREFIX))).toEqual([]);
  });

  it("reads the seed's Personalize columns in any case, typed for the default schema", async () => {
    const t = await setup();
    const report = await t.put(
      'items/seed.csv',
      'ITEM_ID,PRICE,RATING,CATEGORY_L1,CATEGORY_L2,CATEGORY_L3,GENDER,AGE,TIMESTAMP\n' +
        'i1,59000,4.5,패션의류,여성의류,원피스,F,25,1700000000\n' +
        'i2,1.5,x,패션잡화,신발,운동화,M,30,1700003600\n',
    );
    expect(report.ignoredColumns).toEqual([]);
    expect(report.errors).toEqual([{ line: 3, row: 2, reason: "column 'rating': 'x' is not a number" }]);
    expect([...t.docs.values()][0]).toMatchObject({
      item_id: 'i1',
      price: 59000,
      rating: 4.5,
      category_l1: '패션의류',
      category_l2: '여성의류',
      category_l3: '원피스',
      gender: 'F',
      age: 25,
      timestamp: '2023-11-14T22:13:20Z',
      // CloudSearch copies the category levels into the searchable text-array field.
      categories: ['패션의류', '여성의류', '원피스'],
    });
  });

  it('gives deterministic lowercase ids so a re-put replaces instead of duplicating', async () => {
    const t = await setup();
    await t.put('items/Cat A.csv', 'item_id,title,price\nx1,First,1\nx2,Second,2\nx3,Third,3\n');
    const firstIds = [...t.docs.keys()].sort();
    expect(firstIds).toHaveLength(3);
    for (const id of firstIds) expect(id).toMatch(/^[a-z0-9_]{1,128}$/);
    await t.put('items/Cat A.csv', 'item_id,title,price\nx1,First v2,10\nx2,Second v2,20\n');
    expect(t.docs.size).toBe(2);
    expect([...t.docs.values()].map((d) => d.title).sort()).toEqual(['First v2', 'Second v2']);
    expect([...t.docs.keys()].sort()).toEqual(firstIds.slice(0, 2));
  });

  it('a re-put whose row turned bad removes the old document for that row', async () => {
    const t = await setup();
    await t.put('items/r.csv', 'item_id,price\na,1\nb,2\n');
    const report = await t.put('items/r.csv', 'item_id,price\na,1\nb,oops\n');
    expect(report.badRows).toBe(1);
    expect([...t.docs.values()].map((d) => d.item_id)).toEqual(['a']);
  });

  it('ObjectRemoved deletes exactly the documents that object added', async () => {
    const t = await setup();
    await t.put('items/one.csv', 'item_id,title\na,Alpha\nb,Beta\n');
    await t.put('items/two.csv', 'item_id,title\nc,Gamma\n');
    const report = await t.remove('items/one.csv');
    expect(report.deleted).toBe(2);
    expect([...t.docs.values()].map((d) => d.title)).toEqual(['Gamma']);
    expect(t.objects.keys(BUCKET).filter((k) => k.includes('one.csv'))).toEqual([]);
  });

  it('splits batches under the size limit without losing documents', async () => {
    const limit = 4096;
    const t = await setup({ maxBatchBytes: limit });
    const rows = Array.from({ length: 200 }, (_, i) => `id${i},"Title number ${i}","${'d'.repeat(50)}",${i}`);
    const report = await t.put('items/big.csv', `item_id,title,description,stock\n${rows.join('\n')}\n`);
    expect(report.added).toBe(200);
    expect(t.docs.size).toBe(200);
    expect(t.batchSizes.length).toBeGreaterThan(1);
    for (const size of t.batchSizes) expect(size).toBeLessThanOrEqual(limit);
  });

  it('normalises headers and reports columns the domain has no field for', async () => {
    const t = await setup();
    const report = await t.put('items/h.csv', 'Item-ID,TITLE,Colour\nz,Zed,red\n');
    expect(report.ignoredColumns).toEqual(['Colour']);
    expect([...t.docs.values()][0]).toMatchObject({ item_id: 'z', title: 'Zed' });
    expect([...t.docs.values()][0]).not.toHaveProperty('colour');
  });

  it('ignores objects that are not items CSVs', async () => {
    const t = await setup();
    await t.objects.put(BUCKET, 'bizcard-raw-img/a.jpg', 'x');
    const out = await t.handler(s3Event('ObjectCreated:Put', 'bizcard-raw-img/a.jpg'));
    expect(out.reports).toEqual([]);
    expect(t.batchSizes).toEqual([]);
  });
});
