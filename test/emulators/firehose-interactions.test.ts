// Pipeline 2 end to end on the embedded pieces: POST /v1/events → Kinesis (KPL-aggregated) → Firehose
// (Kinesis source, kpl-deaggregate processor) → S3 `interactions/` as NDJSON, and → interactions-to-graph →
// GET /v1/recommendations.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKinesisEventStream } from '../../src/adapters/kinesis/event-stream.js';
import { createMemoryInteractionGraph } from '../../src/adapters/memory/interaction-graph.js';
import { BUCKET, EVENTS_DELIVERY_STREAM, EVENTS_STREAM, INTERACTIONS_PREFIX } from '../../src/domain/names.js';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/index.js';
import { createFirehoseService, type FirehoseService } from '../../src/emulators/firehose/index.js';
import { type KinesisService, startKinesis } from '../../src/emulators/kinesis/index.js';
import { createS3Service, type S3Service } from '../../src/emulators/s3/index.js';
import { createEventsApi } from '../../src/handlers/events-api.js';
import { createInteractionsToGraph } from '../../src/handlers/interactions-to-graph.js';
import { createKplDeaggregate } from '../../src/handlers/kpl-deaggregate.js';
import { createInvoker } from '../../src/runtime/invoker.js';
import {
  type KinesisEventSourceMapping,
  startKinesisEventSourceMapping,
} from '../../src/runtime/kinesis-event-source.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let dir: string;
let kinesis: KinesisService;
let s3: S3Service;
let firehose: FirehoseService;
let edge: EdgeServer;
let k: KinesisClient;
let mapping: KinesisEventSourceMapping | undefined;
const graph = createMemoryInteractionGraph();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'octember-interactions-'));
  kinesis = await startKinesis({ dataDir: join(dir, 'kinesis') });
  s3 = await createS3Service({ dataDir: dir });
  await s3.store.ensureBucket(BUCKET);
  firehose = await createFirehoseService({ dataDir: dir, kinesisPollIntervalMs: 100 });
  edge = await startEdge({ port: 0, services: [s3, kinesis, firehose] });
  k = new KinesisClient({
    endpoint: edge.url,
    region: 'us-east-1',
    credentials,
    requestHandler: new NodeHttpHandler(),
  });
  const invoker = createInvoker({ dataDir: dir });
  invoker.register('kpl-deaggregate', createKplDeaggregate());
  invoker.register('interactions-to-graph', createInteractionsToGraph({ interactions: graph }));
  firehose.attach({
    putObject: async (bucket, key, body) => {
      await s3.store.putObject(bucket, key, body);
    },
    invokeLambda: (name, event) => invoker.invoke(name, event),
    kinesis: k,
  });
  await k.send(new CreateStreamCommand({ StreamName: EVENTS_STREAM, ShardCount: 2 }));
  for (;;) {
    const s = await k.send(new DescribeStreamSummaryCommand({ StreamName: EVENTS_STREAM }));
    if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const fh = new FirehoseClient({ endpoint: edge.url, region: 'us-east-1', credentials });
  await fh.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: EVENTS_DELIVERY_STREAM,
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${EVENTS_STREAM}`,
        RoleARN: 'arn:aws:iam::000000000000:role/firehose',
      },
      ExtendedS3DestinationConfiguration: {
        RoleARN: 'arn:aws:iam::000000000000:role/firehose',
        BucketARN: `arn:aws:s3:::${BUCKET}`,
        Prefix: INTERACTIONS_PREFIX,
        ErrorOutputPrefix: 'interactions-errors/',
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Lambda',
              Parameters: [
                {
                  ParameterName: 'LambdaArn',
                  ParameterValue: 'arn:aws:lambda:us-east-1:000000000000:function:kpl-deaggregate',
                },
              ],
            },
          ],
        },
      },
    }),
  );
  fh.destroy();
  mapping = await startKinesisEventSourceMapping({
    kinesis: k,
    streamName: EVENTS_STREAM,
    functionName: 'interactions-to-graph',
    invoker,
    pollIntervalMs: 100,
    reportBatchItemFailures: true,
  });
}, 120_000);

afterAll(async () => {
  await mapping?.stop();
  k?.destroy();
  if (edge) await edge.close();
  else await kinesis?.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (body: unknown) => ({ body: JSON.stringify(body), isBase64Encoded: false }) as APIGatewayProxyEvent;

describe('interaction events pipeline (embedded)', () => {
  it('lands every posted event in S3 interactions/ as NDJSON and in the graph', async () => {
    const api = createEventsApi({ streams: createKinesisEventStream(k) });
    const events = [
      ...['a', 'b', 'c', 'd'].map((item, i) => ({
        user_id: 'bob',
        item_id: item,
        event_type: 'click',
        timestamp: 1_700_000_000 + i,
      })),
      ...['a', 'b'].map((item, i) => ({
        user_id: 'alice',
        item_id: item,
        event_type: 'view',
        timestamp: 1_700_000_100 + i,
      })),
    ];
    const batch = await api(post(events));
    expect(batch.statusCode).toBe(202);
    expect(JSON.parse(batch.body).records).toBeLessThan(events.length); // aggregated
    const single = await api(post({ user_id: 'carol', item_id: 'e', event_type: 'click', timestamp: 1_700_000_200 }));
    expect(single.statusCode).toBe(202);

    await firehose.flush(EVENTS_DELIVERY_STREAM);
    const keys = s3.store.listObjects(BUCKET, { prefix: INTERACTIONS_PREFIX }).contents.map((o) => o.key);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys)
      expect(key).toMatch(/^interactions\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/octember-interactions-to-s3-1-/);
    let text = '';
    for (const key of keys) text += (await s3.store.getObject(BUCKET, key))?.body.toString() ?? '';
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const all = [...events, { user_id: 'carol', item_id: 'e', event_type: 'click', timestamp: 1_700_000_200 }];
    const byKey = (x: { user_id: string; item_id: string }) => `${x.user_id}/${x.item_id}`;
    expect(lines.map(byKey).sort()).toEqual(all.map(byKey).sort());
    expect(text.endsWith('\n')).toBe(true);
    expect(s3.store.listObjects(BUCKET, { prefix: 'interactions-errors/' }).contents).toEqual([]);

    await mapping?.idle();
    expect(await graph.recommend('alice', 5)).toEqual([
      { item_id: 'c', score: 2 },
      { item_id: 'd', score: 2 },
    ]);
  });
});
