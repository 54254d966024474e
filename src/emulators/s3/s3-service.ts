import { logger } from '../../lib/logger.js';
import type { EdgeService } from '../edge/service.js';
import { newHostId, newRequestId, sendS3Error, toS3Error } from './errors.js';
import type { S3Notification } from './notifications.js';
import { S3ObjectStore } from './object-store.js';
import { parseRequest, route } from './router.js';

export type S3Service = EdgeService & { store: S3ObjectStore };

export async function createS3Service(opts: {
  dataDir: string;
  notify?: (n: S3Notification) => void;
  region?: string;
}): Promise<S3Service> {
  const store = await S3ObjectStore.open(opts);
  return {
    name: 's3',
    signingNames: ['s3'],
    store,
    async handle(req, res) {
      const requestId = newRequestId();
      res.setHeader('x-amz-request-id', requestId);
      res.setHeader('x-amz-id-2', newHostId());
      let resource: string | undefined;
      try {
        const ctx = parseRequest(req);
        resource = ctx.resource;
        await route(store, req, res, ctx);
      } catch (err) {
        if (req.destroyed && !req.complete) {
          res.destroy(); // the client went away mid-request: nobody to answer
          return;
        }
        if (!req.complete) req.resume(); // drain so keep-alive connections stay usable
        const s3err = toS3Error(err);
        if (s3err.status >= 500) logger.error({ err, method: req.method, url: req.url }, 's3 request failed');
        sendS3Error(res, s3err, { head: req.method === 'HEAD', resource, requestId });
      }
    },
  };
}
