import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsError } from '../aws-errors/index.js';

/**
 * One AWS API served behind the edge port. The edge picks the service for a request by, in order:
 * the `X-Amz-Target` prefix, the SigV4 credential scope's service name (header or presigned query),
 * then the path prefix. The request body has not been read: services stream it themselves.
 */
export interface EdgeService {
  /** Short name used in logs and `--services` (s3, kinesis, firehose, textract, cloudsearch). */
  readonly name: string;
  /** SigV4 signing names this service answers (e.g. ['s3'], ['kinesis'], ['cloudsearch']). */
  readonly signingNames: readonly string[];
  /** `X-Amz-Target` prefixes before the dot (e.g. 'Kinesis_20131202', 'Firehose_20150804', 'Textract'). */
  readonly targetPrefixes?: readonly string[];
  /** Path prefixes for unsigned requests (e.g. '/2013-01-01/'). */
  readonly pathPrefixes?: readonly string[];
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * S3 only: whether the bucket's own CORS configuration admits this browser origin for the method and request
   * headers (for a preflight, its Access-Control-Request-Method / -Headers). The edge refuses origins outside the
   * kit's allow-list unless this says yes; the service then answers the preflight and the CORS headers itself.
   */
  corsAllows?(bucket: string, origin: string, method: string, requestHeaders: readonly string[]): boolean;
  /**
   * Writes an error in this service's own wire shape through its protocol's one writer (an injected chaos fault,
   * the edge's answer when `handle` throws). Without it: AWS JSON for a JSON request, query-protocol XML otherwise.
   */
  writeError?(req: IncomingMessage, res: ServerResponse, err: AwsError): void;
  /** The service sends `100 Continue` itself (when it starts reading the body); otherwise the edge sends it. */
  readonly handlesExpectContinue?: boolean;
  close?(): Promise<void>;
}
