import { describe, expect, it } from 'vitest';
import { isValidFieldName } from '../../src/domain/cloudsearch-schema.js';
import {
  BatchBuilder,
  DocumentTooLargeError,
  documentId,
  normaliseFieldNames,
  toCloudSearchDate,
} from '../../src/domain/csv-items.js';
import { isStrictCsvRecord, LineCounter } from '../../src/domain/csv-records.js';

describe('normaliseFieldNames', () => {
  it('turns any header into a valid, unique CloudSearch field name', () => {
    const headers = ['Item ID', 'item-id', 'Price ($)', '2nd Title', '', 'score', 'Café Name', 'x'.repeat(80), '__a__'];
    const names = normaliseFieldNames(headers);
    expect(names.slice(0, 4)).toEqual(['item_id', 'item_id_2', 'price', 'f_2nd_title']);
    expect(names[4]).toBe('column_5');
    expect(names[6]).toBe('cafe_name');
    expect(names[8]).toBe('a');
    for (const n of names) expect(isValidFieldName(n), n).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('documentId', () => {
  it('is deterministic, lowercase [a-z0-9_] and at most 128 characters', () => {
    const key = `items/${'Ünïcode Name '.repeat(40)}.csv`;
    expect(documentId('b', key, 7)).toBe(documentId('b', key, 7));
    expect(documentId('b', key, 7)).toMatch(/^[a-z0-9_]{1,128}$/);
    expect(documentId('b', key, 7)).not.toBe(documentId('b', key, 8));
    expect(documentId('b', 'items/a.csv', 1)).not.toBe(documentId('b', 'items/b.csv', 1));
    expect(documentId('b1', 'items/a.csv', 1)).not.toBe(documentId('b2', 'items/a.csv', 1));
  });
});

describe('toCloudSearchDate', () => {
  it('normalises common date forms to RFC 3339 UTC', () => {
    expect(toCloudSearchDate('2024-02-29')).toBe('2024-02-29T00:00:00Z');
    expect(toCloudSearchDate('2024-02-29 13:05')).toBe('2024-02-29T13:05:00Z');
    expect(toCloudSearchDate('2024-02-29T13:05:00+01:00')).toBe('2024-02-29T12:05:00Z');
    expect(toCloudSearchDate(String(Date.UTC(2024, 0, 1) / 1000))).toBe('2024-01-01T00:00:00Z');
    expect(toCloudSearchDate('2023-02-29')).toBeUndefined();
    expect(toCloudSearchDate('yesterday')).toBeUndefined();
  });
});

describe('isStrictCsvRecord', () => {
  it('accepts RFC 4180 quoting and rejects stray quotes', () => {
    expect(isStrictCsvRecord('a,"b, c","say ""hi""",\r\n')).toBe(true);
    expect(isStrictCsvRecord('\n\n"multi\nline",x\n')).toBe(true);
    expect(isStrictCsvRecord('a,"bad"x,c')).toBe(false);
    expect(isStrictCsvRecord('a,b"c,d')).toBe(false);
  });
});

describe('LineCounter', () => {
  it('gives the start line of each record, counting skipped empty lines and embedded breaks', () => {
    const c = new LineCounter();
    expect(c.advance('h1,h2\r')).toBe(1);
    expect(c.advance('\r2,"x\r\ny"\r')).toBe(3);
    expect(c.advance('3,z\n')).toBe(5);
    expect(c.current).toBe(6);
  });
});

describe('BatchBuilder', () => {
  it('never exceeds the byte limit and keeps every operation', () => {
    const limit = 1000;
    const b = new BatchBuilder(limit);
    const batches: string[] = [];
    for (let i = 0; i < 100; i++) {
      const full = b.add({ type: 'add', id: `d${i}`, fields: { title: 't'.repeat(i % 37) } });
      if (full) batches.push(full);
    }
    batches.push(b.take() as string);
    expect(b.take()).toBeUndefined();
    const ids = batches.flatMap((batch) => (JSON.parse(batch) as { id: string }[]).map((o) => o.id));
    expect(ids).toEqual(Array.from({ length: 100 }, (_, i) => `d${i}`));
    for (const batch of batches) expect(Buffer.byteLength(batch)).toBeLessThanOrEqual(limit);
  });

  it('refuses a document over 1 MB', () => {
    expect(() => new BatchBuilder().add({ type: 'add', id: 'x', fields: { title: 'y'.repeat(1024 * 1024) } })).toThrow(
      DocumentTooLargeError,
    );
  });
});
