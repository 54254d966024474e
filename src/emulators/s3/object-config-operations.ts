import { authorize } from './access.js';
import { aclToXml, ownerOnly } from './acl.js';
import { aclsDisabled, checkAclAllowed, requestedAcl } from './bucket-config-operations.js';
import { targetBucket } from './bucket-operations.js';
import type { S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { header, readXmlBody, send, sendXml } from './http-io.js';
import { LIMITS } from './limits.js';
import type { Tag } from './model.js';
import { checkRetentionChange, objectLockNotEnabled, parseRetentionXml, retentionXml } from './object-lock.js';
import { existingTagContext, readableVersion, requestedVersionId, versionHeaders } from './object-operations.js';
import { parseTaggingXml, taggingXml } from './tagging.js';
import { childText, renderXml, type XmlNode } from './xml.js';

function versioned(ctx: S3Context, base: string, versionAction: string): string {
  return requestedVersionId(ctx) !== undefined ? versionAction : base;
}

// ---- ACL ----

export function getObjectAcl(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  const v = readableVersion(ctx, bucket, versioned(ctx, 's3:GetObjectAcl', 's3:GetObjectVersionAcl'));
  const grants = bucket.ownership === 'BucketOwnerEnforced' ? ownerOnly(v.owner) : (v.acl ?? ownerOnly(v.owner));
  sendXml(ctx.res, 200, aclToXml(v.owner, grants, ctx.accounts), versionHeaders(bucket, v));
}

export async function putObjectAcl(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  const v = readableVersion(ctx, bucket, versioned(ctx, 's3:PutObjectAcl', 's3:PutObjectVersionAcl'));
  if (bucket.ownership === 'BucketOwnerEnforced' && ctx.req.headers['x-amz-acl'] !== 'bucket-owner-full-control')
    throw aclsDisabled();
  const grants = await requestedAcl(ctx, v.owner, bucket.owner);
  checkAclAllowed(bucket, grants, v.owner);
  const updated = await ctx.store.updateVersion(bucket.name, ctx.key!, v.versionId, (x) => {
    x.acl = grants;
  });
  send(ctx.res, 200, '', versionHeaders(bucket, updated));
}

// ---- tagging ----

export function getObjectTagging(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  const v = readableVersion(ctx, bucket, versioned(ctx, 's3:GetObjectTagging', 's3:GetObjectVersionTagging'));
  sendXml(ctx.res, 200, taggingXml(v.tags ?? []), versionHeaders(bucket, v));
}

export async function putObjectTagging(ctx: S3Context): Promise<void> {
  await replaceObjectTags(ctx, 's3:PutObjectTagging', 's3:PutObjectVersionTagging', 200, async () => {
    const { root } = await readXmlBody(ctx);
    return parseTaggingXml(root, LIMITS.maxObjectTags);
  });
}

export async function deleteObjectTagging(ctx: S3Context): Promise<void> {
  await replaceObjectTags(ctx, 's3:DeleteObjectTagging', 's3:DeleteObjectVersionTagging', 204, async () => undefined);
}

/** Put and delete tagging: the version's tag set (its conditions keys) authorized, then replaced. */
async function replaceObjectTags(
  ctx: S3Context,
  action: string,
  versionAction: string,
  status: number,
  newTags: () => Promise<Tag[] | undefined>,
): Promise<void> {
  const bucket = targetBucket(ctx);
  const v = ctx.store.getVersion(bucket.name, ctx.key!, requestedVersionId(ctx));
  authorize(ctx, versioned(ctx, action, versionAction), {
    bucket,
    key: ctx.key,
    object: v?.deleteMarker ? undefined : v,
    context: existingTagContext(v),
  });
  const tags = await newTags();
  const updated = await ctx.store.updateVersion(bucket.name, ctx.key!, requestedVersionId(ctx), (x) => {
    x.tags = tags;
  });
  send(ctx.res, status, '', versionHeaders(bucket, updated));
}

// ---- object lock: retention and legal hold ----

export function getObjectRetention(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  if (!bucket.objectLock?.enabled) throw objectLockNotEnabled();
  const v = readableVersion(ctx, bucket, 's3:GetObjectRetention');
  if (!v.retention)
    throw new S3Error(
      'NoSuchObjectLockConfiguration',
      404,
      'The specified object does not have a ObjectLock configuration',
    );
  sendXml(ctx.res, 200, retentionXml(v.retention));
}

export async function putObjectRetention(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  if (!bucket.objectLock?.enabled) throw objectLockNotEnabled();
  const v = readableVersion(ctx, bucket, 's3:PutObjectRetention');
  const { root } = await readXmlBody(ctx);
  const next = parseRetentionXml(root);
  if (next && Date.parse(next.retainUntil) <= Date.now())
    throw s3Errors.invalidArgument('The retain until date must be in the future!', 'RetainUntilDate', next.retainUntil);
  checkRetentionChange(ctx, bucket, v, next);
  await ctx.store.updateVersion(bucket.name, ctx.key!, v.versionId, (x) => {
    x.retention = next;
  });
  send(ctx.res, 200);
}

export function getObjectLegalHold(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  if (!bucket.objectLock?.enabled) throw objectLockNotEnabled();
  const v = readableVersion(ctx, bucket, 's3:GetObjectLegalHold');
  if (v.legalHold === undefined)
    throw new S3Error(
      'NoSuchObjectLockConfiguration',
      404,
      'The specified object does not have a ObjectLock configuration',
    );
  sendXml(ctx.res, 200, renderXml('LegalHold', { Status: v.legalHold ? 'ON' : 'OFF' }));
}

export async function putObjectLegalHold(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  if (!bucket.objectLock?.enabled) throw objectLockNotEnabled();
  const v = readableVersion(ctx, bucket, 's3:PutObjectLegalHold');
  const { root } = await readXmlBody(ctx);
  const status = childText(root, 'Status');
  if (root.name !== 'LegalHold' || (status !== 'ON' && status !== 'OFF')) throw s3Errors.malformedXml();
  await ctx.store.updateVersion(bucket.name, ctx.key!, v.versionId, (x) => {
    x.legalHold = status === 'ON';
  });
  send(ctx.res, 200);
}

// ---- GetObjectAttributes ----

const ATTRIBUTES = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'];

export function getObjectAttributes(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  const v = readableVersion(ctx, bucket, versioned(ctx, 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes'));
  const wanted = (header(ctx.req.headers, 'x-amz-object-attributes') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0 || wanted.some((a) => !ATTRIBUTES.includes(a)))
    throw s3Errors.invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', wanted.join(','));
  const body: XmlNode = {};
  if (wanted.includes('ETag')) body.ETag = v.etag.replace(/"/g, '');
  if (wanted.includes('Checksum') && v.checksum)
    body.Checksum = { [`Checksum${v.checksum.algorithm}`]: v.checksum.value, ChecksumType: v.checksum.type };
  if (wanted.includes('ObjectParts') && v.partList) {
    const marker = Number(
      ctx.query.get('part-number-marker') ?? header(ctx.req.headers, 'x-amz-part-number-marker') ?? 0,
    );
    const max = Number(ctx.query.get('max-parts') ?? header(ctx.req.headers, 'x-amz-max-parts') ?? 1000);
    const after = v.partList.filter((p) => p.partNumber > marker);
    const page = after.slice(0, max);
    const algorithm = v.checksum?.algorithm;
    body.ObjectParts = {
      PartsCount: v.partList.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1].partNumber : marker,
      MaxParts: max,
      IsTruncated: after.length > page.length,
      Part: page.map((p) => ({
        PartNumber: p.partNumber,
        Size: p.size,
        ...(algorithm && p.checksum ? { [`Checksum${algorithm}`]: p.checksum } : {}),
      })),
    };
  }
  if (wanted.includes('StorageClass')) body.StorageClass = v.storageClass ?? 'STANDARD';
  if (wanted.includes('ObjectSize')) body.ObjectSize = v.size;
  sendXml(ctx.res, 200, renderXml('GetObjectAttributesResponse', body), {
    'last-modified': new Date(v.lastModified).toUTCString(),
    ...versionHeaders(bucket, v),
  });
}
