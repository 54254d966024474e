// Firehose's data transformation contract: the Lambda processor receives buffered records and must answer every
// recordId exactly once with Ok (data = new base64 payload), Dropped or ProcessingFailed.
import { randomUUID } from 'node:crypto';
import type { DeliveryStreamDefinition } from './definition.js';
import type { BufferedRecord } from './record-log.js';

export interface FailedRecord {
  record: BufferedRecord;
  errorCode: string;
  errorMessage: string;
  attemptsMade: number;
  attemptEndingTimestamp: number;
}

export interface TransformResult {
  /** transformed payloads of Ok records, in input order */
  ok: Buffer[];
  failed: FailedRecord[];
  dropped: number;
}

type Processor = NonNullable<DeliveryStreamDefinition['destination']['processor']>;
const RESULTS = new Set(['Ok', 'Dropped', 'ProcessingFailed']);

class ContractError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function transformationEvent(def: DeliveryStreamDefinition, region: string, records: BufferedRecord[]) {
  return {
    invocationId: randomUUID(),
    deliveryStreamArn: def.arn,
    ...(def.source ? { sourceKinesisStreamArn: def.source.kinesisStreamArn } : {}),
    region,
    records: records.map((r) => ({
      recordId: r.id,
      approximateArrivalTimestamp: r.kinesis?.approximateArrivalTimestamp ?? r.arrival,
      data: r.data.toString('base64'),
      ...(r.kinesis ? { kinesisRecordMetadata: r.kinesis } : {}),
    })),
  };
}

interface ResponseRecord {
  recordId: string;
  result: 'Ok' | 'Dropped' | 'ProcessingFailed';
  data?: string;
  /** not part of the contract (AWS ignores it): a reason the emulator copies into the error record */
  errorMessage?: string;
}

/** Checks a processor's answer against its input; throws ContractError when Firehose would reject it whole. */
function validateResponse(response: unknown, records: BufferedRecord[]): Map<string, ResponseRecord> {
  const list = (response as { records?: unknown } | null)?.records;
  if (!response || typeof response !== 'object' || !Array.isArray(list)) {
    throw new ContractError('Lambda.JsonProcessingException', 'The Lambda response has no records array.');
  }
  const expected = new Set(records.map((r) => r.id));
  const seen = new Map<string, ResponseRecord>();
  for (const item of list as ResponseRecord[]) {
    const id = item?.recordId;
    if (typeof id !== 'string' || !expected.has(id)) {
      throw new ContractError(
        'Lambda.InvalidRecordId',
        `The Lambda response contains a recordId that was not sent: ${String(id)}.`,
      );
    }
    if (seen.has(id))
      throw new ContractError(
        'Lambda.DuplicatedRecordId',
        `The Lambda response contains recordId ${id} more than once.`,
      );
    if (!RESULTS.has(item.result)) {
      throw new ContractError(
        'Lambda.InvalidResult',
        `Record ${id} has result ${String(item.result)} (Ok, Dropped or ProcessingFailed expected).`,
      );
    }
    if (item.result === 'Ok' && typeof item.data !== 'string') {
      throw new ContractError('Lambda.MissingData', `Record ${id} is Ok but has no base64 data.`);
    }
    seen.set(id, item);
  }
  const missing = records.find((r) => !seen.has(r.id));
  if (missing) {
    throw new ContractError('Lambda.MissingRecordId', `The Lambda response does not contain recordId ${missing.id}.`);
  }
  return seen;
}

function chunks(records: BufferedRecord[], maxBytes: number): BufferedRecord[][] {
  const out: BufferedRecord[][] = [];
  let chunk: BufferedRecord[] = [];
  let bytes = 0;
  for (const r of records) {
    // base64 in the event: 4/3 of the payload
    const size = Math.ceil(r.data.length / 3) * 4 + 200;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      out.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
}

/** Runs the records through the processor, invocation by invocation, with the processor's retries. */
export async function runTransform(
  def: DeliveryStreamDefinition,
  processor: Processor,
  region: string,
  records: BufferedRecord[],
  invokeLambda: (functionName: string, event: unknown) => Promise<unknown>,
): Promise<TransformResult> {
  const result: TransformResult = { ok: [], failed: [], dropped: 0 };
  for (const chunk of chunks(records, processor.bufferSizeInMBs * 1024 * 1024)) {
    const attempts = processor.numberOfRetries + 1;
    let answers: Map<string, ResponseRecord> | undefined;
    let lastError: { code: string; message: string } = { code: 'Lambda.FunctionError', message: '' };
    let made = 0;
    for (made = 1; made <= attempts && !answers; made++) {
      try {
        const response = await invokeLambda(processor.functionName, transformationEvent(def, region, chunk));
        answers = validateResponse(response, chunk);
        break;
      } catch (err) {
        lastError =
          err instanceof ContractError
            ? { code: err.code, message: err.message }
            : {
                code: 'Lambda.FunctionError',
                message: `The Lambda function was successfully invoked but it returned an error result: ${(err as Error)?.message ?? String(err)}`,
              };
      }
    }
    const now = Date.now();
    if (!answers) {
      for (const record of chunk) {
        result.failed.push({
          record,
          errorCode: lastError.code,
          errorMessage: lastError.message,
          attemptsMade: attempts,
          attemptEndingTimestamp: now,
        });
      }
      continue;
    }
    for (const record of chunk) {
      const answer = answers.get(record.id) as ResponseRecord;
      if (answer.result === 'Ok') result.ok.push(Buffer.from(answer.data as string, 'base64'));
      else if (answer.result === 'Dropped') result.dropped++;
      else {
        result.failed.push({
          record,
          errorCode: 'Lambda.ProcessingFailed',
          errorMessage:
            typeof answer.errorMessage === 'string' && answer.errorMessage
              ? answer.errorMessage
              : 'The Lambda function returned ProcessingFailed for this record.',
          attemptsMade: made,
          attemptEndingTimestamp: now,
        });
      }
    }
  }
  return result;
}
