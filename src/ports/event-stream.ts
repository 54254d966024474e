export interface StreamRecordInput {
  partitionKey: string;
  data: Uint8Array;
}

export interface PutManyResult {
  /** Indexes (into the input) of records the stream refused; the caller decides whether to retry. */
  failed: { index: number; errorCode: string; errorMessage: string }[];
}

/** An ordered, partitioned record stream (Kinesis Data Streams on every target). */
export interface EventStream {
  put(stream: string, record: StreamRecordInput): Promise<{ sequenceNumber: string; shardId: string }>;
  putMany(stream: string, records: StreamRecordInput[]): Promise<PutManyResult>;
}
