import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '../targets/local-runtime.js';

/** What a reset needs of a running stack. */
export type ResettableStack = Pick<
  LocalStack,
  'adapters' | 'dataDir' | 'topology' | 'endpoints' | 'idle' | 'flushDeliveryStreams'
>;

async function emptyBucket(s3: S3Client, bucket: string, prefix?: string): Promise<number> {
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }),
    );
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length > 0) {
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
      deleted += keys.length;
    }
    token = page.NextContinuationToken;
  } while (token);
  return deleted;
}

/**
 * Empties what the pipelines stored while keeping every resource (bucket, notifications, streams, index, domain)
 * and the running stack: objects, search documents, catalogue documents, the graph, Redis keys, failure records.
 * Stream records stay (every consumer has read them by then; their checkpoints stay at the end).
 */
export async function resetStackData(stack: ResettableStack): Promise<void> {
  const { adapters, topology } = stack;
  await stack.idle();
  await stack.flushDeliveryStreams();
  // Item CSVs first, while their manifests still exist: csv-to-cloudsearch (ObjectRemoved) deletes their documents.
  const bucket = topology.resources.bucket;
  await emptyBucket(adapters.clients.s3, bucket.name, bucket.prefixes.items);
  await stack.idle();
  await emptyBucket(adapters.clients.s3, bucket.name);

  const tasks: Promise<unknown>[] = [];
  if (stack.endpoints.opensearch) {
    const index = encodeURIComponent(topology.resources.searchIndex.name);
    tasks.push(
      fetch(`${stack.endpoints.opensearch}/${index}/_delete_by_query?refresh=true`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: { match_all: {} } }),
      }),
    );
  }
  tasks.push(
    (async () => {
      for (;;) {
        const page = await adapters.catalogue.search({
          q: 'matchall',
          parser: 'structured',
          size: 1000,
          return: '_no_fields',
        });
        if (page.hits.length === 0) return;
        await adapters.catalogue.uploadDocuments(
          JSON.stringify(page.hits.map((hit) => ({ type: 'delete', id: hit.id }))),
        );
      }
    })(),
  );
  if (stack.endpoints.gremlin) {
    tasks.push(
      (async () => {
        const gremlin = createRequire(import.meta.url)('gremlin');
        const connection = new gremlin.driver.DriverRemoteConnection(stack.endpoints.gremlin);
        try {
          const g = gremlin.process.AnonymousTraversalSource.traversal().withRemote(connection);
          await g.V().drop().iterate();
        } finally {
          await connection.close().catch(() => undefined);
        }
      })(),
    );
  }
  if (adapters.redis) tasks.push(adapters.redis.flushdb());
  tasks.push(rm(join(stack.dataDir, 'failures'), { recursive: true, force: true }));
  await Promise.all(tasks);
}
