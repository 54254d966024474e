import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { BodyTooLargeError } from '../../lib/http.js';
import { escapeXml } from '../../lib/xml-text.js';
import { AwsError } from '../aws-errors/index.js';
import { XmlParseError } from './xml.js';

/** An S3 error with its wire code and HTTP status; extra fields become elements of the <Error> document. */
export class S3Error extends AwsError {
  constructor(
    code: string,
    status: number,
    message: string,
    readonly extra: Record<string, string> = {},
    /** response headers sent with the error (x-amz-delete-marker, x-amz-version-id, allow, ...) */
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

export const s3Errors = {
  noSuchBucket: (bucket: string) =>
    new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string) => new S3Error('NoSuchKey', 404, 'The specified key does not exist.', { Key: key }),
  noSuchUpload: (uploadId: string) =>
    new S3Error(
      'NoSuchUpload',
      404,
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: uploadId },
    ),
  malformedXml: () =>
    new S3Error(
      'MalformedXML',
      400,
      'The XML you provided was not well-formed or did not validate against our published schema',
    ),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new S3Error('InvalidArgument', 400, message, name ? { ArgumentName: name, ArgumentValue: value ?? '' } : {}),
  invalidRequest: (message: string) => new S3Error('InvalidRequest', 400, message),
  badDigest: (what: string) =>
    new S3Error('BadDigest', 400, `The ${what} you specified did not match the calculated checksum.`),
  accessDenied: (message = 'Access Denied') => new S3Error('AccessDenied', 403, message),
  entityTooLarge: (size: number, max: number) =>
    new S3Error('EntityTooLarge', 400, 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: String(size),
      MaxSizeAllowed: String(max),
    }),
  noSuchVersion: (key: string, versionId: string) =>
    new S3Error('NoSuchVersion', 404, 'The specified version does not exist.', { Key: key, VersionId: versionId }),
  methodNotAllowed: (method?: string, resourceType?: string) =>
    new S3Error(
      'MethodNotAllowed',
      405,
      'The specified method is not allowed against this resource.',
      method ? { Method: method, ResourceType: resourceType ?? 'OBJECT' } : {},
    ),
  preconditionFailed: (condition: string) =>
    new S3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold', {
      Condition: condition,
    }),
  notImplemented: (what: string) =>
    new S3Error('NotImplemented', 501, `${what} is not implemented by the Octember S3 emulator`),
};

export function newRequestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

export function newHostId(): string {
  return randomBytes(48).toString('base64');
}

export function sendS3Error(
  res: ServerResponse,
  err: S3Error,
  opts: { head?: boolean; resource?: string; requestId: string },
): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const extra = Object.entries(err.extra)
    .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
    .join('');
  const body = opts.head
    ? ''
    : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>${extra}${
        opts.resource ? `<Resource>${escapeXml(opts.resource)}</Resource>` : ''
      }<RequestId>${opts.requestId}</RequestId><HostId>${newHostId()}</HostId></Error>`;
  res.writeHead(err.status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-amz-request-id': opts.requestId,
    ...err.headers,
    ...(opts.head ? { 'x-amz-error-code': err.code } : {}),
  });
  res.end(body);
}

/** Any failure as the S3 error the client sees: S3 errors as they are, anything else an InternalError (500). */
export function toS3Error(err: unknown): S3Error {
  if (err instanceof S3Error) return err;
  // an error of another AWS service's shape (a chaos fault): its code and status, S3's document
  if (err instanceof AwsError && err.code !== 'InternalFailure') return new S3Error(err.code, err.status, err.message);
  if (err instanceof XmlParseError) return s3Errors.malformedXml();
  if (err instanceof BodyTooLargeError)
    return new S3Error('MaxMessageLengthExceeded', 400, 'Your request was too big.');
  return new S3Error('InternalError', 500, 'We encountered an internal error. Please try again.');
}
