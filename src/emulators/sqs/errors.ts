import { AwsError } from '../aws-errors/index.js';

/**
 * SQS errors as the service sends them over AWS JSON 1.0 in query-compatible mode: `__type` names the modelled
 * shape (the error's `code`, the SDK's `error.name`), `x-amzn-query-error` carries the classic query-protocol code
 * the SDK exposes as `error.Code` (also the query protocol's `<Code>`).
 */
export class SqsError extends AwsError {
  constructor(
    /** Shape name (`QueueDoesNotExist`), the `__type` after `com.amazonaws.sqs#` and the SDK's `error.name`. */
    type: string,
    /** The query protocol's code (`AWS.SimpleQueueService.NonExistentQueue`). */
    readonly queryCode: string,
    status: number,
    message: string,
  ) {
    super(type, message, status);
  }
}

export const SQS_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

export const sqsErrors = {
  queueDoesNotExist: () =>
    new SqsError(
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      400,
      'The specified queue does not exist.',
    ),
  queueNameExists: (name: string) =>
    new SqsError(
      'QueueNameExists',
      'QueueAlreadyExists',
      400,
      `A queue already exists with the same name (${name}) and a different value for attribute(s)`,
    ),
  invalidParameterValue: (message: string) =>
    new SqsError('InvalidParameterValue', 'InvalidParameterValue', 400, message),
  missingParameter: (name: string) =>
    new SqsError('MissingParameter', 'MissingParameter', 400, `The request must contain the parameter ${name}.`),
  invalidAttributeName: (name: string) =>
    new SqsError('InvalidAttributeName', 'InvalidAttributeName', 400, `Unknown Attribute ${name}.`),
  invalidAttributeValue: (name: string, detail: string) =>
    new SqsError(
      'InvalidAttributeValue',
      'InvalidAttributeValue',
      400,
      `Invalid value for the parameter ${name}. ${detail}`,
    ),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsError(
      'ReceiptHandleIsInvalid',
      'ReceiptHandleIsInvalid',
      404,
      `The input receipt handle "${handle}" is not a valid receipt handle.`,
    ),
  messageNotInflight: () =>
    new SqsError(
      'MessageNotInflight',
      'AWS.SimpleQueueService.MessageNotInflight',
      400,
      'Value for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.',
    ),
  emptyBatchRequest: (prefix: string) =>
    new SqsError(
      'EmptyBatchRequest',
      'AWS.SimpleQueueService.EmptyBatchRequest',
      400,
      `There should be at least one ${prefix} in the request.`,
    ),
  tooManyEntriesInBatchRequest: (count: number) =>
    new SqsError(
      'TooManyEntriesInBatchRequest',
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      400,
      `Maximum number of entries per request are 10. You have sent ${count}.`,
    ),
  batchEntryIdsNotDistinct: (id: string) =>
    new SqsError(
      'BatchEntryIdsNotDistinct',
      'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      400,
      `Id ${id} repeated.`,
    ),
  invalidBatchEntryId: (id: string) =>
    new SqsError(
      'InvalidBatchEntryId',
      'AWS.SimpleQueueService.InvalidBatchEntryId',
      400,
      `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long (got '${id}').`,
    ),
  batchRequestTooLong: (bytes: number, limit: number) =>
    new SqsError(
      'BatchRequestTooLong',
      'AWS.SimpleQueueService.BatchRequestTooLong',
      400,
      `Batch requests cannot be longer than ${limit} bytes. You have sent ${bytes} bytes.`,
    ),
  invalidMessageContents: (detail: string) =>
    new SqsError('InvalidMessageContents', 'InvalidMessageContents', 400, detail),
  purgeQueueInProgress: (name: string) =>
    new SqsError(
      'PurgeQueueInProgress',
      'AWS.SimpleQueueService.PurgeQueueInProgress',
      403,
      `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
    ),
  unsupportedOperation: (message: string) =>
    new SqsError('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', 400, message),
  unknownOperation: (operation: string) =>
    new SqsError(
      'UnknownOperationException',
      'InvalidAction',
      400,
      `The action ${operation || '(none)'} is not valid for this endpoint.`,
    ),
};
