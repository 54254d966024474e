/** S3's documented limits, as AWS enforces them. */
export const LIMITS = {
  /** UTF-8 bytes of an object key */
  maxKeyBytes: 1024,
  /** single PutObject / CopyObject / POST upload: 5 GiB */
  maxObjectSize: 5 * 1024 ** 3,
  /** every part but the last */
  minPartSize: 5 * 1024 ** 2,
  maxPartSize: 5 * 1024 ** 3,
  maxParts: 10_000,
  /** user-defined metadata: names and values of x-amz-meta-*, in UTF-8 bytes */
  maxMetadataBytes: 2 * 1024,
  maxObjectTags: 10,
  maxBucketTags: 50,
  maxTagKeyLength: 128,
  maxTagValueLength: 256,
  maxDeleteObjects: 1000,
  maxListKeys: 1000,
  /** presigned URLs (SigV4): seven days */
  maxPresignedExpirySeconds: 7 * 24 * 3600,
  /** request-time skew allowed for signed requests */
  maxClockSkewMs: 15 * 60 * 1000,
} as const;
