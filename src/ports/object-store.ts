import type { Readable } from 'node:stream';

export interface StoredObject {
  body: Uint8Array;
  contentType?: string;
}

export interface ObjectSummary {
  key: string;
  size: number;
}

/** Blob storage (S3 on every target). Missing objects reject with {@link ObjectNotFoundError}. */
export interface ObjectStore {
  put(bucket: string, key: string, body: Uint8Array | string, options?: { contentType?: string }): Promise<void>;
  get(bucket: string, key: string): Promise<StoredObject>;
  /** Streams large objects (CSV catalogues) without holding them in memory. */
  getStream(bucket: string, key: string): Promise<Readable>;
  copy(source: { bucket: string; key: string }, target: { bucket: string; key: string }): Promise<void>;
  delete(bucket: string, key: string): Promise<void>;
  list(bucket: string, prefix?: string): AsyncIterable<ObjectSummary>;
}

export class ObjectNotFoundError extends Error {
  constructor(
    readonly bucket: string,
    readonly key: string,
  ) {
    super(`s3://${bucket}/${key} does not exist`);
    this.name = 'ObjectNotFoundError';
  }
}
