import { type KinesisClient, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { EventStream, PutManyResult } from '../../ports/index.js';

/** PutRecords limits: 500 records and 5 MiB per request. */
const MAX_RECORDS_PER_REQUEST = 500;
const MAX_BYTES_PER_REQUEST = 5 * 1024 * 1024;

/** EventStream over Kinesis Data Streams. */
export function createKinesisEventStream(client: KinesisClient): EventStream {
  return {
    async put(stream, record) {
      const out = await client.send(
        new PutRecordCommand({ StreamName: stream, PartitionKey: record.partitionKey, Data: record.data }),
      );
      return { sequenceNumber: out.SequenceNumber ?? '', shardId: out.ShardId ?? '' };
    },
    async putMany(stream, records) {
      const failed: PutManyResult['failed'] = [];
      let start = 0;
      while (start < records.length) {
        let end = start;
        let bytes = 0;
        while (end < records.length && end - start < MAX_RECORDS_PER_REQUEST) {
          const size = records[end].data.byteLength + Buffer.byteLength(records[end].partitionKey);
          if (end > start && bytes + size > MAX_BYTES_PER_REQUEST) break;
          bytes += size;
          end++;
        }
        const chunk = records.slice(start, end);
        const out = await client.send(
          new PutRecordsCommand({
            StreamName: stream,
            Records: chunk.map((record) => ({ PartitionKey: record.partitionKey, Data: record.data })),
          }),
        );
        (out.Records ?? []).forEach((result, offset) => {
          if (result.ErrorCode) {
            failed.push({
              index: start + offset,
              errorCode: result.ErrorCode,
              errorMessage: result.ErrorMessage ?? '',
            });
          }
        });
        start = end;
      }
      return { failed };
    },
  };
}
