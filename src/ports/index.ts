export type { Cache } from './cache.js';
export type { EventStream, PutManyResult, StreamRecordInput } from './event-stream.js';
export type { ObjectStore, ObjectSummary, StoredObject } from './object-store.js';
export { ObjectNotFoundError } from './object-store.js';
export type { Ocr, OcrDocument, OcrResult } from './ocr.js';
export type { ImageStatus, ImageStatusRecord, StatusStore } from './status-store.js';
