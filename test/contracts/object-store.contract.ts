// The ObjectStore port's contract, run against every adapter (memory, S3 over the S3 emulator, ...).
import { beforeAll, describe, expect, it } from 'vitest';
import { ObjectNotFoundError, type ObjectStore, type ObjectSummary } from '../../src/ports/index.js';
import { useFixture } from './fixture.js';

export interface ObjectStoreFixture {
  store: ObjectStore;
  /** Two existing, empty buckets. */
  buckets: [string, string];
  close?(): Promise<void>;
}

async function listed(store: ObjectStore, bucket: string, prefix?: string): Promise<ObjectSummary[]> {
  const out: ObjectSummary[] = [];
  for await (const summary of store.list(bucket, prefix)) out.push(summary);
  return out;
}

async function streamed(store: ObjectStore, bucket: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.getStream(bucket, key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export function objectStoreContract(name: string, setup: () => Promise<ObjectStoreFixture>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    const fixture = useFixture(setup);
    let store: ObjectStore;
    let a: string;
    let b: string;
    beforeAll(() => {
      store = fixture().store;
      [a, b] = fixture().buckets;
    });

    it('returns the bytes and content type it was given, strings as UTF-8', async () => {
      const bytes = new Uint8Array([0, 255, 1, 254]);
      await store.put(a, 'photos/edy.jpg', bytes, { contentType: 'image/jpeg' });
      const got = await store.get(a, 'photos/edy.jpg');
      expect(Buffer.from(got.body).equals(Buffer.from(bytes))).toBe(true);
      expect(got.contentType).toBe('image/jpeg');
      await store.put(a, 'notes/hé.txt', 'hé ✓');
      expect(Buffer.from((await store.get(a, 'notes/hé.txt')).body).toString('utf8')).toBe('hé ✓');
    });

    it('overwrites a key and streams an object', async () => {
      await store.put(a, 'stream/big.csv', 'first');
      const body = Buffer.alloc(256 * 1024, 'x');
      await store.put(a, 'stream/big.csv', body);
      expect((await streamed(store, a, 'stream/big.csv')).equals(body)).toBe(true);
    });

    it('copies within and across buckets, keys with spaces, plus signs and non-ASCII characters included', async () => {
      const key = 'bizcard-raw-img/edy a+b_ü.jpg';
      await store.put(a, key, Buffer.from([1, 2, 3]), { contentType: 'image/jpeg' });
      await store.copy({ bucket: a, key }, { bucket: a, key: 'bizcard-by-user/edy/a+b ü.jpg' });
      await store.copy({ bucket: a, key }, { bucket: b, key: 'copy.jpg' });
      for (const [bucket, k] of [
        [a, 'bizcard-by-user/edy/a+b ü.jpg'],
        [b, 'copy.jpg'],
      ]) {
        const got = await store.get(bucket, k);
        expect([...got.body]).toEqual([1, 2, 3]);
        expect(got.contentType).toBe('image/jpeg');
      }
      expect([...(await store.get(a, key)).body]).toEqual([1, 2, 3]);
    });

    it('lists by prefix in key order with sizes, across more than one page', async () => {
      const keys = Array.from({ length: 1005 }, (_, i) => `items/${String(i).padStart(4, '0')}.csv`);
      for (let start = 0; start < keys.length; start += 50) {
        await Promise.all(
          keys.slice(start, start + 50).map((key, i) => store.put(a, key, 'x'.repeat((start + i) % 7))),
        );
      }
      await store.put(a, 'itemsx/other.csv', 'y');
      const items = await listed(store, a, 'items/');
      expect(items.map((s) => s.key)).toEqual(keys);
      expect(items[10]).toEqual({ key: 'items/0010.csv', size: 3 });
      expect((await listed(store, a)).length).toBeGreaterThan(1006);
      expect(await listed(store, b, 'items/')).toEqual([]);
    }, 60_000);

    it('deletes idempotently; a missing object rejects with ObjectNotFoundError from get, getStream and copy', async () => {
      await store.put(a, 'gone.txt', 'x');
      await store.delete(a, 'gone.txt');
      await store.delete(a, 'gone.txt');
      await expect(store.get(a, 'gone.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.getStream(a, 'never.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.copy({ bucket: a, key: 'never.txt' }, { bucket: a, key: 'n2' })).rejects.toMatchObject({
        name: 'ObjectNotFoundError',
        bucket: a,
        key: 'never.txt',
      });
      expect((await listed(store, a, 'gone')).length).toBe(0);
    });
  });
}
