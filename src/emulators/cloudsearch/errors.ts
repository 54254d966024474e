import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AwsError, sendAwsJsonError, sendAwsQueryError } from '../aws-errors/index.js';

/**
 * The one error type of the CloudSearch emulator: AWS's error code, the HTTP status, whose fault it is, and (for
 * document batches) every problem found. Each API writes it in its own wire shape: the domain APIs as JSON
 * ({@link sendDomainApiError}), the configuration API as AWS query XML ({@link sendConfigApiError}).
 */
export class CloudSearchError extends AwsError {
  /** Every problem found, for a document batch (its first is the message). */
  readonly details: string[];

  constructor(code: string, message: string, options: { status?: number; details?: string[] } = {}) {
    super(code, message, options.status ?? 400);
    this.details = options.details ?? [message];
  }
}

/** A document batch CloudSearch refuses; like CloudSearch, every problem found is listed. */
export function documentError(problems: string[], status = 400): CloudSearchError {
  return new CloudSearchError('DocumentServiceException', problems[0] ?? 'invalid document batch', {
    status,
    details: problems,
  });
}

/** A search request CloudSearch refuses (bad syntax, unknown field, a limit). */
export function searchError(message: string, status = 400): CloudSearchError {
  return new CloudSearchError('SearchException', message, { status });
}

/** Configuration API errors, with the codes and statuses the SDK maps to its exception classes. */
export const configErrors = {
  validation: (message: string) => new CloudSearchError('ValidationException', message, { status: 400 }),
  notFound: (message: string) => new CloudSearchError('ResourceNotFound', message, { status: 409 }),
  limitExceeded: (message: string) => new CloudSearchError('LimitExceeded', message, { status: 409 }),
  invalidType: (message: string) => new CloudSearchError('InvalidType', message, { status: 409 }),
  invalidAction: (message: string) => new CloudSearchError('InvalidAction', message, { status: 400 }),
};

/** An unexpected failure inside the emulator: a 5xx that says so, never dressed up as the client's fault. */
export function internalError(api: 'document' | 'search' | 'configuration', err: unknown): CloudSearchError {
  const message = `Internal error in the local CloudSearch emulator: ${(err as Error)?.message ?? String(err)}`;
  const code =
    api === 'document' ? 'DocumentServiceException' : api === 'search' ? 'SearchException' : 'InternalException';
  return new CloudSearchError(code, message, { status: 500 });
}

/**
 * The document and search APIs' error bodies (REST-JSON; the SDK reads the type from `x-amzn-errortype`).
 * Batch errors carry CloudSearch's `status`/`errors` fields, search errors its `error.rid`.
 */
export function sendDomainApiError(res: ServerResponse, err: CloudSearchError): void {
  const body =
    err.code === 'DocumentServiceException'
      ? { status: 'error', adds: 0, deletes: 0, errors: err.details.map((message) => ({ message })) }
      : { error: { rid: randomBytes(9).toString('base64'), message: err.message } };
  sendAwsJsonError(res, err, { contentType: 'application/json', body });
}

const CONFIG_NAMESPACE = 'http://cloudsearch.amazonaws.com/doc/2013-01-01/';

/** The configuration API's errors: AWS query XML. */
export function sendConfigApiError(res: ServerResponse, err: CloudSearchError, requestId: string): void {
  sendAwsQueryError(res, err, { namespace: CONFIG_NAMESPACE, requestId });
}
