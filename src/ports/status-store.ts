import type { CardFields } from '../domain/card-fields.js';

export type ImageStatus = 'START' | 'END' | 'FAILED';

export interface ImageStatusRecord {
  imageId: string;
  status: ImageStatus;
  s3_bucket: string;
  s3_key: string;
  owner: string;
  data: CardFields | null;
  updated_at: string;
  error?: string;
}

/** Per-image processing status (a Redis hash per image on every target). */
export interface StatusStore {
  put(record: ImageStatusRecord): Promise<void>;
  get(imageId: string): Promise<ImageStatusRecord | undefined>;
}
