/**
 * Amazon CloudSearch's documented limits (Developer Guide, "Understanding Amazon CloudSearch Limits"), shared by the
 * emulator, which enforces them the way the service answers, and by csv-to-cloudsearch, which builds documents and
 * batches that stay inside them.
 */

/** A document batch (`documents/batch` request body). */
export const MAX_BATCH_BYTES = 5 * 1024 * 1024;
/** One document of a batch, as serialised in the batch. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024;
/** Fields one document may set. */
export const MAX_FIELDS_PER_DOCUMENT = 200;
/** Index fields one domain may define. */
export const MAX_INDEX_FIELDS = 200;
/** Values one (array) field may hold. */
export const MAX_VALUES_PER_FIELD = 1000;
/** Source fields an array field may copy from (`SourceFields`). */
export const MAX_SOURCE_FIELDS = 20;
/** Unicode code points of one literal value. */
export const MAX_LITERAL_CODEPOINTS = 4096;
/** Bytes of a field's `DefaultValue`. */
export const MAX_DEFAULT_VALUE_BYTES = 1024;
/** Characters of a document id. */
export const MAX_ID_LENGTH = 128;
/** Search domains one account may create. */
export const MAX_DOMAINS = 100;
/** Hits reachable with `start` and `size`; deeper pages need a cursor. */
export const MAX_START_PLUS_SIZE = 10_000;
/** int fields hold 64-bit signed integers. */
export const MIN_INT = -(2n ** 63n);
export const MAX_INT = 2n ** 63n - 1n;

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** An RFC 3339 UTC timestamp of a real calendar date, the only form date fields accept. */
export function isCloudSearchDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const ms = Date.parse(value);
  // Date.parse rolls 2023-02-29 over to March; a real calendar date round-trips unchanged.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === value.slice(0, 19);
}

/** An integer literal inside the int64 range of int fields. */
export function isInt64(text: string): boolean {
  if (!/^[-+]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= MIN_INT && n <= MAX_INT;
}
