import { S3Client } from '@aws-sdk/client-s3';
import { createS3ObjectStore } from '../../adapters/s3/object-store.js';
import { serviceClientConfig } from '../service-client-config.js';
import type { CompositionContext, PortBuilder } from '../types.js';

export function s3Client(context: CompositionContext): S3Client {
  return context.shared(
    's3',
    () => new S3Client({ ...serviceClientConfig(context.aws, 's3'), forcePathStyle: context.aws.forcePathStyle }),
    (c) => c.destroy(),
  );
}

export const objects: PortBuilder<'objects'> = (context) => createS3ObjectStore(s3Client(context));
