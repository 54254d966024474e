// The S3 adapter against the embedded S3 emulator (the real wire protocol): the ObjectStore contract.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3ObjectStore } from '../../src/adapters/s3/object-store.js';
import { createS3Service } from '../../src/emulators/s3/index.js';
import { objectStoreContract } from '../contracts/object-store.contract.js';

objectStoreContract('s3 over the S3 emulator', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-s3-adapter-'));
  const service = await createS3Service({ dataDir });
  const server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new S3Client({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  for (const bucket of ['adapter-a', 'adapter-b']) await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    store: createS3ObjectStore(client),
    buckets: ['adapter-a', 'adapter-b'],
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});
