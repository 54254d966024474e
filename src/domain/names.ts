/** Names shared by every target: buckets, prefixes, streams, indexes. */
export const BUCKET = 'octember-bizcard';
export const RAW_IMAGE_PREFIX = 'bizcard-raw-img/';
export const BY_USER_PREFIX = 'bizcard-by-user/';
export const TEXT_BACKUP_PREFIX = 'bizcard-text/';
export const ITEMS_PREFIX = 'items/';
/** Per-object bookkeeping of csv-to-cloudsearch: which ids an object's rows were given, so a removal deletes exactly those. */
export const ITEMS_MANIFEST_PREFIX = 'items-manifests/';
/** Per-object report of CSV rows that could not be indexed. */
export const ITEMS_ERRORS_PREFIX = 'items-errors/';
export const INTERACTIONS_PREFIX = 'interactions/';
export const IMAGE_STREAM = 'octember-bizcard-img';
export const TEXT_STREAM = 'octember-bizcard-txt';
export const EVENTS_STREAM = 'octember-interactions';
export const TEXT_DELIVERY_STREAM = 'octember-bizcard-text-to-s3';
export const EVENTS_DELIVERY_STREAM = 'octember-interactions-to-s3';
export const SEARCH_INDEX = 'octember_bizcard';
export const CLOUDSEARCH_DOMAIN = 'octember-items';
export const CACHE_TTL_SECONDS = 600;
export const DEFAULT_API_KEY = 'local-dev-key';
