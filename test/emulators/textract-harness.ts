import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TextractClient } from '@aws-sdk/client-textract';
import { createTextractService, TesseractPool } from '../../src/emulators/textract/index.js';
import { sharedPath } from '../support/shared.js';

export { projectRoot } from '../support/shared.js';
export const edyCardPath = sharedPath('fixtures', 'bizcards', 'real', 'edy_a0653895773.jpg');
export const textractFixtureDir = sharedPath('fixtures', 'textract');

export interface TextractEdge {
  client: TextractClient;
  pool: TesseractPool;
  /** The fake S3 behind the service: `${bucket}/${key}` → bytes. */
  objects: Map<string, Uint8Array>;
  endpoint: string;
  close(): Promise<void>;
}

/** The Textract service behind a bare HTTP server (stand-in for the edge), with a real SDK client. */
export async function startTextractEdge(): Promise<TextractEdge> {
  const pool = TesseractPool.create({ size: 1 });
  const objects = new Map<string, Uint8Array>();
  const service = createTextractService({ pool, readS3Object: async (bucket, key) => objects.get(`${bucket}/${key}`) });
  const server: Server = createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new TextractClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    client,
    pool,
    objects,
    endpoint,
    async close() {
      client.destroy();
      await new Promise<void>((done) => server.close(() => done()));
      await service.close?.();
      await pool.close();
    },
  };
}
