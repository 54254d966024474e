/** What `octember emulate --services` accepts. */
export const SERVICE_NAMES = [
  's3',
  'sqs',
  'kinesis',
  'firehose',
  'textract',
  'cloudsearch',
  'opensearch',
  'gremlin',
  'redis',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];
