import type { KinesisStreamEvent } from 'aws-lambda';
import { kinesisStreamRecord } from '../../src/runtime/kinesis-records.js';

let sequence = 0;

/**
 * A Kinesis event as the event source mapping builds it. Payloads are sent as given (bytes, strings) or as JSON;
 * sequence numbers grow across calls, as on a real shard.
 */
export function kinesisEvent(payloads: unknown[], stream = 'octember-bizcard-txt'): KinesisStreamEvent {
  return {
    Records: payloads.map((payload, index) =>
      kinesisStreamRecord({
        shardId: 'shardId-000000000000',
        sequenceNumber: String(++sequence).padStart(20, '0'),
        partitionKey: `pk-${index}`,
        data:
          payload instanceof Uint8Array
            ? payload
            : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
        streamArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
        region: 'us-east-1',
        functionName: 'test',
      }),
    ),
  };
}
