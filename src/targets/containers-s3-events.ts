// S3 → Lambda on the containers target, the way a LocalStack user wires it: the bucket notifies an SQS queue and the
// runtime long-polls it. One S3 event per message; its function runs it; success deletes the message, a failure
// makes it visible again after S3's retry delays (1 s, 2 s), and the queue's redrive policy moves it to the
// dead-letter queue once it was received too often: nothing is lost, and a poison event does not block the rest.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { logger as defaultLogger, type Logger } from '../lib/logger.js';
import type { Invoker } from '../runtime/invoker.js';
import { TOPOLOGY, type Topology } from '../topology/index.js';
import { functionsByNotificationId } from './provision.js';

export interface S3EventBridgeOptions {
  sqs: SQSClient;
  queueUrl: string;
  invoker: Invoker;
  topology?: Topology;
  /** Long-poll wait (default 20 s, SQS's longest). */
  waitSeconds?: number;
  /** Delays before a failed event is received again, by receive count (default S3's async retries: 1 s, 2 s). */
  retryDelaysSeconds?: readonly number[];
  logger?: Logger;
}

export interface S3EventBridge {
  /** Resolves when the queue is empty and nothing is being handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function startS3EventBridge(opts: S3EventBridgeOptions): S3EventBridge {
  const log = (opts.logger ?? defaultLogger).child({ bridge: 's3-events' });
  const topology = opts.topology ?? TOPOLOGY;
  const functionById = functionsByNotificationId(topology);
  const delays = opts.retryDelaysSeconds ?? [1, 2];
  const stopping = new AbortController();
  const inFlight = new Set<Promise<void>>();

  /** The function for a record: by its configuration id, else by the topology's prefix/suffix/event filters. */
  const functionFor = (record: S3EventRecord): string | undefined => {
    const byId = functionById.get(record.s3?.configurationId ?? '');
    if (byId) return byId;
    const key = decodeURIComponent((record.s3?.object?.key ?? '').replace(/\+/g, ' '));
    const kind = String(record.eventName ?? '').split(':')[0];
    return topology.s3Triggers.find(
      (t) =>
        key.startsWith(t.prefix) &&
        t.suffixes.some((s) => key.endsWith(s)) &&
        t.events.some((e) => e.startsWith(`s3:${kind}:`)),
    )?.function;
  };

  const handle = async (message: Message): Promise<void> => {
    const receipt = message.ReceiptHandle as string;
    const receives = Number(message.Attributes?.ApproximateReceiveCount ?? '1');
    try {
      const body = JSON.parse(message.Body ?? '') as Partial<S3Event> & { Event?: string };
      if (body.Event === 's3:TestEvent') {
        await opts.sqs.send(new DeleteMessageCommand({ QueueUrl: opts.queueUrl, ReceiptHandle: receipt }));
        return;
      }
      if (!Array.isArray(body.Records)) throw new Error('the message is not an S3 event (no Records)');
      for (const record of body.Records) {
        const functionName = functionFor(record);
        if (!functionName) {
          log.warn(
            { key: record.s3?.object?.key, configurationId: record.s3?.configurationId },
            'S3 event matches no function: skipped',
          );
          continue;
        }
        await opts.invoker.invoke(functionName, { Records: [record] } satisfies S3Event);
      }
      await opts.sqs.send(new DeleteMessageCommand({ QueueUrl: opts.queueUrl, ReceiptHandle: receipt }));
    } catch (error) {
      const delay = delays[Math.min(receives - 1, delays.length - 1)] ?? 0;
      log.warn(
        { messageId: message.MessageId, receives, retryInSeconds: delay, err: error },
        'S3 event failed; it is received again after the delay, and goes to the dead-letter queue after the last try',
      );
      await opts.sqs
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: opts.queueUrl,
            ReceiptHandle: receipt,
            VisibilityTimeout: delay,
          }),
        )
        .catch((err: Error) => log.warn({ err }, 'could not shorten the visibility of a failed S3 event'));
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let messages: Message[] = [];
      try {
        const out = await opts.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: opts.queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: opts.waitSeconds ?? 20,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: stopping.signal },
        );
        messages = out.Messages ?? [];
      } catch (error) {
        if (stopping.signal.aborted) break;
        log.warn({ err: error }, 'S3 event queue: receive failed; retrying in 1 s');
        await sleep(1000, undefined, { signal: stopping.signal }).catch(() => undefined);
        continue;
      }
      const batch = Promise.all(messages.map(handle)).then(() => undefined);
      inFlight.add(batch);
      await batch.finally(() => inFlight.delete(batch));
    }
  })();

  return {
    async idle() {
      for (;;) {
        await Promise.all([...inFlight]);
        const { Attributes = {} } = await opts.sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: opts.queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        );
        const pending = Object.values(Attributes).reduce((sum, v) => sum + Number(v), 0);
        if (pending === 0 && inFlight.size === 0) return;
        await sleep(50);
      }
    },
    async stop() {
      stopping.abort();
      await loop;
      await Promise.all([...inFlight]);
    },
  };
}
