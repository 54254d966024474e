// Provisions, idempotently, what the pipelines need on external services, from the topology: the bucket with its
// S3 → SQS notification configuration and queues, the streams, the delivery streams, the OpenSearch index and the
// CloudSearch domain with its schema. Safe to run on every start: what exists is left as it is.
import {
  type CloudSearchClient,
  CreateDomainCommand,
  DefineIndexFieldCommand,
  DescribeDomainsCommand,
  DescribeIndexFieldsCommand,
  IndexDocumentsCommand,
} from '@aws-sdk/client-cloudsearch';
import { CreateDeliveryStreamCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import {
  CreateBucketCommand,
  PutBucketNotificationConfigurationCommand,
  type QueueConfiguration,
  type S3Client,
  type Event as S3Event,
} from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { loadDomainSchema } from '../domain/cloudsearch-schema.js';
import { functionDef, TOPOLOGY, type Topology } from '../topology/index.js';

export const LOCAL_ACCOUNT = '000000000000';
/** Receives before an S3 event moves to the dead-letter queue (S3's asynchronous invoke: 1 try + 2 retries). */
export const S3_EVENT_MAX_RECEIVES = 3;

/** The queue S3 events reach the runtime through (the containers target's bridge for S3 → Lambda). */
export function s3EventQueueNames(topology: Topology = TOPOLOGY): { queue: string; deadLetter: string } {
  const queue = `${topology.resources.bucket.name}-s3-events`;
  return { queue, deadLetter: `${queue}-dlq` };
}

/** One notification configuration per trigger and suffix (S3 matches suffixes case-sensitively); id → function. */
export function s3EventConfigurations(
  queueArn: string,
  topology: Topology = TOPOLOGY,
): { configurations: QueueConfiguration[]; functionById: Map<string, string> } {
  const configurations: QueueConfiguration[] = [];
  const functionById = new Map<string, string>();
  for (const trigger of topology.s3Triggers) {
    for (const suffix of trigger.suffixes) {
      const id = `${trigger.id}${suffix}`;
      functionById.set(id, trigger.function);
      configurations.push({
        Id: id,
        QueueArn: queueArn,
        Events: [...trigger.events] as S3Event[],
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
  return { configurations, functionById };
}

export interface ProvisionClients {
  s3: S3Client;
  sqs: SQSClient;
  kinesis: KinesisClient;
  firehose: FirehoseClient;
  cloudsearch: CloudSearchClient;
  region: string;
}

export interface ProvisionOptions {
  /** Firehose buffering interval locally (the topology's is AWS's; locally deliveries should show up soon). */
  deliveryBufferSeconds?: number;
  topology?: Topology;
  log?: (line: string) => void;
}

export interface Provisioned {
  queueUrl: string;
  deadLetterQueueUrl: string;
  /** Notification configuration id → function. */
  functionById: Map<string, string>;
}

export async function provisionContainersResources(
  clients: ProvisionClients,
  options: ProvisionOptions = {},
): Promise<Provisioned> {
  const topology: Topology = options.topology ?? TOPOLOGY;
  const log = options.log ?? (() => {});
  const bucket = topology.resources.bucket.name;
  await clients.s3
    .send(new CreateBucketCommand({ Bucket: bucket }))
    .catch(ignore('BucketAlreadyOwnedByYou', 'BucketAlreadyExists'));
  log(`bucket ${bucket}`);

  const { queue, deadLetter } = s3EventQueueNames(topology);
  const deadLetterQueueUrl = await ensureQueue(clients.sqs, deadLetter, { MessageRetentionPeriod: '1209600' });
  const deadLetterArn = await queueArn(clients.sqs, deadLetterQueueUrl);
  const queueArnGuess = `arn:aws:sqs:${clients.region}:${LOCAL_ACCOUNT}:${queue}`;
  // Visibility: the slowest S3-triggered function may run this long before its message could be seen again.
  const longest = Math.max(...topology.s3Triggers.map((t) => functionDef(t.function, topology).timeoutSeconds));
  const queueUrl = await ensureQueue(clients.sqs, queue, {
    VisibilityTimeout: String(longest),
    ReceiveMessageWaitTimeSeconds: '20',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: S3_EVENT_MAX_RECEIVES }),
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: queueArnGuess,
          Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${bucket}` } },
        },
      ],
    }),
  });
  const arn = await queueArn(clients.sqs, queueUrl);
  const { configurations, functionById } = s3EventConfigurations(arn, topology);
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { QueueConfigurations: configurations },
    }),
  );
  log(`S3 events of ${bucket} → SQS ${queue} (dead letters: ${deadLetter})`);

  await Promise.all(topology.resources.streams.map((s) => ensureStream(clients.kinesis, s.name, s.shards)));
  log(`streams ${topology.resources.streams.map((s) => s.name).join(', ')}`);

  for (const stream of topology.deliveryStreams) {
    const transform = stream.transform;
    await clients.firehose
      .send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: stream.name,
          DeliveryStreamType: 'KinesisStreamAsSource',
          KinesisStreamSourceConfiguration: {
            KinesisStreamARN: `arn:aws:kinesis:${clients.region}:${LOCAL_ACCOUNT}:stream/${stream.source}`,
            RoleARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/octember-firehose`,
          },
          ExtendedS3DestinationConfiguration: {
            BucketARN: `arn:aws:s3:::${bucket}`,
            RoleARN: `arn:aws:iam::${LOCAL_ACCOUNT}:role/octember-firehose`,
            Prefix: stream.prefix,
            ErrorOutputPrefix: stream.errorOutputPrefix,
            CompressionFormat: stream.compression,
            BufferingHints: {
              IntervalInSeconds: options.deliveryBufferSeconds ?? stream.buffering.intervalSeconds,
              SizeInMBs: stream.buffering.sizeMiB,
            },
            ...(transform
              ? {
                  ProcessingConfiguration: {
                    Enabled: true,
                    Processors: [
                      {
                        Type: 'Lambda',
                        Parameters: [
                          {
                            ParameterName: 'LambdaArn',
                            ParameterValue: `arn:aws:lambda:${clients.region}:${LOCAL_ACCOUNT}:function:${transform.function}`,
                          },
                          { ParameterName: 'BufferSizeInMBs', ParameterValue: String(transform.bufferSizeMiB) },
                          {
                            ParameterName: 'BufferIntervalInSeconds',
                            ParameterValue: String(options.deliveryBufferSeconds ?? transform.bufferIntervalSeconds),
                          },
                        ],
                      },
                    ],
                  },
                }
              : {}),
          },
        }),
      )
      .catch(ignore('ResourceInUseException'));
  }
  log(`delivery streams ${topology.deliveryStreams.map((d) => d.name).join(', ')}`);

  await ensureCloudSearchDomain(clients.cloudsearch, topology.resources.cloudSearchDomain.schema);
  log(`CloudSearch domain ${topology.resources.cloudSearchDomain.name}`);
  return { queueUrl, deadLetterQueueUrl, functionById };
}

async function ensureQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  try {
    const out = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: out.QueueUrl, Attributes: attributes }));
    return out.QueueUrl as string;
  } catch (error) {
    if ((error as Error).name !== 'QueueDoesNotExist') throw error;
  }
  const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return created.QueueUrl as string;
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = out.Attributes?.QueueArn;
  if (!arn) throw new Error(`queue ${url} has no QueueArn`);
  return arn;
}

async function ensureStream(kinesis: KinesisClient, name: string, shards: number): Promise<void> {
  await kinesis
    .send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }))
    .catch(ignore('ResourceInUseException'));
  // LocalStack's kinesis-mock takes a moment (KINESIS_LATENCY) before a new stream is ACTIVE.
  for (let attempt = 0; attempt < 300; attempt++) {
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`stream ${name} did not become ACTIVE`);
}

/** CreateDomain when missing, DefineIndexField for each schema field the domain lacks, then IndexDocuments. */
async function ensureCloudSearchDomain(cloudsearch: CloudSearchClient, schemaFile: string): Promise<void> {
  const schema = loadDomainSchema(new URL(`../../${schemaFile}`, import.meta.url));
  const domain = schema.domainName;
  const described = await cloudsearch.send(new DescribeDomainsCommand({ DomainNames: [domain] }));
  if (!described.DomainStatusList?.some((d) => d.DomainName === domain && !d.Deleted)) {
    await cloudsearch.send(new CreateDomainCommand({ DomainName: domain }));
  }
  const fields = await cloudsearch.send(new DescribeIndexFieldsCommand({ DomainName: domain }));
  const existing = new Set((fields.IndexFields ?? []).map((f) => f.Options?.IndexFieldName));
  const missing = schema.definitions.filter((d) => !existing.has(d.IndexFieldName));
  for (const field of missing) {
    await cloudsearch.send(new DefineIndexFieldCommand({ DomainName: domain, IndexField: field as never }));
  }
  if (missing.length > 0) await cloudsearch.send(new IndexDocumentsCommand({ DomainName: domain }));
}

function ignore(...names: string[]) {
  return (error: unknown) => {
    if (!names.includes((error as Error).name)) throw error;
  };
}
