import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { listenOnFreePort } from '../../lib/listen.js';
import { logger } from '../../lib/logger.js';
import { routeRequest } from './routing.js';
import type { EdgeService } from './service.js';

export interface EdgeServer {
  /** The port actually bound (the next free one when the requested port was taken). */
  readonly port: number;
  readonly url: string;
  addService(service: EdgeService): void;
  /** Stops listening and drops open connections; services are closed too only with `closeServices: true`. */
  close(): Promise<void>;
}

export interface EdgeOptions {
  /** default 4566; 0 picks any free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  services: EdgeService[];
  /** also call close() on every service when the edge closes (default false: the services' owner closes them) */
  closeServices?: boolean;
  /** how many successive ports to try when the requested one is taken (default 50) */
  portAttempts?: number;
}

const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const EXPOSED_HEADERS = [
  'etag',
  'x-amz-request-id',
  'x-amz-id-2',
  'x-amz-version-id',
  'x-amz-delete-marker',
  'x-amz-checksum-crc32',
  'x-amz-checksum-crc32c',
  'x-amz-checksum-crc64nvme',
  'x-amz-checksum-sha1',
  'x-amz-checksum-sha256',
  'x-amz-checksum-type',
  'x-amzn-requestid',
  'x-amzn-errortype',
  'content-range',
  'content-length',
  'last-modified',
].join(',');

/**
 * One port for every AWS API, like LocalStack's edge. HTTP/1.1 and HTTP/2 cleartext with prior knowledge (what the
 * SDK's default NodeHttp2Handler speaks to an http:// endpoint) share the port: the first bytes decide.
 */
export async function startEdge(opts: EdgeOptions): Promise<EdgeServer> {
  const services = [...opts.services];
  const host = opts.host ?? '127.0.0.1';
  const handler = (req: IncomingMessage, res: ServerResponse) => void dispatch(services, req, res);

  const h1 = http.createServer({ keepAliveTimeout: 60_000, headersTimeout: 65_000, requestTimeout: 0 }, handler);
  const h2 = http2.createServer(
    {},
    handler as unknown as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  );
  // An Expect other than 100-continue is the service's to judge (S3 ignores it), not an automatic 417.
  h1.on('checkExpectation', handler);
  // Expect: 100-continue goes to the service too: S3 answers 100 only once the request is authorized.
  h1.on('checkContinue', handler);
  h1.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    logger.debug({ err }, 'edge client error');
  });
  h2.on('sessionError', (err) => logger.debug({ err }, 'edge http2 session error'));

  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (s) => {
    sessions.add(s);
    s.on('close', () => sessions.delete(s));
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (err) => logger.debug({ err }, 'edge socket error'));
    sniffProtocol(socket, (isHttp2) => {
      if (isHttp2) h2.emit('connection', socket);
      else {
        h1.emit('connection', socket);
        socket.resume(); // the paused socket would otherwise never replay the bytes we put back
      }
    });
  });

  const port = await listenOnFreePort(server, opts.port ?? 4566, host, opts.portAttempts ?? 50);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.debug({ url, services: services.map((s) => s.name) }, 'edge listening');
  let closed: Promise<void> | undefined;
  return {
    port,
    url,
    addService(service) {
      services.push(service);
    },
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sessions) s.destroy();
          for (const s of sockets) s.destroy();
        });
        h1.close();
        h2.close();
        if (opts.closeServices)
          for (const s of services)
            await s.close?.().catch((err) => logger.warn({ err, service: s.name }, 'service close failed'));
      })();
      return closed;
    },
  };
}

/** Reads just enough of the first bytes to tell an HTTP/2 preface from an HTTP/1 request line, then puts them back. */
function sniffProtocol(socket: net.Socket, done: (isHttp2: boolean) => void): void {
  let seen = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    seen = Buffer.concat([seen, chunk]);
    const n = Math.min(seen.length, HTTP2_PREFACE.length);
    const isPrefix = seen.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n));
    if (isPrefix && seen.length < HTTP2_PREFACE.length) return; // need more bytes
    socket.removeListener('data', onData);
    socket.pause();
    socket.unshift(seen);
    done(isPrefix);
  };
  socket.on('data', onData);
}

async function dispatch(services: EdgeService[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const origin = req.headers.origin;
  // S3 answers CORS itself, from each bucket's CORS configuration (preflight and response headers).
  const selfCors = routeRequest(req, services).service?.corsAllows !== undefined;
  if (origin && !selfCors) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    res.setHeader('vary', 'Origin');
  }
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] && !selfCors) {
    res.writeHead(200, {
      'access-control-allow-methods': 'HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH',
      'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
      'access-control-max-age': '86400',
      'content-length': '0',
    });
    res.end();
    return;
  }
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && (path === '/_octember/health' || path === '/_localstack/health')) {
    const body = JSON.stringify({
      status: 'running',
      services: Object.fromEntries(services.map((s) => [s.name, 'running'])),
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  const route = routeRequest(req, services);
  if (!route.service) {
    req.resume();
    sendEdgeError(
      res,
      route.json ? 400 : 404,
      route.json ? 'UnknownOperationException' : 'NotFound',
      route.reason,
      route.json,
    );
    return;
  }
  if (/100-continue/i.test(String(req.headers.expect ?? '')) && !route.service.handlesExpectContinue)
    res.writeContinue();
  try {
    await route.service.handle(req, res);
  } catch (err) {
    logger.error({ err, service: route.service.name, method: req.method, url: req.url }, 'edge service failed');
    if (!res.headersSent)
      sendEdgeError(
        res,
        500,
        'InternalFailure',
        'The request processing has failed because of an unknown error.',
        true,
      );
    else res.destroy();
  }
}

function sendEdgeError(res: ServerResponse, status: number, code: string, message: string, json: boolean): void {
  const body = json
    ? JSON.stringify({ __type: code, message })
    : `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')}</Message></Error><RequestId>${Date.now().toString(36)}</RequestId></ErrorResponse>`;
  res.writeHead(status, {
    'content-type': json ? 'application/x-amz-json-1.1' : 'application/xml',
    'content-length': Buffer.byteLength(body),
    ...(json ? { 'x-amzn-errortype': code } : {}),
  });
  res.end(body);
}
