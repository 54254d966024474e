import { describe, expect, it } from 'vitest';
import { needsVpc, TOPOLOGY } from '../../src/topology/index.js';
import { firstRef, functionNames, type Json, refOf, resourcesOfType, stackTemplate } from '../infra/template.js';

/**
 * The aws target wires exactly the topology: the synthesized template, read back resource by resource, against an
 * independent walk of the topology (nothing here calls the code that built the stack).
 */
const { json } = stackTemplate();
const names = functionNames(json);
const streamNames = new Map(
  resourcesOfType(json, 'AWS::Kinesis::Stream').map(([id, r]) => [id, r.Properties.Name as string]),
);
const fnOf = (value: Json) => names.get(firstRef(value) ?? '') ?? `?${JSON.stringify(value)}`;

describe('the CDK stack is the topology', () => {
  it('has exactly the topology functions, with their memory, timeout, environment and VPC placement', () => {
    const functions = resourcesOfType(json, 'AWS::Lambda::Function').filter(([id]) => names.has(id));
    expect([...names.values()].sort()).toEqual(TOPOLOGY.functions.map((f) => f.name).sort());
    for (const [id, resource] of functions) {
      const fn = TOPOLOGY.functions.find((f) => f.name === names.get(id))!;
      const p = resource.Properties;
      expect(p.Runtime, fn.name).toBe('nodejs22.x');
      expect(p.Handler).toBe('index.handler');
      expect(p.MemorySize, fn.name).toBe(fn.memoryMb);
      expect(p.Timeout, fn.name).toBe(fn.timeoutSeconds);
      const expected = fn.environment.filter((v) => v !== 'OPENSEARCH_REFRESH' && v !== 'PERSONALIZE_CAMPAIGN_ARN');
      expect(Object.keys(p.Environment?.Variables ?? {}).sort(), fn.name).toEqual([...expected].sort());
      expect(Boolean(p.VpcConfig), `${fn.name} in the VPC`).toBe(needsVpc(fn));
      expect(p.Architectures, fn.name).toEqual([fn.nativeModules?.length ? 'x86_64' : 'arm64']);
    }
  });

  it('passes Redis only to the functions in the VPC that use it, and the bucket name from the stack', () => {
    for (const [id, resource] of resourcesOfType(json, 'AWS::Lambda::Function').filter(([i]) => names.has(i))) {
      const fn = TOPOLOGY.functions.find((f) => f.name === names.get(id))!;
      const variables = resource.Properties.Environment?.Variables ?? {};
      if ('REDIS_URL' in variables) {
        expect(needsVpc(fn) && (fn.ports.includes('status') || fn.ports.includes('cache')), fn.name).toBe(true);
      }
      if ('OCTEMBER_BUCKET' in variables) expect(refOf(variables.OCTEMBER_BUCKET)).toMatch(/^Bucket/);
    }
  });

  it('declares every route with the local paths, an API key on every method, and the usage plan', () => {
    const resources = new Map(resourcesOfType(json, 'AWS::ApiGateway::Resource'));
    const pathOf = (id: string | undefined): string => {
      if (!id || !resources.has(id)) return '';
      const r = resources.get(id)!.Properties;
      return `${pathOf(refOf(r.ParentId))}/${r.PathPart}`;
    };
    const methods = resourcesOfType(json, 'AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    const routes = methods
      .filter((m) => m.HttpMethod !== 'OPTIONS')
      .map((m) => ({ method: m.HttpMethod, path: pathOf(refOf(m.ResourceId)), function: fnOf(m.Integration.Uri) }));
    expect(routes.sort(byJson)).toEqual(
      TOPOLOGY.api.routes.map((r) => ({ method: r.method, path: r.path, function: r.function })).sort(byJson),
    );
    for (const m of methods) expect(m.ApiKeyRequired).toBe(true);
    const [[, stage]] = resourcesOfType(json, 'AWS::ApiGateway::Stage');
    expect(stage.Properties.StageName).toBe(TOPOLOGY.api.stage);
    const [[, plan]] = resourcesOfType(json, 'AWS::ApiGateway::UsagePlan');
    const { throttle, quota } = TOPOLOGY.api.usagePlan;
    expect(plan.Properties.Throttle).toEqual({ RateLimit: throttle.rateLimit, BurstLimit: throttle.burstLimit });
    expect(plan.Properties.Quota).toEqual({ Limit: quota.limit, Period: quota.period });
    expect(resourcesOfType(json, 'AWS::ApiGateway::UsagePlanKey')).toHaveLength(1);
    const [[, api]] = resourcesOfType(json, 'AWS::ApiGateway::RestApi');
    expect(api.Properties.BinaryMediaTypes).toEqual([...TOPOLOGY.api.binaryMediaTypes]);
  });

  it('has one S3 notification per trigger, event and suffix, with its filter', () => {
    const [[, notifications]] = resourcesOfType(json, 'Custom::S3BucketNotifications');
    // CDK writes one configuration per event type; compare (function, event, prefix, suffix) tuples.
    const actual = (notifications.Properties.NotificationConfiguration.LambdaFunctionConfigurations as Json[]).flatMap(
      (c) =>
        (c.Events as string[]).map((event) => ({
          function: fnOf(c.LambdaFunctionArn),
          event,
          rules: Object.fromEntries(c.Filter.Key.FilterRules.map((r: Json) => [r.Name.toLowerCase(), r.Value])),
        })),
    );
    const expected = TOPOLOGY.s3Triggers.flatMap((t) =>
      t.suffixes.flatMap((suffix) =>
        t.events.map((event) => ({ function: t.function, event, rules: { prefix: t.prefix, suffix } })),
      ),
    );
    expect(actual.sort(byJson)).toEqual(expected.sort(byJson));
  });

  it('maps each stream to its functions with the topology settings', () => {
    const queues = new Map(resourcesOfType(json, 'AWS::SQS::Queue').map(([id, r]) => [id, r.Properties.QueueName]));
    const actual = resourcesOfType(json, 'AWS::Lambda::EventSourceMapping').map(([, m]) => {
      const p = m.Properties;
      return {
        stream: streamNames.get(refOf(p.EventSourceArn) ?? ''),
        function: fnOf(p.FunctionName),
        startingPosition: p.StartingPosition,
        batchSize: p.BatchSize,
        maximumBatchingWindowSeconds: p.MaximumBatchingWindowInSeconds,
        parallelizationFactor: p.ParallelizationFactor,
        bisectBatchOnFunctionError: p.BisectBatchOnFunctionError,
        reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
        maximumRetryAttempts: p.MaximumRetryAttempts,
        onFailure: (queues.get(refOf(p.DestinationConfig.OnFailure.Destination) ?? '') as string).replace(
          /^octember-/,
          '',
        ),
      };
    });
    expect(actual.sort(byJson)).toEqual([...TOPOLOGY.streamMappings].map((m) => ({ ...m })).sort(byJson));
    // A non-default ParallelizationFactor is among them, so the comparison covers it.
    expect(actual.some((m) => m.parallelizationFactor > 1)).toBe(true);
  });

  it('has the delivery streams with their source, buffering, prefixes, compression and transform', () => {
    const actual = resourcesOfType(json, 'AWS::KinesisFirehose::DeliveryStream').map(([, d]) => {
      const p = d.Properties;
      const s3 = p.ExtendedS3DestinationConfiguration;
      const processor = s3.ProcessingConfiguration?.Processors?.[0];
      const param = (name: string) => processor?.Parameters.find((x: Json) => x.ParameterName === name)?.ParameterValue;
      return {
        name: p.DeliveryStreamName,
        source: streamNames.get(refOf(p.KinesisStreamSourceConfiguration.KinesisStreamARN) ?? ''),
        bucket: refOf(s3.BucketARN),
        buffering: { intervalSeconds: s3.BufferingHints.IntervalInSeconds, sizeMiB: s3.BufferingHints.SizeInMBs },
        prefix: s3.Prefix,
        errorOutputPrefix: s3.ErrorOutputPrefix,
        compression: s3.CompressionFormat ?? 'UNCOMPRESSED',
        ...(processor
          ? {
              transform: {
                function: fnOf(param('LambdaArn')),
                bufferIntervalSeconds: Number(param('BufferIntervalInSeconds')),
                bufferSizeMiB: Number(param('BufferSizeInMBs')),
              },
            }
          : {}),
      };
    });
    const expected = TOPOLOGY.deliveryStreams.map((d) => ({ ...d, bucket: expect.stringMatching(/^Bucket/) }));
    expect(actual.sort(byName)).toEqual(expected.sort(byName));
  });

  it('creates the topology streams and failure destinations', () => {
    expect([...streamNames.values()].sort()).toEqual(TOPOLOGY.resources.streams.map((s) => s.name).sort());
    const queues = resourcesOfType(json, 'AWS::SQS::Queue').map(([, q]) => q.Properties.QueueName);
    expect(queues.sort()).toEqual(TOPOLOGY.resources.failureDestinations.map((d) => `octember-${d}`).sort());
  });
});

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}
function byName(a: { name: string }, b: { name: string }): number {
  return a.name.localeCompare(b.name);
}
