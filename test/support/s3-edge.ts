import { S3Client, type S3ServiceException } from '@aws-sdk/client-s3';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/index.js';
import { createS3Service, type S3Notification, type S3Service } from '../../src/emulators/s3/index.js';

/** The S3 emulator behind a real edge on a free port, with an SDK client pointed at it. */
export async function startS3Edge(
  dataDir: string,
  notify?: (n: S3Notification) => void,
): Promise<{ service: S3Service; edge: EdgeServer; s3: S3Client }> {
  const service = await createS3Service({ dataDir, notify });
  const edge = await startEdge({ port: 0, services: [service] });
  const s3 = new S3Client({
    endpoint: edge.url,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { service, edge, s3 };
}

/** The S3 error a call fails with (the test fails if it succeeds). */
export async function s3Failure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    return err as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}
