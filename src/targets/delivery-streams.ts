import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import {
  BUCKET,
  EVENTS_DELIVERY_STREAM,
  EVENTS_STREAM,
  INTERACTIONS_PREFIX,
  TEXT_BACKUP_PREFIX,
  TEXT_DELIVERY_STREAM,
  TEXT_STREAM,
} from '../domain/names.js';
import { FUNCTIONS, lambdaArn } from '../infra/functions.js';
import type { Adapters } from './adapters.js';

const ROLE = 'arn:aws:iam::000000000000:role/octember-firehose';
const streamArn = (name: string) => `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`;

/** The two delivery streams of DESIGN.md, created through the Firehose API as the CDK app declares them. */
export async function createDeliveryStreams(edge: string, adapters: Adapters): Promise<void> {
  const firehose = new FirehoseClient({ ...adapters.clientConfig, endpoint: edge });
  const create = (input: ConstructorParameters<typeof CreateDeliveryStreamCommand>[0]) =>
    firehose.send(new CreateDeliveryStreamCommand(input)).catch((error: Error) => {
      if (error.name !== 'ResourceInUseException') throw error;
    });
  try {
    await create({
      DeliveryStreamName: TEXT_DELIVERY_STREAM,
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn(TEXT_STREAM), RoleARN: ROLE },
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${BUCKET}`,
        RoleARN: ROLE,
        Prefix: `${TEXT_BACKUP_PREFIX}!{timestamp:yyyy/MM/dd/HH}/`,
        ErrorOutputPrefix: `${TEXT_BACKUP_PREFIX}errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
      },
    });
    await create({
      DeliveryStreamName: EVENTS_DELIVERY_STREAM,
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn(EVENTS_STREAM), RoleARN: ROLE },
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${BUCKET}`,
        RoleARN: ROLE,
        Prefix: `${INTERACTIONS_PREFIX}!{timestamp:yyyy/MM/dd/HH}/`,
        ErrorOutputPrefix: `${INTERACTIONS_PREFIX}errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/`,
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            {
              Type: 'Lambda',
              Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn(FUNCTIONS.kplDeaggregate.name) }],
            },
          ],
        },
      },
    });
  } finally {
    firehose.destroy();
  }
}
