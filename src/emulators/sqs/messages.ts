import { SqsError, sqsErrors } from './errors.js';
import type { StoredMessage } from './journal.js';
import { type MessageAttributeValue, md5Hex, md5OfMessageAttributes } from './md5.js';
import { receiptHandle } from './queue.js';

const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'];
// XML 1.0 characters: what SQS accepts in a body or string attribute.
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Checks a body and its attributes against the queue's size limit and SQS's character rules. */
export function validateMessage(
  body: unknown,
  attributes: unknown,
  maximumMessageSize: number,
): { body: string; attributes: Record<string, MessageAttributeValue> } {
  if (typeof body !== 'string') throw sqsErrors.missingParameter('MessageBody');
  if (body.length === 0) {
    throw sqsErrors.invalidParameterValue('The request must contain the parameter MessageBody.');
  }
  const bad = INVALID_CHARACTER.exec(body);
  if (bad) {
    throw sqsErrors.invalidMessageContents(
      `Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF (found U+${bad[0].codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}).`,
    );
  }
  const checked = validateMessageAttributes(attributes);
  let size = Buffer.byteLength(body);
  for (const [name, value] of Object.entries(checked)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    size +=
      value.BinaryValue !== undefined
        ? Buffer.from(value.BinaryValue, 'base64').length
        : Buffer.byteLength(value.StringValue ?? '');
  }
  if (size > maximumMessageSize) {
    throw sqsErrors.invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maximumMessageSize} bytes.`,
    );
  }
  return { body, attributes: checked };
}

function validateMessageAttributes(raw: unknown): Record<string, MessageAttributeValue> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object') throw sqsErrors.invalidParameterValue('MessageAttributes must be a map.');
  const entries = Object.entries(raw as Record<string, Partial<MessageAttributeValue>>);
  if (entries.length > 10) {
    throw sqsErrors.invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [10].`,
    );
  }
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of entries) {
    if (!/^[A-Za-z0-9_\-.]{1,256}$/.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
      throw sqsErrors.invalidParameterValue(`Message attribute name '${name}' is invalid.`);
    }
    if (/^(aws\.|amazon\.)/i.test(name)) {
      throw sqsErrors.invalidParameterValue(`Message attribute name '${name}' uses a reserved prefix.`);
    }
    const type = value?.DataType;
    if (typeof type !== 'string' || !/^(String|Number|Binary)(\..+)?$/.test(type)) {
      throw sqsErrors.invalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    if (type.startsWith('Binary')) {
      if (typeof value.BinaryValue !== 'string') {
        throw sqsErrors.invalidParameterValue(
          `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
        );
      }
      out[name] = { DataType: type, BinaryValue: value.BinaryValue };
    } else {
      if (typeof value.StringValue !== 'string' || value.StringValue === '') {
        throw sqsErrors.invalidParameterValue(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type.split('.')[0]}'.`,
        );
      }
      if (type.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.StringValue)) {
        throw sqsErrors.invalidParameterValue(
          `Can't cast the value of message (user) attribute '${name}' to a number.`,
        );
      }
      out[name] = { DataType: type, StringValue: value.StringValue };
    }
  }
  return out;
}

export function sendResult(message: StoredMessage): Record<string, unknown> {
  const md5Attributes = md5OfMessageAttributes(message.attributes);
  return {
    MessageId: message.id,
    MD5OfMessageBody: md5Hex(message.body),
    ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes } : {}),
  };
}

/** A received message as ReceiveMessage returns it, with the system and message attributes that were asked for. */
export function receivedMessage(
  queue: string,
  message: StoredMessage,
  systemNames: readonly string[],
  attributeNames: readonly string[],
): Record<string, unknown> {
  const wantAllSystem = systemNames.includes('All');
  const system: Record<string, string> = {};
  const values: Record<string, string> = {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveAt ?? message.sentAt),
  };
  for (const name of SYSTEM_ATTRIBUTES) if (wantAllSystem || systemNames.includes(name)) system[name] = values[name];
  const selected: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.attributes)) {
    const wanted = attributeNames.some(
      (pattern) =>
        pattern === 'All' ||
        pattern === '.*' ||
        pattern === name ||
        (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
    );
    if (wanted) selected[name] = value;
  }
  const md5Attributes = md5OfMessageAttributes(selected);
  return {
    MessageId: message.id,
    ReceiptHandle: receiptHandle(queue, message),
    MD5OfBody: md5Hex(message.body),
    Body: message.body,
    ...(Object.keys(system).length > 0 ? { Attributes: system } : {}),
    ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes, MessageAttributes: selected } : {}),
  };
}

/** Checks the entries of a batch request: 1 to 10, distinct ids of the allowed characters. */
export function checkBatch<T extends { Id?: unknown }>(entries: unknown, prefix: string): T[] {
  if (!Array.isArray(entries) || entries.length === 0) throw sqsErrors.emptyBatchRequest(prefix);
  if (entries.length > 10) throw sqsErrors.tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const entry of entries as T[]) {
    const id = entry?.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) throw sqsErrors.invalidBatchEntryId(String(id));
    if (seen.has(id)) throw sqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries as T[];
}

/** A batch entry's failure as SQS reports it. */
export function batchFailure(id: string, error: unknown): Record<string, unknown> {
  if (error instanceof SqsError) {
    return { Id: id, SenderFault: error.senderFault, Code: error.queryCode, Message: error.message };
  }
  return { Id: id, SenderFault: false, Code: 'InternalError', Message: (error as Error).message };
}

/** Runs every entry of a batch: each success's result, or its failure as SQS reports it; one failure stops none. */
export async function eachEntry<T extends { Id: string }>(
  entries: readonly T[],
  run: (entry: T) => Promise<Record<string, unknown>>,
): Promise<{ Successful: Record<string, unknown>[]; Failed: Record<string, unknown>[] }> {
  const Successful: Record<string, unknown>[] = [];
  const Failed: Record<string, unknown>[] = [];
  for (const entry of entries) {
    try {
      Successful.push({ Id: entry.Id, ...(await run(entry)) });
    } catch (error) {
      Failed.push(batchFailure(entry.Id, error));
    }
  }
  return { Successful, Failed };
}
