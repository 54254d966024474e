import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readBody } from '../../lib/http.js';
import { AwsChunkedDecoder, type ChunkSigning, isAwsChunked } from './aws-chunked.js';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  checksumHeaderName,
  checksumOf,
  parseChecksumAlgorithm,
} from './checksums.js';
import type { S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { LIMITS } from './limits.js';
import type { ObjectChecksum } from './model.js';
import type { BodyChecks } from './verify.js';
import { parseXml } from './xml.js';

const STORED_HEADERS = [
  'cache-control',
  'content-disposition',
  'content-encoding',
  'content-language',
  'expires',
] as const;

export function send(
  res: ServerResponse,
  status: number,
  body = '',
  headers: Record<string, string | number> = {},
): void {
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendXml(res: ServerResponse, status: number, xml: string, headers: Record<string, string> = {}): void {
  send(res, status, xml, { 'content-type': 'application/xml', ...headers });
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** x-amz-meta-* headers, at most 2 KB of names and values (MetadataTooLarge). */
export function userMetadata(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of Object.entries(headers))
    if (name.startsWith('x-amz-meta-') && value !== undefined) {
      const v = Array.isArray(value) ? value.join(',') : value;
      out[name.slice(11)] = v;
      bytes += Buffer.byteLength(name.slice(11)) + Buffer.byteLength(v);
    }
  if (bytes > LIMITS.maxMetadataBytes)
    throw new S3Error('MetadataTooLarge', 400, 'Your metadata headers exceed the maximum allowed metadata size.', {
      Size: String(bytes),
      MaxSizeAllowed: String(LIMITS.maxMetadataBytes),
    });
  return out;
}

export function storedHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    let value = header(headers, name);
    if (name === 'content-encoding' && value)
      value = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && s !== 'aws-chunked')
        .join(', ');
    if (value) out[name] = value;
  }
  return out;
}

/** The request's flexible checksum: from an x-amz-checksum-* header, or announced in x-amz-trailer. */
export function requestChecksum(
  headers: IncomingHttpHeaders,
  trailers: () => Record<string, string>,
): BodyChecks['checksum'] | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = header(headers, checksumHeaderName(algorithm));
    if (value !== undefined) {
      validateChecksumValue(algorithm, value);
      return { algorithm, expected: () => value };
    }
  }
  const trailer = header(headers, 'x-amz-trailer')?.trim().toLowerCase();
  if (trailer?.startsWith('x-amz-checksum-')) {
    const algorithm = parseChecksumAlgorithm(trailer.slice('x-amz-checksum-'.length));
    if (!algorithm) throw s3Errors.invalidRequest(`The value specified in the x-amz-trailer header is not supported`);
    return {
      algorithm,
      expected: () => {
        const value = trailers()[trailer];
        if (value === undefined)
          throw s3Errors.invalidRequest(`The ${trailer} trailer announced in x-amz-trailer was not sent`);
        validateChecksumValue(algorithm, value);
        return value;
      },
    };
  }
  const sdkAlgorithm = parseChecksumAlgorithm(header(headers, 'x-amz-sdk-checksum-algorithm'));
  return sdkAlgorithm ? { algorithm: sdkAlgorithm, expected: () => undefined } : undefined;
}

export const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = {
  CRC32: 4,
  CRC32C: 4,
  CRC64NVME: 8,
  SHA1: 20,
  SHA256: 32,
};
export function validateChecksumValue(algorithm: ChecksumAlgorithm, value: string): void {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, 'base64').length !== CHECKSUM_BYTES[algorithm])
    throw s3Errors.badDigest(algorithm);
}

/** The object body as the client meant it: aws-chunked framing removed, sizes to verify. */
export function requestBody(
  req: IncomingMessage,
  signing?: ChunkSigning,
): {
  body: Readable;
  expectedSize?: number;
  trailers: () => Record<string, string>;
} {
  if (isAwsChunked(req.headers)) {
    const decoder = new AwsChunkedDecoder(signing);
    pipeline(req, decoder).catch((err) => decoder.destroy(err));
    const decoded = header(req.headers, 'x-amz-decoded-content-length');
    return {
      body: decoder,
      expectedSize: decoded !== undefined ? Number(decoded) : undefined,
      trailers: () => decoder.trailers,
    };
  }
  const length = header(req.headers, 'content-length');
  return { body: req, expectedSize: length !== undefined ? Number(length) : undefined, trailers: () => ({}) };
}

export function checksumResponseHeaders(meta: { checksum?: ObjectChecksum }): Record<string, string> {
  if (!meta.checksum) return {};
  return {
    [checksumHeaderName(meta.checksum.algorithm)]: meta.checksum.value,
    'x-amz-checksum-type': meta.checksum.type,
  };
}

/** A small XML request body, checked against Content-MD5, x-amz-checksum-* and the signed SHA-256. */
export async function readXmlBody(
  ctx: S3Context,
  limit = 1024 * 1024,
  opts: { checksumHeadersDescribeObject?: boolean } = {},
): Promise<{ raw: Buffer; root: ReturnType<typeof parseXml> }> {
  const raw = await readBody(ctx.req, limit);
  verifySmallBody(ctx, raw, opts.checksumHeadersDescribeObject);
  if (raw.length === 0) throw s3Errors.malformedXml();
  return { raw, root: parseXml(raw.toString('utf8')) };
}

/** A small request body read whole and verified. */
export async function readSmallBody(ctx: S3Context, limit = 1024 * 1024): Promise<Buffer> {
  const raw = await readBody(ctx.req, limit);
  verifySmallBody(ctx, raw);
  return raw;
}

/** `skipFlexible`: on CompleteMultipartUpload the x-amz-checksum-* headers describe the object, not the body. */
export function verifySmallBody(ctx: S3Context, raw: Buffer, skipFlexible = false): void {
  const md5 = header(ctx.req.headers, 'content-md5');
  if (md5 !== undefined && checksumOf('MD5', raw).toString('base64') !== md5) throw s3Errors.badDigest('Content-MD5');
  for (const algorithm of skipFlexible ? [] : CHECKSUM_ALGORITHMS) {
    const value = header(ctx.req.headers, checksumHeaderName(algorithm));
    if (value === undefined) continue;
    validateChecksumValue(algorithm, value);
    if (checksumOf(algorithm, raw).toString('base64') !== value) throw s3Errors.badDigest(algorithm);
  }
  const signed = ctx.auth.payloadSha256;
  if (signed && checksumOf('SHA256', raw).toString('hex') !== signed)
    throw new S3Error(
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
}

export function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    throw s3Errors.invalidArgument('Invalid URI encoding', 'path', p);
  }
}
