// KPL deaggregation throughput (ours vs aws-kinesis-agg in the same run) and Firehose end-to-end throughput:
// PutRecordBatch of 1 KB records over the edge → write-ahead log → buffer → S3 emulator.
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { aggregate, deaggregate } from '../src/domain/kpl.js';
import { startEdge } from '../src/emulators/edge/index.js';
import { createFirehoseService } from '../src/emulators/firehose/index.js';
import { createS3Service } from '../src/emulators/s3/index.js';
import type { BenchResult } from '../src/lib/bench-result.js';
import { kinesisAgg } from '../test/support/kinesis-agg.js';

const require = createRequire(import.meta.url);

const AGGREGATES = 200;
const USERS_PER_AGGREGATE = 100;
const ROUNDS = 5;
const E2E_RECORDS = 30_000;
const BATCH = 500;
const CONCURRENCY = 4;
const round = (n: number, digits = 0) => Number(n.toFixed(digits));

function deaggregationBench(): BenchResult[] {
  // what a consumer receives: base64 payloads of aggregated records carrying ~120-byte JSON events
  const payloads = Array.from({ length: AGGREGATES }, (_, a) =>
    aggregate(
      Array.from({ length: USERS_PER_AGGREGATE }, (_, i) => ({
        partitionKey: `user-${(a * USERS_PER_AGGREGATE + i) % 97}`,
        data: Buffer.from(
          JSON.stringify({
            user_id: `user-${i % 97}`,
            item_id: `item-${a}-${i}`,
            event_type: 'click',
            timestamp: 1_700_000_000 + i,
          }),
        ),
      })),
    ).toString('base64'),
  );
  const total = AGGREGATES * USERS_PER_AGGREGATE;
  const ours = () => {
    let n = 0;
    for (const p of payloads) n += deaggregate(Buffer.from(p, 'base64')).length;
    return n;
  };
  const theirs = () => {
    let n = 0;
    for (const p of payloads) {
      kinesisAgg.deaggregateSync(
        { partitionKey: 'k', data: p, sequenceNumber: '1', approximateArrivalTimestamp: 0 },
        true,
        (err, records) => {
          if (err) throw err;
          n += records?.length ?? 0;
        },
      );
    }
    return n;
  };
  const time = (fn: () => number) => {
    const start = process.hrtime.bigint();
    const n = fn();
    if (n !== total) throw new Error(`deaggregated ${n} of ${total} user records`);
    return Number(process.hrtime.bigint() - start) / 1e9;
  };
  ours();
  theirs(); // warm-up
  let bestOurs = Number.POSITIVE_INFINITY;
  let bestTheirs = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    bestOurs = Math.min(bestOurs, time(ours));
    bestTheirs = Math.min(bestTheirs, time(theirs));
  }
  const oursRate = total / bestOurs;
  const theirsRate = total / bestTheirs;
  return [
    {
      name: 'kpl deaggregation (ours, MD5 checked)',
      value: round(oursRate),
      unit: 'user records/s',
      note: `${AGGREGATES} aggregates × ${USERS_PER_AGGREGATE}, best of ${ROUNDS}`,
    },
    { name: 'kpl deaggregation (aws-kinesis-agg, checksums on)', value: round(theirsRate), unit: 'user records/s' },
    {
      name: 'kpl deaggregation ratio ours / aws-kinesis-agg',
      value: round(oursRate / theirsRate, 2),
      unit: '×',
      target: '>= 1.0',
    },
  ];
}

async function endToEndBench(): Promise<BenchResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-bench-firehose-'));
  const s3 = await createS3Service({ dataDir });
  await s3.store.ensureBucket('bench');
  const firehose = await createFirehoseService({ dataDir, bufferIntervalSeconds: 900 });
  const edge = await startEdge({ port: 0, services: [s3, firehose] });
  let delivered = 0;
  firehose.attach({
    putObject: async (bucket, key, body) => {
      await s3.store.putObject(bucket, key, body);
      delivered += body.length;
    },
    invokeLambda: async () => {
      throw new Error('no processor in this benchmark');
    },
  });
  const client = new FirehoseClient({
    endpoint: edge.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: new NodeHttpHandler({ httpAgent: { keepAlive: true, maxSockets: CONCURRENCY } }),
  });
  try {
    await client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'bench',
        ExtendedS3DestinationConfiguration: {
          RoleARN: 'arn:aws:iam::000000000000:role/firehose',
          BucketARN: 'arn:aws:s3:::bench',
          BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 900 },
        },
      }),
    );
    const record = Buffer.alloc(1024, 'x');
    record[1023] = 0x0a;
    const batches = E2E_RECORDS / BATCH;
    let next = 0;
    let failed = 0;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < batches) {
          next++;
          const out = await client.send(
            new PutRecordBatchCommand({
              DeliveryStreamName: 'bench',
              Records: Array.from({ length: BATCH }, () => ({ Data: record })),
            }),
          );
          failed += out.FailedPutCount ?? 0;
        }
      }),
    );
    await firehose.flush('bench');
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (failed > 0 || delivered !== E2E_RECORDS * 1024) {
      throw new Error(
        `end-to-end run lost data: ${failed} failed puts, ${delivered} of ${E2E_RECORDS * 1024} bytes in S3`,
      );
    }
    return [
      {
        name: 'firehose end-to-end into S3 (1 KB records)',
        value: round(E2E_RECORDS / seconds),
        unit: 'records/s',
        target: '>= 5000',
        note: `${E2E_RECORDS} records, PutRecordBatch × ${BATCH}, ${CONCURRENCY} concurrent, WAL + S3 emulator`,
      },
    ];
  } finally {
    client.destroy();
    await edge.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  return [...deaggregationBench(), ...(await endToEndBench())];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void run().then((results) => {
    for (const r of results) console.log(JSON.stringify(r));
  });
}
