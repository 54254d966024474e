// Kinesis speaks AWS JSON 1.1 (the JavaScript SDK, the CLI) and CBOR 1.1 (the Java SDK, the KPL): the edge reads
// both to check limits and to journal what was written.
import type { ServerResponse } from 'node:http';
import { cbor } from '@smithy/core/cbor';
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
  | 'ServiceUnavailableException';

/** An error the Kinesis front (the edge's part of the emulator) answers itself; kinesis-local answers the rest. */
export class KinesisError extends AwsError<KinesisErrorCode> {}

/** Kinesis's modelled server fault, for an unexpected failure of the emulator. */
export const kinesisInternalFailure = (message = INTERNAL_FAILURE_MESSAGE) =>
  new KinesisError('InternalFailureException', message, 500);

/** An error in the request's own encoding (JSON or CBOR), through the one AWS JSON writer. */
export function sendKinesisError(res: ServerResponse, format: WireFormat, err: AwsError): void {
  sendAwsJsonError(res, err, { cbor: format === 'cbor' });
}
