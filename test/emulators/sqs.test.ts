import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  type SQSServiceException,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/index.js';
import { createS3Service, type S3Service } from '../../src/emulators/s3/index.js';
import { routeNotifications } from '../../src/emulators/s3/notifications.js';
import { createSqsService, md5OfMessageAttributes, type SqsService } from '../../src/emulators/sqs/index.js';

const LOCAL = { region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

async function failure(p: Promise<unknown>): Promise<SQSServiceException> {
  try {
    await p;
  } catch (error) {
    return error as SQSServiceException;
  }
  throw new Error('expected the call to fail');
}

let dataDir: string;
let sqsService: SqsService;
let s3Service: S3Service;
let edge: EdgeServer;
let sqs: SQSClient;

async function startServices(): Promise<void> {
  sqsService = await createSqsService({ dataDir });
  s3Service = await createS3Service({
    dataDir,
    notify: routeNotifications({ sendToQueue: (arn, body) => sqsService.sendToArn(arn, body) }),
  });
  edge = await startEdge({ port: 0, services: [sqsService, s3Service] });
  sqs = new SQSClient({ ...LOCAL, endpoint: edge.url });
}

async function stopServices(): Promise<void> {
  sqs.destroy();
  await edge.close();
  await sqsService.close();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-sqs-'));
  await startServices();
});

afterAll(async () => {
  await stopServices();
  await rm(dataDir, { recursive: true, force: true });
});

const createQueue = async (name: string, attributes?: Record<string, string>) =>
  (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl as string;

describe('SQS emulator over the SDK v3 client (AWS JSON 1.0)', () => {
  it('creates queues idempotently, finds and lists them, and refuses a conflicting re-create', async () => {
    const url = await createQueue('orders', { VisibilityTimeout: '45' });
    expect(url).toBe(`${edge.url}/000000000000/orders`);
    expect(await createQueue('orders', { VisibilityTimeout: '45' })).toBe(url);
    const conflict = await failure(createQueue('orders', { VisibilityTimeout: '10' }));
    expect(conflict.name).toBe('QueueNameExists');
    expect((conflict as unknown as { Code: string }).Code).toBe('QueueAlreadyExists');

    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(url);
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'ord' }));
    expect(listed.QueueUrls).toEqual([url]);

    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders',
      VisibilityTimeout: '45',
      ApproximateNumberOfMessages: '0',
      DelaySeconds: '0',
    });
  });

  it('names a missing queue with the modelled error and the query-compatible code', async () => {
    const error = await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect(error.name).toBe('QueueDoesNotExist');
    expect((error as unknown as { Code: string }).Code).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(error.$metadata.httpStatusCode).toBe(400);
    const bad = await failure(createQueue('bad name!'));
    expect(bad.name).toBe('InvalidParameterValue');
    const badAttribute = await failure(createQueue('x', { VisibilityTimeout: '99999' }));
    expect(badAttribute.name).toBe('InvalidAttributeValue');
    const fifo = await failure(createQueue('jobs.fifo', { FifoQueue: 'true' }));
    expect(fifo.message).toMatch(/FIFO queues are not supported/);
  });

  it('sends, receives with attributes and MD5s the SDK checks, hides in-flight messages, deletes', async () => {
    const url = await createQueue('roundtrip');
    const attributes = {
      kind: { DataType: 'String', StringValue: 'card' },
      size: { DataType: 'Number', StringValue: '42' },
      raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
    };
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'héllo ✓', MessageAttributes: attributes }),
    );
    expect(sent.MessageId).toBeTruthy();
    expect(sent.MD5OfMessageAttributes).toBe(
      md5OfMessageAttributes({
        kind: attributes.kind,
        size: attributes.size,
        raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]).toString('base64') },
      }),
    );

    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
        VisibilityTimeout: 30,
      }),
    );
    expect(received.Messages).toHaveLength(1);
    const [message] = received.Messages ?? [];
    expect(message.Body).toBe('héllo ✓');
    expect(message.MessageAttributes?.kind?.StringValue).toBe('card');
    expect(Buffer.from(message.MessageAttributes?.raw?.BinaryValue ?? []).toString('hex')).toBe('010203');
    expect(message.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(message.Attributes?.ApproximateReceiveCount).toBe('1');

    // In flight: invisible to other consumers until the timeout or a visibility change.
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const counts = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(counts.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');

    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['All'] }));
    expect(again.Messages?.[0].MessageId).toBe(message.MessageId);
    expect(again.Messages?.[0].Attributes?.ApproximateReceiveCount).toBe('2');
    // The first receipt handle is stale now: a visibility change with it is refused.
    const stale = await failure(
      sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: 5,
        }),
      ),
    );
    expect(stale.name).toBe('MessageNotInflight');

    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: again.Messages?.[0].ReceiptHandle }));
    await sqs
      .send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: url,
          ReceiptHandle: again.Messages?.[0].ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      )
      .catch(() => undefined);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const invalid = await failure(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })));
    expect(invalid.name).toBe('ReceiptHandleIsInvalid');
  });

  it('long-polls: a receive waiting for messages returns the one sent while it waits', async () => {
    const url = await createQueue('long-poll');
    const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 1 }));
    expect(empty.Messages).toBeUndefined();
    const waiting = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    expect((await waiting).Messages?.[0].Body).toBe('wake up');
  });

  it('delays messages per queue and per message', async () => {
    const url = await createQueue('delayed', { DelaySeconds: '900' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'now', DelaySeconds: 0 }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body)).toEqual(['now']);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }),
    );
    expect(Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
  });

  it('runs batches entry by entry and reports each failure', async () => {
    const url = await createQueue('batches');
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'bad \u0000 char' },
          { Id: 'c', MessageBody: 'three' },
        ],
      }),
    );
    expect(sent.Successful?.map((s) => s.Id)).toEqual(['a', 'c']);
    expect(sent.Failed).toEqual([
      expect.objectContaining({ Id: 'b', Code: 'InvalidMessageContents', SenderFault: true }),
    ]);
    const duplicate = await failure(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'x', MessageBody: '1' },
            { Id: 'x', MessageBody: '2' },
          ],
        }),
      ),
    );
    expect(duplicate.name).toBe('BatchEntryIdsNotDistinct');
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: [
          ...(got.Messages ?? []).map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle })),
          { Id: 'junk', ReceiptHandle: 'not-a-handle' },
        ],
      }),
    );
    expect(deleted.Successful).toHaveLength(2);
    expect(deleted.Failed?.[0]).toMatchObject({ Id: 'junk', Code: 'ReceiptHandleIsInvalid' });
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await failure(sqs.send(new PurgeQueueCommand({ QueueUrl: url })))).name).toBe('PurgeQueueInProgress');
  });

  it('moves a message received more often than maxReceiveCount to the dead-letter queue', async () => {
    const dlqUrl = await createQueue('work-dlq');
    const url = await createQueue('work');
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: url,
        Attributes: {
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:work-dlq',
            maxReceiveCount: 2,
          }),
        },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
      expect(got.Messages?.[0].Body).toBe('poison');
    }
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'] }));
    expect(dead.Messages?.[0].Body).toBe('poison');
    expect(dead.Messages?.[0].Attributes?.ApproximateReceiveCount).toBe('3');
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlqUrl }));
    expect(sources.queueUrls).toEqual([url]);
  });

  it('keeps queues, messages and in-flight state across a restart, and forgets deleted queues', async () => {
    const url = await createQueue('durable', { VisibilityTimeout: '60' });
    for (const body of ['first', 'second', 'third'])
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(first.Messages?.[0].Body).toBe('first');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages?.[0].ReceiptHandle }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(second.Messages?.[0].Body).toBe('second'); // left in flight for 60 s
    await createQueue('gone');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: `${edge.url}/000000000000/gone` }));
    await stopServices();
    await startServices();
    const newUrl = `${edge.url}/000000000000/durable`;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: newUrl,
        AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes).toMatchObject({ VisibilityTimeout: '60', ApproximateNumberOfMessagesNotVisible: '1' });
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: newUrl, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body)).toEqual(['third']);
    // The receipt handle of before the restart still deletes its message.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: newUrl, ReceiptHandle: second.Messages?.[0].ReceiptHandle }));
    const left = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: newUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(left.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
    expect((await failure(sqs.send(new GetQueueUrlCommand({ QueueName: 'gone' })))).name).toBe('QueueDoesNotExist');
  });

  it('delivers S3 notifications with SQS destinations as S3 event messages', async () => {
    const url = await createQueue('s3-events');
    const s3 = new S3Client({ ...LOCAL, endpoint: edge.url, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'notified' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notified',
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: 'uploads',
              QueueArn: 'arn:aws:sqs:us-east-1:000000000000:s3-events',
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }] } },
            },
          ],
        },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'notified', Key: 'in/a b.txt', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'notified', Key: 'out/ignored.txt', Body: 'x' }));
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MaxNumberOfMessages: 10 }),
    );
    expect(got.Messages).toHaveLength(1);
    const event = JSON.parse(got.Messages?.[0].Body ?? '{}') as {
      Records: { eventName: string; s3: Record<string, unknown> }[];
    };
    expect(event.Records[0]).toMatchObject({
      eventName: 'ObjectCreated:Put',
      s3: { configurationId: 'uploads', bucket: { name: 'notified' }, object: { key: 'in/a+b.txt', size: 1 } },
    });
    s3.destroy();
  });
});

describe('SQS emulator over the query protocol', () => {
  const call = async (params: Record<string, string>, path = '/') => {
    const response = await fetch(`${edge.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization:
          'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: new URLSearchParams({ Version: '2012-11-05', ...params }),
    });
    return { status: response.status, xml: await response.text() };
  };

  it('creates, sends with attributes, receives and answers errors in XML', async () => {
    const created = await call({
      Action: 'CreateQueue',
      QueueName: 'legacy',
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '5',
    });
    expect(created.status).toBe(200);
    expect(created.xml).toContain(`<QueueUrl>${edge.url}/000000000000/legacy</QueueUrl>`);
    const sent = await call(
      {
        Action: 'SendMessage',
        MessageBody: 'a < b',
        'MessageAttribute.1.Name': 'kind',
        'MessageAttribute.1.Value.DataType': 'String',
        'MessageAttribute.1.Value.StringValue': 'x',
      },
      '/000000000000/legacy',
    );
    expect(sent.xml).toMatch(/<SendMessageResponse[^>]*><SendMessageResult><MessageId>/);
    const received = await call({
      Action: 'ReceiveMessage',
      QueueUrl: `${edge.url}/000000000000/legacy`,
      'MessageAttributeName.1': 'All',
      'AttributeName.1': 'ApproximateReceiveCount',
    });
    expect(received.xml).toContain('<Body>a &lt; b</Body>');
    expect(received.xml).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    expect(received.xml).toContain(
      '<MessageAttribute><Name>kind</Name><Value><DataType>String</DataType><StringValue>x</StringValue></Value></MessageAttribute>',
    );
    const missing = await call({ Action: 'GetQueueUrl', QueueName: 'nope' });
    expect(missing.status).toBe(400);
    expect(missing.xml).toContain('<Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
  });
});

describe('SQS durability', () => {
  it('keeps an acknowledged message through kill -9 of the emulator process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octember-sqs-kill-'));
    const start = () =>
      new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['bin/octember.mjs', 'emulate', '--services', 'sqs', '--edge-port', '0', '--data-dir', dir],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        child.once('exit', (code) => reject(new Error(`emulate exited with ${code}`)));
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          const match = /AWS edge\s+(http:\/\/\S+)/.exec(line);
          if (match) resolve({ child, url: match[1] });
        });
      });
    try {
      const first = await start();
      const client = new SQSClient({ ...LOCAL, endpoint: first.url });
      const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'crash' }));
      await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'survives' }));
      client.destroy();
      first.child.removeAllListeners('exit');
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await exited;

      const second = await start();
      const again = new SQSClient({ ...LOCAL, endpoint: second.url });
      const got = await again.send(new ReceiveMessageCommand({ QueueUrl: `${second.url}/000000000000/crash` }));
      expect(got.Messages?.[0].Body).toBe('survives');
      again.destroy();
      second.child.removeAllListeners('exit');
      second.child.kill('SIGKILL');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
