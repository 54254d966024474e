import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type AccountRegistry, ANONYMOUS, type Principal, type S3Account } from './accounts.js';
import { S3Error, s3Errors } from './errors.js';
import { LIMITS } from './limits.js';

/** Who sent a request and how it was signed (for policies: s3:authType, s3:signatureversion). */
export interface Authentication {
  principal: Principal;
  authType?: 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST';
  signatureVersion?: 'AWS4-HMAC-SHA256' | 'AWS';
  /** hex SHA-256 of the body as signed (x-amz-content-sha256), when the client gave one */
  payloadSha256?: string;
  /** SigV4 streaming uploads: what the chunk signatures chain from */
  streaming?: { signingKey: Buffer; seedSignature: string; amzDate: string; scope: string };
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/** RFC 3986 encoding as SigV4 wants it (everything but unreserved characters; `/` kept in paths when asked). */
export function uriEncode(value: string, keepSlash = false): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

const signingKeys = new Map<string, Buffer>();
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\n${date}\n${region}\n${service}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (signingKeys.size > 1000) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `yyyyMMddTHHmmssZ` → epoch ms, or undefined when malformed. */
export function parseAmzDate(value: string | undefined): number | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value) : null;
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
}

function headerValues(req: IncomingMessage, name: string): string | undefined {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i].toLowerCase() === name) values.push(req.rawHeaders[i + 1]);
  if (values.length === 0) {
    if (name === 'host') {
      const authority = req.headers[':authority'] ?? req.headers.host;
      return typeof authority === 'string' ? authority : undefined;
    }
    return undefined;
  }
  return values.map((v) => v.trim().replace(/\s+/g, ' ')).join(',');
}

function canonicalQuery(rawQuery: string, exclude?: string): string {
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = safeDecode(eq === -1 ? part : part.slice(0, eq));
    const v = eq === -1 ? '' : safeDecode(part.slice(eq + 1));
    if (k === exclude) continue;
    pairs.push([uriEncode(k), uriEncode(v)]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function invalidAccessKey(accessKeyId: string): S3Error {
  return new S3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.', {
    AWSAccessKeyId: accessKeyId,
  });
}

function signatureMismatch(accessKeyId: string, stringToSign: string, canonicalRequest?: string): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    403,
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      ...(canonicalRequest ? { CanonicalRequest: canonicalRequest } : {}),
    },
  );
}

function authorizationError(message: string): S3Error {
  return new S3Error('AuthorizationQueryParametersError', 400, message);
}

interface V4Parts {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
}

function verifyV4(
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  parts: V4Parts,
  account: S3Account,
  excludeQuery?: string,
): Buffer {
  const scope = `${parts.date}/${parts.region}/${parts.service}/aws4_request`;
  const headers = parts.signedHeaders.map((h) => `${h}:${headerValues(req, h) ?? ''}\n`).join('');
  const query = canonicalQuery(rawQuery, excludeQuery);
  const key = signingKey(account.secretAccessKey, parts.date, parts.region, parts.service);
  const paths = [rawPath, uriEncode(safeDecode(rawPath), true)];
  let stringToSign = '';
  let canonicalRequest = '';
  for (const path of paths) {
    canonicalRequest = [req.method, path, query, headers, parts.signedHeaders.join(';'), parts.payloadHash].join('\n');
    stringToSign = [ALGORITHM, parts.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
    if (sameSignature(createHmac('sha256', key).update(stringToSign).digest('hex'), parts.signature)) return key;
  }
  throw signatureMismatch(parts.accessKeyId, stringToSign, canonicalRequest);
}

/**
 * Checks a request's signature against the account of its access key: SigV4 in the Authorization header or in
 * the query (presigned URL). No signature at all is an anonymous request. POST form uploads sign their policy
 * instead and are checked by the POST operation.
 */
export function authenticate(
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  accounts: AccountRegistry,
  now = Date.now(),
): Authentication {
  const auth = req.headers.authorization;
  const q = new URLSearchParams(rawQuery);
  if (auth?.startsWith(`${ALGORITHM} `)) {
    const fields = Object.fromEntries(
      auth
        .slice(ALGORITHM.length + 1)
        .split(',')
        .map((f) => f.trim().split('='))
        .map(([k, ...v]) => [k, v.join('=')]),
    );
    const credential = String(fields.Credential ?? '').split('/');
    if (credential.length !== 5 || !fields.SignedHeaders || !fields.Signature)
      throw new S3Error('AuthorizationHeaderMalformed', 400, 'The authorization header is malformed.');
    const [accessKeyId, date, region, service] = credential;
    const account = accounts.byAccessKey(accessKeyId);
    if (!account) throw invalidAccessKey(accessKeyId);
    const amzHeader = headerValues(req, 'x-amz-date');
    let amzDate = amzHeader;
    if (!amzDate) {
      const d = headerValues(req, 'date');
      const t = d ? Date.parse(d) : Number.NaN;
      if (Number.isNaN(t))
        throw new S3Error('AccessDenied', 403, 'AWS authentication requires a valid Date or x-amz-date header');
      amzDate = new Date(t)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '');
    }
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined)
      throw new S3Error('AccessDenied', 403, 'AWS authentication requires a valid Date or x-amz-date header');
    if (Math.abs(signedAt - now) > LIMITS.maxClockSkewMs)
      throw new S3Error(
        'RequestTimeTooSkewed',
        403,
        'The difference between the request time and the current time is too large.',
        {
          RequestTime: amzDate,
          ServerTime: new Date(now).toISOString(),
          MaxAllowedSkewMilliseconds: String(LIMITS.maxClockSkewMs),
        },
      );
    const payloadHash = headerValues(req, 'x-amz-content-sha256');
    if (!payloadHash)
      throw new S3Error('InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256');
    if (
      !/^[0-9a-f]{64}$/.test(payloadHash) &&
      !payloadHash.startsWith('STREAMING-') &&
      payloadHash !== 'UNSIGNED-PAYLOAD'
    )
      throw new S3Error(
        'InvalidArgument',
        400,
        'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-..., or a valid sha256 value.',
        {
          ArgumentName: 'x-amz-content-sha256',
          ArgumentValue: payloadHash,
        },
      );
    const parts: V4Parts = {
      accessKeyId,
      date,
      region,
      service,
      signedHeaders: String(fields.SignedHeaders).split(';'),
      signature: String(fields.Signature),
      amzDate,
      payloadHash,
    };
    const key = verifyV4(req, rawPath, rawQuery, parts, account);
    return {
      principal: { kind: 'account', account },
      authType: 'REST-HEADER',
      signatureVersion: ALGORITHM,
      payloadSha256: /^[0-9a-f]{64}$/.test(payloadHash) ? payloadHash : undefined,
      streaming: payloadHash.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD')
        ? {
            signingKey: key,
            seedSignature: parts.signature,
            amzDate,
            scope: `${date}/${region}/${service}/aws4_request`,
          }
        : undefined,
    };
  }
  if (q.get('X-Amz-Algorithm')) {
    if (q.get('X-Amz-Algorithm') !== ALGORITHM)
      throw authorizationError('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    const credential = (q.get('X-Amz-Credential') ?? '').split('/');
    const amzDate = q.get('X-Amz-Date') ?? '';
    const expiresText = q.get('X-Amz-Expires') ?? '';
    const signature = q.get('X-Amz-Signature') ?? '';
    const signedHeaders = q.get('X-Amz-SignedHeaders') ?? '';
    if (credential.length !== 5 || !signature || !signedHeaders)
      throw authorizationError(
        'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      );
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined)
      throw authorizationError("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    const expires = Number(expiresText);
    if (!/^-?\d+$/.test(expiresText)) throw authorizationError('X-Amz-Expires should be a number');
    if (expires > LIMITS.maxPresignedExpirySeconds)
      throw s3Errors.accessDenied('X-Amz-Expires must be less than a week (in seconds) that is 604800');
    const [accessKeyId, date, region, service] = credential;
    const account = accounts.byAccessKey(accessKeyId);
    if (!account) throw invalidAccessKey(accessKeyId);
    if (signedAt - now > LIMITS.maxClockSkewMs) throw s3Errors.accessDenied('Request is not valid yet');
    if (signedAt + expires * 1000 < now)
      throw new S3Error('AccessDenied', 403, 'Request has expired', {
        'X-Amz-Expires': expiresText,
        Expires: new Date(signedAt + expires * 1000).toISOString(),
        ServerTime: new Date(now).toISOString(),
      });
    const payloadHash = q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
    verifyV4(
      req,
      rawPath,
      rawQuery,
      { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature, amzDate, payloadHash },
      account,
      'X-Amz-Signature',
    );
    return { principal: { kind: 'account', account }, authType: 'REST-QUERY-STRING', signatureVersion: ALGORITHM };
  }
  if (auth?.startsWith('AWS ') || q.has('AWSAccessKeyId') || q.has('Signature'))
    return verifyV2(req, rawPath, rawQuery, accounts, now);
  if (auth)
    throw new S3Error('InvalidArgument', 400, 'Unsupported Authorization Type', {
      ArgumentName: 'Authorization',
      ArgumentValue: auth,
    });
  return { principal: ANONYMOUS };
}

/** Sub-resources that belong in a SigV2 canonicalized resource. */
const V2_SUBRESOURCES = new Set([
  'acl',
  'cors',
  'delete',
  'lifecycle',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
  'object-lock',
  'retention',
  'legal-hold',
  'publicAccessBlock',
  'ownershipControls',
  'policyStatus',
  'attributes',
]);

/** Signature Version 2 (header `AWS key:sig` or query AWSAccessKeyId/Signature/Expires), as older clients send it. */
function verifyV2(
  req: IncomingMessage,
  rawPath: string,
  rawQuery: string,
  accounts: AccountRegistry,
  now: number,
): Authentication {
  const q = new URLSearchParams(rawQuery);
  const auth = req.headers.authorization;
  const header = auth?.startsWith('AWS ');
  const [accessKeyId, signature] = header
    ? auth!.slice(4).split(':')
    : [q.get('AWSAccessKeyId') ?? '', q.get('Signature') ?? ''];
  const account = accounts.byAccessKey(accessKeyId);
  if (!account) throw invalidAccessKey(accessKeyId);
  let date: string;
  if (header) {
    date = headerValues(req, 'x-amz-date') ? '' : (headerValues(req, 'date') ?? '');
    const t = Date.parse(headerValues(req, 'x-amz-date') ?? date);
    if (Number.isNaN(t)) throw s3Errors.accessDenied('AWS authentication requires a valid Date or x-amz-date header');
    if (Math.abs(t - now) > LIMITS.maxClockSkewMs)
      throw new S3Error(
        'RequestTimeTooSkewed',
        403,
        'The difference between the request time and the current time is too large.',
      );
  } else {
    date = q.get('Expires') ?? '';
    if (Number(date) * 1000 < now) throw s3Errors.accessDenied('Request has expired');
  }
  const amz = new Map<string, string>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    if (!name.startsWith('x-amz-')) continue;
    const value = req.rawHeaders[i + 1].trim();
    amz.set(name, amz.has(name) ? `${amz.get(name)},${value}` : value);
  }
  const amzLines = [...amz.keys()]
    .sort()
    .map((k) => `${k}:${amz.get(k)}\n`)
    .join('');
  const sub = rawQuery
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=');
      return [safeDecode(eq === -1 ? p : p.slice(0, eq)), eq === -1 ? undefined : safeDecode(p.slice(eq + 1))] as const;
    })
    .filter(([k]) => V2_SUBRESOURCES.has(k))
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => (v === undefined ? k : `${k}=${v}`))
    .join('&');
  const stringToSign = [
    req.method,
    headerValues(req, 'content-md5') ?? '',
    headerValues(req, 'content-type') ?? '',
    date,
    `${amzLines}${rawPath}${sub ? `?${sub}` : ''}`,
  ].join('\n');
  const expected = createHmac('sha1', account.secretAccessKey).update(stringToSign).digest('base64');
  if (!sameSignature(expected, signature)) throw signatureMismatch(accessKeyId, stringToSign);
  return {
    principal: { kind: 'account', account },
    authType: header ? 'REST-HEADER' : 'REST-QUERY-STRING',
    signatureVersion: 'AWS',
  };
}

/** POST form uploads: the policy document is what is signed (SigV4 or SigV2). */
export function verifyPostSignature(
  fields: Map<string, string>,
  accounts: AccountRegistry,
): { principal: Principal; signatureVersion?: Authentication['signatureVersion'] } {
  const policy = fields.get('policy');
  const v4 = fields.get('x-amz-signature');
  if (fields.get('x-amz-algorithm') || v4) {
    const credential = (fields.get('x-amz-credential') ?? '').split('/');
    if (credential.length !== 5 || !v4 || !policy)
      throw s3Errors.invalidArgument(
        'POST requires X-Amz-Credential, X-Amz-Signature and a policy',
        'x-amz-signature',
        '',
      );
    const account = accounts.byAccessKey(credential[0]);
    if (!account) throw invalidAccessKey(credential[0]);
    const key = signingKey(account.secretAccessKey, credential[1], credential[2], credential[3]);
    if (!sameSignature(createHmac('sha256', key).update(policy).digest('hex'), v4))
      throw signatureMismatch(credential[0], policy);
    return { principal: { kind: 'account', account }, signatureVersion: ALGORITHM };
  }
  const accessKeyId = fields.get('awsaccesskeyid');
  if (accessKeyId !== undefined) {
    const signature = fields.get('signature');
    if (!policy || signature === undefined)
      throw s3Errors.invalidArgument('Bucket POST must contain a field named Signature and policy', 'Signature', '');
    const account = accounts.byAccessKey(accessKeyId);
    if (!account) throw invalidAccessKey(accessKeyId);
    if (!sameSignature(createHmac('sha1', account.secretAccessKey).update(policy).digest('base64'), signature))
      throw signatureMismatch(accessKeyId, policy);
    return { principal: { kind: 'account', account }, signatureVersion: 'AWS' };
  }
  return { principal: ANONYMOUS };
}
