import { Sha256 } from '@aws-crypto/sha256-js';
import { S3Client, type S3ServiceException } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/index.js';
import { createS3Service, type S3Notification, type S3Service } from '../../src/emulators/s3/index.js';

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** An SDK client for the edge, signing as the given access key (the default account's by default). */
export function s3Client(url: string, credentials = TEST_CREDENTIALS): S3Client {
  return new S3Client({ endpoint: url, region: 'us-east-1', forcePathStyle: true, credentials });
}

/** The S3 emulator behind a real edge on a free port, with an SDK client pointed at it. */
export async function startS3Edge(
  dataDir: string,
  notify?: (n: S3Notification) => void,
  accounts?: Parameters<typeof createS3Service>[0]['accounts'],
): Promise<{ service: S3Service; edge: EdgeServer; s3: S3Client }> {
  const service = await createS3Service({ dataDir, notify, accounts });
  const edge = await startEdge({ port: 0, services: [service] });
  return { service, edge, s3: s3Client(edge.url) };
}

/**
 * A raw HTTP request signed with SigV4 (header auth) by the Smithy signer the SDK uses, for what the SDK will not
 * send itself (malformed bodies, virtual-host requests, hand-made aws-chunked bodies).
 */
export async function signedFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
  credentials = TEST_CREDENTIALS,
): Promise<Response> {
  const u = new URL(url);
  const headers: Record<string, string> = { host: u.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...init.headers };
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method: init.method ?? 'GET',
    protocol: u.protocol,
    hostname: u.hostname,
    port: Number(u.port),
    path: u.pathname,
    query: Object.fromEntries(u.searchParams),
    headers,
  });
  const { host: _host, ...sent } = signed.headers;
  return fetch(url, { method: init.method ?? 'GET', headers: { ...sent }, body: init.body });
}

/** The S3 error a call fails with (the test fails if it succeeds). */
export async function s3Failure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    return err as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}
