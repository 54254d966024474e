import type { KinesisStreamRecord } from 'aws-lambda';

// Decoding is domain code (handlers use it); re-exported for the runtime's users.
export {
  type DecodedKinesisRecord,
  deaggregateKinesisPayload,
  decodeKinesisRecords,
  recordJson,
} from '../domain/kinesis-records.js';

/** One record of a Kinesis event as Lambda's event source mapping delivers it. */
export function kinesisStreamRecord(input: {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  arrival?: Date;
  streamArn: string;
  region: string;
  functionName: string;
  accountId?: string;
}): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: input.partitionKey,
      sequenceNumber: input.sequenceNumber,
      data: Buffer.from(input.data).toString('base64'),
      approximateArrivalTimestamp: (input.arrival?.getTime() ?? Date.now()) / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${input.shardId}:${input.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${input.accountId ?? '000000000000'}:role/${input.functionName}-role`,
    awsRegion: input.region,
    eventSourceARN: input.streamArn,
  };
}
