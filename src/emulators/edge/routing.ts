import type { IncomingMessage } from 'node:http';
import type { EdgeService } from './service.js';

export type RouteResult =
  | { service: EdgeService; by: 'target' | 'scope' | 'path' | 'fallback' }
  | { service?: undefined; reason: string; json: boolean };

/** The SigV4 credential scope's service: `Credential=AKID/20240101/us-east-1/<service>/aws4_request`. */
export function credentialScopeService(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const m = /Credential=[^/,\s]+\/\d{8}\/[^/]+\/([^/,\s]+)\/aws4_request/.exec(auth);
    if (m) return m[1];
  }
  const q = (req.url ?? '').indexOf('?');
  if (q !== -1) {
    const cred = new URLSearchParams((req.url ?? '').slice(q + 1)).get('X-Amz-Credential');
    const parts = cred?.split('/');
    if (parts && parts.length >= 5) return parts[3];
  }
  return undefined;
}

/** LocalStack's order: X-Amz-Target prefix, SigV4 scope service, path prefix; unsigned leftovers go to S3. */
export function routeRequest(req: IncomingMessage, services: readonly EdgeService[]): RouteResult {
  const target = req.headers['x-amz-target'];
  const targetPrefix = typeof target === 'string' ? target.split('.')[0] : undefined;
  if (targetPrefix) {
    const s = services.find((x) => x.targetPrefixes?.includes(targetPrefix));
    if (s) return { service: s, by: 'target' };
  }
  const scope = credentialScopeService(req);
  if (scope) {
    const s = services.find((x) => x.signingNames.includes(scope));
    if (s) return { service: s, by: 'scope' };
  }
  const path = (req.url ?? '/').split('?')[0];
  const byPath = services.find((x) => x.pathPrefixes?.some((p) => path.startsWith(p)));
  if (byPath) return { service: byPath, by: 'path' };
  const json = Boolean(targetPrefix) || String(req.headers['content-type'] ?? '').includes('json');
  const available = services.map((s) => s.name).join(', ') || 'none';
  if (targetPrefix)
    return { reason: `No service on this edge handles X-Amz-Target '${target}' (available: ${available})`, json };
  if (scope) return { reason: `Service '${scope}' is not enabled on this edge (available: ${available})`, json };
  const s3 = services.find((x) => x.signingNames.includes('s3'));
  if (s3) return { service: s3, by: 'fallback' };
  return { reason: `No service on this edge matches ${req.method} ${path} (available: ${available})`, json };
}
