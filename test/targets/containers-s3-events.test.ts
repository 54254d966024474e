import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/index.js';
import { createSqsService, type SqsService } from '../../src/emulators/sqs/index.js';
import { createInvoker } from '../../src/runtime/invoker.js';
import { startS3EventBridge } from '../../src/targets/containers-s3-events.js';
import { bucketNotificationConfiguration, functionsByNotificationId, localArns } from '../../src/targets/provision.js';
import { TOPOLOGY } from '../../src/topology/index.js';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
let dataDir: string;
let service: SqsService;
let edge: EdgeServer;
let sqs: SQSClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-bridge-'));
  service = await createSqsService({ dataDir });
  edge = await startEdge({ port: 0, services: [service] });
  sqs = new SQSClient({ ...LOCAL, endpoint: edge.url });
});

afterAll(async () => {
  sqs.destroy();
  await edge.close();
  await service.close();
  await rm(dataDir, { recursive: true, force: true });
});

const record = (key: string, configurationId: string, eventName = 'ObjectCreated:Put') => ({
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  eventName,
  s3: { configurationId, bucket: { name: 'octember-bizcard' }, object: { key, size: 1 } },
});

describe('S3 events through SQS (the containers target bridge)', () => {
  it('maps notification configurations to functions, one per trigger and suffix', () => {
    const functionById = functionsByNotificationId();
    expect(functionById.get('card-images.jpg')).toBe('trigger-text-extract');
    expect(functionById.get('item-csvs.CSV')).toBe('csv-to-cloudsearch');
    const queueArn = 'arn:aws:sqs:us-east-1:000000000000:q';
    const configurations = bucketNotificationConfiguration(localArns(), TOPOLOGY, { queueArn }).QueueConfigurations;
    expect(configurations).toHaveLength(functionById.size);
    for (const c of configurations ?? []) expect(c.QueueArn).toBe(queueArn);
    const csv = configurations?.find((c) => c.Id === 'item-csvs.csv');
    expect(csv?.Events).toEqual(['s3:ObjectCreated:*', 's3:ObjectRemoved:*']);
    expect(csv?.Filter?.Key?.FilterRules).toEqual([
      { Name: 'prefix', Value: 'items/' },
      { Name: 'suffix', Value: '.csv' },
    ]);
  });

  it('runs each event once, skips S3 test events, retries a failing one and leaves it to the dead-letter queue', async () => {
    const deadUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'events-dlq' }))).QueueUrl as string;
    const queueUrl = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: 'events',
          Attributes: {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:events-dlq',
              maxReceiveCount: 3,
            }),
          },
        }),
      )
    ).QueueUrl as string;
    const seen: string[] = [];
    const invoker = createInvoker();
    invoker.register('trigger-text-extract', async (event: S3Event) => {
      const key = event.Records[0].s3.object.key;
      seen.push(key);
      if (key.includes('poison')) throw new Error('cannot handle this one');
    });
    invoker.register('csv-to-cloudsearch', async (event: S3Event) => {
      seen.push(`csv:${event.Records[0].eventName}:${event.Records[0].s3.object.key}`);
    });
    const bridge = startS3EventBridge({
      sqs,
      queueUrl,
      invoker,
      waitSeconds: 1,
      retryDelaysSeconds: [0],
    });
    const send = (body: unknown) =>
      sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(body) }));
    await send({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'octember-bizcard' });
    await send({ Records: [record('bizcard-raw-img/edy_1.jpg', 'card-images.jpg')] });
    await send({ Records: [record('items/a.csv', 'unknown-id', 'ObjectRemoved:Delete')] }); // matched by filters
    await send({ Records: [record('bizcard-raw-img/edy_poison.jpg', 'card-images.jpg')] });
    await send('not an s3 event');
    await bridge.idle();
    await bridge.stop();

    expect(seen.filter((k) => k === 'bizcard-raw-img/edy_1.jpg')).toHaveLength(1);
    expect(seen).toContain('csv:ObjectRemoved:Delete:items/a.csv');
    expect(seen.filter((k) => k.includes('poison'))).toHaveLength(3);
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadUrl, MaxNumberOfMessages: 10 }));
    const bodies = (dead.Messages ?? []).map((m) => m.Body ?? '').sort();
    expect(bodies).toHaveLength(2);
    expect(bodies.some((b) => b.includes('edy_poison.jpg'))).toBe(true);
    expect(bodies).toContain(JSON.stringify('not an s3 event'));
  });
});
