import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BodyTooLargeError, readBody } from '../lib/http.js';
import { listenOnFreePort } from '../lib/listen.js';
import { logger as defaultLogger, type Logger } from '../lib/logger.js';
import {
  admit,
  answerPreflight,
  loopbackOrigins,
  type RequestGate,
  setCorsHeaders,
  sharedRequestGate,
} from '../lib/request-gate.js';
import type { Invoker } from './invoker.js';
import { LOCAL_ACCOUNT_ID } from './lambda-context.js';
import { createUsagePlanLimiter, type UsagePlan } from './usage-plan.js';

export interface ApiRoute {
  method: string;
  /** Full request path with the stage, e.g. '/v1/status/{imageId}' or '/v1/{bucket}/{object+}' (greedy last part). */
  path: string;
  functionName: string;
  /** Deliver the body base64-encoded (isBase64Encoded), as for binary media types. */
  binaryBody?: boolean;
}

export interface ApiGatewayOptions {
  port: number;
  host?: string;
  /** Required `x-api-key`; undefined turns the key check off. */
  apiKey?: string;
  invoker: Invoker;
  routes: ApiRoute[];
  /** Stage name: the first path segment, stripped from `path`/`resource` as API Gateway does (default 'v1'). */
  stage?: string;
  /** API Gateway's integration timeout: a slower function gets 504 (default 29 000 ms). */
  integrationTimeoutMs?: number;
  /** Throttle and quota per API key, as the usage plan in AWS (429 with API Gateway's bodies). */
  usagePlan?: UsagePlan;
  /** Highest port tried when the requested one is taken (default port + 20). */
  maxPort?: number;
  logger?: Logger;
  /** Answers `/` and `/_octember/…` (the cockpit dashboard) ahead of the routes. */
  dashboard?: DashboardHandler;
  /** Host / Origin checks (default: the process's shared gate); the API's own origin (the dashboard's) is added. */
  gate?: RequestGate;
}

/** Serves the dashboard paths; resolves false to fall through to the API routes. */
export type DashboardHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** The paths the gateway hands to the dashboard: the root and everything under the cockpit prefix. */
export const isDashboardPath = (path: string) => path === '/' || path.startsWith('/_octember/');

export interface ApiGateway {
  port: number;
  url: string;
  /** Serves the dashboard from now on (the stack starts before the cockpit that observes it). */
  mountDashboard(handler: DashboardHandler | undefined): void;
  /** The routes as configured (what GetResources would list). */
  routes: readonly ApiRoute[];
  usagePlan?: UsagePlan;
  close(): Promise<void>;
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute extends ApiRoute {
  segments: { literal?: string; param?: string; greedy?: boolean }[];
  resource: string;
}

function compile(route: ApiRoute, stage: string): CompiledRoute {
  const parts = route.path.split('/').filter(Boolean);
  const segments = parts.map((part) => {
    const match = /^\{([^}+]+)(\+)?\}$/.exec(part);
    return match ? { param: match[1], greedy: match[2] === '+' } : { literal: part };
  });
  const resourceParts = parts[0] === stage ? parts.slice(1) : parts;
  return { ...route, method: route.method.toUpperCase(), segments, resource: `/${resourceParts.join('/')}` };
}

/** Matches raw (still percent-encoded) segments so `%2F` stays inside one parameter; values come back decoded. */
function matchRoute(route: CompiledRoute, rawSegments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i];
    if (segment.greedy) {
      const rest = rawSegments.slice(i);
      if (rest.length === 0 || rest.every((part) => part === '')) return undefined;
      params[segment.param as string] = safeDecode(rest.join('/'));
      return params;
    }
    const raw = rawSegments[i];
    if (raw === undefined || raw === '') return undefined;
    if (segment.literal !== undefined) {
      if (safeDecode(raw) !== segment.literal) return undefined;
    } else {
      params[segment.param as string] = safeDecode(raw);
    }
  }
  return rawSegments.length === route.segments.length ? params : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function sendGatewayError(res: ServerResponse, status: number, errorType: string, message: string, requestId: string) {
  const body = JSON.stringify({ message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': errorType,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

function headerMaps(req: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    const value = req.rawHeaders[i + 1];
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return { headers, multiValueHeaders };
}

function queryMaps(search: URLSearchParams) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of search) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return Object.keys(single).length > 0 ? { single, multi } : { single: null, multi: null };
}

/** Compares digests, so neither the content nor the length of the expected key leaks through timing. */
export function apiKeyMatches(given: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given ?? ''), digest(expected)) && given !== undefined;
}

function apiKeyOf(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === 'x-api-key') return value;
  return undefined;
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  return (
    typeof value === 'object' && value !== null && Number.isInteger((value as { statusCode?: unknown }).statusCode)
  );
}

/** A REST API (v1) with Lambda proxy integrations: the request becomes an APIGatewayProxyEvent, the result the response. */
export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGateway> {
  const stage = options.stage ?? 'v1';
  const log = options.logger ?? defaultLogger;
  const routes = options.routes.map((route) => compile(route, stage));
  const apiId = 'octemberapi';
  let dashboard = options.dashboard;
  const limiter = options.usagePlan ? createUsagePlanLimiter(options.usagePlan) : undefined;

  const gate = options.gate ?? sharedRequestGate();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const verdict = admit(gate, req, res);
    if (!verdict) return;
    if (verdict.corsOrigin) {
      setCorsHeaders(res, verdict.corsOrigin, 'x-amzn-requestid,x-amzn-errortype');
      if (answerPreflight(req, res, 'GET,PUT,POST,DELETE,OPTIONS')) return;
    }
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rawPath = url.pathname;
    const rawSegments = rawPath.split('/').slice(1);
    const method = (req.method ?? 'GET').toUpperCase();
    if (dashboard && isDashboardPath(rawPath) && (await dashboard(req, res))) return;
    let matched: { route: CompiledRoute; params: Record<string, string> } | undefined;
    for (const route of routes) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const params = matchRoute(route, rawSegments);
      if (params) {
        matched = { route, params };
        break;
      }
    }
    if (!matched) {
      req.resume();
      sendGatewayError(res, 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token', requestId);
      return;
    }
    const { headers, multiValueHeaders } = headerMaps(req);
    const apiKey = apiKeyOf(headers);
    if (options.apiKey !== undefined && !apiKeyMatches(apiKey, options.apiKey)) {
      req.resume();
      sendGatewayError(res, 403, 'ForbiddenException', 'Forbidden', requestId);
      return;
    }
    const usage = limiter?.admit(apiKey ?? '');
    if (usage && !usage.ok) {
      req.resume();
      sendGatewayError(res, 429, usage.errorType, usage.message, requestId);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendGatewayError(res, 413, 'RequestEntityTooLargeException', 'Request Too Long', requestId);
        return;
      }
      throw error;
    }
    const { route, params } = matched;
    const stagePrefix = `/${stage}`;
    const path =
      rawPath === stagePrefix || rawPath.startsWith(`${stagePrefix}/`)
        ? rawPath.slice(stagePrefix.length) || '/'
        : rawPath;
    const query = queryMaps(url.searchParams);
    const now = new Date();
    const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    const event: APIGatewayProxyEvent = {
      resource: route.resource,
      path,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: query.single,
      multiValueQueryStringParameters: query.multi,
      pathParameters: Object.keys(params).length > 0 ? params : null,
      stageVariables: null,
      requestContext: {
        accountId: LOCAL_ACCOUNT_ID,
        apiId,
        authorizer: undefined,
        domainName: headers.Host ?? headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        extendedRequestId: requestId,
        httpMethod: method,
        identity: {
          accessKey: null,
          accountId: null,
          apiKey: apiKey ?? null,
          apiKeyId: apiKey ? 'local-api-key' : null,
          caller: null,
          clientCert: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp,
          user: null,
          userAgent: req.headers['user-agent'] ?? null,
          userArn: null,
        },
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        requestId,
        requestTime: now.toUTCString(),
        requestTimeEpoch: now.getTime(),
        resourceId: route.resource,
        resourcePath: route.resource,
        stage,
      },
      body: body.length === 0 ? null : route.binaryBody ? body.toString('base64') : body.toString('utf8'),
      isBase64Encoded: body.length > 0 && route.binaryBody === true,
    };
    let result: unknown;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = Symbol('timed out');
    try {
      result = await Promise.race([
        options.invoker.invoke(route.functionName, event),
        new Promise<typeof timedOut>((resolve) => {
          timer = setTimeout(() => resolve(timedOut), options.integrationTimeoutMs ?? 29_000);
        }),
      ]);
    } catch {
      // the invoker has already logged the function error
      sendGatewayError(res, 502, 'InternalServerErrorException', 'Internal server error', requestId);
      return;
    } finally {
      clearTimeout(timer);
    }
    if (result === timedOut) {
      sendGatewayError(res, 504, 'IntegrationTimeout', 'Endpoint request timed out', requestId);
      return;
    }
    if (!isProxyResult(result)) {
      log.warn({ function: route.functionName, requestId }, 'malformed Lambda proxy response');
      sendGatewayError(res, 502, 'InternalServerErrorException', 'Internal server error', requestId);
      return;
    }
    const responseHeaders: Record<string, string | string[]> = { 'x-amzn-requestid': requestId };
    for (const [name, value] of Object.entries(result.headers ?? {}))
      responseHeaders[name.toLowerCase()] = String(value);
    for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
      responseHeaders[name.toLowerCase()] = values.map(String);
    const payload =
      result.body == null ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
    responseHeaders['content-type'] ??= 'application/json';
    responseHeaders['content-length'] = String(payload.length);
    res.writeHead(result.statusCode, responseHeaders);
    res.end(payload);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      log.error({ err: error }, 'API gateway failure');
      if (!res.headersSent)
        sendGatewayError(res, 500, 'InternalServerErrorException', 'Internal server error', randomUUID());
      else res.destroy();
    });
  });
  const port = await listenOnFreePort(
    server,
    options.port,
    options.host ?? '127.0.0.1',
    (options.maxPort ?? options.port + 20) - options.port + 1,
  );
  const host = options.host ?? '127.0.0.1';
  // The dashboard is served from this port: its pages may call the API and the emulators.
  for (const origin of loopbackOrigins(port)) gate.allowOrigin(origin);
  if (!['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(host))
    gate.allowOrigin(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);
  return {
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    mountDashboard(handler) {
      dashboard = handler;
    },
    routes: options.routes.map((route) => ({ ...route })),
    ...(options.usagePlan ? { usagePlan: options.usagePlan } : {}),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
