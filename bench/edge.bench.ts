// The edge port and its embedded AWS services: start-up costs and S3 object throughput through the real SDK.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startEdge } from '../src/emulators/edge/edge-server.js';
import { startKinesis } from '../src/emulators/kinesis/index.js';
import { createS3Service } from '../src/emulators/s3/index.js';
import type { BenchResult } from '../src/lib/bench-result.js';

const OBJECT_SIZE = 100 * 1024;
const OBJECTS = 400;
const CONCURRENCY = 8;
const KINESIS_STARTS = 3;

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function inParallel(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-bench-edge-'));
  try {
    const edgeStarted = performance.now();
    const s3Service = await createS3Service({ dataDir });
    const edge = await startEdge({ port: 0, services: [s3Service] });
    results.push({
      name: 'edge + S3 emulator start-up',
      value: round(performance.now() - edgeStarted),
      unit: 'ms',
      note: 'empty data dir, modules already loaded',
    });

    const s3 = new S3Client({
      endpoint: edge.url,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, // the S3 emulator's default account
    });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
      const body = randomBytes(OBJECT_SIZE);
      // Warm-up: connection pool, JIT.
      await inParallel(20, CONCURRENCY, (i) =>
        s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `warm/${i}`, Body: body })).then(() => {}),
      );

      const putStarted = performance.now();
      await inParallel(OBJECTS, CONCURRENCY, async (i) => {
        await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `obj/${i}`, Body: body }));
      });
      const putSeconds = (performance.now() - putStarted) / 1000;
      results.push({
        name: 'S3 PutObject 100 KB via SDK',
        value: round(OBJECTS / putSeconds),
        unit: 'ops/s',
        note: `${OBJECTS} objects, ${CONCURRENCY} in flight, default CRC32 checksum`,
      });

      const getStarted = performance.now();
      await inParallel(OBJECTS, CONCURRENCY, async (i) => {
        const out = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: `obj/${i}` }));
        const bytes = await out.Body!.transformToByteArray();
        if (bytes.length !== OBJECT_SIZE) throw new Error(`short read: ${bytes.length}`);
      });
      const getSeconds = (performance.now() - getStarted) / 1000;
      results.push({
        name: 'S3 GetObject 100 KB via SDK',
        value: round(OBJECTS / getSeconds),
        unit: 'ops/s',
        note: `${OBJECTS} objects, ${CONCURRENCY} in flight`,
      });
    } finally {
      s3.destroy();
      await edge.close();
    }

    const kinesisMs: number[] = [];
    for (let i = 0; i < KINESIS_STARTS; i++) {
      const started = performance.now();
      const kinesis = await startKinesis({ dataDir: join(dataDir, `kinesis-${i}`) });
      kinesisMs.push(performance.now() - started);
      await kinesis.close();
    }
    results.push({
      name: 'Kinesis engine start-up (open the journal, ready to answer)',
      value: round(median(kinesisMs)),
      unit: 'ms',
      target: '<= 2000 ms (whole dev start)',
      note: `median of ${KINESIS_STARTS}: ${kinesisMs.map((ms) => Math.round(ms)).join(', ')} ms`,
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  return results;
}
