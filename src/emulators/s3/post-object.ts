import { PassThrough } from 'node:stream';
import busboy from 'busboy';
import { authorize } from './access.js';
import { aclFromHeaders } from './acl.js';
import { checkAclAllowed } from './bucket-config-operations.js';
import { targetBucket } from './bucket-operations.js';
import { CHECKSUM_ALGORITHMS, checksumHeaderName } from './checksums.js';
import type { S3Context } from './context.js';
import { S3Error, s3Errors } from './errors.js';
import { send, sendXml, validateChecksumValue } from './http-io.js';
import { LIMITS } from './limits.js';
import type { ObjectVersion } from './model.js';
import { versionHeaders } from './object-operations.js';
import { verifyPostSignature } from './signature.js';
import { parseTaggingXml } from './tagging.js';
import type { BodyChecks } from './verify.js';
import { parseXml, renderXml } from './xml.js';

/** Fields that sign or carry the upload and need no policy condition of their own. */
const UNCONDITIONED = new Set(['policy', 'signature', 'awsaccesskeyid', 'file', 'x-amz-signature']);
const STORED = ['cache-control', 'content-disposition', 'content-encoding', 'expires'];

function policyError(message: string): S3Error {
  return new S3Error('AccessDenied', 403, `Invalid according to Policy: ${message}`);
}
function invalidPolicy(message: string): S3Error {
  return new S3Error('InvalidPolicyDocument', 400, `Invalid Policy: ${message}`);
}

interface Form {
  fields: Map<string, string>;
  /** the file, streamed to its temporary place by the store */
  file?: { name: string; contentType?: string; stream: PassThrough };
}

/** Reads form fields up to the file part, then hands the file over as a stream (fields after it are ignored). */
function readForm(ctx: S3Context): Promise<Form> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, limits: { fieldSize: 1024 * 1024, fields: 100, files: 100 } });
    } catch {
      reject(s3Errors.invalidRequest('POST requires a multipart/form-data body'));
      return;
    }
    const fields = new Map<string, string>();
    let settled = false;
    bb.on('field', (name, value) => {
      if (!settled) fields.set(name.toLowerCase(), value);
    });
    bb.on('file', (name, stream, info) => {
      if (settled) {
        stream.resume();
        return;
      }
      if (name.toLowerCase() !== 'file') {
        // Forms built by some clients send every field as a part with a file name: its content is the value.
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => fields.set(name.toLowerCase(), Buffer.concat(chunks).toString('utf8')));
        return;
      }
      settled = true;
      const pass = new PassThrough();
      stream.pipe(pass);
      stream.on('error', (err) => pass.destroy(err));
      resolve({ fields, file: { name: info.filename ?? '', contentType: info.mimeType, stream: pass } });
    });
    bb.on('error', (err) =>
      settled ? undefined : reject(s3Errors.invalidRequest(`Malformed POST form: ${(err as Error).message}`)),
    );
    bb.on('close', () => {
      if (!settled) resolve({ fields });
    });
    ctx.req.pipe(bb);
  });
}

type Condition = { op: 'eq' | 'starts-with'; field: string; value: string } | { op: 'range'; min: number; max: number };

function parsePolicyDocument(text: string, bucket: string): { conditions: Condition[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Policy is not valid JSON.');
  }
  if (!doc || typeof doc !== 'object') throw invalidPolicy('Policy is not valid JSON.');
  const d = doc as Record<string, unknown>;
  if (typeof d.expiration !== 'string') throw invalidPolicy('Policy missing expiration.');
  const expires = Date.parse(d.expiration);
  if (Number.isNaN(expires) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(d.expiration))
    throw invalidPolicy(`Invalid 'expiration' value: '${d.expiration}'`);
  if (expires < Date.now()) throw policyError('Policy expired.');
  if (!Array.isArray(d.conditions)) throw invalidPolicy('Policy missing conditions.');
  const conditions = d.conditions.map((c): Condition => {
    if (Array.isArray(c)) {
      const [op, a, b] = c as unknown[];
      if (op === 'content-length-range') {
        const min = Number(a);
        const max = Number(b);
        if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0)
          throw invalidPolicy('Invalid content-length-range.');
        return { op: 'range', min, max };
      }
      const name = typeof op === 'string' ? op.toLowerCase() : op;
      if (
        (name !== 'eq' && name !== 'starts-with') ||
        typeof a !== 'string' ||
        typeof b !== 'string' ||
        !a.startsWith('$')
      )
        throw invalidPolicy(`Invalid condition: ${JSON.stringify(c)}`);
      return { op: name, field: a.slice(1).toLowerCase(), value: b };
    }
    if (c && typeof c === 'object') {
      const entries = Object.entries(c as Record<string, unknown>);
      if (entries.length !== 1 || typeof entries[0][1] !== 'string')
        throw invalidPolicy(`Invalid condition: ${JSON.stringify(c)}`);
      return { op: 'eq', field: entries[0][0].toLowerCase(), value: entries[0][1] as string };
    }
    throw invalidPolicy(`Invalid condition: ${JSON.stringify(c)}`);
  });
  if (!conditions.some((c) => c.op !== 'range' && c.field === 'bucket'))
    conditions.push({ op: 'eq', field: 'bucket', value: bucket });
  return { conditions };
}

function checkConditions(conditions: Condition[], fields: Map<string, string>): void {
  const covered = new Set<string>(['bucket']);
  for (const c of conditions) {
    if (c.op === 'range') continue;
    covered.add(c.field);
    const value = fields.get(c.field) ?? '';
    const ok = c.op === 'eq' ? value === c.value : value.startsWith(c.value);
    if (!ok) throw policyError(`Policy Condition failed: ["${c.op}", "$${c.field}", "${c.value}"]`);
  }
  for (const name of fields.keys())
    if (
      !UNCONDITIONED.has(name) &&
      !name.startsWith('x-ignore-') &&
      !name.startsWith('x-amz-checksum-') &&
      !covered.has(name)
    )
      throw policyError(`Extra input fields: ${name}`);
}

/** POST Object: a browser form upload, authorized by a signed policy document (or the bucket's ACL/policy). */
export async function postObject(ctx: S3Context): Promise<void> {
  const contentType = String(ctx.req.headers['content-type'] ?? '');
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) throw s3Errors.methodNotAllowed('POST', 'BUCKET');
  const bucket = targetBucket(ctx);
  const form = await readForm(ctx);
  const fields = form.fields;
  fields.set('bucket', bucket.name);
  const drain = () => form.file?.stream.resume();
  try {
    if (!form.file) throw s3Errors.invalidArgument('POST requires exactly one file upload per request.', 'file', '0');
    const rawKey = fields.get('key');
    if (rawKey === undefined)
      throw s3Errors.invalidArgument(
        "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.",
        'key',
        '',
      );
    const key = rawKey.replace(/\$\{filename\}/g, form.file.name);
    fields.set('key', key);
    const signed = verifyPostSignature(fields, ctx.accounts);
    ctx.auth = { principal: signed.principal, authType: 'POST', signatureVersion: signed.signatureVersion };
    let range: { min: number; max: number } | undefined;
    if (fields.has('policy')) {
      const policy = parsePolicyDocument(fields.get('policy')!, bucket.name);
      checkConditions(policy.conditions, fields);
      const r = policy.conditions.find((c): c is Extract<Condition, { op: 'range' }> => c.op === 'range');
      if (r) range = { min: r.min, max: r.max };
    }
    const headers: Record<string, string> = {};
    for (const h of STORED) if (fields.has(h)) headers[h] = fields.get(h)!;
    const metadata: Record<string, string> = {};
    for (const [k, v] of fields) if (k.startsWith('x-amz-meta-')) metadata[k.slice(11)] = v;
    // An anonymous upload (to a bucket whose ACL or policy lets everyone write) belongs to the bucket owner.
    const owner = ctx.auth.principal.kind === 'account' ? ctx.auth.principal.account.canonicalId : bucket.owner;
    const aclHeaders = fields.has('acl') ? { 'x-amz-acl': fields.get('acl') } : {};
    const acl = aclFromHeaders(aclHeaders, owner, bucket.owner, ctx.accounts);
    if (acl) checkAclAllowed(bucket, acl.grants, owner);
    const tags = fields.has('tagging') ? parseTaggingXml(parseXml(fields.get('tagging')!)) : undefined;
    authorize(ctx, 's3:PutObject', { bucket, key });
    const meta: ObjectVersion = await ctx.store.writeObject(
      bucket.name,
      key,
      limitStream(form.file.stream, range),
      {
        owner: bucket.ownership === 'BucketOwnerEnforced' ? bucket.owner : owner,
        contentType: fields.get('content-type') ?? form.file.contentType ?? 'binary/octet-stream',
        metadata,
        headers,
        acl: bucket.ownership === 'BucketOwnerEnforced' ? undefined : acl?.grants,
        tags,
        checksum: formChecksum(fields),
        sourceIp: ctx.req.socket?.remoteAddress,
      },
      'ObjectCreated:Post',
    );
    const location = `http://${ctx.host}/${bucket.name}/${encodeURIComponent(key)}`;
    const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
    const extra = { etag: meta.etag, location, ...versionHeaders(ctx.store.headBucket(bucket.name), meta) };
    if (redirect) {
      try {
        const url = new URL(redirect);
        url.searchParams.set('bucket', bucket.name);
        url.searchParams.set('key', key);
        url.searchParams.set('etag', meta.etag);
        send(ctx.res, 303, '', { ...extra, location: url.toString() });
        return;
      } catch {
        // not a URL: S3 falls back to the status code
      }
    }
    const status = fields.get('success_action_status');
    if (status === '201')
      sendXml(
        ctx.res,
        201,
        // S3's PostResponse carries no namespace.
        renderXml('PostResponse', { Location: location, Bucket: bucket.name, Key: key, ETag: meta.etag }, ''),
        extra,
      );
    else send(ctx.res, status === '200' ? 200 : 204, '', extra);
  } catch (err) {
    drain();
    throw err;
  }
}

/** A flexible checksum sent as a form field (x-amz-checksum-<algorithm>), verified against the file. */
function formChecksum(fields: Map<string, string>): BodyChecks['checksum'] {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = fields.get(checksumHeaderName(algorithm));
    if (value === undefined) continue;
    validateChecksumValue(algorithm, value);
    return { algorithm, expected: () => value };
  }
  return undefined;
}

/** Enforces the policy's content-length-range while the file streams (EntityTooLarge / EntityTooSmall). */
function limitStream(source: PassThrough, range: { min: number; max: number } | undefined): PassThrough {
  const out = new PassThrough();
  let size = 0;
  source.on('data', (chunk: Buffer) => {
    size += chunk.length;
    const max = Math.min(range?.max ?? LIMITS.maxObjectSize, LIMITS.maxObjectSize);
    if (size > max) {
      source.resume();
      out.destroy(
        new S3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
          MaxSizeAllowed: String(max),
        }),
      );
      return;
    }
    if (!out.write(chunk)) {
      source.pause();
      out.once('drain', () => source.resume());
    }
  });
  source.on('end', () => {
    if (range && size < range.min)
      out.destroy(
        new S3Error('EntityTooSmall', 400, 'Your proposed upload is smaller than the minimum allowed size', {
          MinSizeAllowed: String(range.min),
        }),
      );
    else out.end();
  });
  source.on('error', (err) => out.destroy(err));
  return out;
}
