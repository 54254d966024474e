import { escapeXml } from '../../lib/xml-text.js';
import { authorize } from './access.js';
import { aclFromHeaders, isPublicGrant } from './acl.js';
import { checkExpectedOwner, ownerXml, requester, type S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { header, readSmallBody, readXmlBody, send, sendXml } from './http-io.js';
import { LIMITS } from './limits.js';
import type { BucketInfo, ObjectOwnership } from './model.js';
import { notificationToXml, parseNotificationXml } from './notifications.js';
import { checkBucketName } from './object-store.js';
import { uriEncode } from './signature.js';
import { childText, parseXml, renderXml, type XmlNode } from './xml.js';

const OWNERSHIPS: readonly ObjectOwnership[] = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

/** The bucket of the request, checked against x-amz-expected-bucket-owner. */
export function targetBucket(ctx: S3Context): BucketInfo {
  const bucket = ctx.store.headBucket(ctx.bucket!);
  checkExpectedOwner(ctx, bucket);
  return bucket;
}

export function listBuckets(ctx: S3Context): void {
  const account = requester(ctx);
  const maxText = ctx.query.get('max-buckets');
  const max = maxText === null ? 10000 : Number(maxText);
  if (!Number.isInteger(max) || max < 1 || max > 10000)
    throw s3Errors.invalidArgument('max-buckets must be an integer between 1 and 10000', 'max-buckets', maxText ?? '');
  const token = ctx.query.get('continuation-token');
  const prefix = ctx.query.get('prefix') ?? '';
  const after = token ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const all = ctx.store.listBuckets(account.canonicalId).filter((b) => b.name.startsWith(prefix) && b.name > after);
  const page = all.slice(0, max);
  sendXml(
    ctx.res,
    200,
    renderXml('ListAllMyBucketsResult', {
      Owner: ownerXml(ctx, account.canonicalId),
      Buckets: {
        Bucket: page.map((b) => ({ Name: b.name, CreationDate: b.creationDate, BucketRegion: ctx.store.region })),
      },
      ContinuationToken:
        all.length > page.length ? Buffer.from(page[page.length - 1].name, 'utf8').toString('base64url') : undefined,
      Prefix: ctx.query.has('prefix') ? prefix : undefined,
    }),
  );
}

export async function createBucket(ctx: S3Context): Promise<void> {
  const account = requester(ctx);
  const name = ctx.bucket!;
  const raw = await readSmallBody(ctx, 64 * 1024);
  if (raw.length > 0) {
    const root = parseXml(raw.toString('utf8'));
    if (root.name !== 'CreateBucketConfiguration') throw s3Errors.malformedXml();
    const location = childText(root, 'LocationConstraint');
    if (location === ctx.store.region && location === 'us-east-1')
      throw new S3Error('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', {
        LocationConstraint: location,
      });
  }
  checkBucketName(name);
  const ownershipHeader = header(ctx.req.headers, 'x-amz-object-ownership');
  if (ownershipHeader !== undefined && !OWNERSHIPS.includes(ownershipHeader as ObjectOwnership))
    throw s3Errors.invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownershipHeader);
  const acl = aclFromHeaders(ctx.req.headers, account.canonicalId, account.canonicalId, ctx.accounts);
  if (ctx.store.hasBucket(name)) {
    const existing = ctx.store.headBucket(name);
    if (existing.owner !== account.canonicalId)
      throw new S3Error(
        'BucketAlreadyExists',
        409,
        'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
        { BucketName: name },
      );
    if (ctx.store.region !== 'us-east-1')
      throw new S3Error(
        'BucketAlreadyOwnedByYou',
        409,
        'Your previous request to create the named bucket succeeded and you already own it.',
        { BucketName: name },
      );
    // us-east-1 keeps its legacy answer: 200, and the bucket's ACL is reset to what this request asks.
    await ctx.store.updateBucket(name, (b) => {
      b.acl = acl?.grants;
    });
    send(ctx.res, 200, '', { location: `/${name}` });
    return;
  }
  const ownership =
    (ownershipHeader as ObjectOwnership | undefined) ??
    (ctx.settings.defaultObjectOwnership === 'ObjectWriter' ? undefined : ctx.settings.defaultObjectOwnership);
  if (
    ownership === 'BucketOwnerEnforced' &&
    acl &&
    acl.grants.some((g) => g.grantee.type !== 'CanonicalUser' || g.grantee.id !== account.canonicalId)
  )
    throw new S3Error(
      'InvalidBucketAclWithObjectOwnership',
      400,
      "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    );
  const lock = header(ctx.req.headers, 'x-amz-bucket-object-lock-enabled')?.toLowerCase() === 'true';
  await ctx.store.createBucket(name, {
    owner: account.canonicalId,
    acl: acl?.grants,
    ownership,
    ...(lock ? { versioning: 'Enabled' as const, objectLock: { enabled: true } } : {}),
  });
  send(ctx.res, 200, '', { location: `/${name}` });
}

export function headBucket(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:ListBucket', { bucket });
  send(ctx.res, 200, '', { 'x-amz-bucket-region': ctx.store.region });
}

export async function deleteBucket(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:DeleteBucket', { bucket });
  await ctx.store.deleteBucket(bucket.name);
  send(ctx.res, 204);
}

export function getBucketLocation(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketLocation', { bucket });
  const region = ctx.store.region === 'us-east-1' ? '' : ctx.store.region;
  sendXml(
    ctx.res,
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${region}</LocationConstraint>`,
  );
}

export function getNotification(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:GetBucketNotification', { bucket });
  sendXml(
    ctx.res,
    200,
    renderXml('NotificationConfiguration', notificationToXml(ctx.store.getNotificationConfiguration(bucket.name))),
  );
}

export async function putNotification(ctx: S3Context): Promise<void> {
  const bucket = targetBucket(ctx);
  authorize(ctx, 's3:PutBucketNotification', { bucket });
  const { root } = await readXmlBody(ctx);
  await ctx.store.putNotificationConfiguration(bucket.name, parseNotificationXml(root));
  send(ctx.res, 200);
}

/** `encoding-type=url`: S3 percent-encodes keys and prefixes in listings, `/` kept. */
function encoder(ctx: S3Context): (v: string | undefined) => string | undefined {
  const encodingType = ctx.query.get('encoding-type');
  if (encodingType !== null && encodingType !== 'url')
    throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return encodingType === 'url' ? (v) => (v === undefined ? undefined : uriEncode(v, true)) : (v) => v;
}

function maxKeysOf(ctx: S3Context): number {
  const text = ctx.query.get('max-keys');
  const maxKeys = text === null ? LIMITS.maxListKeys : Number(text);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw s3Errors.invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', text ?? '');
  return maxKeys;
}

export function listObjects(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  const q = ctx.query;
  authorize(ctx, 's3:ListBucket', { bucket });
  const v2 = q.get('list-type') === '2';
  const maxKeys = maxKeysOf(ctx);
  const prefix = q.get('prefix') ?? undefined;
  const delimiter = q.get('delimiter') || undefined;
  const enc = encoder(ctx);
  let startAfter: string | undefined;
  const token = q.get('continuation-token') ?? undefined;
  if (v2) {
    if (token) {
      startAfter = Buffer.from(token, 'base64url').toString('utf8');
      if (Buffer.from(startAfter, 'utf8').toString('base64url') !== token)
        throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    } else startAfter = q.get('start-after') ?? undefined;
  } else startAfter = q.get('marker') ?? undefined;
  const result = ctx.store.listObjects(bucket.name, {
    prefix,
    delimiter,
    maxKeys: Math.min(maxKeys, LIMITS.maxListKeys),
    startAfter,
  });
  const fetchOwner = !v2 || q.get('fetch-owner') === 'true';
  const contents = result.contents.map((o) => ({
    Key: enc(o.key),
    LastModified: o.lastModified,
    ETag: o.etag,
    ChecksumAlgorithm: o.checksum?.algorithm,
    ChecksumType: o.checksum?.type,
    Size: o.size,
    Owner: fetchOwner ? ownerXml(ctx, o.owner) : undefined,
    StorageClass: o.storageClass ?? 'STANDARD',
  }));
  const common = result.commonPrefixes.map((p) => ({ Prefix: enc(p) }));
  const body: XmlNode = v2
    ? {
        Name: bucket.name,
        Prefix: enc(prefix) ?? '',
        Delimiter: enc(delimiter),
        MaxKeys: maxKeys,
        EncodingType: q.get('encoding-type') ?? undefined,
        KeyCount: result.contents.length + result.commonPrefixes.length,
        IsTruncated: result.isTruncated,
        ContinuationToken: token,
        NextContinuationToken:
          result.isTruncated && result.lastReturned
            ? Buffer.from(result.lastReturned, 'utf8').toString('base64url')
            : undefined,
        StartAfter: enc(q.get('start-after') ?? undefined),
        Contents: contents,
        CommonPrefixes: common,
      }
    : {
        Name: bucket.name,
        Prefix: prefix ?? '',
        Marker: enc(q.get('marker') ?? '') ?? '',
        NextMarker: result.isTruncated && delimiter ? enc(result.lastReturned) : undefined,
        MaxKeys: maxKeys,
        Delimiter: enc(delimiter),
        EncodingType: q.get('encoding-type') ?? undefined,
        IsTruncated: result.isTruncated,
        Contents: contents,
        CommonPrefixes: common,
      };
  sendXml(ctx.res, 200, renderXml('ListBucketResult', body));
}

export function listObjectVersions(ctx: S3Context): void {
  const bucket = targetBucket(ctx);
  const q = ctx.query;
  authorize(ctx, 's3:ListBucketVersions', { bucket });
  const maxKeys = maxKeysOf(ctx);
  const enc = encoder(ctx);
  const versionIdMarker = q.get('version-id-marker') ?? undefined;
  const keyMarker = q.get('key-marker') ?? undefined;
  if (versionIdMarker && !keyMarker)
    throw s3Errors.invalidArgument(
      'A version-id marker cannot be specified without a key marker.',
      'version-id-marker',
      versionIdMarker,
    );
  const result = ctx.store.listObjectVersions(bucket.name, {
    prefix: q.get('prefix') ?? undefined,
    delimiter: q.get('delimiter') || undefined,
    maxKeys: Math.min(maxKeys, LIMITS.maxListKeys),
    keyMarker,
    versionIdMarker,
  });
  // Versions and delete markers interleave in S3's order; the renderer keeps insertion order per element name.
  const entries = result.versions
    .map((v) =>
      v.deleteMarker
        ? `<DeleteMarker><Key>${escapeXml(enc(v.key)!)}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${v.isLatest}</IsLatest><LastModified>${v.lastModified}</LastModified>${ownerTag(ctx, v.owner)}</DeleteMarker>`
        : `<Version><Key>${escapeXml(enc(v.key)!)}</Key><VersionId>${v.versionId}</VersionId><IsLatest>${v.isLatest}</IsLatest><LastModified>${v.lastModified}</LastModified><ETag>${escapeXml(v.etag)}</ETag>${
            v.checksum
              ? `<ChecksumAlgorithm>${v.checksum.algorithm}</ChecksumAlgorithm><ChecksumType>${v.checksum.type}</ChecksumType>`
              : ''
          }<Size>${v.size}</Size><StorageClass>${v.storageClass ?? 'STANDARD'}</StorageClass>${ownerTag(ctx, v.owner)}</Version>`,
    )
    .join('');
  const head = renderXml('ListVersionsResult', {
    Name: bucket.name,
    Prefix: enc(q.get('prefix') ?? '') ?? '',
    KeyMarker: enc(keyMarker ?? '') ?? '',
    VersionIdMarker: versionIdMarker ?? '',
    NextKeyMarker: result.isTruncated ? enc(result.nextKeyMarker) : undefined,
    NextVersionIdMarker: result.isTruncated ? result.nextVersionIdMarker : undefined,
    MaxKeys: maxKeys,
    Delimiter: enc(q.get('delimiter') || undefined),
    EncodingType: q.get('encoding-type') ?? undefined,
    IsTruncated: result.isTruncated,
    CommonPrefixes: result.commonPrefixes.map((p) => ({ Prefix: enc(p) })),
  });
  sendXml(ctx.res, 200, head.replace('</ListVersionsResult>', `${entries}</ListVersionsResult>`));
}

function ownerTag(ctx: S3Context, id: string): string {
  const name = ctx.accounts.byCanonicalId(id)?.displayName;
  return `<Owner><ID>${escapeXml(id)}</ID>${name !== undefined ? `<DisplayName>${escapeXml(name)}</DisplayName>` : ''}</Owner>`;
}

/** Whether any grant of the bucket's ACL reaches beyond its owner (what BucketOwnerEnforced refuses). */
export function bucketAclIsShared(bucket: BucketInfo): boolean {
  return (bucket.acl ?? []).some(
    (g) => isPublicGrant(g) || (g.grantee.type === 'CanonicalUser' && g.grantee.id !== bucket.owner),
  );
}
