import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aggregate, deaggregate } from '../../src/domain/kpl.js';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/index.js';
import { createFirehoseService, type FirehoseService } from '../../src/emulators/firehose/index.js';
import { startKinesis } from '../../src/emulators/kinesis/index.js';
import { createS3Service, type S3Service } from '../../src/emulators/s3/index.js';
import { createKplDeaggregate } from '../../src/handlers/kpl-deaggregate.js';
import { aggregateWithLibrary } from '../support/kinesis-agg.js';

const require = createRequire(import.meta.url);

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const BUCKET = 'fh-bucket';
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const ROLE = 'arn:aws:iam::000000000000:role/firehose';
const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

interface Harness {
  dir: string;
  firehose: FirehoseService;
  s3: S3Service;
  edge: EdgeServer;
  client: FirehoseClient;
  lambdas: Map<string, (event: any) => unknown>;
  invocations: { name: string; event: any }[];
}

const harnesses: Harness[] = [];

async function boot(dir?: string, attach = true): Promise<Harness> {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), 'octember-firehose-')));
  const s3 = await createS3Service({ dataDir });
  await s3.store.ensureBucket(BUCKET);
  const firehose = await createFirehoseService({ dataDir, bufferIntervalSeconds: 900, kinesisPollIntervalMs: 100 });
  const edge = await startEdge({ port: 0, services: [s3, firehose] });
  const lambdas = new Map<string, (event: any) => unknown>();
  const invocations: { name: string; event: any }[] = [];
  const h: Harness = {
    dir: dataDir,
    firehose,
    s3,
    edge,
    client: new FirehoseClient({ endpoint: edge.url, region: 'us-east-1', credentials }),
    lambdas,
    invocations,
  };
  if (attach) attachTo(h);
  harnesses.push(h);
  return h;
}

function attachTo(h: Harness, kinesis?: KinesisClient) {
  h.firehose.attach({
    putObject: async (bucket, key, body) => {
      await h.s3.store.putObject(bucket, key, body);
    },
    invokeLambda: async (name, event) => {
      h.invocations.push({ name, event });
      const fn = h.lambdas.get(name);
      if (!fn) throw new Error(`Function not found: ${name}`);
      return fn(event);
    },
    ...(kinesis ? { kinesis } : {}),
  });
}

async function stop(h: Harness) {
  const i = harnesses.indexOf(h);
  if (i >= 0) harnesses.splice(i, 1);
  h.client.destroy();
  await h.edge.close(); // closes firehose and s3
}

afterEach(async () => {
  for (const h of [...harnesses]) {
    await stop(h);
    await rm(h.dir, { recursive: true, force: true });
  }
});

async function objects(h: Harness, prefix = ''): Promise<{ key: string; body: Buffer }[]> {
  const listed = h.s3.store.listObjects(BUCKET, { prefix, maxKeys: 1000 }).contents;
  const out = [];
  for (const meta of listed) {
    const got = await h.s3.store.getObject(BUCKET, meta.key);
    out.push({ key: meta.key, body: got?.body ?? Buffer.alloc(0) });
  }
  return out;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const s3Config = (extra: Record<string, unknown> = {}) => ({
  RoleARN: ROLE,
  BucketARN: BUCKET_ARN,
  Prefix: 'raw/',
  BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 900 },
  ...extra,
});

async function createDirect(h: Harness, name: string, extra: Record<string, unknown> = {}) {
  await h.client.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: s3Config(extra) as never,
    }),
  );
}

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}\n`);
const put = (h: Harness, name: string, data: string[]) =>
  h.client.send(
    new PutRecordBatchCommand({ DeliveryStreamName: name, Records: data.map((d) => ({ Data: Buffer.from(d) })) }),
  );

const DEFAULT_KEY =
  /^raw\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/(?<stream>[\w.-]+?)-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-\d{2}-\d{2}-[0-9a-f-]{36}$/;

describe('Firehose emulator: control plane', () => {
  it('creates, describes, lists and deletes delivery streams with Firehose errors', async () => {
    const h = await boot();
    await createDirect(h, 'alpha', { CompressionFormat: 'GZIP' });
    await createDirect(h, 'beta');
    const described = await h.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'alpha' }));
    const d = described.DeliveryStreamDescription;
    expect(d?.DeliveryStreamStatus).toBe('ACTIVE');
    expect(d?.DeliveryStreamARN).toBe('arn:aws:firehose:us-east-1:000000000000:deliverystream/alpha');
    expect(d?.CreateTimestamp).toBeInstanceOf(Date);
    const ext = d?.Destinations?.[0].ExtendedS3DestinationDescription;
    expect(ext?.BucketARN).toBe(BUCKET_ARN);
    expect(ext?.CompressionFormat).toBe('GZIP');
    expect(ext?.BufferingHints).toEqual({ SizeInMBs: 1, IntervalInSeconds: 900 });

    const listed = await h.client.send(new ListDeliveryStreamsCommand({ Limit: 1 }));
    expect(listed).toMatchObject({ DeliveryStreamNames: ['alpha'], HasMoreDeliveryStreams: true });

    await expect(createDirect(h, 'alpha')).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await expect(
      h.client.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'missing' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(createDirect(h, 'gamma', { BucketARN: 'not-an-arn' })).rejects.toMatchObject({
      name: 'InvalidArgumentException',
    });
    await expect(createDirect(h, 'delta', { Prefix: 'x/!{timestamp:yyyy}/' })).rejects.toMatchObject({
      name: 'InvalidArgumentException',
      message: expect.stringContaining('ErrorOutputPrefix'),
    });

    await h.client.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'alpha' }));
    const after = await h.client.send(new ListDeliveryStreamsCommand({}));
    expect(after.DeliveryStreamNames).toEqual(['beta']);
  });

  it('validates PutRecordBatch limits as AWS does: 500 records, 1 000 KiB per record, 4 MiB per request', async () => {
    const h = await boot();
    await createDirect(h, 'limits');
    const big = 'x'.repeat(1000 * 1024 + 1);
    // an oversized record fails the whole request, naming it (and nothing of the request is kept)
    await expect(put(h, 'limits', ['c\n', big, 'd\n'])).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(
        /^1 validation error detected: .*'records\.2\.member\.data'.*less than or equal to 1024000$/,
      ),
    });
    const out = await put(h, 'limits', ['a\n', 'b\n']);
    expect(out.FailedPutCount).toBe(0);
    expect(out.RequestResponses?.map((r) => Boolean(r.RecordId))).toEqual([true, true]);
    await expect(put(h, 'limits', lines(501, 'n'))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('less than or equal to 500'),
    });
    expect((await put(h, 'limits', lines(500, 'n'))).FailedPutCount).toBe(0);
    const fiveMiB = Array.from({ length: 5 }, () => 'y'.repeat(1000 * 1024));
    await expect(put(h, 'limits', fiveMiB)).rejects.toMatchObject({ name: 'InvalidArgumentException' });
    await expect(put(h, 'nope', ['a'])).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await h.firehose.flush('limits');
    const [obj] = await objects(h, 'raw/');
    expect(obj.body.toString()).toBe(`a\nb\n${lines(500, 'n').join('')}`);
  });
});

describe('Firehose emulator: direct put to S3', () => {
  it('delivers by buffer size into YYYY/MM/DD/HH keys, in order', async () => {
    const h = await boot();
    await createDirect(h, 'sized');
    const record = `${'z'.repeat(1000)}\n`;
    const sent: string[] = [];
    for (let batch = 0; batch < 3; batch++) {
      const data = Array.from({ length: 400 }, (_, i) => `${batch}-${i}-${record}`);
      sent.push(...data);
      const out = await put(h, 'sized', data);
      expect(out.FailedPutCount).toBe(0);
    }
    // 1.2 MB > SizeInMBs 1: a delivery starts without a flush and without waiting for the 900 s interval
    const first = await waitFor(async () => {
      const found = await objects(h, 'raw/');
      return found.length > 0 ? found : undefined;
    }, 'a size-triggered delivery');
    const match = DEFAULT_KEY.exec(first[0].key);
    expect(match, first[0].key).not.toBeNull();
    const [, y, mo, d, hh, , y2, mo2, d2, hh2] = match as RegExpExecArray;
    expect([y, mo, d, hh]).toEqual([y2, mo2, d2, hh2]);
    expect(match?.groups?.stream).toBe('sized');

    await h.firehose.flush('sized');
    const all = (await objects(h, 'raw/')).sort((a, b) => a.key.localeCompare(b.key));
    const body = Buffer.concat(all.map((o) => o.body)).toString();
    expect(body.length).toBe(sent.join('').length);
    expect(new Set(body.split('\n').filter(Boolean))).toEqual(new Set(sent.map((s) => s.slice(0, -1))));
  });

  it('delivers by buffer interval without a flush', async () => {
    const h = await boot();
    await createDirect(h, 'timed', { BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 1 } });
    await h.client.send(new PutRecordCommand({ DeliveryStreamName: 'timed', Record: { Data: Buffer.from('tick\n') } }));
    const found = await waitFor(async () => {
      const o = await objects(h, 'raw/');
      return o.length > 0 ? o : undefined;
    }, 'an interval-triggered delivery');
    expect(found.map((o) => o.body.toString())).toEqual(['tick\n']);
  });

  it('compresses with GZIP and names the object .gz', async () => {
    const h = await boot();
    await createDirect(h, 'zipped', { CompressionFormat: 'GZIP' });
    await put(h, 'zipped', lines(50, 'g'));
    await h.firehose.flush('zipped');
    const [obj] = await objects(h, 'raw/');
    expect(obj.key.endsWith('.gz')).toBe(true);
    expect(gunzipSync(obj.body).toString()).toBe(lines(50, 'g').join(''));
  });

  it('evaluates !{timestamp:...} prefixes and the error output type', async () => {
    const h = await boot();
    h.lambdas.set('fail-all', (event) => ({
      records: event.records.map((r: any) => ({ recordId: r.recordId, result: 'ProcessingFailed', data: r.data })),
    }));
    await createDirect(h, 'custom', {
      Prefix: 'data/year=!{timestamp:yyyy}/month=!{timestamp:MM}/',
      ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy}/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          { Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn('fail-all') }] },
        ],
      },
    });
    await put(h, 'custom', ['one\n']);
    await h.firehose.flush('custom');
    const errors = await objects(h, 'errors/');
    expect(errors).toHaveLength(1);
    expect(errors[0].key).toMatch(/^errors\/processing-failed\/\d{4}\/custom-1-/);
    const year = errors[0].key.split('/')[2];
    expect(errors[0].key).toContain(`custom-1-${year}-`);
  });
});

describe('Firehose emulator: Lambda transformation contract', () => {
  const processing = (name: string, retries?: number) => ({
    ErrorOutputPrefix: 'failed/',
    ProcessingConfiguration: {
      Enabled: true,
      Processors: [
        {
          Type: 'Lambda',
          Parameters: [
            { ParameterName: 'LambdaArn', ParameterValue: lambdaArn(name) },
            ...(retries === undefined ? [] : [{ ParameterName: 'NumberOfRetries', ParameterValue: String(retries) }]),
          ],
        },
      ],
    },
  });

  it('keeps Ok data, discards Dropped and sends ProcessingFailed to the error prefix', async () => {
    const h = await boot();
    h.lambdas.set('triage', (event) => ({
      records: event.records.map((r: any) => {
        const text = Buffer.from(r.data, 'base64').toString();
        if (text.startsWith('drop')) return { recordId: r.recordId, result: 'Dropped', data: r.data };
        if (text.startsWith('bad')) return { recordId: r.recordId, result: 'ProcessingFailed', data: r.data };
        return { recordId: r.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64') };
      }),
    }));
    await createDirect(h, 'triaged', processing('triage'));
    const out = await put(h, 'triaged', ['keep-1\n', 'drop-1\n', 'bad-1\n', 'keep-2\n']);
    await h.firehose.flush('triaged');

    const [event] = h.invocations.map((i) => i.event);
    expect(event.deliveryStreamArn).toBe('arn:aws:firehose:us-east-1:000000000000:deliverystream/triaged');
    expect(event.invocationId).toBeTruthy();
    expect(event.records.map((r: any) => r.recordId)).toEqual(out.RequestResponses?.map((r) => r.RecordId));
    expect(typeof event.records[0].approximateArrivalTimestamp).toBe('number');

    const data = await objects(h, 'raw/');
    expect(data.map((o) => o.body.toString())).toEqual(['KEEP-1\nKEEP-2\n']);
    const failed = await objects(h, 'failed/');
    expect(failed).toHaveLength(1);
    expect(failed[0].key).toMatch(/^failed\/processing-failed\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/triaged-1-/);
    const rows = failed[0].body
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ errorCode: 'Lambda.ProcessingFailed', lambdaArn: lambdaArn('triage') });
    expect(Buffer.from(rows[0].rawData, 'base64').toString()).toBe('bad-1\n');
    expect(rows[0].arrivalTimestamp).toBeTypeOf('number');
  });

  it.each([
    ['a missing recordId', (records: any[]) => records.slice(1), 'Lambda.MissingRecordId'],
    [
      'an extra recordId',
      (records: any[]) => [...records, { recordId: 'not-sent', result: 'Ok', data: '' }],
      'Lambda.InvalidRecordId',
    ],
    [
      'a thrown error',
      () => {
        throw new Error('boom');
      },
      'Lambda.FunctionError',
    ],
  ])('treats %s as a failure of the whole invocation, after the retries', async (_label, answer, code) => {
    const h = await boot();
    h.lambdas.set('broken', (event) => ({
      records: (answer as (r: any[]) => any[])(
        event.records.map((r: any) => ({ recordId: r.recordId, result: 'Ok', data: r.data })),
      ),
    }));
    await createDirect(h, 'broken', processing('broken', 2));
    await put(h, 'broken', ['r1\n', 'r2\n']);
    await h.firehose.flush('broken');
    expect(h.invocations).toHaveLength(3);
    expect(await objects(h, 'raw/')).toEqual([]);
    const [failed] = await objects(h, 'failed/');
    const rows = failed.body
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => Buffer.from(r.rawData, 'base64').toString())).toEqual(['r1\n', 'r2\n']);
    expect(rows.every((r) => r.errorCode === code && r.attemptsMade === 3)).toBe(true);
  });
});

describe('Firehose emulator: Direct PUT of KPL records through kpl-deaggregate', () => {
  it('delivers the user records as lines and corrupt aggregates to the error prefix', async () => {
    const h = await boot();
    const transform = createKplDeaggregate();
    h.lambdas.set('kpl-deaggregate', (event) => transform(event));
    await createDirect(h, 'kpl', {
      ErrorOutputPrefix: 'kpl-errors/',
      ProcessingConfiguration: {
        Enabled: true,
        Processors: [
          {
            Type: 'Lambda',
            Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn('kpl-deaggregate') }],
          },
        ],
      },
    });
    const good = aggregate([
      { partitionKey: 'u1', data: Buffer.from('{"n":1}') },
      { partitionKey: 'u2', data: Buffer.from('{"n":2}') },
    ]);
    const corrupt = Buffer.from(good);
    corrupt[10] ^= 0xff;
    await h.client.send(
      new PutRecordBatchCommand({
        DeliveryStreamName: 'kpl',
        Records: [{ Data: good }, { Data: corrupt }, { Data: Buffer.from('{"plain":3}\n') }],
      }),
    );
    await h.firehose.flush('kpl');
    const [data] = await objects(h, 'raw/');
    expect(data.body.toString()).toBe('{"n":1}\n{"n":2}\n{"plain":3}\n');
    const [errors] = await objects(h, 'kpl-errors/');
    const row = JSON.parse(errors.body.toString().trim());
    expect(row.errorCode).toBe('Lambda.ProcessingFailed');
    expect(row.errorMessage).toMatch(/MD5/);
    expect(Buffer.from(row.rawData, 'base64').equals(corrupt)).toBe(true);
  });
});

describe('Firehose emulator: durability', () => {
  it('keeps accepted records and stream definitions across a restart', async () => {
    const h = await boot(undefined, false);
    await createDirect(h, 'durable');
    const data = lines(120, 'd');
    await put(h, 'durable', data.slice(0, 100));
    await h.client.send(
      new PutRecordCommand({ DeliveryStreamName: 'durable', Record: { Data: Buffer.from(data[100]) } }),
    );
    await put(h, 'durable', data.slice(101));
    const dir = h.dir;
    await stop(h); // never attached: nothing was delivered

    const again = await boot(dir);
    const listed = await again.client.send(new ListDeliveryStreamsCommand({}));
    expect(listed.DeliveryStreamNames).toEqual(['durable']);
    await again.firehose.flush('durable');
    const body = (await objects(again, 'raw/')).map((o) => o.body.toString()).join('');
    expect(body).toBe(data.join(''));

    // delivered records are not delivered again by a later restart
    await stop(again);
    const third = await boot(dir);
    await third.firehose.flush();
    const after = (await objects(third, 'raw/')).map((o) => o.body.toString()).join('');
    expect(after).toBe(data.join(''));
  });
});

describe('Firehose emulator: Kinesis stream as source', () => {
  let kinesisEdge: EdgeServer | undefined;
  let kdir: string;
  beforeAll(async () => {
    kdir = await mkdtemp(join(tmpdir(), 'octember-firehose-kinesis-'));
    const kinesis = await startKinesis({ dataDir: kdir });
    kinesisEdge = await startEdge({ port: 0, services: [kinesis], closeServices: true });
  }, 120_000);
  afterAll(async () => {
    await kinesisEdge?.close();
    await rm(kdir, { recursive: true, force: true });
  });

  it('deaggregates KPL records before the transform and delivers every user record', async () => {
    const k = new KinesisClient({
      endpoint: (kinesisEdge as EdgeServer).url,
      region: 'us-east-1',
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    await k.send(new CreateStreamCommand({ StreamName: 'events', ShardCount: 1 }));
    await waitFor(async () => {
      const s = await k.send(new DescribeStreamSummaryCommand({ StreamName: 'events' }));
      return s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE' ? true : undefined;
    }, 'stream ACTIVE');

    const h = await boot(undefined, false);
    attachTo(h, k);
    h.lambdas.set('passthrough', (event) => ({
      records: event.records.map((r: any) => ({ recordId: r.recordId, result: 'Ok', data: r.data })),
    }));
    await h.client.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: 'from-kinesis',
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: {
          KinesisStreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
          RoleARN: ROLE,
        },
        ExtendedS3DestinationConfiguration: s3Config({
          Prefix: 'events/',
          ProcessingConfiguration: {
            Enabled: true,
            Processors: [
              {
                Type: 'Lambda',
                Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn('passthrough') }],
              },
            ],
          },
        }) as never,
      }),
    );
    await expect(
      h.client.send(new PutRecordCommand({ DeliveryStreamName: 'from-kinesis', Record: { Data: Buffer.from('x') } })),
    ).rejects.toMatchObject({ name: 'InvalidArgumentException' });

    const users = Array.from({ length: 20 }, (_, i) => ({
      partitionKey: `u${i % 3}`,
      data: Buffer.from(`{"n":${i}}\n`),
    }));
    const aggregated = await aggregateWithLibrary(users);
    expect(aggregated).toHaveLength(1);
    await k.send(
      new PutRecordsCommand({
        StreamName: 'events',
        Records: [
          { PartitionKey: aggregated[0].partitionKey, Data: aggregated[0].data },
          { PartitionKey: 'plain', Data: Buffer.from('{"plain":true}\n') },
        ],
      }),
    );
    // flush waits until the source has read the stream up to its end, then delivers
    await h.firehose.flush('from-kinesis');
    const body = (await objects(h, 'events/')).map((o) => o.body.toString()).join('');
    const expected = [...users.map((u) => u.data.toString()), '{"plain":true}\n'];
    expect(body.split('\n').filter(Boolean).sort()).toEqual(expected.map((e) => e.trim()).sort());

    const event = h.invocations[0].event;
    expect(event.sourceKinesisStreamArn).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/events');
    const meta = event.records.map((r: any) => r.kinesisRecordMetadata);
    expect(meta[0]).toMatchObject({
      shardId: expect.stringMatching(/^shardId-/),
      partitionKey: 'u0',
      subsequenceNumber: 0,
    });
    expect(meta[1]).toMatchObject({ partitionKey: 'u1', subsequenceNumber: 1 });
    expect(deaggregate(aggregated[0].data)).toHaveLength(20);
    k.destroy();
  });
});
