export {
  type ApiGateway,
  type ApiGatewayOptions,
  type ApiRoute,
  startApiGateway,
} from './api-gateway.js';
export { type CheckpointStore, openCheckpointStore, type ShardCheckpoint } from './checkpoint-store.js';
export { describeEventSource, type EventSourceSummary, partialFailures } from './event-source.js';
export { describeError, writeFailureRecord } from './failure-destination.js';
export {
  type AsyncInvocation,
  type AsyncOutcome,
  createInvoker,
  FunctionNotFoundError,
  type FunctionOptions,
  FunctionTimeoutError,
  type InvocationListener,
  type InvocationTrace,
  type Invoker,
  type InvokerOptions,
  type LambdaFunction,
} from './invoker.js';
export {
  type KinesisEventSourceMapping,
  type KinesisEventSourceMappingOptions,
  startKinesisEventSourceMapping,
} from './kinesis-event-source.js';
export { type DecodedKinesisRecord, decodeKinesisRecords, recordJson } from './kinesis-records.js';
export { createLambdaContext, functionArn, LOCAL_ACCOUNT_ID, LOCAL_REGION } from './lambda-context.js';
export {
  createS3NotificationDispatcher,
  type DestinationMapping,
  functionNameFromArn,
  type S3Notification,
} from './s3-notifications.js';
