import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every cockpit answer: never cached, never sniffed, never embeddable by another origin. */
export const SAFE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

/** The dashboard page itself: only its own scripts, styles and connections; no framing. */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The header the dashboard sends on every change; a cross-site form or image cannot set it. */
export const COCKPIT_HEADER = 'x-octember-cockpit';

export class CockpitHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SAFE_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendBytes(
  res: ServerResponse,
  contentType: string,
  body: Uint8Array,
  extra: Record<string, string> = {},
) {
  res.writeHead(200, { ...SAFE_HEADERS, 'content-type': contentType, 'content-length': body.length, ...extra });
  res.end(body);
}

const LOOPBACK_HOSTS = /^(127(?:\.\d{1,3}){3}|localhost|\[::1\])(?::\d+)?$/i;

/**
 * Defence in depth beside the listener's request gate: the cockpit answers only requests addressed to a loopback
 * name (no DNS rebinding) and, when the browser names an origin, only its own.
 */
export function refuseForeign(req: IncomingMessage): string | undefined {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOSTS.test(host)) return `the cockpit answers on loopback names only, not ${JSON.stringify(host)}`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return `origin ${origin} may not use the cockpit`;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request (${site}) refused`;
  return undefined;
}

/**
 * Changes (replay, invoke, reset, upload) must be non-simple requests: JSON bodies and the cockpit header, so a
 * cross-site form can never send one and a cross-origin script needs a preflight the gate refuses.
 */
export function requireNonSimple(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (req.headers[COCKPIT_HEADER] !== '1' || type !== 'application/json') {
    throw new CockpitHttpError(
      403,
      `changes need 'content-type: application/json' and '${COCKPIT_HEADER}: 1' (they are refused from other sites)`,
    );
  }
}

export async function readJson(req: IncomingMessage, limitBytes = 8 * 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new CockpitHttpError(413, `body over ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CockpitHttpError(400, `the body is not JSON: ${(error as Error).message}`);
  }
}
