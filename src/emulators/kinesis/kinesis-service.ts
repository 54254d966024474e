import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '../../lib/logger.js';
import { LOCAL_ACCOUNT_ID } from '../../runtime/lambda-context.js';
import { readAwsJsonBody } from '../aws-errors/index.js';
import type { EdgeService } from '../edge/service.js';
import { KinesisEngine } from './engine.js';
import { OPERATIONS } from './operations.js';
import {
  decodeBody,
  encodeOutput,
  KinesisError,
  kinesisInternalFailure,
  sendKinesisError,
  wireFormatOf,
} from './wire.js';

export interface KinesisService extends EdgeService {
  readonly engine: KinesisEngine;
  close(): Promise<void>;
}

export interface KinesisServiceOptions {
  /** State lives in `<dataDir>/kinesis`. */
  dataDir: string;
  /** Region of requests that name none (no StreamARN, no SigV4 credential scope). Default AWS_REGION or us-east-1. */
  region?: string;
  accountId?: string;
  /** CREATING / UPDATING / DELETING duration; default 0 (ACTIVE at once). */
  transitionMs?: number;
  /** Journal size that triggers a compaction. */
  compactAtBytes?: number;
  /** Called with the stream's name once a put was acknowledged (the local runtime reads it at once). */
  onRecordsPut?: (streamName: string) => void;
}

/** PutRecords allows 5 MB of data, base64-encoded in JSON. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const TARGET_PREFIX = 'Kinesis_20131202.';

/**
 * Kinesis in this process, behind the edge for X-Amz-Target Kinesis_20131202.*: the engine (engine.ts) with its
 * journal, so an acknowledged put survives a kill -9 of the process.
 */
export async function startKinesis(opts: KinesisServiceOptions): Promise<KinesisService> {
  const engine = await KinesisEngine.open({
    dataDir: opts.dataDir,
    account: opts.accountId ?? LOCAL_ACCOUNT_ID,
    transitionMs: opts.transitionMs,
    compactAtBytes: opts.compactAtBytes,
  });
  const defaultRegion = opts.region ?? process.env.AWS_REGION ?? 'us-east-1';

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const format = wireFormatOf(req.headers['content-type']);
    const body = await readAwsJsonBody(req, res, MAX_REQUEST_BYTES, { cbor: format === 'cbor' });
    if (!body) return;
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
    try {
      if (!run)
        throw new KinesisError('UnknownOperationException', `Operation ${target || '(none)'} is not supported.`);
      let input: Record<string, unknown>;
      try {
        input = decodeBody(body, format);
      } catch {
        throw new KinesisError('SerializationException', 'Request body is not valid');
      }
      const output = await run(engine, { region: regionOf(req), format }, input);
      const encoded = encodeOutput(output, format);
      res.writeHead(200, {
        'content-type': format === 'cbor' ? 'application/x-amz-cbor-1.1' : 'application/x-amz-json-1.1',
        'content-length': encoded.length,
        'x-amzn-requestid': randomUUID(),
      });
      res.end(encoded);
      if (operation === 'PutRecord' || operation === 'PutRecords') {
        const name = typeof input.StreamName === 'string' ? input.StreamName : streamNameOfArn(input.StreamARN);
        if (name) opts.onRecordsPut?.(name);
      }
    } catch (error) {
      if (error instanceof KinesisError) {
        sendKinesisError(res, format, error);
        return;
      }
      if (engine.failed) {
        // the journal cannot be written: nothing more is acknowledged
        logger.error({ err: engine.failed, operation }, 'kinesis: the journal cannot be written');
        sendKinesisError(res, format, kinesisInternalFailure('The change could not be made durable'));
        return;
      }
      logger.error({ err: error, operation }, 'kinesis: internal error');
      sendKinesisError(res, format, kinesisInternalFailure());
    }
  };

  function regionOf(req: IncomingMessage): string {
    const scope = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/kinesis\//.exec(String(req.headers.authorization ?? ''));
    return scope?.[1] ?? defaultRegion;
  }

  return {
    name: 'kinesis',
    signingNames: ['kinesis'],
    targetPrefixes: ['Kinesis_20131202'],
    engine,
    async handle(req, res) {
      try {
        await serve(req, res);
      } catch (err) {
        logger.error({ err, url: req.url }, 'kinesis: internal error');
        sendKinesisError(res, wireFormatOf(req.headers['content-type']), kinesisInternalFailure());
      }
    },
    writeError(req, res, err) {
      sendKinesisError(res, wireFormatOf(req.headers['content-type']), err);
    },
    close: () => engine.close(),
  };
}

function streamNameOfArn(arn: unknown): string | undefined {
  return typeof arn === 'string' ? /:stream\/(.+)$/.exec(arn)?.[1] : undefined;
}
