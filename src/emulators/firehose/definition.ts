import { AwsError } from '../aws-errors/index.js';
import { hasExpressions, validatePrefix } from './s3-keys.js';

export const ACCOUNT_ID = '000000000000';

/** What the emulator keeps of a delivery stream (persisted as JSON). */
export interface DeliveryStreamDefinition {
  name: string;
  arn: string;
  type: 'DirectPut' | 'KinesisStreamAsSource';
  createdAt: number;
  versionId: number;
  source?: { kinesisStreamArn: string; streamName: string; roleArn?: string };
  destination: {
    roleArn?: string;
    bucketArn: string;
    bucket: string;
    prefix: string;
    errorOutputPrefix?: string;
    sizeInMBs: number;
    intervalInSeconds: number;
    compression: 'UNCOMPRESSED' | 'GZIP';
    processor?: {
      lambdaArn: string;
      functionName: string;
      numberOfRetries: number;
      bufferSizeInMBs: number;
      /** The processor's parameters as given, echoed by DescribeDeliveryStream. */
      parameters: { ParameterName: string; ParameterValue: string }[];
    };
    /** The configuration as given (minus what is modelled above), echoed back by DescribeDeliveryStream. */
    raw: Record<string, unknown>;
  };
  tags?: { Key: string; Value?: string }[];
}

/** The errors the Firehose API answers (its model's shapes, AWS's common ones, the AWS JSON protocol's own). */
export type FirehoseErrorType =
  | 'InvalidArgumentException'
  | 'ValidationException'
  | 'ResourceNotFoundException'
  | 'ResourceInUseException'
  | 'LimitExceededException'
  | 'ServiceUnavailableException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'InternalFailure';

export class FirehoseError extends AwsError<FirehoseErrorType> {
  /** The `__type` the SDK turns into its exception class. */
  get type(): FirehoseErrorType {
    return this.code;
  }
}

const invalid = (message: string) => new FirehoseError('InvalidArgumentException', message);
const validation = (message: string) =>
  new FirehoseError('ValidationException', `1 validation error detected: ${message}`);

const NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

export function validateStreamName(name: unknown, member = 'deliveryStreamName'): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw validation(
      `Value '${String(name)}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and length 1..64`,
    );
  }
  return name;
}

function bucketFromArn(arn: unknown): string {
  const match = typeof arn === 'string' ? /^arn:[^:]+:s3:::([^/]+)$/.exec(arn) : null;
  if (!match) throw invalid(`BucketARN ${String(arn)} is not a valid S3 bucket ARN (arn:aws:s3:::bucket)`);
  return match[1];
}

/** arn:aws:lambda:region:account:function:name[:qualifier] → name (the local runtime registers plain names). */
export function functionNameFromArn(arn: string): string {
  const match = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(arn);
  if (match) return match[1];
  if (/^[a-zA-Z0-9_-]{1,64}$/.test(arn)) return arn;
  throw invalid(`LambdaArn ${arn} is not a valid Lambda function ARN`);
}

function streamNameFromKinesisArn(arn: unknown): string {
  const match = typeof arn === 'string' ? /^arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/([a-zA-Z0-9_.-]+)$/.exec(arn) : null;
  if (!match) throw invalid(`KinesisStreamARN ${String(arn)} is not a valid Kinesis stream ARN`);
  return match[1];
}

function intInRange(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validation(
      `Value '${String(value)}' at '${name}' failed to satisfy constraint: Member must be between ${min} and ${max}`,
    );
  }
  return value;
}

type Json = Record<string, unknown>;

function parseProcessor(config: Json | undefined): DeliveryStreamDefinition['destination']['processor'] {
  if (!config || config.Enabled === false) return undefined;
  const processors = (config.Processors ?? []) as Json[];
  if (!Array.isArray(processors)) throw invalid('ProcessingConfiguration.Processors must be a list');
  const lambda = processors.find((p) => p.Type === 'Lambda');
  for (const p of processors) {
    if (p.Type !== 'Lambda')
      throw invalid(`Processor type ${String(p.Type)} is not supported by the emulator (only Lambda)`);
  }
  if (!lambda) return undefined;
  const parameters = ((lambda.Parameters ?? []) as { ParameterName: string; ParameterValue: string }[]).map((p) => ({
    ParameterName: p.ParameterName,
    ParameterValue: p.ParameterValue,
  }));
  const param = (name: string) => parameters.find((p) => p.ParameterName === name)?.ParameterValue;
  const lambdaArn = param('LambdaArn');
  if (!lambdaArn) throw invalid('The Lambda processor requires the LambdaArn parameter');
  const retries = param('NumberOfRetries');
  const size = param('BufferSizeInMBs');
  const numberOfRetries = retries === undefined ? 3 : Number(retries);
  const bufferSizeInMBs = size === undefined ? 1 : Number(size);
  if (!Number.isInteger(numberOfRetries) || numberOfRetries < 0 || numberOfRetries > 300)
    throw invalid(`NumberOfRetries must be an integer between 0 and 300, got ${retries}`);
  if (!(bufferSizeInMBs >= 0.2 && bufferSizeInMBs <= 3))
    throw invalid(`Processor BufferSizeInMBs must be between 0.2 and 3, got ${size}`);
  return { lambdaArn, functionName: functionNameFromArn(lambdaArn), numberOfRetries, bufferSizeInMBs, parameters };
}

/** Validates a CreateDeliveryStream request into a definition (Firehose's error types and messages). */
export function parseCreateRequest(
  input: Json,
  opts: { region: string; defaultIntervalSeconds: number; now: number },
): DeliveryStreamDefinition {
  const name = validateStreamName(input.DeliveryStreamName);
  const type = (input.DeliveryStreamType ?? 'DirectPut') as string;
  if (type !== 'DirectPut' && type !== 'KinesisStreamAsSource') {
    throw invalid(`DeliveryStreamType ${type} is not supported by the emulator (DirectPut, KinesisStreamAsSource)`);
  }
  const sourceConfig = input.KinesisStreamSourceConfiguration as Json | undefined;
  if (type === 'KinesisStreamAsSource' && !sourceConfig) {
    throw invalid('KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource');
  }
  if (type === 'DirectPut' && sourceConfig) {
    throw invalid('KinesisStreamSourceConfiguration is only allowed when DeliveryStreamType is KinesisStreamAsSource');
  }
  const extended = input.ExtendedS3DestinationConfiguration as Json | undefined;
  const plain = input.S3DestinationConfiguration as Json | undefined;
  const config = extended ?? plain;
  if (!config) {
    const other = Object.keys(input).find((k) => k.endsWith('DestinationConfiguration'));
    throw invalid(
      other
        ? `${other} is not supported by the emulator (only S3 destinations)`
        : 'A destination configuration is required (ExtendedS3DestinationConfiguration)',
    );
  }
  const hints = (config.BufferingHints ?? {}) as Json;
  const prefix = (config.Prefix ?? '') as string;
  const errorOutputPrefix = config.ErrorOutputPrefix as string | undefined;
  const prefixError =
    validatePrefix(prefix, false) ?? (errorOutputPrefix ? validatePrefix(errorOutputPrefix, true) : undefined);
  if (prefixError) throw invalid(prefixError);
  if (hasExpressions(prefix) && !errorOutputPrefix) {
    throw invalid('ErrorOutputPrefix cannot be null or empty when Prefix contains expressions.');
  }
  const compression = (config.CompressionFormat ?? 'UNCOMPRESSED') as string;
  if (compression !== 'UNCOMPRESSED' && compression !== 'GZIP') {
    throw invalid(`CompressionFormat ${compression} is not supported by the emulator (UNCOMPRESSED, GZIP)`);
  }
  const { BufferingHints: _h, Prefix: _p, ErrorOutputPrefix: _e, CompressionFormat: _c, ...raw } = config;
  return {
    name,
    arn: `arn:aws:firehose:${opts.region}:${ACCOUNT_ID}:deliverystream/${name}`,
    type,
    createdAt: opts.now,
    versionId: 1,
    ...(sourceConfig
      ? {
          source: {
            kinesisStreamArn: sourceConfig.KinesisStreamARN as string,
            streamName: streamNameFromKinesisArn(sourceConfig.KinesisStreamARN),
            roleArn: sourceConfig.RoleARN as string | undefined,
          },
        }
      : {}),
    destination: {
      roleArn: config.RoleARN as string | undefined,
      bucketArn: config.BucketARN as string,
      bucket: bucketFromArn(config.BucketARN),
      prefix,
      ...(errorOutputPrefix ? { errorOutputPrefix } : {}),
      sizeInMBs: intInRange(hints.SizeInMBs, 'bufferingHints.sizeInMBs', 1, 128, 5),
      intervalInSeconds: intInRange(
        hints.IntervalInSeconds,
        'bufferingHints.intervalInSeconds',
        0,
        900,
        opts.defaultIntervalSeconds,
      ),
      compression,
      processor: extended ? parseProcessor(extended.ProcessingConfiguration as Json | undefined) : undefined,
      raw,
    },
    ...(Array.isArray(input.Tags) ? { tags: input.Tags as { Key: string; Value?: string }[] } : {}),
  };
}

/** The DeliveryStreamDescription of DescribeDeliveryStream. */
export function describe(def: DeliveryStreamDefinition): Json {
  const d = def.destination;
  const s3 = {
    RoleARN: d.roleArn,
    BucketARN: d.bucketArn,
    Prefix: d.prefix,
    ...(d.errorOutputPrefix ? { ErrorOutputPrefix: d.errorOutputPrefix } : {}),
    BufferingHints: { SizeInMBs: d.sizeInMBs, IntervalInSeconds: d.intervalInSeconds },
    CompressionFormat: d.compression,
    EncryptionConfiguration: (d.raw.EncryptionConfiguration as Json | undefined) ?? {
      NoEncryptionConfig: 'NoEncryption',
    },
  };
  return {
    DeliveryStreamName: def.name,
    DeliveryStreamARN: def.arn,
    DeliveryStreamStatus: 'ACTIVE',
    DeliveryStreamType: def.type,
    VersionId: String(def.versionId),
    CreateTimestamp: def.createdAt / 1000,
    ...(def.source
      ? {
          Source: {
            KinesisStreamSourceDescription: {
              KinesisStreamARN: def.source.kinesisStreamArn,
              RoleARN: def.source.roleArn,
              DeliveryStartTimestamp: def.createdAt / 1000,
            },
          },
        }
      : {}),
    Destinations: [
      {
        DestinationId: 'destinationId-000000000001',
        S3DestinationDescription: s3,
        ExtendedS3DestinationDescription: {
          ...s3,
          ProcessingConfiguration: d.processor
            ? { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: d.processor.parameters }] }
            : { Enabled: false, Processors: [] },
          S3BackupMode: (d.raw.S3BackupMode as string | undefined) ?? 'Disabled',
          ...(d.raw.CloudWatchLoggingOptions ? { CloudWatchLoggingOptions: d.raw.CloudWatchLoggingOptions } : {}),
        },
      },
    ],
    HasMoreDestinations: false,
  };
}
