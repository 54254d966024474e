import { createRequire } from 'node:module';

/** A user record as aws-kinesis-agg returns it. */
export interface AggUserRecord {
  partitionKey: string;
  explicitPartitionKey?: string;
  data: string;
}

interface KinesisAgg {
  aggregate(
    records: { partitionKey: string; explicitHashKey?: string; data: Buffer }[],
    onEncoded: (encoded: { partitionKey: string; data: Buffer }, cb: () => void) => void,
    afterPut: () => void,
    onError: (err: Error) => void,
  ): void;
  deaggregateSync(
    record: { partitionKey: string; data: string; sequenceNumber: string; approximateArrivalTimestamp: number },
    computeChecksums: boolean,
    cb: (err: Error | null, records?: AggUserRecord[]) => void,
  ): void;
}

/** The reference KPL implementation (aws-kinesis-agg ships no types). */
export const kinesisAgg = createRequire(import.meta.url)('aws-kinesis-agg') as KinesisAgg;

/** Aggregated Kinesis records as the KPL (through aws-kinesis-agg) would put them. */
export function aggregateWithLibrary(
  records: { partitionKey: string; explicitHashKey?: string; data: Buffer }[],
): Promise<{ partitionKey: string; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    const out: { partitionKey: string; data: Buffer }[] = [];
    kinesisAgg.aggregate(
      records,
      (encoded, cb) => {
        out.push(encoded);
        cb();
      },
      () => resolve(out),
      reject,
    );
  });
}

/** User records of one aggregated record, decoded by aws-kinesis-agg with its MD5 check on. */
export function deaggregateWithLibrary(data: Buffer): AggUserRecord[] {
  let result: AggUserRecord[] = [];
  kinesisAgg.deaggregateSync(
    { partitionKey: 'carrier', data: data.toString('base64'), sequenceNumber: '1', approximateArrivalTimestamp: 0 },
    true,
    (err, records) => {
      if (err) throw err;
      result = records ?? [];
    },
  );
  return result;
}
