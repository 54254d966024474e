import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { objects } from '../composition/ports/objects.js';
import { BUCKET, RAW_IMAGE_PREFIX } from '../domain/names.js';
import { type ImageFormat, readImageInfo, sniffFormat } from '../lib/image-info.js';
import type { ObjectStore } from '../ports/index.js';
import { TOPOLOGY } from '../topology/index.js';
import { lambdaEntry } from './entry.js';
import { jsonResponse } from './responses.js';

export interface PutObjectApiDeps {
  objects: ObjectStore;
}

export interface PutObjectApiOptions {
  /** The one bucket uploads go to (default OCTEMBER_BUCKET, else the topology's bucket). */
  bucket?: string;
  /** Key prefixes a client may write (default the topology's `uploadPrefixes`); the rest is the pipelines' own. */
  uploadPrefixes?: readonly string[];
}

/** S3's rules for bucket names (the subset that matters for a path segment). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_KEY_BYTES = 1024;
/** What each upload prefix accepts: the suffixes its S3 trigger reacts to. */
const ACCEPTED_NAMES: Record<string, { pattern: RegExp; what: string }> = {
  [RAW_IMAGE_PREFIX]: { pattern: /\.(jpe?g|png)$/i, what: 'a .jpg, .jpeg or .png name' },
  [TOPOLOGY.resources.bucket.prefixes.items]: { pattern: /\.csv$/i, what: 'a .csv name' },
};
/** S3 client errors the route passes on as what they are (never as a 502). */
const S3_CLIENT_ERRORS: Record<string, number> = {
  NoSuchBucket: 404,
  InvalidBucketName: 400,
  KeyTooLongError: 400,
  InvalidArgument: 400,
  EntityTooLarge: 413,
  AccessDenied: 403,
};

const START_OF_SCAN = Buffer.from([0xff, 0xda]);
const END_OF_IMAGE = Buffer.from([0xff, 0xd9]);

const fail = (statusCode: number, code: string, message: string) => jsonResponse(statusCode, { message, code });

/**
 * `PUT /v1/{bucket}/{object}` as API Gateway's S3 proxy does it: the request body becomes the object.
 * The object parameter arrives decoded by the gateway, so `bizcard-raw-img%2Fa.jpg` is key `bizcard-raw-img/a.jpg`.
 * Only the pipelines' bucket is writable: its configured name (OCTEMBER_BUCKET; in AWS the stack names it, bucket
 * names being global) or its logical name `octember-bizcard`, so the same URLs work on every target. Only the
 * prefixes the API promises are writable, and a card image must be a whole JPEG or PNG: anything else is refused
 * with a 4xx naming what is wrong.
 */
export function createPutObjectApi(deps: PutObjectApiDeps, options: PutObjectApiOptions = {}) {
  const bucket = options.bucket ?? BUCKET;
  const prefixes = options.uploadPrefixes ?? TOPOLOGY.resources.bucket.uploadPrefixes;
  return async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const named = event.pathParameters?.bucket;
    const key = event.pathParameters?.object;
    if (!named || !key) return fail(400, 'MissingParameter', 'bucket and object path parameters are required');
    const refused = checkTarget(named, key, [bucket, BUCKET], prefixes);
    if (refused) return refused;
    const body =
      event.body == null ? Buffer.alloc(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    if (body.length === 0) return fail(400, 'EmptyBody', 'request body is empty');
    if (key.startsWith(RAW_IMAGE_PREFIX)) {
      const problem = imageProblem(body);
      if (problem) return fail(problem.status, problem.code, problem.message);
    }
    const contentType = headerValue(event, 'content-type');
    try {
      await deps.objects.put(bucket, key, body, contentType ? { contentType } : undefined);
    } catch (error) {
      const name = (error as Error).name;
      const status = S3_CLIENT_ERRORS[name];
      if (status) return fail(status, name, `S3 refused the object: ${(error as Error).message}`);
      throw error;
    }
    return jsonResponse(200, { bucket, key, size: body.length });
  };
}

function checkTarget(
  bucket: string,
  key: string,
  allowedBuckets: readonly string[],
  prefixes: readonly string[],
): APIGatewayProxyResult | undefined {
  if (!BUCKET_NAME.test(bucket) || bucket.includes('..'))
    return fail(
      400,
      'InvalidBucketName',
      `bucket name '${bucket.slice(0, 80)}' is not valid: 3 to 63 lowercase letters, digits, dots and hyphens`,
    );
  if (!allowedBuckets.includes(bucket))
    return fail(
      403,
      'AccessDenied',
      `uploads go to bucket ${allowedBuckets[0]}; ${bucket} is not writable through the API`,
    );
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES)
    return fail(400, 'KeyTooLongError', `object key is ${bytes} bytes long; S3 allows ${MAX_KEY_BYTES}`);
  if (key.split('/').some((segment) => segment === '..' || segment === '.'))
    return fail(400, 'InvalidObjectName', "object key must not contain '.' or '..' path segments");
  if ([...key].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return fail(400, 'InvalidObjectName', 'object key must not contain control characters');
  const prefix = prefixes.find((p) => key.startsWith(p) && key.length > p.length);
  if (!prefix)
    return fail(
      403,
      'AccessDenied',
      `uploads are accepted under ${prefixes.join(', ')} only, not at ${key.slice(0, 80)}`,
    );
  const accepted = ACCEPTED_NAMES[prefix];
  if (accepted && !accepted.pattern.test(key))
    return fail(400, 'InvalidObjectName', `objects under ${prefix} need ${accepted.what}`);
  return undefined;
}

/** A card image must be a JPEG or PNG, whole: its header readable and its end marker present. */
function imageProblem(body: Buffer): { status: number; code: string; message: string } | undefined {
  const format: ImageFormat | undefined = sniffFormat(body);
  if (format !== 'jpeg' && format !== 'png')
    return { status: 415, code: 'UnsupportedMediaType', message: 'a card image must be a JPEG or PNG file' };
  // JPEG: an end-of-image marker after the last start-of-scan (an EXIF thumbnail has its own, earlier);
  // inside entropy-coded data 0xFF is always stuffed, so FF D9 there is the real end
  const complete =
    format === 'jpeg'
      ? body.indexOf(END_OF_IMAGE, Math.max(0, body.lastIndexOf(START_OF_SCAN))) > 0
      : body.lastIndexOf('IEND') > 0;
  if (!readImageInfo(body) || !complete)
    return {
      status: 400,
      code: 'TruncatedImage',
      message: `the ${format.toUpperCase()} image is truncated or damaged (${!complete ? 'no end-of-image marker' : 'unreadable header'})`,
    };
  return undefined;
}

function headerValue(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [header, value] of Object.entries(event.headers ?? {})) {
    if (header.toLowerCase() === name && value) return value;
  }
  return undefined;
}

export const handler = lambdaEntry('put-object-api', { objects }, (ports, settings) =>
  createPutObjectApi(ports, { bucket: settings.OCTEMBER_BUCKET }),
);
