// Amazon SQS emulator: standard queues over AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.*`, what the SDK v3 client
// speaks) and the older query protocol, with long polling, visibility timeouts, redrive to dead-letter queues and
// every queue and message kept on disk across restarts.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { BodyTooLargeError, readBody } from '../../lib/http.js';
import { logger as defaultLogger, type Logger } from '../../lib/logger.js';
import { sendAwsJsonError, sendAwsQueryError } from '../aws-errors/index.js';
import type { EdgeService } from '../edge/service.js';
import { defaultAttributes, integerParameter, requestedAttributeNames, validateAttributes } from './attributes.js';
import { SQS_NAMESPACE, SqsError, sqsErrors } from './errors.js';
import { QueueJournal, type StoredMessage } from './journal.js';
import { checkBatch, eachEntry, receivedMessage, sendResult, validateMessage } from './messages.js';
import { queryToInput, renderQueryResponse } from './query-protocol.js';
import { parseReceiptHandle, Queue, type QueueDefinition } from './queue.js';

export const SQS_ACCOUNT = '000000000000';
const MAX_REQUEST_BYTES = 12 * 1024 * 1024;
const BATCH_LIMIT_BYTES = 1_048_576;

export interface SqsServiceOptions {
  dataDir: string;
  region?: string;
  logger?: Logger;
}

export interface SqsService extends EdgeService {
  /** Sends a message to the queue with this ARN, as another service (S3 notifications) does. */
  sendToArn(queueArn: string, body: string): Promise<boolean>;
  /** The queue's ARN → name map (for tests and status pages). */
  queueNames(): string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
interface Context {
  /** Scheme, host and port the client used: queue URLs point back at it. */
  origin: string;
  /** The path of a query-protocol request sent to a queue URL. */
  path: string;
  signal: AbortSignal;
}

export async function createSqsService(opts: SqsServiceOptions): Promise<SqsService> {
  const region = opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const log = (opts.logger ?? defaultLogger).child({ service: 'sqs' });
  const root = join(opts.dataDir, 'sqs', 'queues');
  const queues = new Map<string, Queue>();
  const closing = new AbortController();
  const arnOf = (name: string) => `arn:aws:sqs:${region}:${SQS_ACCOUNT}:${name}`;

  const saveDefinition = async (def: QueueDefinition) => {
    const file = join(root, def.name, 'queue.json');
    await writeFile(`${file}.tmp`, JSON.stringify(def, null, 2));
    await rename(`${file}.tmp`, file);
  };
  const openQueue = async (def: QueueDefinition) => {
    const { journal, messages } = await QueueJournal.open(join(root, def.name, 'messages.log'));
    const queue = new Queue(def, messages, journal);
    queues.set(def.name, queue);
    return queue;
  };

  await mkdir(root, { recursive: true });
  for (const name of await readdir(root)) {
    try {
      const def = JSON.parse(await readFile(join(root, name, 'queue.json'), 'utf8')) as QueueDefinition;
      await openQueue(def);
    } catch (err) {
      log.warn({ err, name }, 'sqs: skipping an unreadable queue directory');
    }
  }

  const queueUrl = (ctx: Context, name: string) => `${ctx.origin}/${SQS_ACCOUNT}/${name}`;
  const requireQueue = (input: Json, ctx: Context): Queue => {
    const url = typeof input.QueueUrl === 'string' && input.QueueUrl ? input.QueueUrl : ctx.path;
    if (!url || url === '/') throw sqsErrors.missingParameter('QueueUrl');
    let path = url;
    try {
      path = new URL(url, 'http://queue').pathname;
    } catch {
      throw sqsErrors.invalidParameterValue(`Value ${url} for parameter QueueUrl is invalid. Reason: Invalid URL.`);
    }
    const name = path.split('/').filter(Boolean).pop() ?? '';
    const queue = queues.get(name);
    if (!queue) throw sqsErrors.queueDoesNotExist();
    return queue;
  };
  const byArn = (arn: string) => queues.get(arn.split(':').pop() ?? '');

  /** Redrive: moves a message that exhausted its receives to the dead-letter queue, if that queue exists. */
  const deadLetter = (source: Queue) => async (message: StoredMessage) => {
    const arn = source.settings.redrivePolicy?.deadLetterTargetArn;
    const target = arn ? byArn(arn) : undefined;
    if (!target || target === source) return false;
    await target.adopt(message);
    log.info(
      { queue: source.name, deadLetterQueue: target.name, messageId: message.id },
      'sqs: message moved to the dead-letter queue',
    );
    return true;
  };

  const operations: Record<string, (input: Json, ctx: Context) => Promise<Json>> = {
    async CreateQueue(input, ctx) {
      const name = input.QueueName;
      if (typeof name !== 'string' || name === '') throw sqsErrors.missingParameter('QueueName');
      if (name.endsWith('.fifo')) {
        throw sqsErrors.unsupportedOperation('FIFO queues are not supported by the Octember SQS emulator.');
      }
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
        throw sqsErrors.invalidParameterValue(
          'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
        );
      }
      const attributes = validateAttributes(input.Attributes as Json | undefined);
      const existing = queues.get(name);
      if (existing) {
        const differs = Object.entries(attributes).some(([k, v]) => existing.definition.attributes[k] !== v);
        if (differs) throw sqsErrors.queueNameExists(name);
        return { QueueUrl: queueUrl(ctx, name) };
      }
      const now = Math.floor(Date.now() / 1000);
      const def: QueueDefinition = {
        name,
        arn: arnOf(name),
        attributes: { ...defaultAttributes(), ...attributes },
        tags: { ...((input.tags as Record<string, string> | undefined) ?? {}) },
        createdAt: now,
        lastModifiedAt: now,
      };
      await mkdir(join(root, name), { recursive: true });
      await saveDefinition(def);
      await openQueue(def);
      return { QueueUrl: queueUrl(ctx, name) };
    },

    async GetQueueUrl(input, ctx) {
      const name = input.QueueName;
      if (typeof name !== 'string' || name === '') throw sqsErrors.missingParameter('QueueName');
      if (!queues.has(name)) throw sqsErrors.queueDoesNotExist();
      return { QueueUrl: queueUrl(ctx, name) };
    },

    async ListQueues(input, ctx) {
      const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
      const max = integerParameter(input, 'MaxResults', 1, 1000);
      const names = [...queues.keys()].filter((n) => n.startsWith(prefix)).sort();
      const start =
        typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString()) || 0 : 0;
      const page = max === undefined ? names.slice(0, 1000) : names.slice(start, start + max);
      const next =
        max !== undefined && start + max < names.length
          ? Buffer.from(String(start + max)).toString('base64')
          : undefined;
      return {
        ...(page.length > 0 ? { QueueUrls: page.map((n) => queueUrl(ctx, n)) } : {}),
        ...(next ? { NextToken: next } : {}),
      };
    },

    async DeleteQueue(input, ctx) {
      const queue = requireQueue(input, ctx);
      queues.delete(queue.name);
      await queue.close();
      await rm(join(root, queue.name), { recursive: true, force: true });
      return {};
    },

    async GetQueueAttributes(input, ctx) {
      const queue = requireQueue(input, ctx);
      const names = requestedAttributeNames(input.AttributeNames);
      const counts = queue.counts();
      const def = queue.definition;
      const all: Record<string, string> = {
        ...def.attributes,
        QueueArn: def.arn,
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        ApproximateNumberOfMessagesDelayed: String(counts.delayed),
        CreatedTimestamp: String(def.createdAt),
        LastModifiedTimestamp: String(def.lastModifiedAt),
      };
      const out: Record<string, string> = {};
      for (const name of names) if (all[name] !== undefined) out[name] = all[name];
      return Object.keys(out).length > 0 ? { Attributes: out } : {};
    },

    async SetQueueAttributes(input, ctx) {
      const queue = requireQueue(input, ctx);
      const attributes = validateAttributes(input.Attributes as Json | undefined);
      queue.setAttributes(attributes);
      await saveDefinition(queue.definition);
      return {};
    },

    async PurgeQueue(input, ctx) {
      const queue = requireQueue(input, ctx);
      if (Date.now() - queue.lastPurgeAt < 60_000) throw sqsErrors.purgeQueueInProgress(queue.name);
      queue.lastPurgeAt = Date.now();
      await queue.purge();
      return {};
    },

    async SendMessage(input, ctx) {
      return sendMessage(requireQueue(input, ctx), input);
    },

    async SendMessageBatch(input, ctx) {
      const queue = requireQueue(input, ctx);
      const entries = checkBatch<Json & { Id: string }>(input.Entries, 'SendMessageBatchRequestEntry');
      const total = entries.reduce((sum, e) => sum + Buffer.byteLength(String(e.MessageBody ?? '')), 0);
      if (total > BATCH_LIMIT_BYTES) throw sqsErrors.batchRequestTooLong(total, BATCH_LIMIT_BYTES);
      return eachEntry(entries, (entry) => sendMessage(queue, entry));
    },

    async ReceiveMessage(input, ctx) {
      const queue = requireQueue(input, ctx);
      const max = integerParameter(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
      const visibility = integerParameter(input, 'VisibilityTimeout', 0, 43_200);
      const wait = integerParameter(input, 'WaitTimeSeconds', 0, 20) ?? queue.settings.receiveMessageWaitTimeSeconds;
      const systemNames = [
        ...((input.AttributeNames as string[] | undefined) ?? []),
        ...((input.MessageSystemAttributeNames as string[] | undefined) ?? []),
      ].map(String);
      const attributeNames = ((input.MessageAttributeNames as string[] | undefined) ?? []).map(String);
      const deadline = Date.now() + wait * 1000;
      for (;;) {
        // A client that hung up gets nothing: messages received for it would only turn invisible.
        if (ctx.signal.aborted || !queues.has(queue.name)) return {};
        const messages = await queue.receive(max, visibility, deadLetter(queue));
        const remaining = deadline - Date.now();
        if (messages.length > 0 || remaining <= 0) {
          return messages.length > 0
            ? { Messages: messages.map((m) => receivedMessage(queue.name, m, systemNames, attributeNames)) }
            : {};
        }
        await queue.waitForMessages(remaining, ctx.signal);
      }
    },

    async DeleteMessage(input, ctx) {
      const queue = requireQueue(input, ctx);
      await queue.delete(receiptOf(queue, input.ReceiptHandle).id);
      return {};
    },

    async DeleteMessageBatch(input, ctx) {
      const queue = requireQueue(input, ctx);
      const entries = checkBatch<Json & { Id: string }>(input.Entries, 'DeleteMessageBatchRequestEntry');
      return eachEntry(entries, async (entry) => {
        await queue.delete(receiptOf(queue, entry.ReceiptHandle).id);
        return {};
      });
    },

    async ChangeMessageVisibility(input, ctx) {
      const queue = requireQueue(input, ctx);
      const handle = parseReceiptHandle(input.ReceiptHandle);
      const timeout = integerParameter(input, 'VisibilityTimeout', 0, 43_200);
      if (timeout === undefined) throw sqsErrors.missingParameter('VisibilityTimeout');
      checkQueueOf(queue, handle, input.ReceiptHandle);
      await queue.changeVisibility(handle.id, handle.nonce, timeout);
      return {};
    },

    async ChangeMessageVisibilityBatch(input, ctx) {
      const queue = requireQueue(input, ctx);
      const entries = checkBatch<Json & { Id: string }>(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      return eachEntry(entries, async (entry) => {
        const handle = parseReceiptHandle(entry.ReceiptHandle);
        const timeout = integerParameter(entry, 'VisibilityTimeout', 0, 43_200) ?? 0;
        checkQueueOf(queue, handle, entry.ReceiptHandle);
        await queue.changeVisibility(handle.id, handle.nonce, timeout);
        return {};
      });
    },

    async ListDeadLetterSourceQueues(input, ctx) {
      const queue = requireQueue(input, ctx);
      const sources = [...queues.values()].filter(
        (q) => q.settings.redrivePolicy?.deadLetterTargetArn === queue.definition.arn,
      );
      return { queueUrls: sources.map((q) => queueUrl(ctx, q.name)) };
    },

    async TagQueue(input, ctx) {
      const queue = requireQueue(input, ctx);
      Object.assign(queue.definition.tags, (input.Tags as Record<string, string> | undefined) ?? {});
      await saveDefinition(queue.definition);
      return {};
    },

    async UntagQueue(input, ctx) {
      const queue = requireQueue(input, ctx);
      for (const key of (input.TagKeys as string[] | undefined) ?? []) delete queue.definition.tags[key];
      await saveDefinition(queue.definition);
      return {};
    },

    async ListQueueTags(input, ctx) {
      const queue = requireQueue(input, ctx);
      return Object.keys(queue.definition.tags).length > 0 ? { Tags: { ...queue.definition.tags } } : {};
    },
  };

  const run = async (operation: string, input: Json, ctx: Context): Promise<Json> => {
    const op = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
    if (!op) throw sqsErrors.unknownOperation(operation);
    return op(input, ctx);
  };

  return {
    name: 'sqs',
    signingNames: ['sqs'],
    targetPrefixes: ['AmazonSQS'],

    async handle(req: IncomingMessage, res: ServerResponse) {
      const requestId = randomUUID();
      const aborted = new AbortController();
      const onClose = () => aborted.abort();
      res.on('close', onClose);
      closing.signal.addEventListener('abort', onClose, { once: true });
      const host = String(req.headers.host ?? req.headers[':authority'] ?? '127.0.0.1:4566');
      const url = new URL(req.url ?? '/', `http://${host}`);
      const ctx: Context = { origin: `http://${host}`, path: url.pathname, signal: aborted.signal };
      const target = String(req.headers['x-amz-target'] ?? '');
      const json = target.startsWith('AmazonSQS.');
      let operation = json ? target.slice('AmazonSQS.'.length) : '';
      try {
        let body: Buffer;
        try {
          body = await readBody(req, MAX_REQUEST_BYTES);
        } catch (error) {
          if (!(error instanceof BodyTooLargeError)) throw error;
          req.resume();
          throw sqsErrors.invalidParameterValue(`Request body exceeds ${MAX_REQUEST_BYTES} bytes.`);
        }
        if (json) {
          let input: Json;
          try {
            input = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Json) : {};
          } catch {
            throw new SqsError(
              'SerializationException',
              'SerializationException',
              400,
              'Request body is not valid JSON',
            );
          }
          if (!input || typeof input !== 'object' || Array.isArray(input)) input = {};
          const out = await run(operation, input, ctx);
          send(res, 200, 'application/x-amz-json-1.0', JSON.stringify(out), requestId);
        } else {
          const params = new URLSearchParams(url.search);
          if (body.length > 0) for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
          operation = params.get('Action') ?? '';
          const out = await run(operation, queryToInput(operation, params), ctx);
          send(res, 200, 'text/xml', renderQueryResponse(operation, out, requestId), requestId);
        }
      } catch (error) {
        const err = error instanceof SqsError ? error : sqsInternalError();
        if (err.status >= 500) log.error({ err: error, operation }, 'sqs: internal error');
        writeSqsError(res, err, json, requestId);
      } finally {
        res.off('close', onClose);
        closing.signal.removeEventListener('abort', onClose);
      }
    },

    writeError(req, res, err) {
      const json = String(req.headers['x-amz-target'] ?? '').startsWith('AmazonSQS.');
      const requestId = randomUUID();
      writeSqsError(
        res,
        err instanceof SqsError ? err : new SqsError(err.code, err.code, err.status, err.message),
        json,
        requestId,
      );
    },

    async sendToArn(queueArn, body) {
      const queue = byArn(queueArn);
      if (!queue) return false;
      await queue.send(body, {}, undefined);
      return true;
    },

    queueNames: () => [...queues.keys()],

    async close() {
      closing.abort();
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}

type ReceiptHandle = ReturnType<typeof parseReceiptHandle>;

/** A receipt handle of this queue (one of another queue is invalid here). */
function receiptOf(queue: Queue, receiptHandle: unknown): ReceiptHandle {
  const handle = parseReceiptHandle(receiptHandle);
  checkQueueOf(queue, handle, receiptHandle);
  return handle;
}

function checkQueueOf(queue: Queue, handle: ReceiptHandle, receiptHandle: unknown): void {
  if (handle.queue !== queue.name) throw sqsErrors.receiptHandleIsInvalid(String(receiptHandle));
}

/** SendMessage, and each entry of SendMessageBatch. */
async function sendMessage(queue: Queue, input: Json): Promise<Json> {
  const delay = integerParameter(input, 'DelaySeconds', 0, 900);
  const { body, attributes } = validateMessage(
    input.MessageBody,
    input.MessageAttributes,
    queue.settings.maximumMessageSize,
  );
  return sendResult(await queue.send(body, attributes, delay));
}

const sqsInternalError = () =>
  new SqsError('InternalError', 'InternalError', 500, 'We encountered an internal error. Please try again.');

/** JSON 1.0 in query-compatible mode (`x-amzn-query-error` carries the query code), or the query protocol's XML. */
function writeSqsError(res: ServerResponse, err: SqsError, json: boolean, requestId: string): void {
  if (res.destroyed) return; // the client went away (a long poll it gave up); a started answer is cut by the writer
  const headers = { 'x-amzn-requestid': requestId };
  if (json) {
    sendAwsJsonError(res, err, {
      contentType: 'application/x-amz-json-1.0',
      typePrefix: 'com.amazonaws.sqs#',
      headers: { ...headers, 'x-amzn-query-error': `${err.queryCode};${err.senderFault ? 'Sender' : 'Receiver'}` },
    });
  } else sendAwsQueryError(res, err, { namespace: SQS_NAMESPACE, requestId, code: err.queryCode });
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  text: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...headers,
  });
  res.end(text);
}
