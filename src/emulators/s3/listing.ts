import type { ObjectVersion } from './model.js';
import type { KeyEntry } from './persistence.js';

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  /** exclusive: list keys (and common prefixes) strictly after this */
  startAfter?: string;
}

export interface ListResult {
  contents: ObjectVersion[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** last key or common prefix returned (for continuation) */
  lastReturned?: string;
}

export interface VersionListOptions {
  prefix?: string;
  delimiter?: string;
  maxKeys?: number;
  keyMarker?: string;
  versionIdMarker?: string;
}

export interface VersionListResult {
  /** objects and delete markers in S3's order: key ascending, newest version first */
  versions: Array<ObjectVersion & { isLatest: boolean }>;
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
}

export function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function commonPrefixOf(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter) return undefined;
  const at = key.indexOf(delimiter, prefix.length);
  return at === -1 ? undefined : key.slice(0, at + delimiter.length);
}

/** ListObjects(V2): current versions that are not delete markers. `sorted` holds every key of the bucket. */
export function listCurrent(sorted: string[], keys: Map<string, KeyEntry>, opts: ListOptions): ListResult {
  const prefix = opts.prefix ?? '';
  const maxKeys = opts.maxKeys ?? 1000;
  const result: ListResult = { contents: [], commonPrefixes: [], isTruncated: false };
  const after = opts.startAfter && opts.startAfter > prefix ? opts.startAfter : undefined;
  for (let i = lowerBound(sorted, after ?? prefix); i < sorted.length; i++) {
    const key = sorted[i];
    if (after !== undefined && key <= after) continue;
    if (!key.startsWith(prefix)) {
      if (key > prefix) break;
      continue;
    }
    const current = keys.get(key)?.versions[0];
    if (!current || current.deleteMarker) continue;
    const common = commonPrefixOf(key, prefix, opts.delimiter);
    // Resuming after a common prefix: everything inside it was already rolled up.
    if (common !== undefined && after !== undefined && common === after) continue;
    if (common !== undefined && result.commonPrefixes[result.commonPrefixes.length - 1] === common) continue;
    if (result.contents.length + result.commonPrefixes.length >= maxKeys) {
      result.isTruncated = maxKeys > 0;
      break;
    }
    if (common !== undefined) {
      result.commonPrefixes.push(common);
      result.lastReturned = common;
    } else {
      result.contents.push(current);
      result.lastReturned = key;
    }
  }
  return result;
}

/** ListObjectVersions: every version and delete marker, paged by key marker and version-id marker. */
export function listVersions(
  sorted: string[],
  keys: Map<string, KeyEntry>,
  opts: VersionListOptions,
): VersionListResult {
  const prefix = opts.prefix ?? '';
  const maxKeys = opts.maxKeys ?? 1000;
  const result: VersionListResult = { versions: [], commonPrefixes: [], isTruncated: false };
  const marker = opts.keyMarker || undefined;
  let count = 0;
  const full = () => count >= maxKeys;
  for (let i = lowerBound(sorted, marker ?? prefix); i < sorted.length; i++) {
    const key = sorted[i];
    if (!key.startsWith(prefix)) {
      if (key > prefix) break;
      continue;
    }
    const entry = keys.get(key);
    if (!entry || entry.versions.length === 0) continue;
    let start = 0;
    if (marker !== undefined && key === marker) {
      if (!opts.versionIdMarker) continue; // key-marker alone: strictly after that key
      const at = entry.versions.findIndex((v) => v.versionId === opts.versionIdMarker);
      start = at === -1 ? entry.versions.length : at + 1;
      if (start >= entry.versions.length) continue;
    } else if (marker !== undefined && key < marker) continue;
    const common = commonPrefixOf(key, prefix, opts.delimiter);
    if (common !== undefined) {
      if (marker?.startsWith(common)) continue;
      if (result.commonPrefixes[result.commonPrefixes.length - 1] === common) continue;
      if (full()) {
        result.isTruncated = maxKeys > 0;
        break;
      }
      result.commonPrefixes.push(common);
      result.nextKeyMarker = common;
      result.nextVersionIdMarker = undefined;
      count++;
      continue;
    }
    for (let j = start; j < entry.versions.length; j++) {
      if (full()) {
        result.isTruncated = maxKeys > 0;
        return result;
      }
      const v = entry.versions[j];
      result.versions.push({ ...v, isLatest: j === 0 });
      result.nextKeyMarker = key;
      result.nextVersionIdMarker = v.versionId;
      count++;
    }
  }
  if (!result.isTruncated) {
    result.nextKeyMarker = undefined;
    result.nextVersionIdMarker = undefined;
  }
  return result;
}
