/**
 * An error an AWS API answers with: the code the SDK turns into its exception class (`error.name`), the message,
 * the HTTP status, and whose fault it is (sender: the caller's, 4xx; receiver: the service's, 5xx). Each service's
 * errors are a subclass with its codes as a union; each wire protocol has one writer ({@link sendAwsJsonError},
 * {@link sendAwsQueryError}, S3's `sendS3Error`).
 */
export class AwsError<Code extends string = string> extends Error {
  /** Sender (client) fault: the caller can fix the request; false for the service's own failures (5xx). */
  readonly senderFault: boolean;

  constructor(
    readonly code: Code,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
    this.senderFault = status < 500;
  }
}

/** AWS's common error for a failure of the service itself (every AWS API may answer it). */
export const INTERNAL_FAILURE_MESSAGE =
  'The request processing has failed because of an unknown error, exception or failure.';

/**
 * What the client is told of an unexpected exception: the service's own error for it (its `code`, 500), never a
 * 4xx: an emulator bug is not the caller's fault.
 */
export function internalFailure<Code extends string = 'InternalFailure'>(
  code: Code = 'InternalFailure' as Code,
  message = INTERNAL_FAILURE_MESSAGE,
): AwsError<Code> {
  return new AwsError(code, message, 500);
}
