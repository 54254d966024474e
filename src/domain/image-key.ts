import { RAW_IMAGE_PREFIX } from './names.js';

const IMAGE_EXTENSION = /\.(jpe?g|png)$/i;

/** Decodes an S3 event object key: `+` stands for a space, then `%xx` escapes (as S3 notifications encode keys). */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

export interface ImageKey {
  /** The file name, e.g. `edy_a0653895773.jpg`; the id used by the status API. */
  imageId: string;
  /** The file name part before the first `_` (the whole name without extension when there is no `_`). */
  owner: string;
}

/** Splits a card image key into id and owner. */
export function parseImageKey(key: string): ImageKey {
  const imageId = key.slice(key.lastIndexOf('/') + 1);
  const underscore = imageId.indexOf('_');
  const owner = underscore > 0 ? imageId.slice(0, underscore) : imageId.replace(/\.[^.]*$/, '');
  return { imageId, owner };
}

/** True for a raw card upload: under `bizcard-raw-img/` with a .jpg/.jpeg/.png name (any case). */
export function isRawCardImageKey(key: string): boolean {
  return key.startsWith(RAW_IMAGE_PREFIX) && key.length > RAW_IMAGE_PREFIX.length && IMAGE_EXTENSION.test(key);
}
