// The localhost threat model, in one place for every listener of the kit (the AWS edge, the API, OpenSearch, the
// Gremlin websocket): any page open in the developer's browser can send requests to 127.0.0.1, so
// - a request whose Host is not a loopback name (or one the user configured) is refused: DNS rebinding turns an
//   attacker's domain into 127.0.0.1, but the browser still sends the attacker's name as Host (as Vite and
//   webpack-dev-server check it);
// - a request carrying an Origin outside the allow-list (the kit's own dashboard plus what the user adds, like
//   LocalStack's EXTRA_CORS_ALLOWED_ORIGINS) is refused, and so is `Origin: null` (sandboxed frames, file: pages);
// - a no-cors request a browser marks `Sec-Fetch-Site: cross-site` (an <img> or <script> of a foreign page, which
//   carries no Origin) is refused too, unless its Referer is of an allowed origin.
// Clients that are not browsers send no Origin and a loopback Host: nothing changes for them.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';

export interface RequestGateConfig {
  /** Extra Host names accepted besides loopback names and IP literals; `*` accepts any Host. */
  hosts?: readonly string[];
  /** Origins allowed to call from a browser (`http://localhost:5173`); `*` allows every origin except `null`. */
  origins?: readonly string[];
}

export type GateVerdict =
  | { allowed: true /** the request's Origin, when it is on the allow-list */; corsOrigin?: string }
  | {
      allowed: false;
      reason: string /** Origin not allowed (an S3 bucket's own CORS rules may still admit it) */;
      origin?: string;
    };

export interface RequestGate {
  /** Decides on a request from its headers. */
  check(headers: IncomingHttpHeaders): GateVerdict;
  /** Whether a browser page of this origin may call the kit. */
  allowsOrigin(origin: string): boolean;
  /** Allows one more origin (the dashboard's, once the API port is known). */
  allowOrigin(origin: string): void;
  allowHost(host: string): void;
  /** The configured extra origins and hosts (for the start-up summary). */
  describe(): { origins: string[]; hosts: string[] };
}

/** Names that always mean this machine. */
function isLoopbackName(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === 'localhost.localstack.cloud' ||
    hostname.endsWith('.localhost.localstack.cloud')
  );
}

/** `Host` header → lowercase hostname without port or IPv6 brackets ('' when unparsable). */
export function hostnameOf(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? '' : value.slice(1, end);
  }
  const colon = value.lastIndexOf(':');
  if (colon !== -1 && value.indexOf(':') === colon) return value.slice(0, colon);
  return value;
}

/** `scheme://host[:port]` in the form browsers send (lowercase, no default port, no path); undefined if malformed. */
export function normalizeOrigin(origin: string): string | undefined {
  const trimmed = origin.trim();
  if (trimmed === '*') return '*';
  try {
    const url = new URL(trimmed);
    if (url.origin === 'null') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

function refererOrigin(referer: string | undefined): string {
  if (!referer) return 'null';
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/** Splits `a,b c` lists from flags and environment variables. */
export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function createRequestGate(config: RequestGateConfig = {}): RequestGate {
  const hosts = new Set<string>();
  const origins = new Set<string>();
  const gate: RequestGate = {
    allowHost(host) {
      const name = host === '*' ? '*' : hostnameOf(host);
      if (name) hosts.add(name);
    },
    allowOrigin(origin) {
      const normalized = normalizeOrigin(origin);
      if (!normalized) throw new Error(`not an origin: ${origin} (expected scheme://host[:port])`);
      origins.add(normalized);
    },
    allowsOrigin(origin) {
      if (origin === 'null') return false;
      if (origins.has('*')) return true;
      const normalized = normalizeOrigin(origin);
      return normalized !== undefined && origins.has(normalized);
    },
    check(headers) {
      const host = headers.host ?? (headers[':authority'] as string | undefined);
      if (host !== undefined && !hosts.has('*')) {
        const name = hostnameOf(host);
        if (!name || !(isIP(name) !== 0 || isLoopbackName(name) || hosts.has(name))) {
          return {
            allowed: false,
            reason:
              `Host '${host}' is not a loopback name: refused (DNS rebinding protection). ` +
              'Allow it with --allowed-hosts or OCTEMBER_ALLOWED_HOSTS.',
          };
        }
      }
      const origin = headers.origin;
      if (origin !== undefined) {
        if (gate.allowsOrigin(origin)) return { allowed: true, corsOrigin: origin };
        return {
          allowed: false,
          origin,
          reason:
            origin === 'null'
              ? "Origin 'null' is never allowed."
              : `Origin '${origin}' is not allowed. Allow it with --cors-origins or OCTEMBER_CORS_ORIGINS.`,
        };
      }
      if (headers['sec-fetch-site'] === 'cross-site' && !gate.allowsOrigin(refererOrigin(headers.referer))) {
        return {
          allowed: false,
          reason: 'Cross-site browser requests without an allowed Origin are refused.',
        };
      }
      return { allowed: true };
    },
    describe: () => ({ origins: [...origins], hosts: [...hosts] }),
  };
  for (const h of config.hosts ?? []) gate.allowHost(h);
  for (const o of config.origins ?? []) gate.allowOrigin(o);
  return gate;
}

/** The configuration from `OCTEMBER_CORS_ORIGINS` (also LocalStack's `EXTRA_CORS_ALLOWED_ORIGINS`) and `OCTEMBER_ALLOWED_HOSTS`. */
export function gateConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RequestGateConfig {
  return {
    origins: [...parseList(env.OCTEMBER_CORS_ORIGINS), ...parseList(env.EXTRA_CORS_ALLOWED_ORIGINS)],
    hosts: parseList(env.OCTEMBER_ALLOWED_HOSTS),
  };
}

let shared: RequestGate | undefined;

/**
 * The gate every listener of this process uses unless given its own: configured from the environment, extended by
 * the CLI flags (`configureSharedGate`) and by the API gateway with the dashboard's origin.
 */
export function sharedRequestGate(): RequestGate {
  shared ??= createRequestGate(gateConfigFromEnv());
  return shared;
}

/** Adds the `--cors-origins` / `--allowed-hosts` values to the shared gate. */
export function configureSharedGate(config: RequestGateConfig): RequestGate {
  const gate = sharedRequestGate();
  for (const h of config.hosts ?? []) gate.allowHost(h);
  for (const o of config.origins ?? []) gate.allowOrigin(o);
  return gate;
}

/** The browser origins of a loopback server (`http://127.0.0.1:3000`, `http://localhost:3000`, `http://[::1]:3000`). */
export function loopbackOrigins(port: number, scheme = 'http'): string[] {
  return [`${scheme}://127.0.0.1:${port}`, `${scheme}://localhost:${port}`, `${scheme}://[::1]:${port}`];
}

/** Answers a refused request: 403 with the reason, no CORS headers (the page learns nothing). */
export function refuse(req: IncomingMessage, res: ServerResponse, reason: string): void {
  req.resume();
  const body = JSON.stringify({ message: `Forbidden: ${reason}` });
  res.writeHead(403, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': 'AccessDeniedException',
    connection: 'close',
  });
  res.end(body);
}

/** Checks a request and refuses it when needed; returns the verdict when it may proceed. */
export function admit(
  gate: RequestGate,
  req: IncomingMessage,
  res: ServerResponse,
): Extract<GateVerdict, { allowed: true }> | undefined {
  const verdict = gate.check(req.headers);
  if (verdict.allowed) return verdict;
  refuse(req, res, verdict.reason);
  return undefined;
}

/** CORS response headers for an allowed origin (`vary: Origin` so caches keep answers apart). */
export function setCorsHeaders(res: ServerResponse, origin: string, exposeHeaders?: string): void {
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  if (exposeHeaders) res.setHeader('access-control-expose-headers', exposeHeaders);
  res.setHeader('vary', 'Origin');
}

/** Answers a CORS preflight of an allowed origin; false when the request is no preflight. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, methods: string): boolean {
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  req.resume();
  res.writeHead(204, {
    'access-control-allow-methods': methods,
    'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? ''),
    'access-control-max-age': '600',
    'content-length': '0',
  });
  res.end();
  return true;
}
