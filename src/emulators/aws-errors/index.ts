export { AwsError, INTERNAL_FAILURE_MESSAGE, internalFailure } from './aws-error.js';
export { type AwsJsonErrorOptions, isJsonRequest, readAwsJsonBody, sendAwsJsonError } from './json.js';
export { type AwsQueryErrorOptions, sendAwsQueryError } from './query.js';
