import { createRequire } from 'node:module';
import { DescribeDeliveryStreamCommand, FirehoseClient, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Adapters } from '../targets/adapters.js';
import { CockpitHttpError } from './http.js';

/** Where the resource browser reads from: the SDK clients and endpoints of the running target. */
export interface ResourceSources {
  adapters: Adapters;
  opensearchUrl?: string;
  gremlinUrl?: string;
  searchIndex: string;
  bucket: string;
}

const PREVIEW_BYTES = 64 * 1024;

function limitOf(value: string | null, fallback: number, max: number): number {
  const n = Number(value ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

/** The resource browser's reads: S3, Kinesis, OpenSearch, CloudSearch, the graph, Redis, Firehose. */
export function createResourceBrowser(sources: ResourceSources) {
  const { adapters } = sources;
  const s3: S3Client = adapters.clients.s3;
  const kinesis: KinesisClient = adapters.clients.kinesis;
  let firehose: FirehoseClient | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
  let gremlinConnection: any;
  // biome-ignore lint/suspicious/noExplicitAny: the gremlin package ships no types
  let g: any;

  async function listObjects(params: URLSearchParams) {
    const out = await s3.send(
      new ListObjectsV2Command({
        Bucket: params.get('bucket') ?? sources.bucket,
        Prefix: params.get('prefix') ?? undefined,
        Delimiter: params.get('delimiter') ?? '/',
        ContinuationToken: params.get('token') ?? undefined,
        MaxKeys: limitOf(params.get('limit'), 200, 1000),
      }),
    );
    return {
      bucket: params.get('bucket') ?? sources.bucket,
      prefix: params.get('prefix') ?? '',
      folders: (out.CommonPrefixes ?? []).map((p) => p.Prefix),
      objects: (out.Contents ?? []).map((o) => ({ key: o.Key, size: o.Size, lastModified: o.LastModified })),
      nextToken: out.NextContinuationToken,
    };
  }

  /** The object's bytes (images are shown as they are; text is cut at 64 KiB). */
  async function getObject(params: URLSearchParams): Promise<{ contentType: string; body: Uint8Array; size: number }> {
    const key = params.get('key');
    if (!key) throw new CockpitHttpError(400, 'key is required');
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: params.get('bucket') ?? sources.bucket, Key: key }));
      const body = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      const declared = out.ContentType ?? 'application/octet-stream';
      const contentType = /\.(jpe?g)$/i.test(key)
        ? 'image/jpeg'
        : /\.png$/i.test(key)
          ? 'image/png'
          : declared.startsWith('image/')
            ? declared
            : 'text/plain; charset=utf-8';
      return {
        contentType,
        body: contentType.startsWith('text/') ? body.subarray(0, PREVIEW_BYTES) : body,
        size: body.length,
      };
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') throw new CockpitHttpError(404, `no object ${key}`);
      throw error;
    }
  }

  async function listStreams() {
    const out = await kinesis.send(new ListStreamsCommand({}));
    return { streams: out.StreamNames ?? [] };
  }

  /** The newest records of a stream (every shard read from its trim horizon; the last `limit` kept). */
  async function streamRecords(name: string, params: URLSearchParams) {
    const limit = limitOf(params.get('limit'), 50, 500);
    const shards = (await kinesis.send(new ListShardsCommand({ StreamName: name }))).Shards ?? [];
    const records: { shardId: string; sequenceNumber?: string; partitionKey?: string; arrival?: Date; data: string }[] =
      [];
    for (const shard of shards) {
      let iterator = (
        await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: name,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        )
      ).ShardIterator;
      for (let page = 0; iterator && page < 20; page++) {
        const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        for (const r of out.Records ?? []) {
          records.push({
            shardId: shard.ShardId ?? '',
            sequenceNumber: r.SequenceNumber,
            partitionKey: r.PartitionKey,
            arrival: r.ApproximateArrivalTimestamp,
            data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
          });
        }
        if ((out.Records ?? []).length === 0 || out.MillisBehindLatest === 0) break;
        iterator = out.NextShardIterator;
      }
    }
    return { stream: name, total: records.length, records: records.slice(-limit).reverse() };
  }

  async function openSearchDocuments(params: URLSearchParams) {
    if (!sources.opensearchUrl) throw new CockpitHttpError(404, 'no OpenSearch endpoint on this target');
    const q = params.get('q')?.trim();
    const index = params.get('index') ?? sources.searchIndex;
    const response = await fetch(`${sources.opensearchUrl}/${encodeURIComponent(index)}/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        size: limitOf(params.get('limit'), 50, 500),
        query: q ? { simple_query_string: { query: q } } : { match_all: {} },
      }),
    });
    const body = (await response.json()) as {
      hits?: { total?: { value?: number }; hits?: { _id: string; _source: unknown }[] };
      error?: unknown;
    };
    if (!response.ok) return { index, total: 0, documents: [], error: body.error };
    return {
      index,
      total: body.hits?.total?.value ?? 0,
      documents: (body.hits?.hits ?? []).map((h) => ({ id: h._id, source: h._source })),
    };
  }

  async function cloudSearchDocuments(params: URLSearchParams) {
    const q = params.get('q')?.trim();
    const result = await adapters.catalogue.search({
      q: q ? q : 'matchall',
      parser: q ? 'simple' : 'structured',
      size: limitOf(params.get('limit'), 50, 500),
      return: '_all_fields',
    });
    return { total: result.found, documents: result.hits };
  }

  /** A person's vertex and every `knows` edge in or out of it, with the vertices at the other end. */
  async function graphAround(params: URLSearchParams) {
    const who = params.get('person')?.trim();
    if (!sources.gremlinUrl) throw new CockpitHttpError(404, 'no Gremlin endpoint on this target');
    const require = createRequire(import.meta.url);
    const gremlin = require('gremlin');
    if (!g) {
      gremlinConnection = new gremlin.driver.DriverRemoteConnection(sources.gremlinUrl);
      g = gremlin.process.AnonymousTraversalSource.traversal().withRemote(gremlinConnection);
    }
    const { statics: __ } = gremlin.process;
    const plain = (m: unknown): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      if (m instanceof Map)
        for (const [k, v] of m) out[typeof k === 'object' && k ? String(k.elementName ?? k) : String(k)] = v;
      return out;
    };
    if (!who) {
      const people = await g
        .V()
        .hasLabel('person')
        .limit(limitOf(params.get('limit'), 50, 500))
        .elementMap()
        .toList();
      const count = (await g.V().hasLabel('person').count().next()).value;
      return { people: people.map(plain), count };
    }
    const lower = who.toLowerCase();
    const candidates = (await g.V().hasLabel('person').elementMap().toList()).map(plain);
    const match =
      candidates.find((v: Record<string, unknown>) => String(v.id) === who) ??
      candidates.find((v: Record<string, unknown>) => String(v.email ?? '').toLowerCase() === lower) ??
      candidates.find((v: Record<string, unknown>) =>
        String(v.name ?? '')
          .toLowerCase()
          .includes(lower),
      );
    if (!match) return { person: null, edges: [] };
    const edges = await g
      .V(match.id)
      .bothE('knows')
      .project('edge', 'out', 'in')
      .by(__.elementMap())
      .by(__.outV().elementMap())
      .by(__.inV().elementMap())
      .toList();
    return {
      person: match,
      edges: edges.map((e: Map<string, unknown>) => {
        const m = plain(e);
        return { edge: plain(m.edge), out: plain(m.out), in: plain(m.in) };
      }),
    };
  }

  async function redisKeys(params: URLSearchParams) {
    const redis = adapters.redis;
    if (!redis) return { backend: 'memory', keys: [] };
    const [cursor, keys] = await redis.scan(
      params.get('cursor') ?? '0',
      'MATCH',
      params.get('pattern') || '*',
      'COUNT',
      limitOf(params.get('limit'), 100, 1000),
    );
    const described = await Promise.all(
      keys.sort().map(async (key) => {
        const [type, ttl] = await Promise.all([redis.type(key), redis.ttl(key)]);
        let value: unknown;
        if (type === 'string') value = (await redis.get(key))?.slice(0, 2000);
        else if (type === 'hash') value = await redis.hgetall(key);
        else if (type === 'list') value = await redis.lrange(key, 0, 49);
        else if (type === 'set') value = await redis.sscan(key, 0, 'COUNT', 50).then(([, members]) => members);
        else if (type === 'zset') value = await redis.zrange(key, 0, 49, 'WITHSCORES');
        return { key, type, ttl, value };
      }),
    );
    return { backend: 'redis', cursor, keys: described };
  }

  async function deliveryStreams() {
    firehose ??= new FirehoseClient({ ...adapters.clientConfig, requestHandler: new NodeHttpHandler() });
    const names = (await firehose.send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames ?? [];
    const streams = await Promise.all(
      names.map(async (name) => {
        const description = (await firehose?.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name })))
          ?.DeliveryStreamDescription;
        const destination = description?.Destinations?.[0]?.ExtendedS3DestinationDescription;
        const bucket = destination?.BucketARN?.split(':::')[1] ?? sources.bucket;
        const prefix = (destination?.Prefix ?? '').split('!{')[0];
        const objects = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000 }));
        const delivered = (objects.Contents ?? [])
          .filter((o) => !o.Key?.includes('/errors/') && !o.Key?.startsWith(`${prefix}errors/`))
          .sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0));
        return {
          name,
          status: description?.DeliveryStreamStatus,
          source: description?.Source?.KinesisStreamSourceDescription?.KinesisStreamARN?.split('/').pop(),
          bucket,
          prefix,
          buffering: destination?.BufferingHints,
          deliveries: delivered.length,
          latest: delivered.slice(0, 20).map((o) => ({ key: o.Key, size: o.Size, lastModified: o.LastModified })),
        };
      }),
    );
    return { deliveryStreams: streams };
  }

  return {
    listObjects,
    getObject,
    listStreams,
    streamRecords,
    openSearchDocuments,
    cloudSearchDocuments,
    graphAround,
    redisKeys,
    deliveryStreams,
    async close() {
      firehose?.destroy();
      await gremlinConnection?.close().catch(() => undefined);
    },
  };
}

export type ResourceBrowser = ReturnType<typeof createResourceBrowser>;
