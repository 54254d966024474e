import { credentialsOf, isAwsEndpoint, regionOf, signedHandshakeHeaders } from '../aws-signing.js';
import type { CompositionContext } from '../types.js';

interface Closable {
  close(): Promise<void>;
}

/**
 * A Gremlin-backed port whose connection opens on first use. Against Neptune (IAM auth) the WebSocket handshake is
 * SigV4-signed when the connection opens; a signature is only valid for minutes, so when a call fails on a dead
 * connection the port reconnects once with fresh headers.
 */
export function lazyGremlinPort<T extends Closable>(
  context: CompositionContext,
  make: (options: { url: string; headers?: Record<string, string> }) => T,
  methods: readonly Exclude<keyof T, 'close'>[],
): T {
  const url = () => context.required('GREMLIN_URL');
  let current: Promise<T> | undefined;
  const open = async (): Promise<T> => {
    const target = url();
    if (!isAwsEndpoint(target, 'neptune-db')) return make({ url: target });
    const credentials = await credentialsOf(context)();
    return make({ url: target, headers: await signedHandshakeHeaders(target, regionOf(context.aws), credentials) });
  };
  const connection = () => {
    current ??= open().catch((error) => {
      current = undefined;
      throw error;
    });
    return current;
  };
  const port = {
    async close() {
      const open = current;
      current = undefined;
      if (open) await (await open).close().catch(() => undefined);
    },
  } as T;
  for (const method of methods) {
    (port as Record<PropertyKey, unknown>)[method as PropertyKey] = async (...args: unknown[]) => {
      const call = async () => {
        const target = await connection();
        return (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
      try {
        return await call();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        await port.close();
        return call();
      }
    };
  }
  return port;
}

function isConnectionError(error: unknown): boolean {
  const message = String((error as Error)?.message ?? '');
  return /closed|ECONNRESET|ECONNREFUSED|socket hang up|Unexpected server response|not open/i.test(message);
}
