import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { type EdgeServer, startEdge } from '../../../src/emulators/edge/index.js';
import { type KinesisService, startKinesis } from '../../../src/emulators/kinesis/index.js';

export interface TestKinesis {
  endpoint: string;
  client: KinesisClient;
  service: KinesisService;
  createStream(name: string, shards?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The kit's Kinesis engine behind its own edge on a free port, in a temporary data dir, for one test file. */
export async function startTestKinesis(options: { transitionMs?: number } = {}): Promise<TestKinesis> {
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-test-kinesis-'));
  const service = await startKinesis({ dataDir, ...options });
  let edge: EdgeServer;
  try {
    edge = await startEdge({ port: 0, services: [service], closeServices: true });
  } catch (error) {
    await service.close();
    throw error;
  }
  const client = new KinesisClient({
    endpoint: edge.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler(),
  });
  return {
    endpoint: edge.url,
    client,
    service,
    async createStream(name, shards = 1) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      for (;;) {
        const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async stop() {
      client.destroy();
      await edge.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
