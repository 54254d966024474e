import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { listenOnFreePort } from '../../lib/listen.js';
import { logger } from '../../lib/logger.js';
import { hostnameOf, type RequestGate, refuse, setCorsHeaders, sharedRequestGate } from '../../lib/request-gate.js';
import { AwsError, internalFailure, isJsonRequest, sendAwsJsonError, sendAwsQueryError } from '../aws-errors/index.js';
import { type Chaos, handleChaosApi, type InjectedFault, sharedChaos } from '../chaos/chaos.js';
import { s3Operation } from './operations.js';
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
  /** Host / Origin checks (default: the process's shared gate, configured from the environment and CLI flags) */
  gate?: RequestGate;
  /** Fault injection, configured through `/_localstack/chaos/*` (default: the process's shared configuration) */
  chaos?: Chaos;
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
  const gate = opts.gate ?? sharedRequestGate();
  const chaos = opts.chaos ?? sharedChaos();
  const handler = (req: IncomingMessage, res: ServerResponse) => void dispatch(services, gate, chaos, req, res);

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

async function dispatch(
  services: EdgeService[],
  gate: RequestGate,
  chaos: Chaos,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const verdict = gate.check(req.headers);
  if (!verdict.allowed) {
    // A foreign origin still reaches S3 when the bucket's own CORS configuration admits it (the user opted in).
    const s3 = verdict.origin && verdict.origin !== 'null' ? bucketCorsService(services, req) : undefined;
    if (!s3 || !bucketCorsAllows(s3, req, verdict.origin as string)) {
      refuse(req, res, verdict.reason);
      return;
    }
    await handleWith(s3, req, res);
    return;
  }
  if (verdict.corsOrigin) {
    setCorsHeaders(res, verdict.corsOrigin, EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      req.resume();
      res.writeHead(200, {
        'access-control-allow-methods': 'HEAD,GET,PUT,POST,DELETE,OPTIONS,PATCH',
        'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
        'access-control-max-age': '600',
        'content-length': '0',
      });
      res.end();
      return;
    }
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
  if (path.startsWith('/_localstack/chaos/') && (await handleChaosApi(chaos, req, res))) return;
  const route = routeRequest(req, services);
  if (route.service && chaos.active) {
    await chaos.delay();
    const fault = chaos.faultFor({
      service: route.service.name,
      region: regionOf(req),
      operation: operationOf(req, route.service),
    });
    if (fault) {
      injectFault(req, res, route.service, fault);
      return;
    }
  }
  if (!route.service) {
    req.resume();
    if (route.json) sendAwsJsonError(res, new AwsError('UnknownOperationException', route.reason));
    else sendAwsQueryError(res, new AwsError('NotFound', route.reason, 404), { requestId: newRequestId() });
    return;
  }
  await handleWith(route.service, req, res);
}

async function handleWith(service: EdgeService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (/100-continue/i.test(String(req.headers.expect ?? '')) && !service.handlesExpectContinue) res.writeContinue();
  try {
    await service.handle(req, res);
  } catch (err) {
    logger.error({ err, service: service.name, method: req.method, url: req.url }, 'edge service failed');
    writeServiceError(service, req, res, internalFailure());
  }
}

/** The S3 service when the request is for S3 and the service can judge a bucket's CORS rules. */
function bucketCorsService(services: EdgeService[], req: IncomingMessage): EdgeService | undefined {
  const route = routeRequest(req, services);
  return route.service?.signingNames.includes('s3') && route.service.corsAllows ? route.service : undefined;
}

function bucketCorsAllows(s3: EdgeService, req: IncomingMessage, origin: string): boolean {
  const bucket = bucketOf(req);
  if (!bucket || !s3.corsAllows) return false;
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'];
  const method = preflight ? String(req.headers['access-control-request-method']) : (req.method ?? 'GET');
  const headers = preflight
    ? String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean)
    : [];
  try {
    return s3.corsAllows(bucket, origin, method, headers);
  } catch (err) {
    logger.warn({ err, bucket, origin }, 'S3 bucket CORS check failed; origin refused');
    return false;
  }
}

/** Bucket of an S3 request: virtual-hosted (`b.localhost`, `b.s3.localhost.localstack.cloud`) or path style. */
function bucketOf(req: IncomingMessage): string | undefined {
  const hostname = hostnameOf(String(req.headers.host ?? req.headers[':authority'] ?? ''));
  const vhost = /^(.+)\.s3\.localhost\.localstack\.cloud$/.exec(hostname) ?? /^(.+)\.localhost$/.exec(hostname);
  if (vhost && vhost[1] !== 's3') return vhost[1];
  const first = (req.url ?? '/').split('?')[0].split('/')[1];
  try {
    return first ? decodeURIComponent(first) : undefined;
  } catch {
    return undefined;
  }
}

/** The region of the SigV4 credential scope (header or presigned query). */
function regionOf(req: IncomingMessage): string | undefined {
  const scope = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''));
  if (scope) return scope[1];
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('X-Amz-Credential');
  return query?.split('/')[2];
}

/** The API operation: from X-Amz-Target (JSON protocols), the REST shape (S3), or the query's Action. */
function operationOf(req: IncomingMessage, service: EdgeService): string | undefined {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string' && target.includes('.')) return target.slice(target.indexOf('.') + 1);
  if (service.signingNames.includes('s3')) return s3Operation(req);
  const [path, query = ''] = (req.url ?? '/').split('?');
  const action = new URLSearchParams(query).get('Action');
  if (action) return action;
  if (path.endsWith('/search')) return 'Search';
  if (path.endsWith('/documents/batch')) return 'UploadDocuments';
  return undefined;
}

/** Answers with the fault in the service's own error shape (AWS JSON, S3 XML, query XML), or drops the connection. */
function injectFault(req: IncomingMessage, res: ServerResponse, service: EdgeService, fault: InjectedFault): void {
  req.resume();
  if (fault.drop) {
    req.socket.destroy();
    return;
  }
  writeServiceError(service, req, res, new AwsError(fault.code, fault.message, fault.statusCode));
}

/** Through the service's own writer; a service without one speaks AWS JSON or the query protocol. */
function writeServiceError(service: EdgeService, req: IncomingMessage, res: ServerResponse, err: AwsError): void {
  if (service.writeError) service.writeError(req, res, err);
  else if (isJsonRequest(req)) sendAwsJsonError(res, err);
  else sendAwsQueryError(res, err, { requestId: newRequestId() });
}

const newRequestId = () => randomUUID();
