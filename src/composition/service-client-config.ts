import type { AwsClientSettings, AwsService } from './types.js';

/** The SDK's per-service endpoint variable of each service (its service id, upper-cased, spaces as `_`). */
export const SERVICE_ENDPOINT_VARIABLES: Record<AwsService, string> = {
  s3: 'AWS_ENDPOINT_URL_S3',
  sqs: 'AWS_ENDPOINT_URL_SQS',
  kinesis: 'AWS_ENDPOINT_URL_KINESIS',
  firehose: 'AWS_ENDPOINT_URL_FIREHOSE',
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
  textract: 'AWS_ENDPOINT_URL_TEXTRACT',
  cloudsearch: 'AWS_ENDPOINT_URL_CLOUDSEARCH',
  personalize: 'AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME',
};

type ClientSettings = Omit<AwsClientSettings, 'forcePathStyle'> & { forcePathStyle?: boolean };

/** The SDK client settings of one service: the shared ones, with the service's own endpoint when it has one. */
export function serviceClientConfig(
  aws: ClientSettings,
  service: AwsService,
): Pick<AwsClientSettings, 'region' | 'endpoint' | 'credentials'> {
  const { serviceEndpoints, endpoint, forcePathStyle: _, ...shared } = aws;
  const own = serviceEndpoints?.[service] ?? endpoint;
  return { ...shared, ...(own ? { endpoint: own } : {}) };
}
