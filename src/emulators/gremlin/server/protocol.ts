// The TinkerPop 3.x driver protocol (Gremlin Server's websocket sub-protocol): messages and status codes.

export interface RequestMessage {
  requestId: string;
  op: string;
  processor: string;
  args: Record<string, unknown>;
}

export interface ResponseMessage {
  requestId: string | null;
  status: { code: number; message: string; attributes: Map<string, unknown> };
  result: { data: unknown; meta: Map<string, unknown> };
}

export const Status = {
  SUCCESS: 200,
  NO_CONTENT: 204,
  PARTIAL_CONTENT: 206,
  UNAUTHORIZED: 401,
  MALFORMED_REQUEST: 498,
  INVALID_REQUEST_ARGUMENTS: 499,
  SERVER_ERROR: 500,
  SERVER_ERROR_EVALUATION: 597,
  SERVER_ERROR_TIMEOUT: 598,
  SERVER_ERROR_SERIALIZATION: 599,
} as const;

export const MimeTypes = {
  graphBinary: 'application/vnd.graphbinary-v1.0',
  graphBinaryStringd: 'application/vnd.graphbinary-v1.0-stringd',
  graphSON3: 'application/vnd.gremlin-v3.0+json',
  graphSON3Untyped: 'application/vnd.gremlin-v3.0+json;types=false',
  graphSON2: 'application/vnd.gremlin-v2.0+json',
  graphSON1: 'application/vnd.gremlin-v1.0+json',
  json: 'application/json',
} as const;

/** Raised while handling a request; becomes a response with this status. */
export class GremlinServerError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly exceptions: string[] = [],
  ) {
    super(message);
  }
}

/** Splits a client frame into its mime-type header and the serialized request. */
export function splitFrame(frame: Buffer): { mime: string; body: Buffer } {
  const length = frame[0];
  if (length === undefined || frame.length < 1 + length) {
    throw new GremlinServerError(Status.MALFORMED_REQUEST, 'Invalid request - the mime type header is missing');
  }
  return { mime: frame.subarray(1, 1 + length).toString('utf8'), body: frame.subarray(1 + length) };
}
