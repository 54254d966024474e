// Kinesis speaks AWS JSON 1.1 (the JavaScript SDK, the CLI) and CBOR 1.1 (the Java SDK, the KPL): requests are read
// and answers written in either.
import type { ServerResponse } from 'node:http';
import { cbor, tag } from '@smithy/core/cbor';
import { AwsError, INTERNAL_FAILURE_MESSAGE, sendAwsJsonError } from '../aws-errors/index.js';

export type WireFormat = 'json' | 'cbor';

export function wireFormatOf(contentType: string | undefined): WireFormat {
  return (contentType ?? '').includes('cbor') ? 'cbor' : 'json';
}

export function decodeBody(body: Buffer, format: WireFormat): Record<string, unknown> {
  if (body.length === 0) return {};
  const value = format === 'cbor' ? cbor.deserialize(body) : JSON.parse(body.toString('utf8'));
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** A blob member: base64 text in JSON, bytes in CBOR. */
export function blobOf(value: unknown, format: WireFormat): Buffer | undefined {
  if (format === 'json') return typeof value === 'string' ? Buffer.from(value, 'base64') : undefined;
  return value instanceof Uint8Array ? Buffer.from(value) : undefined;
}

export type KinesisErrorCode =
  | 'ValidationException'
  | 'InvalidArgumentException'
  | 'SerializationException'
  | 'InternalFailureException'
  | 'ServiceUnavailableException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'LimitExceededException'
  | 'ExpiredIteratorException'
  | 'ExpiredNextTokenException'
  | 'ProvisionedThroughputExceededException'
  | 'UnknownOperationException';

/** An error of the Kinesis API, with AWS's code (`__type`) and status. */
export class KinesisError extends AwsError<KinesisErrorCode> {}

/** Kinesis's modelled server fault, for an unexpected failure of the emulator. */
export const kinesisInternalFailure = (message = INTERNAL_FAILURE_MESSAGE) =>
  new KinesisError('InternalFailureException', message, 500);

/** An error in the request's own encoding (JSON or CBOR), through the one AWS JSON writer. */
export function sendKinesisError(res: ServerResponse, format: WireFormat, err: AwsError): void {
  sendAwsJsonError(res, err, { cbor: format === 'cbor' });
}

/**
 * An operation's output on the wire: blobs (Buffers) as base64 text in JSON, bytes in CBOR; timestamps (Dates) as
 * epoch seconds in JSON, and in CBOR as tag 1 over epoch milliseconds (what the Java SDK reads and writes).
 */
export function encodeOutput(value: Record<string, unknown>, format: WireFormat): Buffer {
  if (format === 'json') {
    return Buffer.from(
      JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
        const raw = this[key];
        if (raw instanceof Date) return raw.getTime() / 1000;
        if (Buffer.isBuffer(raw)) return raw.toString('base64');
        return v;
      }),
    );
  }
  return Buffer.from(cbor.serialize(forCbor(value)));
}

function forCbor(value: unknown): unknown {
  if (value instanceof Date) return tag({ tag: 1, value: value.getTime() });
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(forCbor);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = forCbor(v);
    return out;
  }
  return value;
}
