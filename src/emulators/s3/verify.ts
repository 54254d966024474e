import type { ChecksumAlgorithm } from './checksums.js';
import type { Digests } from './disk.js';
import { S3Error, s3Errors } from './errors.js';

/** What a body must match once it has been read: its length, Content-MD5, a flexible checksum, the signed hash. */
export interface BodyChecks {
  /** base64 Content-MD5 to verify */
  contentMd5?: string;
  /** checksum to compute; `expected()` is read after the body ended (trailers arrive last) */
  checksum?: { algorithm: ChecksumAlgorithm; expected: () => string | undefined };
  /** x-amz-decoded-content-length / content-length to verify */
  expectedSize?: number;
  /** hex SHA-256 the request was signed with (x-amz-content-sha256) */
  payloadSha256?: string;
}

export function verifyBody(size: number, digests: Digests, checks: BodyChecks): void {
  if (checks.expectedSize !== undefined && size !== checks.expectedSize)
    throw new S3Error(
      'IncompleteBody',
      400,
      'You did not provide the number of bytes specified by the Content-Length HTTP header',
    );
  if (checks.payloadSha256 && digests.SHA256 && digests.SHA256.toString('hex') !== checks.payloadSha256)
    throw new S3Error(
      'XAmzContentSHA256Mismatch',
      400,
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      { ClientComputedContentSHA256: checks.payloadSha256, S3ComputedContentSHA256: digests.SHA256.toString('hex') },
    );
  if (checks.contentMd5 !== undefined) {
    if (Buffer.from(checks.contentMd5, 'base64').length !== 16)
      throw new S3Error('InvalidDigest', 400, 'The Content-MD5 you specified is not valid.');
    if (digests.MD5!.toString('base64') !== checks.contentMd5) throw s3Errors.badDigest('Content-MD5');
  }
  if (checks.checksum) {
    const expected = checks.checksum.expected();
    if (expected !== undefined && digests[checks.checksum.algorithm]!.toString('base64') !== expected)
      throw s3Errors.badDigest(checks.checksum.algorithm);
  }
}
