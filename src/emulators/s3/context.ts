import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountRegistry, S3Account, S3Settings } from './accounts.js';
import { s3Errors } from './errors.js';
import type { BucketInfo } from './model.js';
import type { S3ObjectStore } from './object-store.js';
import type { Authentication } from './signature.js';

/** Everything an S3 operation needs about its request. */
export interface S3Context {
  store: S3ObjectStore;
  accounts: AccountRegistry;
  settings: S3Settings;
  req: IncomingMessage;
  res: ServerResponse;
  bucket?: string;
  key?: string;
  query: URLSearchParams;
  /** the path as sent (still percent-encoded), for signatures and the Resource of errors */
  rawPath: string;
  rawQuery: string;
  host: string;
  auth: Authentication;
}

/** The account that sent the request; anonymous requests get AccessDenied where an owner is needed. */
export function requester(ctx: S3Context): S3Account {
  if (ctx.auth.principal.kind !== 'account') throw s3Errors.accessDenied();
  return ctx.auth.principal.account;
}

/** The requester's canonical id, or the anonymous principal's. */
export function requesterId(ctx: S3Context): string {
  return ctx.auth.principal.kind === 'account'
    ? ctx.auth.principal.account.canonicalId
    : '65a011a29cdf8ec533ec3d1ccaae921c';
}

export function ownerXml(ctx: S3Context, canonicalId: string): { ID: string; DisplayName?: string } {
  return { ID: canonicalId, DisplayName: ctx.accounts.byCanonicalId(canonicalId)?.displayName };
}

/** x-amz-expected-bucket-owner: a bucket of another account answers 403. */
export function checkExpectedOwner(ctx: S3Context, bucket: BucketInfo): void {
  const expected = ctx.req.headers['x-amz-expected-bucket-owner'];
  if (expected === undefined) return;
  const owner = ctx.accounts.byCanonicalId(bucket.owner);
  if (String(expected) !== owner?.accountId && String(expected) !== bucket.owner) throw s3Errors.accessDenied();
}
