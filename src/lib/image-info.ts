export type ImageFormat = 'jpeg' | 'png' | 'tiff' | 'pdf';

export interface ImageInfo {
  format: ImageFormat;
  /** Pixel size as OCR sees it (after the EXIF orientation is applied). */
  width: number;
  height: number;
  /** EXIF orientation (1 = as stored; JPEG only). */
  orientation: number;
}

/** Sniffs the document format from its magic bytes; undefined when it is none Textract knows. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)
    return 'png';
  if (bytes.length >= 4 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46)
    return 'pdf';
  if (
    bytes.length >= 4 &&
    ((bytes[0] === 0x49 && bytes[1] === 0x49 && bytes[2] === 42) ||
      (bytes[0] === 0x4d && bytes[1] === 0x4d && bytes[3] === 42))
  ) {
    return 'tiff';
  }
  return undefined;
}

/**
 * Reads the pixel size from a JPEG or PNG header. Returns undefined for other formats or a
 * truncated/corrupt header, so callers can answer "unsupported document" rather than crash.
 */
export function readImageInfo(bytes: Uint8Array): ImageInfo | undefined {
  const format = sniffFormat(bytes);
  if (format === 'png') return readPng(bytes);
  if (format === 'jpeg') return readJpeg(bytes);
  return undefined;
}

function readPng(b: Uint8Array): ImageInfo | undefined {
  // IHDR is always the first chunk: signature(8) length(4) "IHDR"(4) width(4) height(4).
  if (b.length < 24 || String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') return undefined;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { format: 'png', width, height, orientation: 1 } : undefined;
}

function readJpeg(b: Uint8Array): ImageInfo | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1];
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const length = (b[i + 2] << 8) | b[i + 3];
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = (b[i + 5] << 8) | b[i + 6];
      const width = (b[i + 7] << 8) | b[i + 8];
      if (width === 0 || height === 0) return undefined;
      // tesseract.js applies EXIF orientations 5..8 as a 90° turn, which swaps the axes.
      const orientation = exifOrientation(b);
      const turned = orientation >= 5;
      return { format: 'jpeg', width: turned ? height : width, height: turned ? width : height, orientation };
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    i += 2 + length;
  }
  return undefined;
}

/** Same detection tesseract.js uses (the big-endian Orientation IFD entry in the first 500 bytes). */
function exifOrientation(b: Uint8Array): number {
  const head = Array.from(b.subarray(0, 500)).join(' ');
  const match = head.match(/1 18 0 3 0 0 0 1 0 (\d)/);
  return match ? Number.parseInt(match[1], 10) || 1 : 1;
}
