// The Kinesis engine through the real @aws-sdk/client-kinesis (and raw CBOR, as the Java SDK / KPL send it): every
// operation the kit and its users call, the shard iterator types, hash-key routing, AWS's error codes and statuses.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DescribeLimitsCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  MergeShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RemoveTagsFromStreamCommand,
  type ShardIteratorType,
  SplitShardCommand,
  UpdateShardCountCommand,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
} from '@aws-sdk/client-kinesis';
import { cbor } from '@smithy/core/cbor';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeServer, startEdge } from '../../src/emulators/edge/index.js';
import { startKinesis } from '../../src/emulators/kinesis/index.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ACCOUNT = '000000000000';
let dataDir: string;
let edge: EdgeServer;
let k: KinesisClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-kinesis-conformance-'));
  edge = await startEdge({ port: 0, services: [await startKinesis({ dataDir })], closeServices: true });
  k = new KinesisClient({
    endpoint: edge.url,
    region: 'us-east-1',
    credentials,
    requestHandler: new NodeHttpHandler(),
  });
});
afterAll(async () => {
  k?.destroy();
  await edge?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? []).toString();
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => ({
      name: e.name,
      message: e.message,
      status: e.$metadata.httpStatusCode,
    }),
  );

async function iterator(stream: string, shardId: string, type: ShardIteratorType, extra: object = {}) {
  const out = await k.send(
    new GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: type, ...extra }),
  );
  return out.ShardIterator as string;
}

async function readShard(stream: string, shardId: string, type: ShardIteratorType = 'TRIM_HORIZON', extra = {}) {
  const got: string[] = [];
  let it: string | undefined = await iterator(stream, shardId, type, extra);
  while (it) {
    const page: GetRecordsCommandOutput = await k.send(new GetRecordsCommand({ ShardIterator: it }));
    got.push(...(page.Records ?? []).map((r) => text(r.Data)));
    if ((page.Records ?? []).length === 0) break;
    it = page.NextShardIterator;
  }
  return got;
}

/** The shard whose hash key range holds the MD5 of the partition key, as Kinesis routes. */
function expectedShard(
  shards: { ShardId?: string; HashKeyRange?: { StartingHashKey?: string; EndingHashKey?: string } }[],
  key: string,
) {
  const hash = BigInt(`0x${createHash('md5').update(key).digest('hex')}`);
  return shards.find(
    (s) =>
      BigInt(s.HashKeyRange?.StartingHashKey ?? '-1') <= hash && hash <= BigInt(s.HashKeyRange?.EndingHashKey ?? '-1'),
  )?.ShardId;
}

describe('Kinesis engine through @aws-sdk/client-kinesis', () => {
  it('CreateStream, DescribeStream(Summary), ListStreams, ListShards: AWS shapes, hash ranges covering 2^128', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'conf', ShardCount: 3 }));
    await waitUntilStreamExists({ client: k, maxWaitTime: 10, minDelay: 1 }, { StreamName: 'conf' });
    const { StreamDescription: d } = await k.send(new DescribeStreamCommand({ StreamName: 'conf' }));
    expect(d).toMatchObject({
      StreamName: 'conf',
      StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/conf`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 24,
      HasMoreShards: false,
      EncryptionType: 'NONE',
    });
    expect(d?.StreamCreationTimestamp).toBeInstanceOf(Date);
    expect(Math.abs((d?.StreamCreationTimestamp?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    const shards = d?.Shards ?? [];
    expect(shards.map((s) => s.ShardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
    ]);
    expect(shards[0].HashKeyRange?.StartingHashKey).toBe('0');
    expect(shards[2].HashKeyRange?.EndingHashKey).toBe(String(2n ** 128n - 1n));
    for (let i = 1; i < shards.length; i++)
      expect(BigInt(shards[i].HashKeyRange?.StartingHashKey as string)).toBe(
        BigInt(shards[i - 1].HashKeyRange?.EndingHashKey as string) + 1n,
      );
    for (const s of shards) expect(s.SequenceNumberRange?.StartingSequenceNumber).toMatch(/^\d{56}$/);

    const summary = await k.send(new DescribeStreamSummaryCommand({ StreamARN: d?.StreamARN }));
    expect(summary.StreamDescriptionSummary).toMatchObject({ StreamName: 'conf', OpenShardCount: 3, ConsumerCount: 0 });

    const page = await k.send(new DescribeStreamCommand({ StreamName: 'conf', Limit: 2 }));
    expect(page.StreamDescription?.HasMoreShards).toBe(true);
    const rest = await k.send(
      new DescribeStreamCommand({ StreamName: 'conf', ExclusiveStartShardId: 'shardId-000000000001' }),
    );
    expect(rest.StreamDescription?.Shards?.map((s) => s.ShardId)).toEqual(['shardId-000000000002']);

    const listed = await k.send(new ListShardsCommand({ StreamName: 'conf', MaxResults: 2 }));
    expect(listed.Shards).toHaveLength(2);
    expect(listed.NextToken).toBeTruthy();
    const next = await k.send(new ListShardsCommand({ NextToken: listed.NextToken }));
    expect(next.Shards?.map((s) => s.ShardId)).toEqual(['shardId-000000000002']);
    expect(next.NextToken).toBeUndefined();
    expect(
      await rejection(k.send(new ListShardsCommand({ StreamName: 'conf', NextToken: listed.NextToken }))),
    ).toMatchObject({ name: 'InvalidArgumentException', status: 400 });

    await k.send(new CreateStreamCommand({ StreamName: 'conf-b', ShardCount: 1 }));
    const streams = await k.send(new ListStreamsCommand({ Limit: 1 }));
    expect(streams).toMatchObject({ StreamNames: ['conf'], HasMoreStreams: true });
    expect(streams.StreamSummaries?.[0]).toMatchObject({ StreamName: 'conf', StreamStatus: 'ACTIVE' });
    const second = await k.send(new ListStreamsCommand({ ExclusiveStartStreamName: 'conf' }));
    expect(second.StreamNames).toEqual(['conf-b']);
    expect(second.HasMoreStreams).toBe(false);
  });

  it('ON_DEMAND streams get 4 shards', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'conf-od', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    const s = await k.send(new DescribeStreamSummaryCommand({ StreamName: 'conf-od' }));
    expect(s.StreamDescriptionSummary).toMatchObject({
      OpenShardCount: 4,
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    });
  });

  it('PutRecord / PutRecords route by the MD5 of the partition key, or the ExplicitHashKey', async () => {
    const { Shards: shards = [] } = await k.send(new ListShardsCommand({ StreamName: 'conf' }));
    for (const key of ['a', 'b', 'card-17', 'édouard', 'x'.repeat(256)]) {
      const out = await k.send(new PutRecordCommand({ StreamName: 'conf', PartitionKey: key, Data: Buffer.from(key) }));
      expect(out.ShardId).toBe(expectedShard(shards, key));
      expect(out.SequenceNumber).toMatch(/^\d{56}$/);
      expect(out.EncryptionType).toBe('NONE');
    }
    const last = shards[2].HashKeyRange?.EndingHashKey as string;
    const many = await k.send(
      new PutRecordsCommand({
        StreamName: 'conf',
        Records: [
          { PartitionKey: 'a', Data: Buffer.from('explicit-0'), ExplicitHashKey: '0' },
          { PartitionKey: 'a', Data: Buffer.from('explicit-max'), ExplicitHashKey: last },
          { PartitionKey: 'q', Data: Buffer.from('q') },
        ],
      }),
    );
    expect(many.FailedRecordCount).toBe(0);
    expect(many.Records?.map((r) => r.ShardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000002',
      expectedShard(shards, 'q'),
    ]);
    expect(
      await rejection(
        k.send(
          new PutRecordCommand({
            StreamName: 'conf',
            PartitionKey: 'a',
            Data: Buffer.from('x'),
            ExplicitHashKey: String(2n ** 128n),
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidArgumentException', status: 400 });
  });

  it('sequence numbers increase within a shard and compare as big integers', async () => {
    const seqs: bigint[] = [];
    for (let i = 0; i < 20; i++) {
      const out = await k.send(
        new PutRecordCommand({ StreamName: 'conf-b', PartitionKey: `k${i}`, Data: Buffer.from(`r${i}`) }),
      );
      seqs.push(BigInt(out.SequenceNumber as string));
    }
    for (let i = 1; i < seqs.length; i++) expect(seqs[i] > seqs[i - 1]).toBe(true);
    const batch = await k.send(
      new PutRecordsCommand({
        StreamName: 'conf-b',
        Records: Array.from({ length: 50 }, (_, i) => ({ PartitionKey: `b${i}`, Data: Buffer.from(`b${i}`) })),
      }),
    );
    const batchSeqs = (batch.Records ?? []).map((r) => BigInt(r.SequenceNumber as string));
    expect(batchSeqs[0] > seqs[seqs.length - 1]).toBe(true);
    for (let i = 1; i < batchSeqs.length; i++) expect(batchSeqs[i] > batchSeqs[i - 1]).toBe(true);
  });

  it('GetShardIterator: TRIM_HORIZON, LATEST, AT/AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'conf-it', ShardCount: 1 }));
    const shard = 'shardId-000000000000';
    const seq: string[] = [];
    for (const d of ['r0', 'r1', 'r2']) {
      seq.push(
        (await k.send(new PutRecordCommand({ StreamName: 'conf-it', PartitionKey: 'p', Data: Buffer.from(d) })))
          .SequenceNumber as string,
      );
    }
    expect(await readShard('conf-it', shard)).toEqual(['r0', 'r1', 'r2']);
    expect(await readShard('conf-it', shard, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: seq[1] })).toEqual([
      'r1',
      'r2',
    ]);
    expect(await readShard('conf-it', shard, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: seq[1] })).toEqual([
      'r2',
    ]);

    const latest = await iterator('conf-it', shard, 'LATEST');
    const empty = await k.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(empty.Records).toEqual([]);
    expect(empty.MillisBehindLatest).toBe(0);
    await new Promise((r) => setTimeout(r, 5));
    const between = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await k.send(new PutRecordCommand({ StreamName: 'conf-it', PartitionKey: 'p', Data: Buffer.from('r3') }));
    const after = await k.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }));
    expect(after.Records?.map((r) => text(r.Data))).toEqual(['r3']);
    expect(after.Records?.[0].ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    expect(after.Records?.[0].PartitionKey).toBe('p');
    expect(await readShard('conf-it', shard, 'AT_TIMESTAMP', { Timestamp: between })).toEqual(['r3']);
    expect(await readShard('conf-it', shard, 'AT_TIMESTAMP', { Timestamp: new Date(0) })).toEqual([
      'r0',
      'r1',
      'r2',
      'r3',
    ]);

    // a sequence number of another shard / stream is refused, as AWS does
    const other = (await k.send(new ListShardsCommand({ StreamName: 'conf' }))).Shards?.[1].SequenceNumberRange
      ?.StartingSequenceNumber;
    expect(
      await rejection(
        k.send(
          new GetShardIteratorCommand({
            StreamName: 'conf-it',
            ShardId: shard,
            ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
            StartingSequenceNumber: other,
          }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidArgumentException', status: 400 });
    expect(
      await rejection(
        k.send(
          new GetShardIteratorCommand({
            StreamName: 'conf-it',
            ShardId: 'shardId-000000000009',
            ShardIteratorType: 'LATEST',
          }),
        ),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
  });

  it('GetRecords: Limit, NextShardIterator, MillisBehindLatest while behind, expired iterators', async () => {
    await k.send(
      new PutRecordsCommand({
        StreamName: 'conf-it',
        Records: Array.from({ length: 30 }, (_, i) => ({ PartitionKey: 'p', Data: Buffer.from(`bulk-${i}`) })),
      }),
    );
    const first = await k.send(
      new GetRecordsCommand({
        ShardIterator: await iterator('conf-it', 'shardId-000000000000', 'TRIM_HORIZON'),
        Limit: 10,
      }),
    );
    expect(first.Records).toHaveLength(10);
    expect(first.MillisBehindLatest).toBeGreaterThan(0);
    const rest = await k.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator, Limit: 10_000 }));
    expect(rest.Records).toHaveLength(24);
    expect(rest.MillisBehindLatest).toBe(0);
    expect(
      await rejection(k.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator, Limit: 10_001 }))),
    ).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await rejection(k.send(new GetRecordsCommand({ ShardIterator: 'bm90IGFuIGl0ZXJhdG9y' })))).toMatchObject({
      name: 'InvalidArgumentException',
      status: 400,
    });
    // an iterator issued more than five minutes ago
    const fields = JSON.parse(Buffer.from(first.NextShardIterator as string, 'base64').toString());
    const stale = Buffer.from(JSON.stringify({ ...fields, t: Date.now() - 301_000 })).toString('base64');
    expect(await rejection(k.send(new GetRecordsCommand({ ShardIterator: stale })))).toMatchObject({
      name: 'ExpiredIteratorException',
      status: 400,
      message: expect.stringContaining('Iterator expired'),
    });
  });

  it('retention: 24 h by default; Increase/Decrease with AWS checks', async () => {
    await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'conf-b', RetentionPeriodHours: 48 }));
    expect(
      (await k.send(new DescribeStreamSummaryCommand({ StreamName: 'conf-b' }))).StreamDescriptionSummary
        ?.RetentionPeriodHours,
    ).toBe(48);
    expect(
      await rejection(
        k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'conf-b', RetentionPeriodHours: 24 })),
      ),
    ).toMatchObject({ name: 'InvalidArgumentException' });
    expect(
      await rejection(
        k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'conf-b', RetentionPeriodHours: 12 })),
      ),
    ).toMatchObject({ name: 'InvalidArgumentException' });
    await k.send(new DecreaseStreamRetentionPeriodCommand({ StreamName: 'conf-b', RetentionPeriodHours: 24 }));
    expect(
      (await k.send(new DescribeStreamCommand({ StreamName: 'conf-b' }))).StreamDescription?.RetentionPeriodHours,
    ).toBe(24);
  });

  it('tags: add, list (sorted, paged), remove', async () => {
    await k.send(new AddTagsToStreamCommand({ StreamName: 'conf-b', Tags: { team: 'cards', env: 'dev', z: '1' } }));
    const page = await k.send(new ListTagsForStreamCommand({ StreamName: 'conf-b', Limit: 2 }));
    expect(page).toMatchObject({
      Tags: [
        { Key: 'env', Value: 'dev' },
        { Key: 'team', Value: 'cards' },
      ],
      HasMoreTags: true,
    });
    await k.send(new RemoveTagsFromStreamCommand({ StreamName: 'conf-b', TagKeys: ['z', 'env'] }));
    expect((await k.send(new ListTagsForStreamCommand({ StreamName: 'conf-b' }))).Tags).toEqual([
      { Key: 'team', Value: 'cards' },
    ]);
  });

  it('resharding: SplitShard, MergeShards, UpdateShardCount; parents closed, children reading on', async () => {
    await k.send(new CreateStreamCommand({ StreamName: 'conf-rs', ShardCount: 2 }));
    await k.send(new PutRecordCommand({ StreamName: 'conf-rs', PartitionKey: 'p', Data: Buffer.from('before') }));
    await k.send(
      new SplitShardCommand({
        StreamName: 'conf-rs',
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: String(2n ** 126n),
      }),
    );
    let shards = (await k.send(new ListShardsCommand({ StreamName: 'conf-rs' }))).Shards ?? [];
    expect(shards.map((s) => [s.ShardId, s.ParentShardId, !s.SequenceNumberRange?.EndingSequenceNumber])).toEqual([
      ['shardId-000000000000', undefined, false],
      ['shardId-000000000001', undefined, true],
      ['shardId-000000000002', 'shardId-000000000000', true],
      ['shardId-000000000003', 'shardId-000000000000', true],
    ]);
    await k.send(
      new MergeShardsCommand({
        StreamName: 'conf-rs',
        ShardToMerge: 'shardId-000000000003',
        AdjacentShardToMerge: 'shardId-000000000001',
      }),
    );
    shards =
      (await k.send(new ListShardsCommand({ StreamName: 'conf-rs', ShardFilter: { Type: 'AT_LATEST' } }))).Shards ?? [];
    expect(shards.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId])).toEqual([
      ['shardId-000000000002', 'shardId-000000000000', undefined],
      ['shardId-000000000004', 'shardId-000000000003', 'shardId-000000000001'],
    ]);
    // a closed shard ends: its last page has no NextShardIterator, and names its children
    const closed = await k.send(
      new GetRecordsCommand({ ShardIterator: await iterator('conf-rs', 'shardId-000000000000', 'TRIM_HORIZON') }),
    );
    const end = closed.NextShardIterator
      ? await k.send(new GetRecordsCommand({ ShardIterator: closed.NextShardIterator }))
      : closed;
    expect(end.NextShardIterator).toBeUndefined();
    expect(end.ChildShards?.map((c) => c.ShardId).sort()).toEqual(['shardId-000000000002', 'shardId-000000000003']);

    const scaled = await k.send(
      new UpdateShardCountCommand({ StreamName: 'conf-rs', TargetShardCount: 3, ScalingType: 'UNIFORM_SCALING' }),
    );
    expect(scaled).toMatchObject({ CurrentShardCount: 2, TargetShardCount: 3 });
    const open =
      (await k.send(new ListShardsCommand({ StreamName: 'conf-rs', ShardFilter: { Type: 'AT_LATEST' } }))).Shards ?? [];
    expect(open).toHaveLength(3);
    expect(open[0].HashKeyRange?.StartingHashKey).toBe('0');
    expect(open[2].HashKeyRange?.EndingHashKey).toBe(String(2n ** 128n - 1n));
    for (const s of open) expect(s.ParentShardId).toBeTruthy();
    expect(
      await rejection(
        k.send(
          new UpdateShardCountCommand({ StreamName: 'conf-rs', TargetShardCount: 7, ScalingType: 'UNIFORM_SCALING' }),
        ),
      ),
    ).toMatchObject({ name: 'InvalidArgumentException' });
    // records put after the rescale go to the open shards only
    const put = await k.send(
      new PutRecordCommand({ StreamName: 'conf-rs', PartitionKey: 'p', Data: Buffer.from('after') }),
    );
    expect(open.map((s) => s.ShardId)).toContain(put.ShardId);
  });

  it('errors: AWS codes and statuses', async () => {
    expect(await rejection(k.send(new CreateStreamCommand({ StreamName: 'conf', ShardCount: 1 })))).toMatchObject({
      name: 'ResourceInUseException',
      status: 400,
      message: `Stream conf under account ${ACCOUNT} already exists.`,
    });
    expect(await rejection(k.send(new DescribeStreamCommand({ StreamName: 'missing' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
      message: `Stream missing under account ${ACCOUNT} not found.`,
    });
    expect(
      await rejection(
        k.send(new PutRecordCommand({ StreamName: 'missing', PartitionKey: 'p', Data: Buffer.from('x') })),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    expect(await rejection(k.send(new CreateStreamCommand({ StreamName: 'bad name', ShardCount: 1 })))).toMatchObject({
      name: 'ValidationException',
      status: 400,
    });
    expect(await rejection(k.send(new CreateStreamCommand({ StreamName: 'zero', ShardCount: 0 })))).toMatchObject({
      name: 'ValidationException',
    });
    expect(await rejection(k.send(new CreateStreamCommand({ StreamName: 'huge', ShardCount: 10_000 })))).toMatchObject({
      name: 'LimitExceededException',
    });
    expect(
      await rejection(
        k.send(new DescribeStreamSummaryCommand({ StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/missing` })),
      ),
    ).toMatchObject({ name: 'ResourceNotFoundException' });
    const limits = await k.send(new DescribeLimitsCommand({}));
    expect(limits.ShardLimit).toBe(500);
    expect(limits.OpenShardCount).toBeGreaterThan(0);
  });

  it('regions are apart: a stream of us-east-1 is not in eu-west-1', async () => {
    const eu = new KinesisClient({
      endpoint: edge.url,
      region: 'eu-west-1',
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    try {
      expect((await eu.send(new ListStreamsCommand({}))).StreamNames).toEqual([]);
      // a StreamARN names its region
      const s = await eu.send(
        new DescribeStreamSummaryCommand({ StreamARN: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/conf` }),
      );
      expect(s.StreamDescriptionSummary?.StreamName).toBe('conf');
    } finally {
      eu.destroy();
    }
  });

  it('DeleteStream: gone from ListStreams; reads of it fail; the name can be used again', async () => {
    await k.send(new DeleteStreamCommand({ StreamName: 'conf-od' }));
    await waitUntilStreamNotExists({ client: k, maxWaitTime: 10, minDelay: 1 }, { StreamName: 'conf-od' });
    expect((await k.send(new ListStreamsCommand({}))).StreamNames).not.toContain('conf-od');
    await k.send(new CreateStreamCommand({ StreamName: 'conf-od', ShardCount: 1 }));
    expect((await k.send(new ListShardsCommand({ StreamName: 'conf-od' }))).Shards).toHaveLength(1);
  });
});

describe('Kinesis engine over CBOR (the Java SDK and the KPL)', () => {
  const call = async (operation: string, input: object) => {
    const res = await fetch(edge.url, {
      method: 'POST',
      headers: { 'x-amz-target': `Kinesis_20131202.${operation}`, 'content-type': 'application/x-amz-cbor-1.1' },
      body: Buffer.from(cbor.serialize(input)),
    });
    expect(res.headers.get('content-type')).toBe('application/x-amz-cbor-1.1');
    return {
      status: res.status,
      body: cbor.deserialize(new Uint8Array(await res.arrayBuffer())) as Record<string, any>,
    };
  };

  it('puts and reads records: blobs as bytes, timestamps as tag 1 over epoch milliseconds', async () => {
    const put = await call('PutRecord', { StreamName: 'conf-it', PartitionKey: 'p', Data: new Uint8Array([1, 2, 3]) });
    expect(put.status).toBe(200);
    const it = await call('GetShardIterator', {
      StreamName: 'conf-it',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: put.body.SequenceNumber,
    });
    const page = await call('GetRecords', { ShardIterator: it.body.ShardIterator });
    const record = page.body.Records[0];
    expect(Buffer.from(record.Data)).toEqual(Buffer.from([1, 2, 3]));
    expect(record.ApproximateArrivalTimestamp).toMatchObject({ tag: 1 });
    expect(Math.abs(Number(record.ApproximateArrivalTimestamp.value) - Date.now())).toBeLessThan(60_000);
    const missing = await call('DescribeStream', { StreamName: 'missing' });
    expect(missing).toMatchObject({ status: 400, body: { __type: 'ResourceNotFoundException' } });
  });
});

describe('Kinesis engine with a CREATING → ACTIVE transition', () => {
  it('a new stream is CREATING, refuses puts, then ACTIVE (the SDK waiter sees it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octember-kinesis-transition-'));
    const slow = await startEdge({
      port: 0,
      services: [await startKinesis({ dataDir: dir, transitionMs: 300 })],
      closeServices: true,
    });
    const c = new KinesisClient({
      endpoint: slow.url,
      region: 'us-east-1',
      credentials,
      requestHandler: new NodeHttpHandler(),
    });
    try {
      await c.send(new CreateStreamCommand({ StreamName: 'slow', ShardCount: 1 }));
      expect(
        (await c.send(new DescribeStreamSummaryCommand({ StreamName: 'slow' }))).StreamDescriptionSummary?.StreamStatus,
      ).toBe('CREATING');
      expect(
        await rejection(
          c.send(new PutRecordCommand({ StreamName: 'slow', PartitionKey: 'p', Data: Buffer.from('x') })),
        ),
      ).toMatchObject({ name: 'ResourceNotFoundException' });
      await waitUntilStreamExists({ client: c, maxWaitTime: 10, minDelay: 1 }, { StreamName: 'slow' });
      await c.send(new PutRecordCommand({ StreamName: 'slow', PartitionKey: 'p', Data: Buffer.from('x') }));
      await c.send(new DeleteStreamCommand({ StreamName: 'slow' }));
      expect(
        (await c.send(new DescribeStreamSummaryCommand({ StreamName: 'slow' }))).StreamDescriptionSummary?.StreamStatus,
      ).toBe('DELETING');
    } finally {
      c.destroy();
      await slow.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
