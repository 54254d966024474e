// What `octember emulate` adds so that it can stand in for the compose services of the containers target: its
// Firehose delivers into the S3 emulator, reads Kinesis through the edge, and runs Lambda processors (the
// kpl-deaggregate transform) by calling the Lambda Invoke API of the runtime that serves the functions
// (`octember dev --target containers` serves one, like `sam local start-lambda`).
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FirehoseService } from '../emulators/firehose/index.js';
import type { S3Service } from '../emulators/s3/index.js';
import { logger } from '../lib/logger.js';

/** Where the runtime of the containers target serves Lambda's Invoke API by default (SAM's start-lambda port). */
export const DEFAULT_LAMBDA_PORT = 3001;
export const DEFAULT_LAMBDA_ENDPOINT = `http://127.0.0.1:${DEFAULT_LAMBDA_PORT}`;

const LOCAL = {
  region: process.env.AWS_REGION || 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

export interface StandaloneFirehoseOptions {
  firehose: FirehoseService;
  /** The S3 emulator beside it (deliveries go straight to its store). */
  s3: S3Service;
  /** The edge, for the Kinesis sources of KinesisStreamAsSource delivery streams. */
  edgeUrl: string;
  /** Lambda Invoke API that runs the processors. */
  lambdaEndpoint: string;
}

/** Connects Firehose's destinations in a process that has no Lambda runtime of its own. Returns a closer. */
export function attachStandaloneFirehose(opts: StandaloneFirehoseOptions): () => Promise<void> {
  const kinesis = new KinesisClient({ ...LOCAL, endpoint: opts.edgeUrl, requestHandler: new NodeHttpHandler() });
  const lambda = new LambdaClient({ ...LOCAL, endpoint: opts.lambdaEndpoint });
  let warned = false;
  opts.firehose.attach({
    kinesis,
    putObject: async (bucket, key, body) => {
      await opts.s3.store.putObject(bucket, key, body);
    },
    invokeLambda: async (functionName, event) => {
      try {
        const out = await lambda.send(
          new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(event)) }),
        );
        warned = false;
        const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
        const payload = text ? (JSON.parse(text) as unknown) : undefined;
        if (out.FunctionError) {
          const message = (payload as { errorMessage?: string } | undefined)?.errorMessage ?? out.FunctionError;
          throw new Error(message);
        }
        return payload;
      } catch (error) {
        if (!warned && isConnectionError(error)) {
          warned = true;
          logger.warn(
            { lambdaEndpoint: opts.lambdaEndpoint, functionName },
            'Firehose: nothing answers at the Lambda endpoint (start `octember dev --target containers`, or set --lambda-endpoint)',
          );
        }
        throw error;
      }
    },
  });
  return async () => {
    kinesis.destroy();
    lambda.destroy();
  };
}

function isConnectionError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code ?? (error as { cause?: NodeJS.ErrnoException }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EHOSTUNREACH';
}
