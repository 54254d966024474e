// AWS JSON 1.0/1.1 (Kinesis, Firehose, Textract, SQS), REST-JSON (CloudSearch domain APIs, the Lambda Invoke API)
// and Smithy RPC v2 CBOR (Kinesis from the Java SDK / KPL) errors: one writer for all of them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cbor } from '@smithy/core/cbor';
import { BodyTooLargeError, readBody } from '../../lib/http.js';
import { AwsError } from './aws-error.js';

export interface AwsJsonErrorOptions {
  /** The response's content type (default AWS JSON 1.1). */
  contentType?: string;
  /** A namespace for `__type` (`com.amazonaws.sqs#`); `x-amzn-errortype` keeps the bare code. */
  typePrefix?: string;
  /** Fields of the body besides `__type` and `message` (CloudSearch's `errors`, Lambda's `Type`). */
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** CBOR instead of JSON (`application/x-amz-cbor-1.1`, `application/cbor`). */
  cbor?: boolean;
}

/**
 * `{__type, message}` with `x-amzn-errortype`: what the SDK reads the error's name from. A response already under
 * way cannot change into an error: its connection is dropped so the client sees a failure, not a truncated success.
 */
export function sendAwsJsonError(res: ServerResponse, err: AwsError, opts: AwsJsonErrorOptions = {}): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const fields = { __type: `${opts.typePrefix ?? ''}${err.code}`, message: err.message, ...opts.body };
  const body = opts.cbor ? Buffer.from(cbor.serialize(fields)) : Buffer.from(JSON.stringify(fields));
  res.writeHead(err.status, {
    'content-type': opts.contentType ?? (opts.cbor ? 'application/x-amz-cbor-1.1' : 'application/x-amz-json-1.1'),
    'content-length': body.length,
    'x-amzn-errortype': err.code,
    ...opts.headers,
  });
  res.end(body);
}

/** Whether an AWS request speaks JSON (or CBOR) rather than the query protocol or S3's REST-XML. */
export function isJsonRequest(req: IncomingMessage): boolean {
  const type = String(req.headers['content-type'] ?? '');
  return Boolean(req.headers['x-amz-target']) || type.includes('json') || type.includes('cbor');
}

/**
 * Reads an AWS JSON protocol request body; one over `limitBytes` is drained and answered with a 413
 * SerializationException (as the AWS front ends do), and the caller gets undefined.
 */
export async function readAwsJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limitBytes: number,
  errorOptions: AwsJsonErrorOptions = {},
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limitBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    req.resume();
    sendAwsJsonError(
      res,
      new AwsError('SerializationException', `Request body exceeds ${limitBytes} bytes`, 413),
      errorOptions,
    );
    return undefined;
  }
}
