import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeDeliveryStreamCommand, FirehoseClient, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { GetBucketNotificationConfigurationCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureDestinationDir } from '../../src/runtime/failure-destination.js';
import { functionNameFromArn } from '../../src/runtime/s3-notifications.js';
import { type EmbeddedStack, startEmbeddedStack } from '../../src/targets/embedded.js';
import { LOCAL_DELIVERY_BUFFER_SECONDS } from '../../src/targets/provision.js';
import { TOPOLOGY } from '../../src/topology/index.js';

/**
 * The embedded target wires exactly the topology: what is really provisioned is read back through the AWS APIs
 * (bucket notifications, streams, delivery streams), the runtime's own mappings and the API's routes.
 */
let stack: EmbeddedStack;
let dataDir: string;
let firehose: FirehoseClient;
const KEY = 'parity-key';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'octember-parity-'));
  stack = await startEmbeddedStack({
    dataDir,
    apiKey: KEY,
    apiPort: 0,
    edgePort: 0,
    ports: { opensearch: 0, gremlin: 0, redis: 0 },
  });
  firehose = new FirehoseClient({ ...stack.adapters.clientConfig, endpoint: stack.endpoints.aws });
}, 120_000);

afterAll(async () => {
  firehose?.destroy();
  await stack?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the embedded stack is the topology', () => {
  it('has the bucket notification configurations of every trigger and suffix', async () => {
    const config = await stack.adapters.clients.s3.send(
      new GetBucketNotificationConfigurationCommand({ Bucket: TOPOLOGY.resources.bucket.name }),
    );
    const actual = (config.LambdaFunctionConfigurations ?? []).map((c) => ({
      function: functionNameFromArn(c.LambdaFunctionArn ?? ''),
      events: [...(c.Events ?? [])].sort(),
      rules: Object.fromEntries((c.Filter?.Key?.FilterRules ?? []).map((r) => [r.Name?.toLowerCase(), r.Value])),
    }));
    const expected = TOPOLOGY.s3Triggers.flatMap((t) =>
      t.suffixes.map((suffix) => ({
        function: t.function,
        events: [...t.events].sort(),
        rules: { prefix: t.prefix, suffix },
      })),
    );
    expect(actual.sort(byJson)).toEqual(expected.sort(byJson));
  });

  it('has the streams, one event source mapping per stream mapping with its settings', async () => {
    const { StreamNames } = await stack.adapters.clients.kinesis.send(new ListStreamsCommand({}));
    expect([...(StreamNames ?? [])].sort()).toEqual(TOPOLOGY.resources.streams.map((s) => s.name).sort());
    for (const def of TOPOLOGY.resources.streams) {
      const { StreamDescriptionSummary } = await stack.adapters.clients.kinesis.send(
        new DescribeStreamSummaryCommand({ StreamName: def.name }),
      );
      expect(StreamDescriptionSummary?.OpenShardCount, def.name).toBe(def.shards);
    }
    const actual = stack.mappings.map(({ settings: s }) => ({
      stream: s.streamName,
      function: s.functionName,
      startingPosition: s.startingPosition,
      batchSize: s.batchSize,
      maximumBatchingWindowSeconds: s.maximumBatchingWindowSeconds,
      parallelizationFactor: s.parallelizationFactor,
      bisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
      reportBatchItemFailures: s.reportBatchItemFailures,
      maximumRetryAttempts: s.maximumRetryAttempts,
      onFailureDir: s.onFailureDir,
    }));
    // Locally every failure destination is the function's folder of the data dir (where the dashboard replays).
    expect(actual.sort(byJson)).toEqual(
      TOPOLOGY.streamMappings
        .map(({ onFailure: _, ...m }) => ({ ...m, onFailureDir: failureDestinationDir(dataDir, m.function) }))
        .sort(byJson),
    );
    for (const m of TOPOLOGY.streamMappings) expect(TOPOLOGY.resources.failureDestinations).toContain(m.onFailure);
  });

  it('has the delivery streams with their source, buffering, prefixes, compression and transform', async () => {
    const { DeliveryStreamNames } = await firehose.send(new ListDeliveryStreamsCommand({}));
    expect([...(DeliveryStreamNames ?? [])].sort()).toEqual(TOPOLOGY.deliveryStreams.map((d) => d.name).sort());
    for (const def of TOPOLOGY.deliveryStreams) {
      const { DeliveryStreamDescription: d } = await firehose.send(
        new DescribeDeliveryStreamCommand({ DeliveryStreamName: def.name }),
      );
      expect(d?.Source?.KinesisStreamSourceDescription?.KinesisStreamARN).toMatch(new RegExp(`:stream/${def.source}$`));
      const s3 = d?.Destinations?.[0]?.ExtendedS3DestinationDescription;
      expect(s3?.BucketARN).toBe(`arn:aws:s3:::${TOPOLOGY.resources.bucket.name}`);
      expect(s3?.Prefix).toBe(def.prefix);
      expect(s3?.ErrorOutputPrefix).toBe(def.errorOutputPrefix);
      expect(s3?.BufferingHints).toEqual({
        // Deliveries show up within seconds locally; the topology's intervals are AWS's.
        IntervalInSeconds: LOCAL_DELIVERY_BUFFER_SECONDS,
        SizeInMBs: def.buffering.sizeMiB,
      });
      expect(s3?.CompressionFormat).toBe(def.compression);
      const processors = s3?.ProcessingConfiguration?.Processors ?? [];
      if (!def.transform) {
        expect(s3?.ProcessingConfiguration?.Enabled ?? false).toBe(false);
        continue;
      }
      expect(s3?.ProcessingConfiguration?.Enabled).toBe(true);
      const param = (name: string) => processors[0]?.Parameters?.find((p) => p.ParameterName === name)?.ParameterValue;
      expect(functionNameFromArn(param('LambdaArn') ?? '')).toBe(def.transform.function);
      expect(Number(param('BufferIntervalInSeconds'))).toBe(LOCAL_DELIVERY_BUFFER_SECONDS);
      expect(Number(param('BufferSizeInMBs'))).toBe(def.transform.bufferSizeMiB);
    }
  });

  it('serves every route of the topology (and nothing else) with the usage plan', async () => {
    expect(
      stack.api.routes.map((r) => ({ method: r.method, path: r.path, function: r.functionName })).sort(byJson),
    ).toEqual(
      TOPOLOGY.api.routes
        .map((r) => ({ method: r.method, path: `/${TOPOLOGY.api.stage}${r.path}`, function: r.function }))
        .sort(byJson),
    );
    expect(stack.api.usagePlan).toEqual(TOPOLOGY.api.usagePlan);
    for (const fn of TOPOLOGY.functions) expect(stack.invoker.has(fn.name), fn.name).toBe(true);
    // Each route reaches its function (a function's own answer, not the gateway's 403 for an unknown path).
    for (const route of TOPOLOGY.api.routes) {
      const path = route.path
        .replace('{bucket}', 'no-such-bucket')
        .replace('{object+}', 'a/b/c.jpg')
        .replace('{imageId}', 'x.jpg');
      const response = await fetch(`${stack.api.url}/${TOPOLOGY.api.stage}${path}`, {
        method: route.method,
        headers: { 'x-api-key': KEY },
      });
      expect(response.headers.get('x-amzn-errortype'), `${route.method} ${route.path}`).toBeNull();
      await response.arrayBuffer();
    }
    const unknown = await fetch(`${stack.api.url}/${TOPOLOGY.api.stage}/nothing-here`, {
      headers: { 'x-api-key': KEY },
    });
    expect(unknown.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
