import type { EventStream, StreamRecordInput } from '../../ports/index.js';

export interface RecordedPut {
  stream: string;
  partitionKey: string;
  data: Uint8Array;
  sequenceNumber: string;
}

/** EventStream that only records what was put, in order; `refuse` lets tests simulate a failing stream. */
export interface MemoryEventStream extends EventStream {
  readonly puts: RecordedPut[];
  /** Records put to one stream, data parsed as JSON. */
  json<T = unknown>(stream: string): T[];
  /** When set, puts whose predicate returns true fail (put rejects, putMany reports them). */
  refuse?: (stream: string, record: StreamRecordInput) => boolean;
}

export function createMemoryEventStream(): MemoryEventStream {
  let sequence = 0n;
  const store: MemoryEventStream = {
    puts: [],
    json<T>(stream: string) {
      return store.puts
        .filter((put) => put.stream === stream)
        .map((put) => JSON.parse(Buffer.from(put.data).toString('utf8')) as T);
    },
    async put(stream, record) {
      if (store.refuse?.(stream, record)) throw new Error(`stream ${stream} refused the record`);
      sequence += 1n;
      const sequenceNumber = sequence.toString().padStart(56, '0');
      store.puts.push({ stream, partitionKey: record.partitionKey, data: new Uint8Array(record.data), sequenceNumber });
      return { sequenceNumber, shardId: 'shardId-000000000000' };
    },
    async putMany(stream, records) {
      const failed: { index: number; errorCode: string; errorMessage: string }[] = [];
      for (const [index, record] of records.entries()) {
        try {
          await store.put(stream, record);
        } catch (error) {
          failed.push({ index, errorCode: 'InternalFailure', errorMessage: (error as Error).message });
        }
      }
      return { failed };
    },
  };
  return store;
}
