export { SqsError } from './errors.js';
export { md5OfMessageAttributes } from './md5.js';
export { createSqsService, SQS_ACCOUNT, type SqsService, type SqsServiceOptions } from './service.js';
