// What the containers target provisions beyond the shared local provisioning (provision.ts): the S3 event queue
// with its dead-letter queue (S3 notifies it; the runtime long-polls it), and the CloudSearch domain with its schema
// (the kit's emulators container answers the configuration API but starts empty). Idempotent, as every start runs it.
import {
  type CloudSearchClient,
  CreateDomainCommand,
  DefineIndexFieldCommand,
  DescribeDomainsCommand,
  DescribeIndexFieldsCommand,
  IndexDocumentsCommand,
} from '@aws-sdk/client-cloudsearch';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { definitionOrder, loadDomainSchema } from '../domain/cloudsearch-schema.js';
import { functionDef, TOPOLOGY, type Topology } from '../topology/index.js';
import { bucketNotificationConfiguration, localArns, provisionTopology } from './provision.js';

export interface ProvisionClients {
  s3: S3Client;
  sqs: SQSClient;
  kinesis: KinesisClient;
  firehose: FirehoseClient;
  cloudsearch: CloudSearchClient;
  region: string;
}

export interface ProvisionOptions {
  /** Firehose buffering interval (default LOCAL_DELIVERY_BUFFER_SECONDS; the topology's are AWS's). */
  deliveryBufferSeconds?: number;
  topology?: Topology;
  log?: (line: string) => void;
}

export interface Provisioned {
  queueUrl: string;
  deadLetterQueueUrl: string;
}

export async function provisionContainersResources(
  clients: ProvisionClients,
  options: ProvisionOptions = {},
): Promise<Provisioned> {
  const topology: Topology = options.topology ?? TOPOLOGY;
  const log = options.log ?? (() => {});
  const arns = localArns(clients.region);
  const bucket = topology.resources.bucket.name;
  const { name: queue, deadLetterName, maxReceives } = topology.resources.s3EventQueue;
  const deadLetterQueueUrl = await ensureQueue(clients.sqs, deadLetterName, { MessageRetentionPeriod: '1209600' });
  const deadLetterArn = await queueArn(clients.sqs, deadLetterQueueUrl);
  // Visibility: the slowest S3-triggered function may run this long before its message could be seen again.
  const longest = Math.max(...topology.s3Triggers.map((t) => functionDef(t.function, topology).timeoutSeconds));
  const queueUrl = await ensureQueue(clients.sqs, queue, {
    VisibilityTimeout: String(longest),
    ReceiveMessageWaitTimeSeconds: '20',
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: maxReceives }),
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arns.queue(queue),
          Condition: { ArnLike: { 'aws:SourceArn': arns.bucket(bucket) } },
        },
      ],
    }),
  });
  log(`S3 events of ${bucket} → SQS ${queue} (dead letters: ${deadLetterName})`);
  await provisionTopology(clients, arns, topology, {
    notifications: bucketNotificationConfiguration(arns, topology, { queueArn: await queueArn(clients.sqs, queueUrl) }),
    bufferIntervalSeconds: options.deliveryBufferSeconds,
    log,
  });

  await ensureCloudSearchDomain(clients.cloudsearch, topology.resources.cloudSearchDomain.schema);
  log(`CloudSearch domain ${topology.resources.cloudSearchDomain.name}`);
  return { queueUrl, deadLetterQueueUrl };
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
  const missing = definitionOrder(schema).filter((d) => !existing.has(d.IndexFieldName));
  for (const field of missing) {
    await cloudsearch.send(new DefineIndexFieldCommand({ DomainName: domain, IndexField: field as never }));
  }
  if (missing.length > 0) await cloudsearch.send(new IndexDocumentsCommand({ DomainName: domain }));
}
