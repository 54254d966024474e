import { isAllowed } from './access.js';
import type { S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { header } from './http-io.js';
import type { BucketInfo, LockMode, ObjectVersion, Retention } from './model.js';
import { child, childText, renderXml, type XmlElement } from './xml.js';

const MODES: readonly LockMode[] = ['GOVERNANCE', 'COMPLIANCE'];

export function objectLockNotEnabled(): S3Error {
  return new S3Error('InvalidRequest', 400, 'Bucket is missing Object Lock Configuration');
}

export function parseLockConfiguration(root: XmlElement): BucketInfo['objectLock'] {
  if (root.name !== 'ObjectLockConfiguration') throw s3Errors.malformedXml();
  const enabled = childText(root, 'ObjectLockEnabled');
  if (enabled !== 'Enabled') throw s3Errors.malformedXml();
  const rule = child(root, 'Rule');
  if (!rule) return { enabled: true };
  const dr = child(rule, 'DefaultRetention');
  if (!dr) throw s3Errors.malformedXml();
  const mode = childText(dr, 'Mode') as LockMode;
  if (!MODES.includes(mode)) throw s3Errors.malformedXml();
  const days = childText(dr, 'Days');
  const years = childText(dr, 'Years');
  if ((days === undefined) === (years === undefined)) throw s3Errors.malformedXml();
  const n = Number(days ?? years);
  if (!Number.isInteger(n) || n <= 0)
    throw new S3Error('InvalidRetentionPeriod', 400, 'Default retention period must be a positive integer value.');
  return { enabled: true, defaultRetention: { mode, ...(days !== undefined ? { days: n } : { years: n }) } };
}

export function lockConfigurationXml(lock: NonNullable<BucketInfo['objectLock']>): string {
  const d = lock.defaultRetention;
  return renderXml('ObjectLockConfiguration', {
    ObjectLockEnabled: 'Enabled',
    Rule: d ? { DefaultRetention: { Mode: d.mode, Days: d.days, Years: d.years } } : undefined,
  });
}

export function parseRetentionXml(root: XmlElement): Retention | undefined {
  if (root.name !== 'Retention') throw s3Errors.malformedXml();
  const mode = childText(root, 'Mode');
  const until = childText(root, 'RetainUntilDate');
  if (mode === undefined && until === undefined) return undefined;
  if (!MODES.includes(mode as LockMode) || until === undefined || Number.isNaN(Date.parse(until)))
    throw s3Errors.malformedXml();
  return { mode: mode as LockMode, retainUntil: new Date(until).toISOString() };
}

/** Retention and legal hold a write asks for with x-amz-object-lock-* headers, else the bucket's default. */
export function requestedLock(ctx: S3Context, bucket: BucketInfo): Pick<ObjectVersion, 'retention' | 'legalHold'> {
  const h = ctx.req.headers;
  const mode = header(h, 'x-amz-object-lock-mode');
  const until = header(h, 'x-amz-object-lock-retain-until-date');
  const hold = header(h, 'x-amz-object-lock-legal-hold');
  if ((mode || until || hold) && !bucket.objectLock?.enabled) throw objectLockNotEnabled();
  if ((mode === undefined) !== (until === undefined))
    throw s3Errors.invalidArgument(
      'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
      'x-amz-object-lock-mode',
      mode ?? '',
    );
  let retention: Retention | undefined;
  if (mode !== undefined && until !== undefined) {
    if (!MODES.includes(mode as LockMode))
      throw s3Errors.invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
    const t = Date.parse(until);
    if (Number.isNaN(t))
      throw s3Errors.invalidArgument(
        'The retain until date must be a date',
        'x-amz-object-lock-retain-until-date',
        until,
      );
    if (t <= Date.now())
      throw s3Errors.invalidArgument(
        'The retain until date must be in the future!',
        'x-amz-object-lock-retain-until-date',
        until,
      );
    retention = { mode: mode as LockMode, retainUntil: new Date(t).toISOString() };
  } else if (bucket.objectLock?.defaultRetention) {
    const d = bucket.objectLock.defaultRetention;
    const t = new Date();
    if (d.days) t.setUTCDate(t.getUTCDate() + d.days);
    if (d.years) t.setUTCFullYear(t.getUTCFullYear() + d.years);
    retention = { mode: d.mode, retainUntil: t.toISOString() };
  }
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF')
    throw s3Errors.invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", 'x-amz-object-lock-legal-hold', hold);
  return { retention, legalHold: hold === undefined ? undefined : hold === 'ON' };
}

function bypassGovernance(ctx: S3Context, bucket: BucketInfo, key: string): boolean {
  return (
    header(ctx.req.headers, 'x-amz-bypass-governance-retention')?.toLowerCase() === 'true' &&
    isAllowed(ctx, 's3:BypassGovernanceRetention', { bucket, key })
  );
}

/** Refuses removing or overwriting a locked version: legal hold, compliance, governance without the bypass. */
export function checkVersionRemovable(ctx: S3Context, bucket: BucketInfo, v: ObjectVersion): void {
  if (v.deleteMarker) return;
  if (v.legalHold) throw s3Errors.accessDenied('Access Denied because object protected by object lock.');
  const r = v.retention;
  if (!r || Date.parse(r.retainUntil) <= Date.now()) return;
  if (r.mode === 'GOVERNANCE' && bypassGovernance(ctx, bucket, v.key)) return;
  throw s3Errors.accessDenied('Access Denied because object protected by object lock.');
}

/** PutObjectRetention on a version that has one: shortening or weakening needs the governance bypass. */
export function checkRetentionChange(
  ctx: S3Context,
  bucket: BucketInfo,
  v: ObjectVersion,
  next: Retention | undefined,
): void {
  const r = v.retention;
  if (!r || Date.parse(r.retainUntil) <= Date.now()) return;
  const weaker = !next || Date.parse(next.retainUntil) < Date.parse(r.retainUntil) || next.mode !== r.mode;
  if (!weaker) return;
  if (r.mode === 'GOVERNANCE' && bypassGovernance(ctx, bucket, v.key)) return;
  throw s3Errors.accessDenied('Access Denied because object protected by object lock.');
}

export function retentionXml(r: Retention): string {
  return renderXml('Retention', { Mode: r.mode, RetainUntilDate: r.retainUntil });
}
