// The request limits Kinesis enforces in front of the shards, with AWS's error codes and messages
// (checked before the stream is looked up, as AWS validates a request before it serves it).
import { blobOf, type WireFormat } from './wire.js';

export const MAX_RECORDS_PER_PUT = 500;
export const MAX_RECORD_DATA_BYTES = 1024 * 1024;
/** Data plus partition keys of one PutRecords request. */
export const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
export const MAX_PARTITION_KEY_LENGTH = 256;

export interface LimitViolation {
  type: 'ValidationException' | 'InvalidArgumentException';
  message: string;
}

const validation = (message: string): LimitViolation => ({
  type: 'ValidationException',
  message: `1 validation error detected: ${message}`,
});

function checkRecord(
  record: Record<string, unknown>,
  format: WireFormat,
  member: string,
): { violation?: LimitViolation; bytes: number } {
  const data = blobOf(record.Data, format);
  if (!data)
    return {
      violation: validation(`Value null at '${member}data' failed to satisfy constraint: Member must not be null`),
      bytes: 0,
    };
  if (data.length > MAX_RECORD_DATA_BYTES)
    return {
      violation: validation(
        `Value at '${member}data' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_DATA_BYTES}`,
      ),
      bytes: data.length,
    };
  const key = record.PartitionKey;
  if (typeof key !== 'string')
    return {
      violation: validation(
        `Value null at '${member}partitionKey' failed to satisfy constraint: Member must not be null`,
      ),
      bytes: data.length,
    };
  const keyLength = [...key].length;
  if (keyLength < 1 || keyLength > MAX_PARTITION_KEY_LENGTH)
    return {
      violation: validation(
        `Value '${key.slice(0, 300)}' at '${member}partitionKey' failed to satisfy constraint: Member must have length ${keyLength < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_PARTITION_KEY_LENGTH}`}`,
      ),
      bytes: data.length,
    };
  return { bytes: data.length + Buffer.byteLength(key) };
}

/** The first limit a PutRecord / PutRecords request breaks, or undefined. */
export function checkPutLimits(
  operation: string,
  input: Record<string, unknown>,
  format: WireFormat,
): LimitViolation | undefined {
  if (operation === 'PutRecord') return checkRecord(input, format, '').violation;
  if (operation !== 'PutRecords') return undefined;
  const records = input.Records;
  if (!Array.isArray(records) || records.length === 0)
    return validation(
      "Value at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  if (records.length > MAX_RECORDS_PER_PUT)
    return validation(
      `Value at 'records' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORDS_PER_PUT}`,
    );
  let total = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const checked = checkRecord(
      record && typeof record === 'object' ? (record as Record<string, unknown>) : {},
      format,
      `records.${i + 1}.member.`,
    );
    if (checked.violation) return checked.violation;
    total += checked.bytes;
  }
  if (total > MAX_PUT_RECORDS_BYTES)
    return { type: 'InvalidArgumentException', message: 'Records size exceeds 5 MB limit' };
  return undefined;
}
