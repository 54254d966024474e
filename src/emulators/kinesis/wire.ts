// Kinesis speaks AWS JSON 1.1 (the JavaScript SDK, the CLI) and CBOR 1.1 (the Java SDK, the KPL): the edge reads
// both to check limits and to journal what was written.
import type { ServerResponse } from 'node:http';
import { cbor } from '@smithy/core/cbor';
import { sendAwsJsonError } from '../../lib/http.js';

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

export function sendKinesisError(
  res: ServerResponse,
  format: WireFormat,
  status: number,
  type: string,
  message: string,
): void {
  if (format === 'json') {
    sendAwsJsonError(res, status, type, message);
    return;
  }
  const body = Buffer.from(cbor.serialize({ __type: type, message }));
  res.writeHead(status, {
    'content-type': 'application/x-amz-cbor-1.1',
    'content-length': body.length,
    'x-amzn-errortype': type,
  });
  res.end(body);
}
