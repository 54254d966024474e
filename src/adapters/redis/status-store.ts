import type { Redis } from 'ioredis';
import type { CardFields } from '../../domain/card-fields.js';
import type { ImageStatus, ImageStatusRecord, StatusStore } from '../../ports/index.js';

export const STATUS_KEY_PREFIX = 'octember:status:';

export function statusKey(imageId: string): string {
  return `${STATUS_KEY_PREFIX}${imageId}`;
}

/** Status per image as a Redis HASH `octember:status:{imageId}`; the `data` field holds the fields as JSON. */
export function createRedisStatusStore(redis: Redis): StatusStore {
  return {
    async put(record) {
      const key = statusKey(record.imageId);
      const fields: Record<string, string> = {
        imageId: record.imageId,
        status: record.status,
        s3_bucket: record.s3_bucket,
        s3_key: record.s3_key,
        owner: record.owner,
        data: JSON.stringify(record.data),
        updated_at: record.updated_at,
      };
      const transaction = redis.multi().hset(key, fields);
      if (record.error !== undefined) transaction.hset(key, 'error', record.error);
      else transaction.hdel(key, 'error');
      const results = await transaction.exec();
      const failure = results?.find(([error]) => error);
      if (failure) throw failure[0];
    },
    async get(imageId) {
      const hash = await redis.hgetall(statusKey(imageId));
      if (!hash.status) return undefined;
      const record: ImageStatusRecord = {
        imageId: hash.imageId ?? imageId,
        status: hash.status as ImageStatus,
        s3_bucket: hash.s3_bucket ?? '',
        s3_key: hash.s3_key ?? '',
        owner: hash.owner ?? '',
        data: hash.data ? (JSON.parse(hash.data) as CardFields | null) : null,
        updated_at: hash.updated_at ?? '',
      };
      if (hash.error !== undefined) record.error = hash.error;
      return record;
    },
  };
}
