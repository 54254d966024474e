// The AWS query protocol's error document (SQS's older protocol, the CloudSearch configuration API, the edge's
// answer to an unroutable query request).
import type { ServerResponse } from 'node:http';
import { escapeXml } from '../../lib/xml-text.js';
import type { AwsError } from './aws-error.js';

export interface AwsQueryErrorOptions {
  /** The API's XML namespace (`http://sqs.amazonaws.com/doc/2012-11-05/`). */
  namespace?: string;
  requestId: string;
  /** The query protocol's code when it differs from the error's (`AWS.SimpleQueueService.NonExistentQueue`). */
  code?: string;
  headers?: Record<string, string>;
}

/** `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function sendAwsQueryError(res: ServerResponse, err: AwsError, opts: AwsQueryErrorOptions): void {
  if (res.headersSent) {
    res.destroy(err);
    return;
  }
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse${opts.namespace ? ` xmlns="${escapeXml(opts.namespace)}"` : ''}>` +
    `<Error><Type>${err.senderFault ? 'Sender' : 'Receiver'}</Type><Code>${escapeXml(opts.code ?? err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message><Detail/></Error>` +
    `<RequestId>${escapeXml(opts.requestId)}</RequestId></ErrorResponse>`;
  res.writeHead(err.status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': opts.requestId,
    ...opts.headers,
  });
  res.end(body);
}
