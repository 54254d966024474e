import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsClientSettings, CompositionContext } from './types.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Requests to AWS's own OpenSearch and Neptune endpoints are SigV4-signed (IAM auth); requests to emulators, LocalStack
 * or containers are not. The endpoint's host decides, so no target name is needed.
 */
export function isAwsEndpoint(url: string, service: 'es' | 'neptune-db'): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  const suffix = service === 'es' ? /\.(es|aoss)\.amazonaws\.com(\.cn)?$/ : /\.neptune\.amazonaws\.com(\.cn)?$/;
  return suffix.test(host);
}

/** The function's credentials: explicit ones locally, the SDK's provider chain (the execution role) in Lambda. */
export function credentialsOf(context: CompositionContext): () => Promise<AwsCredentials> {
  const fixed = context.aws.credentials;
  if (fixed) return async () => fixed;
  return context.shared('credentials', () => defaultProvider());
}

export function regionOf(aws: AwsClientSettings, env: NodeJS.ProcessEnv = process.env): string {
  const region = aws.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('AWS_REGION is not set: SigV4 signing needs the region');
  return region;
}

/**
 * Headers of a SigV4-signed WebSocket handshake for an IAM-enabled Neptune cluster: the signed request is the
 * `GET /gremlin` upgrade itself (service `neptune-db`), so Neptune checks the Authorization header at connect time.
 */
export async function signedHandshakeHeaders(
  url: string,
  region: string,
  credentials: AwsCredentials,
  now: Date = new Date(),
): Promise<Record<string, string>> {
  const target = new URL(url);
  const port = target.port || (target.protocol === 'wss:' ? '443' : '80');
  const host = `${target.hostname}:${port}`;
  const signer = new SignatureV4({ service: 'neptune-db', region, credentials, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: target.hostname,
      port: Number(port),
      path: target.pathname || '/gremlin',
      query: {},
      headers: { host },
    },
    { signingDate: now },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = String(value);
  return headers;
}
