import type { S3Event, S3EventRecord } from 'aws-lambda';
import { logger } from '../lib/logger.js';
import type { AsyncJournal } from './async-journal.js';
import type { AsyncInvocation, Invoker } from './invoker.js';

/** What the S3 emulator hands over per matching notification configuration. */
export interface S3Notification {
  destinationArn: string;
  record: S3EventRecord;
}

/** Maps a notification's destination ARN (a Lambda function ARN or a bare name) to a registered function name. */
export type DestinationMapping = (destinationArn: string) => string | undefined;

/** Lambda function name at the end of `arn:aws:lambda:region:account:function:NAME[:qualifier]`, or the string itself. */
export function functionNameFromArn(destinationArn: string): string {
  const match = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(destinationArn);
  return match ? match[1] : destinationArn;
}

/**
 * S3 → Lambda as AWS does it: one asynchronous invocation per record, event `{ Records: [record] }`.
 * Returns the invocation (or undefined when no function is mapped) so callers can await its completion.
 * With a journal, the event is on disk before this returns (the S3 request is answered after it), as Lambda's
 * queue is durable in AWS.
 */
export function createS3NotificationDispatcher(
  invoker: Invoker,
  mapping: DestinationMapping = functionNameFromArn,
  journal?: AsyncJournal,
) {
  return function notify(notification: S3Notification): AsyncInvocation | undefined {
    const functionName = mapping(notification.destinationArn);
    if (!functionName || !invoker.has(functionName)) {
      logger.warn(
        { destinationArn: notification.destinationArn, key: notification.record.s3?.object?.key },
        'S3 notification for a destination with no registered function: dropped',
      );
      return undefined;
    }
    const event: S3Event = { Records: [notification.record] };
    return journal ? journal.invokeAsync(invoker, functionName, event) : invoker.invokeAsync(functionName, event);
  };
}
