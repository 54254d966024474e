import { readBody } from '../../lib/http.js';
import { authorize, bucketPolicy } from './access.js';
import { aclFromHeaders, aclFromXml, aclToXml, isPublicGrant, ownerOnly } from './acl.js';
import { bucketAclIsShared, targetBucket } from './bucket-operations.js';
import type { S3Context } from './context.js';
import { corsToXml, parseCorsXml } from './cors.js';
import { S3Error, s3Errors } from './errors.js';
import { readSmallBody, readXmlBody, send, sendXml, verifySmallBody } from './http-io.js';
import { LIMITS } from './limits.js';
import type { BucketInfo, Grant, ObjectOwnership, PublicAccessBlock } from './model.js';
import { lockConfigurationXml, parseLockConfiguration } from './object-lock.js';
import { isPublicPolicy, parsePolicy } from './policy.js';
import { parseTaggingXml, taggingXml } from './tagging.js';
import { child, childText, parseXml, renderXml } from './xml.js';

// ---- ACL ----

export function getBucketAcl(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketAcl', { bucket });
  const grants =
    bucket.ownership === 'BucketOwnerEnforced' ? ownerOnly(bucket.owner) : (bucket.acl ?? ownerOnly(bucket.owner));
  sendXml(ctx.res, 200, aclToXml(bucket.owner, grants, ctx.accounts));
}

/** The grants a PutBucketAcl / PutObjectAcl request sets: canned or grant headers, else the XML body. */
export async function requestedAcl(ctx: S3Context, owner: string, bucketOwner: string): Promise<Grant[]> {
  const fromHeaders = aclFromHeaders(ctx.req.headers, owner, bucketOwner, ctx.accounts);
  const raw = await readBody(ctx.req, 64 * 1024);
  verifySmallBody(ctx, raw);
  if (fromHeaders) {
    if (raw.length > 0)
      throw s3Errors.invalidRequest('Specifying both an ACL in the request body and ACL headers is not allowed');
    return fromHeaders.grants;
  }
  if (raw.length === 0)
    throw new S3Error('MissingSecurityHeader', 400, 'Your request was missing a required header', {
      MissingHeaderName: 'x-amz-acl',
    });
  return aclFromXml(parseXml(raw.toString('utf8')), owner, ctx.accounts);
}

export function aclsDisabled(): S3Error {
  return new S3Error('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
}

/** What BucketOwnerEnforced and BlockPublicAcls say about a new ACL. */
export function checkAclAllowed(bucket: BucketInfo, grants: Grant[], owner: string): void {
  if (bucket.ownership === 'BucketOwnerEnforced') {
    const onlyOwners = grants.every(
      (g) =>
        g.grantee.type === 'CanonicalUser' &&
        (g.grantee.id === owner || g.grantee.id === bucket.owner) &&
        g.permission === 'FULL_CONTROL',
    );
    if (!onlyOwners) throw new S3Error('AccessControlListNotSupported', 400, 'The bucket does not allow ACLs');
  }
  if (bucket.publicAccessBlock?.BlockPublicAcls && grants.some(isPublicGrant)) throw s3Errors.accessDenied();
}

export async function putBucketAcl(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketAcl', { bucket });
  if (bucket.ownership === 'BucketOwnerEnforced' && ctx.req.headers['x-amz-acl'] !== 'bucket-owner-full-control')
    throw aclsDisabled();
  const grants = await requestedAcl(ctx, bucket.owner, bucket.owner);
  checkAclAllowed(bucket, grants, bucket.owner);
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.acl = grants;
  });
  send(ctx.res, 200);
}

// ---- policy ----

export function getBucketPolicy(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketPolicy', { bucket });
  if (!bucket.policy)
    throw new S3Error('NoSuchBucketPolicy', 404, 'The bucket policy does not exist', { BucketName: bucket.name });
  send(ctx.res, 200, bucket.policy, { 'content-type': 'application/json' });
}

export async function putBucketPolicy(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketPolicy', { bucket });
  const text = (await readSmallBody(ctx, 20 * 1024 + 1)).toString('utf8');
  if (Buffer.byteLength(text) > 20 * 1024)
    throw new S3Error('PolicyTooLarge', 400, 'Policy exceeds the maximum allowed document size.');
  const policy = parsePolicy(text, bucket.name);
  if (bucket.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(policy)) throw s3Errors.accessDenied();
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.policy = text;
  });
  send(ctx.res, 204);
}

export const deleteBucketPolicy = (ctx: S3Context) => removeBucketSetting(ctx, 's3:DeleteBucketPolicy', 'policy');

export function getBucketPolicyStatus(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketPolicyStatus', { bucket });
  const policy = bucketPolicy(bucket);
  const pab = bucket.publicAccessBlock;
  // Public through the policy (unless restricted) or through a grant to everyone (unless public ACLs are ignored).
  const isPublic =
    (policy !== undefined && isPublicPolicy(policy) && !pab?.RestrictPublicBuckets) ||
    (bucket.ownership !== 'BucketOwnerEnforced' && !pab?.IgnorePublicAcls && (bucket.acl ?? []).some(isPublicGrant));
  sendXml(ctx.res, 200, renderXml('PolicyStatus', { IsPublic: isPublic }));
}

// ---- public access block ----

const PAB_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

export function getPublicAccessBlock(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketPublicAccessBlock', { bucket });
  if (!bucket.publicAccessBlock)
    throw new S3Error(
      'NoSuchPublicAccessBlockConfiguration',
      404,
      'The public access block configuration was not found',
      {
        BucketName: bucket.name,
      },
    );
  sendXml(ctx.res, 200, renderXml('PublicAccessBlockConfiguration', { ...bucket.publicAccessBlock }));
}

export async function putPublicAccessBlock(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketPublicAccessBlock', { bucket });
  const { root } = await readXmlBody(ctx);
  if (root.name !== 'PublicAccessBlockConfiguration') throw s3Errors.malformedXml();
  const pab = {} as PublicAccessBlock;
  for (const f of PAB_FIELDS) {
    const v = childText(root, f);
    if (v !== undefined && v !== 'true' && v !== 'false') throw s3Errors.malformedXml();
    pab[f] = v === 'true';
  }
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.publicAccessBlock = pab;
  });
  send(ctx.res, 200);
}

export const deletePublicAccessBlock = (ctx: S3Context) =>
  removeBucketSetting(ctx, 's3:PutBucketPublicAccessBlock', 'publicAccessBlock');

// ---- ownership controls ----

export function getOwnershipControls(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketOwnershipControls', { bucket });
  if (!bucket.ownership)
    throw new S3Error('OwnershipControlsNotFoundError', 404, 'The bucket ownership controls were not found', {
      BucketName: bucket.name,
    });
  sendXml(ctx.res, 200, renderXml('OwnershipControls', { Rule: { ObjectOwnership: bucket.ownership } }));
}

export async function putOwnershipControls(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketOwnershipControls', { bucket });
  const { root } = await readXmlBody(ctx);
  const rule = child(root, 'Rule');
  const ownership = rule ? childText(rule, 'ObjectOwnership') : undefined;
  if (
    root.name !== 'OwnershipControls' ||
    !['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'].includes(ownership ?? '')
  )
    throw s3Errors.malformedXml();
  if (ownership === 'BucketOwnerEnforced' && bucketAclIsShared(bucket))
    throw new S3Error(
      'InvalidBucketAclWithObjectOwnership',
      400,
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.ownership = ownership as ObjectOwnership;
  });
  send(ctx.res, 200);
}

export const deleteOwnershipControls = (ctx: S3Context) =>
  removeBucketSetting(ctx, 's3:PutBucketOwnershipControls', 'ownership');

// ---- CORS ----

export function getBucketCors(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketCORS', { bucket });
  if (!bucket.cors)
    throw new S3Error('NoSuchCORSConfiguration', 404, 'The CORS configuration does not exist', {
      BucketName: bucket.name,
    });
  sendXml(ctx.res, 200, corsToXml(bucket.cors));
}

export async function putBucketCors(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketCORS', { bucket });
  const { root } = await readXmlBody(ctx, 64 * 1024);
  const rules = parseCorsXml(root);
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.cors = rules;
  });
  send(ctx.res, 200);
}

export const deleteBucketCors = (ctx: S3Context) => removeBucketSetting(ctx, 's3:PutBucketCORS', 'cors');

// ---- tagging ----

export function getBucketTagging(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketTagging', { bucket });
  if (!bucket.tags) throw new S3Error('NoSuchTagSet', 404, 'The TagSet does not exist', { BucketName: bucket.name });
  sendXml(ctx.res, 200, taggingXml(bucket.tags));
}

export async function putBucketTagging(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketTagging', { bucket });
  const { root } = await readXmlBody(ctx);
  const tags = parseTaggingXml(root, LIMITS.maxBucketTags);
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.tags = tags;
  });
  send(ctx.res, 204);
}

export const deleteBucketTagging = (ctx: S3Context) => removeBucketSetting(ctx, 's3:PutBucketTagging', 'tags');

// ---- versioning and object lock ----

export function getBucketVersioning(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketVersioning', { bucket });
  sendXml(ctx.res, 200, renderXml('VersioningConfiguration', { Status: bucket.versioning }));
}

export async function putBucketVersioning(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketVersioning', { bucket });
  const { root } = await readXmlBody(ctx);
  if (root.name !== 'VersioningConfiguration') throw s3Errors.malformedXml();
  const status = childText(root, 'Status');
  const mfa = childText(root, 'MfaDelete');
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw s3Errors.malformedXml();
  if (mfa !== undefined && mfa !== 'Enabled' && mfa !== 'Disabled') throw s3Errors.malformedXml();
  if (status === 'Suspended' && bucket.objectLock?.enabled)
    throw new S3Error(
      'InvalidBucketState',
      409,
      'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.',
    );
  if (status === undefined) {
    send(ctx.res, 200);
    return;
  }
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.versioning = status;
  });
  send(ctx.res, 200);
}

export function getObjectLockConfiguration(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketObjectLockConfiguration', { bucket });
  if (!bucket.objectLock?.enabled)
    throw new S3Error(
      'ObjectLockConfigurationNotFoundError',
      404,
      'Object Lock configuration does not exist for this bucket',
      {
        BucketName: bucket.name,
      },
    );
  sendXml(ctx.res, 200, lockConfigurationXml(bucket.objectLock));
}

export async function putObjectLockConfiguration(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketObjectLockConfiguration', { bucket });
  const { root } = await readXmlBody(ctx);
  const lock = parseLockConfiguration(root);
  if (!bucket.objectLock?.enabled && bucket.versioning !== 'Enabled')
    throw new S3Error(
      'InvalidBucketState',
      409,
      "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
    );
  await ctx.store.updateBucket(bucket.name, (b) => {
    b.objectLock = lock;
  });
  send(ctx.res, 200);
}

/** DELETE of a bucket subresource: authorized by the action S3 checks for it, the setting removed, 204. */
async function removeBucketSetting(
  ctx: S3Context,
  action: string,
  setting: 'policy' | 'publicAccessBlock' | 'ownership' | 'cors' | 'tags',
): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, action, { bucket });
  await ctx.store.updateBucket(bucket.name, (b) => {
    b[setting] = undefined;
  });
  send(ctx.res, 204);
}
