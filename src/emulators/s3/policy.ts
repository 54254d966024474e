import { BlockList, isIPv6 } from 'node:net';
import type { Principal } from './accounts.js';
import { S3Error } from './errors.js';

/**
 * Bucket policies: the IAM policy language, the subset that S3 resource policies use. Principals (`*`, account ids
 * and ARNs, canonical users), Action/NotAction and Resource/NotResource with wildcards, and the condition
 * operators String*, Numeric*, Date*, Bool, IpAddress/NotIpAddress, Null, Arn* (with IfExists and ForAnyValue /
 * ForAllValues on multi-valued keys).
 */

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: PrincipalSpec;
  NotPrincipal?: PrincipalSpec;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}
type PrincipalSpec = '*' | Record<string, string[]>;

export interface BucketPolicy {
  Version?: string;
  Statement: Statement[];
}

/** A request as policies see it. */
export interface PolicyRequest {
  principal: Principal;
  action: string;
  /** arn:aws:s3:::bucket or arn:aws:s3:::bucket/key */
  resource: string;
  /** condition keys, lower-cased names; values are lists */
  context: Record<string, string[] | undefined>;
}

export type Decision = 'Allow' | 'Deny' | 'NoMatch';

function malformed(message: string): S3Error {
  return new S3Error('MalformedPolicy', 400, message);
}

const list = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map((x) => String(x));

function parsePrincipal(v: unknown): PrincipalSpec {
  if (v === '*') return '*';
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw malformed('Invalid principal in policy');
  const out: Record<string, string[]> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!['AWS', 'CanonicalUser', 'Service', 'Federated'].includes(k)) throw malformed('Invalid principal in policy');
    out[k] = list(val)!;
  }
  return out;
}

/** Parses and validates a policy document for `bucket`, as PutBucketPolicy does. */
export function parsePolicy(text: string, bucket: string): BucketPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  const d = doc as Record<string, unknown>;
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17')
    throw malformed('The policy must contain a valid version string');
  const raw = d.Statement === undefined ? undefined : Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  if (!raw || raw.length === 0) throw malformed('Missing required field Statement');
  const statements = raw.map((s): Statement => {
    if (!s || typeof s !== 'object') throw malformed('Invalid statement');
    const r = s as Record<string, unknown>;
    if (r.Effect !== 'Allow' && r.Effect !== 'Deny') throw malformed('Invalid effect');
    if ((r.Principal === undefined) === (r.NotPrincipal === undefined))
      throw malformed('Policy has invalid principal: exactly one of Principal or NotPrincipal');
    if (r.NotPrincipal !== undefined && r.Effect === 'Allow')
      throw malformed('Invalid principal in policy: NotPrincipal is not supported with Allow');
    if ((r.Action === undefined) === (r.NotAction === undefined)) throw malformed('Missing required field Action');
    if ((r.Resource === undefined) === (r.NotResource === undefined))
      throw malformed('Missing required field Resource');
    const st: Statement = {
      Sid: r.Sid === undefined ? undefined : String(r.Sid),
      Effect: r.Effect,
      Principal: r.Principal === undefined ? undefined : parsePrincipal(r.Principal),
      NotPrincipal: r.NotPrincipal === undefined ? undefined : parsePrincipal(r.NotPrincipal),
      Action: list(r.Action),
      NotAction: list(r.NotAction),
      Resource: list(r.Resource),
      NotResource: list(r.NotResource),
    };
    for (const a of [...(st.Action ?? []), ...(st.NotAction ?? [])])
      if (a !== '*' && !/^s3:[A-Za-z*?]+$/i.test(a)) throw malformed('Policy has invalid action');
    for (const res of [...(st.Resource ?? []), ...(st.NotResource ?? [])]) {
      const m = /^arn:aws:s3:::([^/]*)(\/.*)?$/.exec(res);
      if (res !== '*' && (!m || !wildcardMatch(m[1], bucket))) throw malformed('Policy has invalid resource');
    }
    if (r.Condition !== undefined) {
      if (!r.Condition || typeof r.Condition !== 'object') throw malformed('Invalid Condition');
      st.Condition = {};
      for (const [op, block] of Object.entries(r.Condition as Record<string, unknown>)) {
        if (!block || typeof block !== 'object') throw malformed(`Invalid Condition block ${op}`);
        if (!OPERATOR.test(op)) throw malformed(`Invalid Condition type : ${op}`);
        st.Condition[op] = Object.fromEntries(
          Object.entries(block as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), list(v)!]),
        );
      }
    }
    return st;
  });
  return { Version: d.Version as string | undefined, Statement: statements };
}

const OPERATOR =
  /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike|NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|DateEquals|DateNotEquals|DateLessThan|DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|Bool|BinaryEquals|IpAddress|NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike|Null)(IfExists)?$/;

/** IAM wildcards: `*` any run, `?` one character; case-sensitive. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    ignoreCase ? 'is' : 's',
  );
  return re.test(value);
}

function principalMatches(spec: PrincipalSpec, principal: Principal): boolean {
  if (spec === '*') return true;
  for (const [kind, values] of Object.entries(spec)) {
    for (const v of values) {
      if (kind === 'AWS' && v === '*') return true;
      if (principal.kind !== 'account') continue;
      const a = principal.account;
      if (kind === 'CanonicalUser' && v === a.canonicalId) return true;
      if (kind === 'AWS') {
        const m = /^arn:aws:iam::([^:]+):(root|user\/.+)$/.exec(v);
        const id = m ? m[1] : v;
        if (id === a.accountId || id === a.canonicalId) return true;
      }
    }
  }
  return false;
}

function evaluateOperator(op: string, want: string[], have: string[] | undefined): boolean {
  const m = OPERATOR.exec(op)!;
  const [, setOp, base, ifExists] = m;
  if (base === 'Null') {
    const isNull = have === undefined || have.length === 0;
    return want.some((w) => (w === 'true') === isNull);
  }
  if (have === undefined || have.length === 0) {
    if (ifExists) return true;
    if (setOp === 'ForAllValues:') return true;
    // A missing key matches nothing: only the negated operators hold.
    return base.includes('Not');
  }
  const one = (h: string) => want.some((w) => compare(base, w, h));
  const positive = (h: string) => want.some((w) => compare(base.replace('Not', ''), w, h));
  if (setOp === 'ForAllValues:') return have.every(one);
  if (setOp === 'ForAnyValue:') return have.some(one);
  // Negated operators hold when no value matches any of the listed ones.
  if (/Not/.test(base) && base !== 'NotIpAddress') return !have.some(positive);
  if (base === 'NotIpAddress') return !have.some((h) => want.some((w) => compare('IpAddress', w, h)));
  return have.some(one);
}

function compare(base: string, want: string, have: string): boolean {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return want === have;
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return want.toLowerCase() === have.toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return wildcardMatch(want, have);
    case 'Bool':
      return want.toLowerCase() === have.toLowerCase();
    case 'BinaryEquals':
      return want === have;
    case 'IpAddress':
      return ipInCidr(have, want);
  }
  if (base.startsWith('Numeric')) {
    const w = Number(want);
    const h = Number(have);
    if (Number.isNaN(w) || Number.isNaN(h)) return false;
    return numericCompare(base.slice(7), h, w);
  }
  if (base.startsWith('Date')) {
    const w = Date.parse(want);
    const h = Date.parse(have);
    if (Number.isNaN(w) || Number.isNaN(h)) return false;
    return numericCompare(base.slice(4), h, w);
  }
  return false;
}

function numericCompare(op: string, h: number, w: number): boolean {
  switch (op) {
    case 'Equals':
      return h === w;
    case 'NotEquals':
      return h !== w;
    case 'LessThan':
      return h < w;
    case 'LessThanEquals':
      return h <= w;
    case 'GreaterThan':
      return h > w;
    case 'GreaterThanEquals':
      return h >= w;
  }
  return false;
}

function ipInCidr(ip: string, cidr: string): boolean {
  const [net, bitsText] = cidr.split('/');
  const v6 = isIPv6(net);
  const address = ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  const bits = bitsText === undefined ? (v6 ? 128 : 32) : Number(bitsText);
  try {
    const block = new BlockList();
    block.addSubnet(net, bits, v6 ? 'ipv6' : 'ipv4');
    return block.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
}

function conditionsHold(cond: Statement['Condition'], context: PolicyRequest['context']): boolean {
  if (!cond) return true;
  for (const [op, block] of Object.entries(cond))
    for (const [key, want] of Object.entries(block)) if (!evaluateOperator(op, want, context[key])) return false;
  return true;
}

function statementApplies(st: Statement, req: PolicyRequest): boolean {
  if (st.Principal && !principalMatches(st.Principal, req.principal)) return false;
  if (st.NotPrincipal && principalMatches(st.NotPrincipal, req.principal)) return false;
  const actionMatch = (a: string) => a === '*' || wildcardMatch(a, req.action, true);
  if (st.Action && !st.Action.some(actionMatch)) return false;
  if (st.NotAction?.some(actionMatch)) return false;
  const resourceMatch = (r: string) => r === '*' || wildcardMatch(r, req.resource);
  if (st.Resource && !st.Resource.some(resourceMatch)) return false;
  if (st.NotResource?.some(resourceMatch)) return false;
  return conditionsHold(st.Condition, req.context);
}

/** Explicit Deny wins over Allow; nothing matching is NoMatch (the ACLs and ownership decide then). */
export function evaluatePolicy(policy: BucketPolicy, req: PolicyRequest): Decision {
  let decision: Decision = 'NoMatch';
  for (const st of policy.Statement) {
    if (!statementApplies(st, req)) continue;
    if (st.Effect === 'Deny') return 'Deny';
    decision = 'Allow';
  }
  return decision;
}

/**
 * A policy is public when an Allow statement grants a wildcard principal without a condition that pins the
 * caller (source IP ranges, source VPC/account/ARN, ...), as S3's policy status and BlockPublicPolicy judge it.
 */
export function isPublicPolicy(policy: BucketPolicy): boolean {
  const restricting =
    /^(aws:sourceip|aws:sourcevpc|aws:sourcevpce|aws:sourcearn|aws:sourceaccount|aws:sourceowner|aws:principalaccount|aws:principalarn|aws:principalorgid|aws:userid|s3:dataaccesspointaccount|s3:dataaccesspointarn)$/;
  return policy.Statement.some((st) => {
    if (st.Effect !== 'Allow') return false;
    const wildcard =
      st.NotPrincipal !== undefined ||
      st.Principal === '*' ||
      (typeof st.Principal === 'object' && (st.Principal.AWS ?? []).includes('*'));
    if (!wildcard) return false;
    const keys = Object.entries(st.Condition ?? {}).flatMap(([op, block]) =>
      op.startsWith('NotIp') ? [] : Object.keys(block),
    );
    return !keys.some((k) => restricting.test(k));
  });
}
