import type { ImageStatusRecord, StatusStore } from '../../ports/index.js';

export function createMemoryStatusStore(): StatusStore {
  const records = new Map<string, ImageStatusRecord>();
  return {
    async put(record) {
      records.set(record.imageId, structuredClone(record));
    },
    async get(imageId) {
      const found = records.get(imageId);
      return found ? structuredClone(found) : undefined;
    },
  };
}
