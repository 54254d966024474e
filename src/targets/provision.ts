// Provisioning of a local target from the topology, through the AWS APIs as in AWS, idempotently (what exists is
// left as it is): the bucket with its notification configuration, the streams, the delivery streams. The embedded
// target points the notifications at its functions, the containers target at its S3 event queue.
import {
  CreateDeliveryStreamCommand,
  type CreateDeliveryStreamInput,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand,
  type Event,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { LOCAL_ACCOUNT_ID } from '../runtime/lambda-context.js';
import { TOPOLOGY } from '../topology/index.js';
import type { Topology } from '../topology/types.js';

/** Firehose buffering on local targets: deliveries show up within seconds (AWS's intervals are in the topology). */
export const LOCAL_DELIVERY_BUFFER_SECONDS = 5;

/** ARNs of the local account: functions, streams, queues, the bucket and the role Firehose assumes. */
export interface LocalArns {
  function(name: string): string;
  stream(name: string): string;
  queue(name: string): string;
  bucket(name: string): string;
  firehoseRole: string;
}

export function localArns(region = 'us-east-1', account = LOCAL_ACCOUNT_ID): LocalArns {
  return {
    function: (name) => `arn:aws:lambda:${region}:${account}:function:${name}`,
    stream: (name) => `arn:aws:kinesis:${region}:${account}:stream/${name}`,
    queue: (name) => `arn:aws:sqs:${region}:${account}:${name}`,
    bucket: (name) => `arn:aws:s3:::${name}`,
    firehoseRole: `arn:aws:iam::${account}:role/octember-firehose`,
  };
}

/** One notification per trigger and suffix (S3 matches suffixes case-sensitively), with its function. */
function notifications(topology: Topology) {
  return topology.s3Triggers.flatMap((trigger) =>
    trigger.suffixes.map((suffix) => ({
      function: trigger.function,
      Id: `${trigger.id}${suffix}`,
      Events: [...trigger.events] as Event[],
      Filter: {
        Key: {
          FilterRules: [
            { Name: 'prefix' as const, Value: trigger.prefix },
            { Name: 'suffix' as const, Value: suffix },
          ],
        },
      },
    })),
  );
}

/**
 * The bucket's notification configuration: to each trigger's function (embedded), or, given `queueArn`, every
 * trigger to that queue (the containers target, where S3 cannot invoke a function on the host).
 */
export function bucketNotificationConfiguration(
  arns: LocalArns,
  topology: Topology = TOPOLOGY,
  destination: { queueArn?: string } = {},
): NotificationConfiguration {
  const configurations = notifications(topology);
  if (destination.queueArn) {
    const QueueArn = destination.queueArn;
    return { QueueConfigurations: configurations.map(({ function: _, ...c }) => ({ ...c, QueueArn })) };
  }
  return {
    LambdaFunctionConfigurations: configurations.map(({ function: fn, ...c }) => ({
      ...c,
      LambdaFunctionArn: arns.function(fn),
    })),
  };
}

/** Notification configuration id → function: which function an S3 event delivered through a queue is for. */
export function functionsByNotificationId(topology: Topology = TOPOLOGY): Map<string, string> {
  return new Map(notifications(topology).map((n) => [n.Id, n.function]));
}

/**
 * CreateDeliveryStream inputs for the topology's delivery streams (Kinesis source, S3 destination, transform);
 * `bufferIntervalSeconds` replaces the topology's intervals (local targets).
 */
function deliveryStreamInputs(
  arns: LocalArns,
  topology: Topology = TOPOLOGY,
  options: { bufferIntervalSeconds?: number } = {},
): CreateDeliveryStreamInput[] {
  const bucket = topology.resources.bucket.name;
  const interval = (seconds: number) => options.bufferIntervalSeconds ?? seconds;
  return topology.deliveryStreams.map((d) => ({
    DeliveryStreamName: d.name,
    DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: { KinesisStreamARN: arns.stream(d.source), RoleARN: arns.firehoseRole },
    ExtendedS3DestinationConfiguration: {
      BucketARN: arns.bucket(bucket),
      RoleARN: arns.firehoseRole,
      Prefix: d.prefix,
      ErrorOutputPrefix: d.errorOutputPrefix,
      BufferingHints: { IntervalInSeconds: interval(d.buffering.intervalSeconds), SizeInMBs: d.buffering.sizeMiB },
      CompressionFormat: d.compression,
      ...(d.transform
        ? {
            ProcessingConfiguration: {
              Enabled: true,
              Processors: [
                {
                  Type: 'Lambda',
                  Parameters: [
                    { ParameterName: 'LambdaArn', ParameterValue: arns.function(d.transform.function) },
                    {
                      ParameterName: 'BufferIntervalInSeconds',
                      ParameterValue: String(interval(d.transform.bufferIntervalSeconds)),
                    },
                    { ParameterName: 'BufferSizeInMBs', ParameterValue: String(d.transform.bufferSizeMiB) },
                  ],
                },
              ],
            },
          }
        : {}),
    },
  }));
}

export interface ProvisionTopologyOptions {
  /** Where the bucket notifies (default: each trigger's function; the containers target passes its queue's). */
  notifications?: NotificationConfiguration;
  /** Replaces the topology's Firehose buffering intervals (default LOCAL_DELIVERY_BUFFER_SECONDS). */
  bufferIntervalSeconds?: number;
  /** One line per kind of resource provisioned. */
  log?: (line: string) => void;
}

/**
 * What every local target provisions from the topology: the bucket with its notification configuration and the
 * streams, then the delivery streams reading them.
 */
export async function provisionTopology(
  clients: { s3: S3Client; kinesis: KinesisClient; firehose: FirehoseClient },
  arns: LocalArns,
  topology: Topology = TOPOLOGY,
  options: ProvisionTopologyOptions = {},
): Promise<void> {
  const log = options.log ?? (() => {});
  const Bucket = topology.resources.bucket.name;
  await Promise.all([
    (async () => {
      await clients.s3
        .send(new CreateBucketCommand({ Bucket }))
        .catch(ignore('BucketAlreadyOwnedByYou', 'BucketAlreadyExists'));
      const NotificationConfiguration = options.notifications ?? bucketNotificationConfiguration(arns, topology);
      await clients.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration }));
      log(`bucket ${Bucket} with its notifications`);
    })(),
    (async () => {
      await ensureStreams(clients.kinesis, topology);
      log(`streams ${topology.resources.streams.map((s) => s.name).join(', ')}`);
    })(),
  ]);
  await provisionDeliveryStreams(clients.firehose, arns, topology, {
    bufferIntervalSeconds: options.bufferIntervalSeconds ?? LOCAL_DELIVERY_BUFFER_SECONDS,
  });
  log(`delivery streams ${topology.deliveryStreams.map((d) => d.name).join(', ')}`);
}

/**
 * The topology's streams, created (what exists is left as it is) and each waited for until ACTIVE (LocalStack's
 * kinesis-mock and AWS take a moment; the kit's engine answers ACTIVE at once, so its first look returns).
 */
async function ensureStreams(kinesis: KinesisClient, topology: Topology = TOPOLOGY): Promise<void> {
  await Promise.all(
    topology.resources.streams.map(async ({ name: StreamName, shards }) => {
      await kinesis
        .send(new CreateStreamCommand({ StreamName, ShardCount: shards }))
        .catch(ignore('ResourceInUseException'));
      for (let attempt = 0; attempt < 300; attempt++) {
        const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
        if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`stream ${StreamName} did not become ACTIVE`);
    }),
  );
}

async function provisionDeliveryStreams(
  firehose: FirehoseClient,
  arns: LocalArns,
  topology: Topology = TOPOLOGY,
  options: { bufferIntervalSeconds?: number } = {},
): Promise<void> {
  await Promise.all(
    deliveryStreamInputs(arns, topology, options).map((input) =>
      firehose.send(new CreateDeliveryStreamCommand(input)).catch(ignore('ResourceInUseException')),
    ),
  );
}

function ignore(...names: string[]) {
  return (error: unknown) => {
    if (!names.includes((error as Error).name)) throw error;
  };
}
