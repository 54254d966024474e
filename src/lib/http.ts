import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage, limitBytes = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** AWS JSON 1.0/1.1 protocol error (Kinesis, Firehose, Textract). */
export function sendAwsJsonError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(
    res,
    status,
    { __type: type, message },
    { 'x-amzn-errortype': type, 'content-type': 'application/x-amz-json-1.1' },
  );
}

/**
 * Reads an AWS JSON protocol request body; one over `limitBytes` is drained and answered with a 413
 * SerializationException (as the AWS front ends do), and the caller gets undefined.
 */
export async function readAwsJsonBody(
  req: IncomingMessage,
  res: ServerResponse,
  limitBytes: number,
): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limitBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    req.resume();
    sendAwsJsonError(res, 413, 'SerializationException', `Request body exceeds ${limitBytes} bytes`);
    return undefined;
  }
}
