export { loadS3Settings, type Principal, type S3Account, type S3Settings } from './accounts.js';
export { S3Error } from './errors.js';
export type { ListOptions, ListResult } from './listing.js';
export type { BucketInfo, ObjectMeta, ObjectVersion } from './model.js';
export type { S3FilterRule, S3Notification, S3NotificationConfiguration } from './notifications.js';
export { S3ObjectStore } from './object-store.js';
export { createS3Service, type S3Service } from './s3-service.js';
