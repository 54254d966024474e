export { S3Error } from './errors.js';
export type { S3FilterRule, S3Notification, S3NotificationConfiguration } from './notifications.js';
export { type BucketInfo, type ListOptions, type ListResult, type ObjectMeta, S3ObjectStore } from './object-store.js';
export { createS3Service, type S3Service } from './s3-service.js';
