import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ObjectOwnership } from './model.js';

/** One access key of the emulator: its own canonical user (and account), as AWS would see it. */
export interface S3Account {
  accessKeyId: string;
  secretAccessKey: string;
  /** 64 hex characters in AWS; any string here (s3-tests uses its own ids) */
  canonicalId: string;
  displayName: string;
  email?: string;
  /** the 12-digit account id used in ARNs and policies (`arn:aws:iam::<accountId>:root`) */
  accountId: string;
}

export type Principal = { kind: 'anonymous' } | { kind: 'account'; account: S3Account };
export const ANONYMOUS: Principal = { kind: 'anonymous' };

export interface S3Settings {
  accounts: S3Account[];
  /**
   * ObjectOwnership of a bucket created without x-amz-object-ownership. AWS: BucketOwnerEnforced (ACLs disabled)
   * since April 2023; `ObjectWriter` keeps the earlier behaviour (ACLs enabled, no ownership controls set).
   */
  defaultObjectOwnership: ObjectOwnership;
}

export const DEFAULT_ACCOUNT: S3Account = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
  canonicalId: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a',
  displayName: 'webfile',
  accountId: '000000000000',
};

const accountSchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  canonicalId: z.string().min(1).optional(),
  displayName: z.string().optional(),
  email: z.string().optional(),
  accountId: z.string().optional(),
});
const settingsSchema = z.union([
  z.array(accountSchema),
  z.object({
    accounts: z.array(accountSchema).default([]),
    defaultObjectOwnership: z.enum(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']).optional(),
    /** keep the default test/test account besides the listed ones (default true) */
    includeDefaultAccount: z.boolean().optional(),
  }),
]);
export type S3SettingsInput = z.input<typeof settingsSchema>;

/**
 * The emulator's accounts: `test`/`test` by default, plus those of a settings file or JSON given with
 * `OCTEMBER_S3_ACCOUNTS` (a path, or the JSON itself) or `--s3-accounts FILE`:
 * `{"accounts": [{"accessKeyId", "secretAccessKey", "canonicalId", "displayName", "email", "accountId"}],
 *   "defaultObjectOwnership": "BucketOwnerEnforced" | "ObjectWriter" | "BucketOwnerPreferred"}`.
 */
export function loadS3Settings(
  source: string | S3SettingsInput | undefined = process.env.OCTEMBER_S3_ACCOUNTS,
): S3Settings {
  let input: unknown = source ?? {};
  if (typeof source === 'string') {
    const text = source.trim().startsWith('{') || source.trim().startsWith('[') ? source : readFileSync(source, 'utf8');
    try {
      input = JSON.parse(text);
    } catch (err) {
      throw new Error(`S3 accounts: not JSON (${(err as Error).message})`);
    }
  }
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(`S3 accounts: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const value = parsed.data;
  const list = Array.isArray(value) ? value : value.accounts;
  const withDefault = Array.isArray(value) || value.includeDefaultAccount !== false;
  const accounts: S3Account[] = list.map((a, i) => ({
    accessKeyId: a.accessKeyId,
    secretAccessKey: a.secretAccessKey,
    canonicalId: a.canonicalId ?? canonicalIdFor(a.accessKeyId),
    displayName: a.displayName ?? a.accessKeyId,
    email: a.email,
    accountId: a.accountId ?? String(100000000001 + i),
  }));
  if (withDefault && !accounts.some((a) => a.accessKeyId === DEFAULT_ACCOUNT.accessKeyId))
    accounts.unshift(DEFAULT_ACCOUNT);
  const keys = new Set<string>();
  for (const a of accounts) {
    if (keys.has(a.accessKeyId)) throw new Error(`S3 accounts: access key ${a.accessKeyId} listed twice`);
    keys.add(a.accessKeyId);
  }
  return {
    accounts,
    defaultObjectOwnership: Array.isArray(value)
      ? 'BucketOwnerEnforced'
      : (value.defaultObjectOwnership ?? 'BucketOwnerEnforced'),
  };
}

function canonicalIdFor(accessKeyId: string): string {
  // Deterministic and 64 hex characters like AWS's, so a restart keeps ownership.
  return createHash('sha256').update(`octember-s3-canonical-user:${accessKeyId}`).digest('hex');
}

export class AccountRegistry {
  private readonly byKey = new Map<string, S3Account>();
  private readonly byId = new Map<string, S3Account>();

  constructor(readonly accounts: S3Account[]) {
    for (const a of accounts) {
      this.byKey.set(a.accessKeyId, a);
      this.byId.set(a.canonicalId, a);
    }
  }

  /** The account in-process calls and unconfigured set-up act as. */
  get defaultAccount(): S3Account {
    return this.byKey.get(DEFAULT_ACCOUNT.accessKeyId) ?? this.accounts[0];
  }
  byAccessKey(key: string): S3Account | undefined {
    return this.byKey.get(key);
  }
  byCanonicalId(id: string): S3Account | undefined {
    return this.byId.get(id);
  }
  byEmail(email: string): S3Account | undefined {
    return this.accounts.find((a) => a.email?.toLowerCase() === email.toLowerCase());
  }
  byAccountId(id: string): S3Account | undefined {
    return this.accounts.find((a) => a.accountId === id);
  }
}
