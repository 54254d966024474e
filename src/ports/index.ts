export type { Cache } from './cache.js';
export type { CardDocument, CardSearchHit, CardSearchIndex, CardSearchQuery } from './card-search.js';
export type { CatalogueHit, CatalogueIndex, CatalogueSearchRequest, CatalogueSearchResult } from './catalogue.js';
export { CatalogueQueryError } from './catalogue.js';
export type { EventStream, PutManyResult, StreamRecordInput } from './event-stream.js';
export type { GraphStore, PersonProfile, PymkSuggestion, UpsertContactResult } from './graph-store.js';
export type { CropOptions, ImageCrop, ImageCropper, PageRegion } from './image-cropper.js';
export type { ObjectStore, ObjectSummary, StoredObject } from './object-store.js';
export { ObjectNotFoundError } from './object-store.js';
export type {
  Ocr,
  OcrBox,
  OcrDocument,
  OcrLanguage,
  OcrLine,
  OcrOptions,
  OcrPoint,
  OcrResult,
  OcrWord,
} from './ocr.js';
export { OCR_LANGUAGES } from './ocr.js';
export type { Interaction, InteractionGraph, Recommendation, Recommender } from './recommender.js';
export type { ImageStatus, ImageStatusRecord, StatusStore } from './status-store.js';
