// Lambda's Invoke API for the functions of the local runtime, like `sam local start-lambda`: what the kit's
// Firehose emulator calls for its processors on the containers target, and what `aws lambda invoke
// --endpoint-url` or any SDK Lambda client can call. Loopback names only, and no browser (Origin) requests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AwsError, sendAwsJsonError } from '../emulators/aws-errors/index.js';
import { BodyTooLargeError, readBody } from '../lib/http.js';
import { listenOnFreePort } from '../lib/listen.js';
import { describeError } from './failure-destination.js';
import type { Invoker } from './invoker.js';
import { functionNameFromArn } from './s3-notifications.js';

export interface LambdaInvokeApiOptions {
  invoker: Invoker;
  /** default 3001 (SAM's start-lambda port); 0 picks a free one; a taken port moves to the next free one */
  port?: number;
  host?: string;
  /** Host names accepted besides loopback ones (e.g. `host.docker.internal` for callers in containers). */
  allowedHosts?: readonly string[];
}

export interface LambdaInvokeApi {
  port: number;
  url: string;
  close(): Promise<void>;
}

const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d+)?$/i;

export async function startLambdaInvokeApi(opts: LambdaInvokeApiOptions): Promise<LambdaInvokeApi> {
  const host = opts.host ?? '127.0.0.1';
  const allowed = new Set((opts.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendError(res, 500, 'ServiceException', error.message);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = String(req.headers.host ?? '');
    if (!LOOPBACK_HOST.test(hostHeader) && !allowed.has(hostHeader.replace(/:\d+$/, '').toLowerCase())) {
      req.resume();
      sendError(res, 403, 'AccessDeniedException', `Host ${hostHeader} is not allowed`);
      return;
    }
    if (req.headers.origin !== undefined) {
      req.resume();
      sendError(res, 403, 'AccessDeniedException', 'Browser requests (with an Origin) are not accepted');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const match = INVOKE_PATH.exec(url.pathname);
    if (req.method !== 'POST' || !match) {
      req.resume();
      sendError(res, 404, 'UnknownOperationException', `${req.method} ${url.pathname} is not a Lambda Invoke request`);
      return;
    }
    const name = functionNameFromArn(decodeURIComponent(match[1]));
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    let payload: Buffer;
    try {
      payload = await readBody(req, type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      req.resume();
      sendError(
        res,
        413,
        'RequestEntityTooLargeException',
        `Request must be smaller than ${error.limitBytes} bytes for the InvokeFunction operation`,
      );
      return;
    }
    if (!opts.invoker.has(name)) {
      sendError(
        res,
        404,
        'ResourceNotFoundException',
        `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}`,
      );
      return;
    }
    let event: unknown;
    try {
      event = payload.length > 0 ? JSON.parse(payload.toString('utf8')) : {};
    } catch {
      sendError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json');
      return;
    }
    if (type === 'DryRun') {
      res.writeHead(204).end();
      return;
    }
    if (type === 'Event') {
      opts.invoker.invokeAsync(name, event);
      res.writeHead(202, { 'content-length': '0' }).end();
      return;
    }
    if (type !== 'RequestResponse') {
      sendError(res, 400, 'InvalidParameterValueException', `Unsupported invocation type ${type}`);
      return;
    }
    try {
      const result = await opts.invoker.invoke(name, event);
      const text = JSON.stringify(result ?? null);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amz-executed-version': '$LATEST',
      });
      res.end(text);
    } catch (error) {
      const { errorType, errorMessage } = describeError(error);
      const text = JSON.stringify({ errorType, errorMessage, trace: [] });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
        'x-amz-executed-version': '$LATEST',
        'x-amz-function-error': 'Unhandled',
      });
      res.end(text);
    }
  }

  const port = await listenOnFreePort(server, opts.port ?? 3001, host);
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Lambda's REST-JSON error: `Type` says whose fault it is, as the Lambda service sends it. */
function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  const err = new AwsError(type, message, status);
  sendAwsJsonError(res, err, { contentType: 'application/json', body: { Type: err.senderFault ? 'User' : 'Service' } });
}
