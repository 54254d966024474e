/** Where an invocation's event came from, read off the event's own shape (as Lambda's console groups triggers). */
export interface EventSourceSummary {
  /** `api`, `s3`, `kinesis`, `firehose`, `sqs`, or `direct` for anything else (CLI invoke of a custom event). */
  source: 'api' | 's3' | 'kinesis' | 'firehose' | 'sqs' | 'direct';
  /** `PUT /v1/…`, the stream or delivery stream name, `ObjectCreated:Put key`, … */
  sourceDetail?: string;
  /** Records in the event (batch sources only). */
  records?: number;
}

type Loose = Record<string, unknown> & { Records?: Record<string, unknown>[] };

const after = (arn: unknown, marker: string) =>
  typeof arn === 'string' && arn.includes(marker) ? arn.slice(arn.indexOf(marker) + marker.length) : undefined;

export function describeEventSource(event: unknown): EventSourceSummary {
  if (typeof event !== 'object' || event === null) return { source: 'direct' };
  const e = event as Loose;
  if (typeof e.httpMethod === 'string') {
    const path = (e.requestContext as { path?: string } | undefined)?.path ?? e.path;
    return { source: 'api', sourceDetail: `${e.httpMethod} ${path ?? ''}`.trim() };
  }
  if (Array.isArray(e.records) && typeof e.deliveryStreamArn === 'string') {
    return {
      source: 'firehose',
      sourceDetail: after(e.deliveryStreamArn, ':deliverystream/'),
      records: e.records.length,
    };
  }
  const records = Array.isArray(e.Records) ? e.Records : undefined;
  const first = records?.[0];
  if (records && first) {
    const origin = first.eventSource ?? first.EventSource;
    if (origin === 'aws:s3') {
      const s3 = first.s3 as { object?: { key?: string } } | undefined;
      const name = String(first.eventName ?? 's3');
      const key = s3?.object?.key ?? '';
      return {
        source: 's3',
        sourceDetail: records.length === 1 ? `${name} ${key}` : name,
        records: records.length,
      };
    }
    if (origin === 'aws:kinesis') {
      return { source: 'kinesis', sourceDetail: after(first.eventSourceARN, ':stream/'), records: records.length };
    }
    if (origin === 'aws:sqs') {
      return {
        source: 'sqs',
        sourceDetail: String(first.eventSourceARN ?? '')
          .split(':')
          .pop(),
        records: records.length,
      };
    }
  }
  return { source: 'direct' };
}

/** Records a partial batch response reports as failed (Kinesis/SQS `batchItemFailures`, Firehose `ProcessingFailed`). */
export function partialFailures(result: unknown): number | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const r = result as { batchItemFailures?: unknown[]; records?: { result?: string }[] };
  if (Array.isArray(r.batchItemFailures)) return r.batchItemFailures.length;
  if (Array.isArray(r.records)) return r.records.filter((record) => record?.result === 'ProcessingFailed').length;
  return undefined;
}
