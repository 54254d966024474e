import {
  CreateDeliveryStreamCommand,
  type CreateDeliveryStreamInput,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand,
  type Event,
  type LambdaFunctionConfiguration,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { TOPOLOGY } from '../topology/index.js';
import type { Topology } from '../topology/types.js';

/** ARNs of the local account: functions, streams, the bucket and the role Firehose assumes. */
export interface LocalArns {
  function(name: string): string;
  stream(name: string): string;
  bucket(name: string): string;
  firehoseRole: string;
}

export function localArns(region = 'us-east-1', account = '000000000000'): LocalArns {
  return {
    function: (name) => `arn:aws:lambda:${region}:${account}:function:${name}`,
    stream: (name) => `arn:aws:kinesis:${region}:${account}:stream/${name}`,
    bucket: (name) => `arn:aws:s3:::${name}`,
    firehoseRole: `arn:aws:iam::${account}:role/octember-firehose`,
  };
}

/** The bucket's notification configuration: one Lambda configuration per trigger and suffix (S3 suffixes are case-sensitive). */
export function bucketNotificationConfiguration(
  arns: LocalArns,
  topology: Topology = TOPOLOGY,
): NotificationConfiguration {
  const configurations: LambdaFunctionConfiguration[] = [];
  for (const trigger of topology.s3Triggers) {
    for (const suffix of trigger.suffixes) {
      configurations.push({
        Id: `${trigger.id}${suffix}`,
        LambdaFunctionArn: arns.function(trigger.function),
        Events: [...trigger.events] as Event[],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'prefix', Value: trigger.prefix },
              { Name: 'suffix', Value: suffix },
            ],
          },
        },
      });
    }
  }
  return { LambdaFunctionConfigurations: configurations };
}

/** CreateDeliveryStream inputs for the topology's delivery streams (Kinesis source, S3 destination, transform). */
export function deliveryStreamInputs(arns: LocalArns, topology: Topology = TOPOLOGY): CreateDeliveryStreamInput[] {
  const bucket = topology.resources.bucket.name;
  return topology.deliveryStreams.map((d) => ({
    DeliveryStreamName: d.name,
    DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: { KinesisStreamARN: arns.stream(d.source), RoleARN: arns.firehoseRole },
    ExtendedS3DestinationConfiguration: {
      BucketARN: arns.bucket(bucket),
      RoleARN: arns.firehoseRole,
      Prefix: d.prefix,
      ErrorOutputPrefix: d.errorOutputPrefix,
      BufferingHints: { IntervalInSeconds: d.buffering.intervalSeconds, SizeInMBs: d.buffering.sizeMiB },
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
                      ParameterValue: String(d.transform.bufferIntervalSeconds),
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

/** The bucket with its notifications and the streams, created through the AWS APIs; idempotent. */
export async function provisionBucketAndStreams(
  clients: { s3: S3Client; kinesis: KinesisClient },
  arns: LocalArns,
  topology: Topology = TOPOLOGY,
): Promise<void> {
  const Bucket = topology.resources.bucket.name;
  await clients.s3.send(new CreateBucketCommand({ Bucket })).catch(ignore('BucketAlreadyOwnedByYou'));
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket,
      NotificationConfiguration: bucketNotificationConfiguration(arns, topology),
    }),
  );
  await Promise.all(
    topology.resources.streams.map(async ({ name: StreamName, shards }) => {
      await clients.kinesis
        .send(new CreateStreamCommand({ StreamName, ShardCount: shards }))
        .catch(ignore('ResourceInUseException'));
      for (let attempt = 0; attempt < 100; attempt++) {
        const { StreamDescriptionSummary } = await clients.kinesis.send(
          new DescribeStreamSummaryCommand({ StreamName }),
        );
        if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`stream ${StreamName} did not become ACTIVE`);
    }),
  );
}

export async function provisionDeliveryStreams(
  firehose: FirehoseClient,
  arns: LocalArns,
  topology: Topology = TOPOLOGY,
): Promise<void> {
  for (const input of deliveryStreamInputs(arns, topology)) {
    await firehose.send(new CreateDeliveryStreamCommand(input)).catch(ignore('ResourceInUseException'));
  }
}

function ignore(errorName: string) {
  return (error: unknown) => {
    if ((error as Error).name !== errorName) throw error;
  };
}
