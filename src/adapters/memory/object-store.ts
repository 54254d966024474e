import { Readable } from 'node:stream';
import { ObjectNotFoundError, type ObjectStore, type ObjectSummary, type StoredObject } from '../../ports/index.js';

/** ObjectStore kept in a Map; buckets spring into existence on first put, like a fresh emulator with auto-create. */
export interface MemoryObjectStore extends ObjectStore {
  /** Every stored key of a bucket, sorted (test helper). */
  keys(bucket: string): string[];
}

export function createMemoryObjectStore(): MemoryObjectStore {
  const buckets = new Map<string, Map<string, StoredObject>>();
  const bucketOf = (name: string) => {
    let bucket = buckets.get(name);
    if (!bucket) {
      bucket = new Map();
      buckets.set(name, bucket);
    }
    return bucket;
  };
  const read = (bucket: string, key: string): StoredObject => {
    const found = buckets.get(bucket)?.get(key);
    if (!found) throw new ObjectNotFoundError(bucket, key);
    return found;
  };
  return {
    async put(bucket, key, body, options) {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
      bucketOf(bucket).set(key, { body: bytes, contentType: options?.contentType });
    },
    async get(bucket, key) {
      const found = read(bucket, key);
      return { body: new Uint8Array(found.body), contentType: found.contentType };
    },
    async getStream(bucket, key) {
      return Readable.from([Buffer.from(read(bucket, key).body)]);
    },
    async copy(source, target) {
      const found = read(source.bucket, source.key);
      bucketOf(target.bucket).set(target.key, { body: new Uint8Array(found.body), contentType: found.contentType });
    },
    async delete(bucket, key) {
      buckets.get(bucket)?.delete(key);
    },
    async *list(bucket, prefix = ''): AsyncIterable<ObjectSummary> {
      for (const key of [...(buckets.get(bucket)?.keys() ?? [])].sort()) {
        if (!key.startsWith(prefix)) continue;
        const found = buckets.get(bucket)?.get(key);
        if (found) yield { key, size: found.body.byteLength };
      }
    },
    keys(bucket) {
      return [...(buckets.get(bucket)?.keys() ?? [])].sort();
    },
  };
}
