import type { Principal } from './accounts.js';
import { aclAllows, ownerOnly } from './acl.js';
import type { S3Context } from './context.js';
import { s3Errors } from './errors.js';
import type { BucketInfo, ObjectVersion, Permission } from './model.js';
import { type BucketPolicy, evaluatePolicy, isPublicPolicy, parsePolicy } from './policy.js';

/** The ACL permission that grants an action, and whether it is checked on the bucket or on the object. */
const ACL_PERMISSIONS: Record<string, { on: 'bucket' | 'object'; permission: Permission }> = {
  's3:ListBucket': { on: 'bucket', permission: 'READ' },
  's3:ListBucketVersions': { on: 'bucket', permission: 'READ' },
  's3:ListBucketMultipartUploads': { on: 'bucket', permission: 'READ' },
  's3:PutObject': { on: 'bucket', permission: 'WRITE' },
  's3:DeleteObject': { on: 'bucket', permission: 'WRITE' },
  's3:DeleteObjectVersion': { on: 'bucket', permission: 'WRITE' },
  's3:AbortMultipartUpload': { on: 'bucket', permission: 'WRITE' },
  's3:ListMultipartUploadParts': { on: 'bucket', permission: 'WRITE' },
  's3:GetBucketAcl': { on: 'bucket', permission: 'READ_ACP' },
  's3:PutBucketAcl': { on: 'bucket', permission: 'WRITE_ACP' },
  's3:GetObject': { on: 'object', permission: 'READ' },
  's3:GetObjectVersion': { on: 'object', permission: 'READ' },
  's3:GetObjectAttributes': { on: 'object', permission: 'READ' },
  's3:GetObjectVersionAttributes': { on: 'object', permission: 'READ' },
  's3:GetObjectAcl': { on: 'object', permission: 'READ_ACP' },
  's3:GetObjectVersionAcl': { on: 'object', permission: 'READ_ACP' },
  's3:PutObjectAcl': { on: 'object', permission: 'WRITE_ACP' },
  's3:PutObjectVersionAcl': { on: 'object', permission: 'WRITE_ACP' },
};

/** Bucket-owner operations that the owner's account keeps even when its own policy denies them (as root does). */
const OWNER_ALWAYS = new Set(['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy']);
/** What the bucket owner may do to objects other accounts own (ObjectWriter buckets). */
const OWNER_OVER_FOREIGN_OBJECTS = new Set(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObject']);

const parsedPolicies = new Map<string, BucketPolicy>();
export function bucketPolicy(bucket: BucketInfo): BucketPolicy | undefined {
  if (!bucket.policy) return undefined;
  const id = `${bucket.name}\n${bucket.policy}`;
  let p = parsedPolicies.get(id);
  if (!p) {
    p = parsePolicy(bucket.policy, bucket.name);
    if (parsedPolicies.size > 500) parsedPolicies.clear();
    parsedPolicies.set(id, p);
  }
  return p;
}

export function isOwner(principal: Principal, canonicalId: string): boolean {
  return principal.kind === 'account' && principal.account.canonicalId === canonicalId;
}

/** The condition keys every request carries; operations add their own (s3:prefix, s3:x-amz-acl, tags, ...). */
function baseContext(ctx: S3Context): Record<string, string[] | undefined> {
  const h = ctx.req.headers;
  const p = ctx.auth.principal;
  const str = (v: string | string[] | undefined) => (v === undefined ? undefined : [String(v)]);
  return {
    'aws:sourceip': str(ctx.req.socket?.remoteAddress?.replace(/^::ffff:/, '')),
    'aws:securetransport': ['false'],
    'aws:currenttime': [new Date().toISOString()],
    'aws:epochtime': [String(Math.floor(Date.now() / 1000))],
    'aws:referer': str(h.referer),
    'aws:useragent': str(h['user-agent']),
    'aws:principalaccount': p.kind === 'account' ? [p.account.accountId] : undefined,
    'aws:principaltype': [p.kind === 'account' ? 'Account' : 'Anonymous'],
    'aws:username': p.kind === 'account' ? [p.account.displayName] : undefined,
    'aws:userid': p.kind === 'account' ? [p.account.canonicalId] : ['anonymous'],
    's3:authtype': str(ctx.auth.authType),
    's3:signatureversion': str(ctx.auth.signatureVersion),
    's3:x-amz-acl': str(h['x-amz-acl']),
    's3:x-amz-content-sha256': str(h['x-amz-content-sha256']),
    's3:x-amz-copy-source': str(h['x-amz-copy-source']),
    's3:x-amz-metadata-directive': str(h['x-amz-metadata-directive']),
    's3:x-amz-server-side-encryption': str(h['x-amz-server-side-encryption']),
    's3:x-amz-storage-class': str(h['x-amz-storage-class']),
    's3:x-amz-grant-read': str(h['x-amz-grant-read']),
    's3:x-amz-grant-write': str(h['x-amz-grant-write']),
    's3:x-amz-grant-read-acp': str(h['x-amz-grant-read-acp']),
    's3:x-amz-grant-write-acp': str(h['x-amz-grant-write-acp']),
    's3:x-amz-grant-full-control': str(h['x-amz-grant-full-control']),
    's3:object-lock-mode': str(h['x-amz-object-lock-mode']),
    's3:object-lock-retain-until-date': str(h['x-amz-object-lock-retain-until-date']),
    's3:object-lock-legal-hold': str(h['x-amz-object-lock-legal-hold']),
    's3:versionid': str(ctx.query.get('versionId') ?? undefined),
    's3:prefix': str(ctx.query.get('prefix') ?? undefined),
    's3:delimiter': str(ctx.query.get('delimiter') ?? undefined),
    's3:max-keys': str(ctx.query.get('max-keys') ?? undefined),
  };
}

export interface AccessTarget {
  bucket: BucketInfo;
  key?: string;
  /** the existing object version the action reads or changes */
  object?: ObjectVersion;
  /** extra condition keys (lower-case) */
  context?: Record<string, string[] | undefined>;
}

/**
 * S3's decision for a principal, an action and a resource: an explicit Deny in the bucket policy refuses; the
 * owner of the resource, an Allow in the policy or a matching ACL grant allow (ACLs only while the bucket's object
 * ownership keeps them enabled; public grants and public policies as the public access block says); else denied.
 */
export function isAllowed(ctx: S3Context, action: string, target: AccessTarget): boolean {
  const { bucket, object } = target;
  const principal = ctx.auth.principal;
  const resource =
    target.key !== undefined ? `arn:aws:s3:::${bucket.name}/${target.key}` : `arn:aws:s3:::${bucket.name}`;
  const pab = bucket.publicAccessBlock;
  const bucketOwner = isOwner(principal, bucket.owner);
  let decision: 'Allow' | 'Deny' | 'NoMatch' = 'NoMatch';
  const policy = bucketPolicy(bucket);
  if (policy) {
    decision = evaluatePolicy(policy, {
      principal,
      action,
      resource,
      context: { ...baseContext(ctx), ...target.context },
    });
    if (decision === 'Allow' && pab?.RestrictPublicBuckets && isPublicPolicy(policy) && !bucketOwner)
      decision = 'NoMatch';
    if (decision === 'Deny' && !(bucketOwner && OWNER_ALWAYS.has(action))) return false;
  }
  if (bucketOwner) {
    if (!object || object.owner === bucket.owner || bucket.ownership === 'BucketOwnerEnforced') return true;
    if (OWNER_OVER_FOREIGN_OBJECTS.has(action)) return true;
  }
  if (object && isOwner(principal, object.owner)) return true;
  if (decision === 'Allow') return true;
  if (bucket.ownership === 'BucketOwnerEnforced') return false;
  const acl = ACL_PERMISSIONS[action];
  if (!acl) return false;
  const ignorePublic = pab?.IgnorePublicAcls === true;
  if (acl.on === 'bucket')
    return aclAllows(bucket.acl ?? ownerOnly(bucket.owner), principal, acl.permission, { ignorePublic });
  if (!object) return false;
  return aclAllows(object.acl ?? ownerOnly(object.owner), principal, acl.permission, { ignorePublic });
}

export function authorize(ctx: S3Context, action: string, target: AccessTarget): void {
  if (!isAllowed(ctx, action, target)) throw s3Errors.accessDenied();
}
