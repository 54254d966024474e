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

/** SigV4 headers for a request, from the Smithy signer the SDK uses (an independent check of the emulator's). */
export async function signHeaders(
  base: URL,
  method: string,
  path: string,
  query: URLSearchParams,
  extra: Record<string, string> | undefined,
  credentials = TEST_CREDENTIALS,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = { host: base.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extra };
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method,
    protocol: base.protocol,
    hostname: base.hostname,
    port: Number(base.port),
    path,
    query: Object.fromEntries(query),
    headers,
  });
  return signed.headers;
}

/** A raw HTTP request signed with SigV4, for what the SDK will not send itself (malformed bodies, hand-made chunks). */
export async function signedFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
  credentials = TEST_CREDENTIALS,
): Promise<Response> {
  const u = new URL(url);
  const method = init.method ?? 'GET';
  const { host: _host, ...sent } = await signHeaders(u, method, u.pathname, u.searchParams, init.headers, credentials);
  return fetch(url, { method, headers: sent, body: init.body });
}

/**
 * Like signedFetch over node:http with the path sent exactly as given (fetch would normalize `..` segments) and
 * the headers as given (content-length included, for requests that announce more than they send).
 */
export async function signedRawRequest(
  base: string,
  rawPath: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; endBody?: boolean } = {},
  credentials = TEST_CREDENTIALS,
): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  const [path, query = ''] = rawPath.split('?');
  const method = init.method ?? 'GET';
  const headers = await signHeaders(u, method, path, new URLSearchParams(query), init.headers, credentials);
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, method, path: rawPath, headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    if (init.endBody === false) req.flushHeaders();
    else req.end();
  });
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
