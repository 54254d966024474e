import type { ChecksumAlgorithm } from './checksums.js';
import type { S3NotificationConfiguration } from './notifications.js';

/** The shapes the S3 store keeps on disk (bucket.json, one sidecar per key) and hands to the operations. */

export type Permission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
export type Grantee =
  | { type: 'CanonicalUser'; id: string }
  | { type: 'Group'; uri: string }
  | { type: 'AmazonCustomerByEmail'; email: string };
export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64; composite multipart checksums end in `-N` */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface Tag {
  Key: string;
  Value: string;
}

export type LockMode = 'GOVERNANCE' | 'COMPLIANCE';
export interface Retention {
  mode: LockMode;
  /** ISO 8601 */
  retainUntil: string;
}

export interface PartSummary {
  partNumber: number;
  size: number;
  checksum?: string;
}

/** One version of a key: an object or a delete marker. Unversioned buckets hold one version, `null`. */
export interface ObjectVersion {
  key: string;
  versionId: string;
  deleteMarker?: boolean;
  lastModified: string;
  /** canonical id of the owner */
  owner: string;
  size: number;
  /** quoted, as S3 sends it: `"md5hex"` or `"md5-of-md5s-N"` */
  etag: string;
  contentType?: string;
  /** x-amz-meta-* without the prefix, lower-case names */
  metadata: Record<string, string>;
  /** stored representation headers: cache-control, content-disposition, content-encoding, content-language, expires */
  headers: Record<string, string>;
  checksum?: ObjectChecksum;
  /** number of parts of a multipart object */
  parts?: number;
  partList?: PartSummary[];
  storageClass?: string;
  /** grants besides the owner's implicit ones; undefined = the owner's FULL_CONTROL only */
  acl?: Grant[];
  tags?: Tag[];
  retention?: Retention;
  legalHold?: boolean;
  /** body file name inside the bucket's objects folder ('' for delete markers) */
  bodyFile: string;
}

/** @deprecated name kept for in-process callers: an object version. */
export type ObjectMeta = ObjectVersion;

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface CorsRule {
  ID?: string;
  AllowedOrigins: string[];
  AllowedMethods: string[];
  AllowedHeaders: string[];
  ExposeHeaders: string[];
  MaxAgeSeconds?: number;
}

export interface ObjectLockConfig {
  enabled: boolean;
  defaultRetention?: { mode: LockMode; days?: number; years?: number };
}

export interface BucketInfo {
  name: string;
  creationDate: string;
  /** canonical id of the owning account */
  owner: string;
  region?: string;
  /** grants besides the owner's implicit FULL_CONTROL */
  acl?: Grant[];
  versioning?: 'Enabled' | 'Suspended';
  objectLock?: ObjectLockConfig;
  /** the policy document as the owner sent it */
  policy?: string;
  publicAccessBlock?: PublicAccessBlock;
  ownership?: ObjectOwnership;
  cors?: CorsRule[];
  tags?: Tag[];
  notification?: S3NotificationConfiguration;
}

export interface UploadInfo {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  owner: string;
  contentType?: string;
  metadata: Record<string, string>;
  headers: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  acl?: Grant[];
  tags?: Tag[];
  retention?: Retention;
  legalHold?: boolean;
  storageClass?: string;
}

export interface PartInfo {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  checksum?: string;
}
