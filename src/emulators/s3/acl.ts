import type { IncomingHttpHeaders } from 'node:http';
import { escapeXml } from '../../lib/xml-text.js';
import type { AccountRegistry, Principal } from './accounts.js';
import { S3Error, s3Errors } from './errors.js';
import type { Grant, Grantee, Permission } from './model.js';
import { child, childrenNamed, childText, type XmlElement } from './xml.js';

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const PERMISSIONS: readonly Permission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];
const CANNED = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
  'log-delivery-write',
] as const;
export type CannedAcl = (typeof CANNED)[number];

const GRANT_HEADERS: Record<string, Permission> = {
  'x-amz-grant-read': 'READ',
  'x-amz-grant-write': 'WRITE',
  'x-amz-grant-read-acp': 'READ_ACP',
  'x-amz-grant-write-acp': 'WRITE_ACP',
  'x-amz-grant-full-control': 'FULL_CONTROL',
};

const user = (id: string, permission: Permission): Grant => ({ grantee: { type: 'CanonicalUser', id }, permission });
const group = (uri: string, permission: Permission): Grant => ({ grantee: { type: 'Group', uri }, permission });

export function ownerOnly(owner: string): Grant[] {
  return [user(owner, 'FULL_CONTROL')];
}

/** The grants of a canned ACL (the owner's FULL_CONTROL included, as S3 stores them). */
export function cannedGrants(canned: CannedAcl, owner: string, bucketOwner: string): Grant[] {
  const grants: Grant[] = [];
  switch (canned) {
    case 'private':
      break;
    case 'public-read':
      grants.push(group(ALL_USERS, 'READ'));
      break;
    case 'public-read-write':
      grants.push(group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE'));
      break;
    case 'authenticated-read':
      grants.push(group(AUTHENTICATED_USERS, 'READ'));
      break;
    case 'aws-exec-read':
      break;
    case 'bucket-owner-read':
      if (bucketOwner !== owner) grants.push(user(bucketOwner, 'READ'));
      break;
    case 'bucket-owner-full-control':
      if (bucketOwner !== owner) grants.push(user(bucketOwner, 'FULL_CONTROL'));
      break;
    case 'log-delivery-write':
      grants.push(group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP'));
      break;
  }
  // S3 lists group grants first, then the owner's FULL_CONTROL, then the bucket owner's grant.
  const owners = grants.filter((g) => g.grantee.type === 'CanonicalUser');
  return [...grants.filter((g) => g.grantee.type !== 'CanonicalUser'), ...ownerOnly(owner), ...owners];
}

export function parseCannedAcl(value: string): CannedAcl {
  if (!(CANNED as readonly string[]).includes(value)) throw s3Errors.invalidArgument('', 'x-amz-acl', value);
  return value as CannedAcl;
}

/**
 * The ACL a request sets with x-amz-acl or x-amz-grant-* headers (undefined: none). Both at once is an error;
 * email grantees become canonical users, as S3 stores them.
 */
export function aclFromHeaders(
  headers: IncomingHttpHeaders,
  owner: string,
  bucketOwner: string,
  accounts: AccountRegistry,
): { grants: Grant[]; canned?: CannedAcl } | undefined {
  const cannedHeader = headers['x-amz-acl'];
  const grantHeaders = Object.keys(GRANT_HEADERS).filter((h) => headers[h] !== undefined);
  if (cannedHeader !== undefined && grantHeaders.length > 0)
    throw s3Errors.invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  if (cannedHeader !== undefined) {
    const canned = parseCannedAcl(String(cannedHeader));
    return { grants: cannedGrants(canned, owner, bucketOwner), canned };
  }
  if (grantHeaders.length === 0) return undefined;
  const grants: Grant[] = [];
  for (const h of grantHeaders)
    for (const item of String(headers[h]).split(',')) {
      const m = /^\s*(id|emailAddress|uri)\s*=\s*"?([^"]*)"?\s*$/i.exec(item);
      if (!m) throw s3Errors.invalidArgument('Invalid grant header', h, String(headers[h]));
      const kind = m[1].toLowerCase();
      const grantee: Grantee =
        kind === 'id'
          ? { type: 'CanonicalUser', id: m[2] }
          : kind === 'uri'
            ? { type: 'Group', uri: m[2] }
            : { type: 'AmazonCustomerByEmail', email: m[2] };
      grants.push({ grantee: resolveGrantee(grantee, accounts), permission: GRANT_HEADERS[h] });
    }
  return { grants };
}

function resolveGrantee(grantee: Grantee, accounts: AccountRegistry): Grantee {
  if (grantee.type === 'AmazonCustomerByEmail') {
    const account = accounts.byEmail(grantee.email);
    if (!account)
      throw new S3Error(
        'UnresolvableGrantByEmailAddress',
        400,
        'The e-mail address you provided does not match any account on record.',
        { EmailAddress: grantee.email },
      );
    return { type: 'CanonicalUser', id: account.canonicalId };
  }
  if (grantee.type === 'CanonicalUser' && !accounts.byCanonicalId(grantee.id))
    throw s3Errors.invalidArgument('Invalid id', 'CanonicalUser/ID', grantee.id);
  if (grantee.type === 'Group' && ![ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY].includes(grantee.uri))
    throw s3Errors.invalidArgument('Invalid group uri', 'Group/URI', grantee.uri);
  return grantee;
}

/** An AccessControlPolicy document (PutBucketAcl / PutObjectAcl body). */
export function aclFromXml(root: XmlElement, expectedOwner: string, accounts: AccountRegistry): Grant[] {
  if (root.name !== 'AccessControlPolicy') throw s3Errors.malformedXml();
  const ownerId = child(root, 'Owner') ? childText(child(root, 'Owner')!, 'ID') : undefined;
  if (ownerId !== undefined && ownerId !== expectedOwner) throw s3Errors.accessDenied();
  const list = child(root, 'AccessControlList');
  const grants: Grant[] = [];
  for (const g of list ? childrenNamed(list, 'Grant') : []) {
    const granteeEl = child(g, 'Grantee');
    const permission = childText(g, 'Permission') as Permission;
    if (!granteeEl || !PERMISSIONS.includes(permission)) throw s3Errors.malformedXml();
    const id = childText(granteeEl, 'ID');
    const email = childText(granteeEl, 'EmailAddress');
    const uri = childText(granteeEl, 'URI');
    const grantee: Grantee | undefined =
      id !== undefined
        ? { type: 'CanonicalUser', id }
        : email !== undefined
          ? { type: 'AmazonCustomerByEmail', email }
          : uri !== undefined
            ? { type: 'Group', uri }
            : undefined;
    if (!grantee) throw s3Errors.malformedXml();
    grants.push({ grantee: resolveGrantee(grantee, accounts), permission });
  }
  return grants;
}

export function aclToXml(owner: string, grants: Grant[], accounts: AccountRegistry): string {
  const name = (id: string) => accounts.byCanonicalId(id)?.displayName;
  const ownerName = name(owner);
  // Group grants first, then the others in their order (as S3 lists them).
  const ordered = [
    ...grants.filter((g) => g.grantee.type === 'Group'),
    ...grants.filter((g) => g.grantee.type !== 'Group'),
  ];
  const grantXml = ordered
    .map((g) => {
      const gr = g.grantee;
      const inner =
        gr.type === 'CanonicalUser'
          ? `<ID>${escapeXml(gr.id)}</ID>${name(gr.id) !== undefined ? `<DisplayName>${escapeXml(name(gr.id)!)}</DisplayName>` : ''}`
          : gr.type === 'Group'
            ? `<URI>${escapeXml(gr.uri)}</URI>`
            : `<EmailAddress>${escapeXml(gr.email)}</EmailAddress>`;
      return `<Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="${gr.type}">${inner}</Grantee><Permission>${g.permission}</Permission></Grant>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>${escapeXml(owner)}</ID>${
    ownerName !== undefined ? `<DisplayName>${escapeXml(ownerName)}</DisplayName>` : ''
  }</Owner><AccessControlList>${grantXml}</AccessControlList></AccessControlPolicy>`;
}

/** Whether the grants give `principal` the permission (FULL_CONTROL implies every one). */
export function aclAllows(
  grants: Grant[],
  principal: Principal,
  permission: Permission,
  opts: { ignorePublic?: boolean } = {},
): boolean {
  return grants.some((g) => {
    if (g.permission !== permission && g.permission !== 'FULL_CONTROL') return false;
    const gr = g.grantee;
    if (gr.type === 'CanonicalUser') return principal.kind === 'account' && principal.account.canonicalId === gr.id;
    if (gr.type !== 'Group' || opts.ignorePublic) return false;
    if (gr.uri === ALL_USERS) return true;
    return gr.uri === AUTHENTICATED_USERS && principal.kind === 'account';
  });
}

/** A grant to everyone or to every AWS user: what public access block settings are about. */
export function isPublicGrant(g: Grant): boolean {
  return g.grantee.type === 'Group' && (g.grantee.uri === ALL_USERS || g.grantee.uri === AUTHENTICATED_USERS);
}
