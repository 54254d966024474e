import { SqsError, sqsErrors } from './errors.js';

/** Settable queue attributes with SQS's ranges and defaults (standard queues). */
const NUMERIC: Record<string, { min: number; max: number; default: number }> = {
  DelaySeconds: { min: 0, max: 900, default: 0 },
  MaximumMessageSize: { min: 1024, max: 1_048_576, default: 262_144 },
  MessageRetentionPeriod: { min: 60, max: 1_209_600, default: 345_600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20, default: 0 },
  VisibilityTimeout: { min: 0, max: 43_200, default: 30 },
  KmsDataKeyReusePeriodSeconds: { min: 60, max: 86_400, default: 300 },
};
const STRINGS = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'SqsManagedSseEnabled']);
const READ_ONLY = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
] as const;

export const ALL_ATTRIBUTE_NAMES = [...Object.keys(NUMERIC), ...STRINGS, ...READ_ONLY];

export interface QueueSettings {
  delaySeconds: number;
  maximumMessageSize: number;
  messageRetentionPeriod: number;
  receiveMessageWaitTimeSeconds: number;
  visibilityTimeout: number;
  redrivePolicy?: { deadLetterTargetArn: string; maxReceiveCount: number };
}

export function defaultAttributes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(NUMERIC)) out[name] = String(spec.default);
  out.SqsManagedSseEnabled = 'true';
  return out;
}

/** Checks names and values of settable attributes; returns them as SQS stores them (strings). */
export function validateAttributes(input: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input ?? {})) {
    const value = String(raw);
    if (
      name === 'FifoQueue' ||
      name === 'ContentBasedDeduplication' ||
      name === 'DeduplicationScope' ||
      name === 'FifoThroughputLimit'
    ) {
      if (name === 'FifoQueue' && value === 'false') continue;
      throw sqsErrors.unsupportedOperation('FIFO queues are not supported by the Octember SQS emulator.');
    }
    const numeric = NUMERIC[name];
    if (numeric) {
      const n = Number(value);
      if (!/^\d+$/.test(value) || n < numeric.min || n > numeric.max) {
        throw sqsErrors.invalidAttributeValue(
          name,
          `Reason: Must be an integer from ${numeric.min} to ${numeric.max}.`,
        );
      }
      out[name] = String(n);
      continue;
    }
    // Unknown names, and the read-only ones (QueueArn, ApproximateNumberOfMessages...), cannot be set.
    if (!STRINGS.has(name)) throw sqsErrors.invalidAttributeName(name);
    if (name === 'RedrivePolicy' && value !== '') parseRedrivePolicy(value);
    if ((name === 'Policy' || name === 'RedriveAllowPolicy') && value !== '') {
      try {
        JSON.parse(value);
      } catch {
        throw sqsErrors.invalidAttributeValue(name, 'Reason: The value is not valid JSON.');
      }
    }
    out[name] = value;
  }
  return out;
}

export function parseRedrivePolicy(value: string): { deadLetterTargetArn: string; maxReceiveCount: number } {
  let parsed: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    parsed = JSON.parse(value) as typeof parsed;
  } catch {
    throw sqsErrors.invalidAttributeValue('RedrivePolicy', 'Reason: Redrive policy is not a valid JSON map.');
  }
  const arn = parsed.deadLetterTargetArn;
  const max = Number(parsed.maxReceiveCount);
  if (typeof arn !== 'string' || !/^arn:aws[\w-]*:sqs:[^:]*:\d{12}:[\w-]{1,80}$/.test(arn)) {
    throw sqsErrors.invalidAttributeValue('RedrivePolicy', 'Reason: Invalid value for deadLetterTargetArn.');
  }
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    throw sqsErrors.invalidAttributeValue(
      'RedrivePolicy',
      'Reason: Invalid value for maxReceiveCount: must be an integer from 1 to 1000.',
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: max };
}

export function settingsOf(attributes: Record<string, string>): QueueSettings {
  const num = (name: string) => Number(attributes[name] ?? NUMERIC[name].default);
  const redrive = attributes.RedrivePolicy ? parseRedrivePolicy(attributes.RedrivePolicy) : undefined;
  return {
    delaySeconds: num('DelaySeconds'),
    maximumMessageSize: num('MaximumMessageSize'),
    messageRetentionPeriod: num('MessageRetentionPeriod'),
    receiveMessageWaitTimeSeconds: num('ReceiveMessageWaitTimeSeconds'),
    visibilityTimeout: num('VisibilityTimeout'),
    ...(redrive ? { redrivePolicy: redrive } : {}),
  };
}

/** The attribute names GetQueueAttributes was asked for (`All` expands), each checked. */
export function requestedAttributeNames(names: unknown): string[] {
  const list = Array.isArray(names) ? names.map(String) : [];
  if (list.includes('All')) return ALL_ATTRIBUTE_NAMES;
  for (const name of list) if (!ALL_ATTRIBUTE_NAMES.includes(name)) throw sqsErrors.invalidAttributeName(name);
  return list;
}

/** An integer request parameter within bounds, or undefined when absent. */
export function integerParameter(
  input: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const raw = input[name];
  if (raw === undefined || raw === null) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new SqsError(
      'InvalidParameterValue',
      'InvalidParameterValue',
      400,
      `Value ${String(raw)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`,
    );
  }
  return n;
}
