import { logger } from '../../lib/logger.js';
import type { EdgeService } from '../edge/service.js';
import { AccountRegistry, loadS3Settings, type S3Settings, type S3SettingsInput } from './accounts.js';
import type { S3Context } from './context.js';
import { applyCorsHeaders, matchCorsRule, parseRequestHeaderList, preflight } from './cors.js';
import { newHostId, newRequestId, S3Error, sendS3Error, toS3Error } from './errors.js';
import type { S3Notification } from './notifications.js';
import { S3ObjectStore } from './object-store.js';
import { parsePath, selectOperation } from './router.js';
import { authenticate } from './signature.js';

export type S3Service = EdgeService & {
  store: S3ObjectStore;
  settings: S3Settings;
  /** Whether the bucket's CORS configuration lets `origin` send this request (the edge's browser gate asks). */
  corsAllows(bucket: string, origin: string, method: string, requestHeaders?: readonly string[]): boolean;
  /** Start-up findings worth a line in a start-up summary (quarantined files); empty when all was readable. */
  startupSummary(): string[];
};

export async function createS3Service(opts: {
  dataDir: string;
  notify?: (n: S3Notification) => void;
  region?: string;
  /** accounts and defaults; default: OCTEMBER_S3_ACCOUNTS, else the `test`/`test` account */
  accounts?: string | S3SettingsInput;
}): Promise<S3Service> {
  const settings = loadS3Settings(opts.accounts);
  const accounts = new AccountRegistry(settings.accounts);
  const store = await S3ObjectStore.open({ ...opts, defaultOwner: accounts.defaultAccount.canonicalId });
  return {
    name: 's3',
    signingNames: ['s3'],
    store,
    settings,
    corsAllows(bucket, origin, method, requestHeaders = []) {
      if (!store.hasBucket(bucket)) return false;
      return matchCorsRule(store.headBucket(bucket).cors, origin, method, requestHeaders) !== undefined;
    },
    startupSummary: () => [...store.startupReport],
    handlesExpectContinue: true,
    writeError(req, res, err) {
      sendS3Error(res, toS3Error(err), { head: req.method === 'HEAD', requestId: newRequestId() });
    },
    async handle(req, res) {
      // Expect: 100-continue: the client waits for 100 before the body, sent when an operation starts reading it,
      // so a refused request (403, 404, ...) is answered without the body ever being sent.
      let continued = !/100-continue/i.test(String(req.headers.expect ?? ''));
      if (!continued) {
        const read = req._read.bind(req);
        req._read = (size: number) => {
          if (!continued) {
            continued = true;
            res.writeContinue();
          }
          read(size);
        };
      }
      const requestId = newRequestId();
      res.setHeader('x-amz-request-id', requestId);
      res.setHeader('x-amz-id-2', newHostId());
      let resource: string | undefined;
      try {
        const path = parsePath(req);
        resource = path.rawPath;
        const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
        const corsRules = path.bucket && store.hasBucket(path.bucket) ? store.headBucket(path.bucket).cors : undefined;
        if (req.method === 'OPTIONS') {
          req.resume();
          if (path.bucket && !store.hasBucket(path.bucket))
            throw new S3Error('NoSuchBucket', 404, 'The specified bucket does not exist', { BucketName: path.bucket });
          const headers = preflight(
            corsRules,
            origin,
            req.headers['access-control-request-method'] as string | undefined,
            parseRequestHeaderList(req.headers['access-control-request-headers']),
          );
          res.writeHead(200, { ...headers, 'content-length': 0 });
          res.end();
          return;
        }
        if (origin) {
          const method = String(req.headers['access-control-request-method'] ?? req.method);
          applyCorsHeaders(res, corsRules, origin, method);
        }
        const ctx: S3Context = {
          store,
          accounts,
          settings,
          req,
          res,
          bucket: path.bucket,
          key: path.key,
          query: new URLSearchParams(path.rawQuery),
          rawPath: path.rawPath,
          rawQuery: path.rawQuery,
          host: path.host,
          auth: authenticate(req, path.rawPath, path.rawQuery, accounts),
        };
        await selectOperation(ctx)(ctx);
      } catch (err) {
        if (req.destroyed && !req.complete) {
          res.destroy(); // the client went away mid-request: nobody to answer
          return;
        }
        if (!continued)
          res.setHeader('connection', 'close'); // the body was never asked for: do not wait for it
        else if (!req.complete) req.resume(); // drain so keep-alive connections stay usable
        const s3err = toS3Error(err);
        if (s3err.status >= 500) logger.error({ err, method: req.method, url: req.url }, 's3 request failed');
        sendS3Error(res, s3err, { head: req.method === 'HEAD', resource, requestId });
      }
    },
  };
}
