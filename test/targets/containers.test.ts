import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { CreateStreamCommand } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUCKET, IMAGE_STREAM, TEXT_STREAM } from '../../src/domain/names.js';
import { createInvoker } from '../../src/runtime/invoker.js';
import {
  type KinesisEventSourceMapping,
  startKinesisEventSourceMapping,
} from '../../src/runtime/kinesis-event-source.js';
import type { Adapters } from '../../src/targets/adapters.js';
import { createContainersAdapters } from '../../src/targets/containers.js';
import { registerFunctions } from '../../src/targets/functions.js';

interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: string[];
  healthcheck?: { test: unknown };
}

describe('docker-compose.yml (the containers target)', () => {
  it('declares every backing service on the ports the kit expects, each with a health check', async () => {
    const compose = parse(await readFile('docker-compose.yml', 'utf8')) as { services: Record<string, ComposeService> };
    const expected: Record<string, string> = {
      localstack: '4566:4566',
      'octember-emulators': '4577:4566',
      gremlin: '8182:8182',
      redis: '6379:6379',
      opensearch: '9200:9200',
    };
    for (const [name, port] of Object.entries(expected)) {
      const service = compose.services[name];
      expect(service, name).toBeDefined();
      expect(service.ports).toContain(port);
      expect(service.healthcheck?.test, `${name} health check`).toBeDefined();
      expect(service.image ?? service.build, `${name} image`).toBeDefined();
    }
    // Neptune engines accept TinkerPop 3.7.x: the local Gremlin Server must not be newer than the client we pin.
    expect(compose.services.gremlin.image).toMatch(/gremlin-server:3\.7\./);
  });
});

function dockerEngine(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

const hasDocker = dockerEngine();

describe.skipIf(!hasDocker)(
  `card ingest on the containers target${hasDocker ? '' : ' (skipped: no Docker engine on this machine)'}`,
  () => {
    let down: (() => Promise<unknown>) | undefined;
    let adapters: Adapters;
    let mapping: KinesisEventSourceMapping;
    const invoker = createInvoker({ retryDelayScale: 0.01 });

    beforeAll(async () => {
      const { DockerComposeEnvironment, Wait } = await import('testcontainers');
      const environment = await new DockerComposeEnvironment('.', 'docker-compose.yml')
        .withWaitStrategy('localstack-1', Wait.forHealthCheck())
        .withWaitStrategy('octember-emulators-1', Wait.forHealthCheck())
        .withWaitStrategy('gremlin-1', Wait.forHealthCheck())
        .withWaitStrategy('redis-1', Wait.forHealthCheck())
        .withWaitStrategy('opensearch-1', Wait.forHealthCheck())
        .up();
      down = () => environment.down();
      adapters = await createContainersAdapters({ ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' });
      await adapters.clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      for (const StreamName of [IMAGE_STREAM, TEXT_STREAM]) {
        await adapters.clients.kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
      }
      registerFunctions(invoker, adapters);
      mapping = await startKinesisEventSourceMapping({
        kinesis: adapters.clients.kinesis,
        streamName: IMAGE_STREAM,
        functionName: 'get-text-from-image',
        invoker,
        pollIntervalMs: 200,
        reportBatchItemFailures: true,
        bisectBatchOnFunctionError: true,
      });
    }, 600_000);

    afterAll(async () => {
      await mapping?.stop();
      await adapters?.close();
      await down?.();
    }, 120_000);

    it('takes a real card to END through LocalStack, the kit Textract container and Redis', async () => {
      const file = 'edy_a0653895773.jpg';
      const key = `bizcard-raw-img/${file}`;
      await adapters.clients.s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: await readFile(`../shared/fixtures/bizcards/real/${file}`),
        }),
      );
      // LocalStack's notifications cannot reach a Lambda running on the host: deliver the S3 event ourselves.
      const event = {
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: BUCKET }, object: { key, size: 1 } },
          },
        ],
      } as unknown as S3Event;
      await invoker.invoke('trigger-text-extract', event);
      await mapping.idle();
      await invoker.idle();
      const status = await adapters.status.get(file);
      expect(status?.status).toBe('END');
      expect(status?.data?.email).toBe('edy@amazon.com');
    });
  },
);
