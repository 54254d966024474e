import { describe, expect, it } from 'vitest';
import {
  createMemoryCache,
  createMemoryEventStream,
  createMemoryObjectStore,
  createMemoryStatusStore,
} from '../../src/adapters/memory/index.js';
import { ObjectNotFoundError, type ObjectSummary } from '../../src/ports/index.js';

describe('memory adapters', () => {
  it('object store: put/get/copy/delete/list by prefix, ObjectNotFoundError for a missing key', async () => {
    const store = createMemoryObjectStore();
    await store.put('b', 'x/2.jpg', new Uint8Array([1, 2]), { contentType: 'image/jpeg' });
    await store.put('b', 'x/1.txt', 'hé');
    await store.put('b', 'y/3.txt', 'z');
    await store.copy({ bucket: 'b', key: 'x/2.jpg' }, { bucket: 'c', key: 'copy.jpg' });
    expect(await store.get('c', 'copy.jpg')).toEqual({ body: new Uint8Array([1, 2]), contentType: 'image/jpeg' });
    const listed: ObjectSummary[] = [];
    for await (const summary of store.list('b', 'x/')) listed.push(summary);
    expect(listed).toEqual([
      { key: 'x/1.txt', size: 3 },
      { key: 'x/2.jpg', size: 2 },
    ]);
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream('b', 'x/1.txt')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('hé');
    await store.delete('b', 'x/1.txt');
    await expect(store.get('b', 'x/1.txt')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.copy({ bucket: 'b', key: 'nope' }, { bucket: 'b', key: 'n2' })).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
  });

  it('cache: values expire after their TTL and deletePrefix removes only matching live keys', async () => {
    let now = 1_000_000;
    const cache = createMemoryCache({ now: () => now });
    await cache.set('search:edy:a', '1', 10);
    await cache.set('search:edy:b', '2', 600);
    await cache.set('search:kim:a', '3', 600);
    expect(await cache.get('search:edy:a')).toBe('1');
    now += 10_000;
    expect(await cache.get('search:edy:a')).toBeUndefined();
    expect(await cache.deletePrefix('search:edy:')).toBe(1);
    expect(await cache.get('search:edy:b')).toBeUndefined();
    expect(await cache.get('search:kim:a')).toBe('3');
  });

  it('event stream records puts in order with increasing sequence numbers and reports refused records', async () => {
    const stream = createMemoryEventStream();
    const first = await stream.put('s', { partitionKey: 'a', data: Buffer.from('{"n":1}') });
    const second = await stream.put('s', { partitionKey: 'b', data: Buffer.from('{"n":2}') });
    expect(BigInt(second.sequenceNumber) > BigInt(first.sequenceNumber)).toBe(true);
    stream.refuse = (_name, record) => record.partitionKey === 'bad';
    const result = await stream.putMany('s', [
      { partitionKey: 'ok', data: Buffer.from('{"n":3}') },
      { partitionKey: 'bad', data: Buffer.from('{"n":4}') },
    ]);
    expect(result.failed.map((failure) => failure.index)).toEqual([1]);
    expect(stream.json('s')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('status store returns copies, so callers cannot mutate stored records', async () => {
    const status = createMemoryStatusStore();
    const record = {
      imageId: 'a.jpg',
      status: 'START' as const,
      s3_bucket: 'b',
      s3_key: 'k',
      owner: 'a',
      data: null,
      updated_at: 't',
    };
    await status.put(record);
    const read = await status.get('a.jpg');
    if (read) read.status = 'END';
    expect((await status.get('a.jpg'))?.status).toBe('START');
    expect(await status.get('other.jpg')).toBeUndefined();
  });
});
