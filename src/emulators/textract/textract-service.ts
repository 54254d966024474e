import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Block } from '@aws-sdk/client-textract';
import { BodyTooLargeError, readBody, sendJson } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';
import type { OcrLanguage } from '../../ports/ocr.js';
import { sendAwsJsonError } from '../aws-errors/index.js';
import type { EdgeService } from '../edge/service.js';
import { toTextractBlocks } from './blocks.js';
import { TextractError } from './errors.js';
import { TextractJobs } from './jobs.js';
import { hintedLanguage } from './language-hint.js';
import { detectDocumentPage, MAX_SYNC_DOCUMENT_BYTES } from './recognize-document.js';
import type { TesseractPool } from './tesseract-pool.js';

export interface TextractServiceOptions {
  pool: TesseractPool;
  /** Reads an object from the S3 emulator; undefined when the bucket or key does not exist. */
  readS3Object: (bucket: string, key: string) => Promise<Uint8Array | undefined>;
}

const FEATURE_TYPES = new Set(['TABLES', 'FORMS', 'QUERIES', 'SIGNATURES', 'LAYOUT']);
const MODEL_VERSION = '1.0';
// 10 MB of bytes is ~13.4 MB of base64; anything far beyond that is refused before parsing.
const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

type Json = Record<string, unknown>;
type Handler = (input: Json, language?: OcrLanguage) => Promise<Json>;

/** Textract (AWS JSON 1.1, `X-Amz-Target: Textract.<Operation>`) backed by the local tesseract pool. */
export function createTextractService(opts: TextractServiceOptions): EdgeService {
  const jobs = new TextractJobs();

  const loadDocument = async (document: unknown): Promise<Uint8Array> => {
    if (!isObject(document)) throw invalid('Document is required');
    const hasBytes = document.Bytes !== undefined;
    const hasS3 = document.S3Object !== undefined;
    if (hasBytes === hasS3) throw invalid('Exactly one of Document.Bytes and Document.S3Object must be given');
    if (hasBytes) {
      if (typeof document.Bytes !== 'string' || document.Bytes.length === 0)
        throw invalid('Document.Bytes must be non-empty base64');
      return Buffer.from(document.Bytes, 'base64');
    }
    return readS3(document.S3Object);
  };

  const readS3 = async (s3Object: unknown): Promise<Uint8Array> => {
    if (!isObject(s3Object) || !nonEmptyString(s3Object.Bucket) || !nonEmptyString(s3Object.Name)) {
      throw invalid('S3Object requires Bucket and Name');
    }
    const bytes = await opts.readS3Object(s3Object.Bucket, s3Object.Name);
    if (!bytes) {
      throw new TextractError(
        'InvalidS3ObjectException',
        'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
      );
    }
    return bytes;
  };

  const detect = async (
    bytes: Uint8Array,
    page?: number,
    language?: OcrLanguage,
  ): Promise<{ blocks: Block[]; pages: number }> =>
    toTextractBlocks(await detectDocumentPage(opts.pool, bytes, language), { page });

  const startJob = async (input: Json, kind: 'text' | 'analysis'): Promise<Json> => {
    if (kind === 'analysis') validateFeatureTypes(input);
    const location = input.DocumentLocation;
    if (!isObject(location) || location.S3Object === undefined) throw invalid('DocumentLocation.S3Object is required');
    const token = optionalString(input, 'ClientRequestToken');
    const existing = token ? jobs.byToken(kind, token) : undefined;
    if (existing) return { JobId: existing };
    const bytes = await readS3(location.S3Object);
    const jobId = jobs.start(kind, token, () => detect(bytes, 1));
    return { JobId: jobId };
  };

  const getJob = async (input: Json, kind: 'text' | 'analysis'): Promise<Json> => {
    const jobId = input.JobId;
    if (!nonEmptyString(jobId)) throw invalid('JobId is required');
    const maxResults = input.MaxResults === undefined ? 1000 : input.MaxResults;
    if (typeof maxResults !== 'number' || !Number.isInteger(maxResults) || maxResults < 1)
      throw invalid('MaxResults must be a positive integer');
    const nextToken = input.NextToken === undefined ? undefined : input.NextToken;
    if (nextToken !== undefined && typeof nextToken !== 'string') throw invalid('NextToken must be a string');
    const job = jobs.get(kind, jobId);
    if (!job) throw new TextractError('InvalidJobIdException', `Job ID ${jobId} is not valid`);
    const version =
      kind === 'text'
        ? { DetectDocumentTextModelVersion: MODEL_VERSION }
        : { AnalyzeDocumentModelVersion: MODEL_VERSION };
    if (job.status === 'IN_PROGRESS') return { JobStatus: 'IN_PROGRESS', ...version };
    if (job.status === 'FAILED') return { JobStatus: 'FAILED', StatusMessage: job.error, ...version };
    const start = nextToken === undefined ? 0 : decodeNextToken(nextToken, jobId);
    const blocks = job.blocks.slice(start, start + Math.min(maxResults, 1000));
    const end = start + blocks.length;
    return {
      DocumentMetadata: { Pages: job.pages },
      JobStatus: 'SUCCEEDED',
      ...(end < job.blocks.length ? { NextToken: encodeNextToken(jobId, end) } : {}),
      Blocks: blocks,
      ...version,
    };
  };

  const operations: Record<string, Handler> = {
    async DetectDocumentText(input, language) {
      const { blocks, pages } = await detect(await loadDocument(input.Document), undefined, language);
      return { DocumentMetadata: { Pages: pages }, Blocks: blocks, DetectDocumentTextModelVersion: MODEL_VERSION };
    },
    async AnalyzeDocument(input) {
      validateFeatureTypes(input);
      const { blocks, pages } = await detect(await loadDocument(input.Document));
      return { DocumentMetadata: { Pages: pages }, Blocks: blocks, AnalyzeDocumentModelVersion: MODEL_VERSION };
    },
    StartDocumentTextDetection: (input) => startJob(input, 'text'),
    GetDocumentTextDetection: (input) => getJob(input, 'text'),
    StartDocumentAnalysis: (input) => startJob(input, 'analysis'),
    GetDocumentAnalysis: (input) => getJob(input, 'analysis'),
  };

  return {
    name: 'textract',
    signingNames: ['textract'],
    targetPrefixes: ['Textract'],
    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      res.setHeader('x-amzn-requestid', randomUUID());
      try {
        const target = String(req.headers['x-amz-target'] ?? '');
        const [prefix, operation] = target.split('.', 2);
        const handler = prefix === 'Textract' && operation ? operations[operation] : undefined;
        if (req.method !== 'POST' || !handler) {
          // Drain so the client sees the answer rather than a reset connection.
          await readBody(req).catch(() => undefined);
          throw new TextractError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}`);
        }
        const input = await readJsonBody(req);
        const output = await handler(input, hintedLanguage(req));
        sendJson(res, 200, output, { 'content-type': 'application/x-amz-json-1.1' });
      } catch (err) {
        if (!(err instanceof TextractError)) logger.error({ err }, 'textract emulator failure');
        const internal = () => new TextractError('InternalServerError', 'Internal server error', 500);
        sendAwsJsonError(res, err instanceof TextractError ? err : internal());
      }
    },
    async close() {
      jobs.clear();
    },
  };
}

async function readJsonBody(req: IncomingMessage): Promise<Json> {
  let body: Buffer;
  try {
    body = await readBody(req, MAX_REQUEST_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      req.resume();
      throw new TextractError(
        'DocumentTooLargeException',
        `Document bytes exceed the maximum allowed ${MAX_SYNC_DOCUMENT_BYTES / 1024 / 1024} MB.`,
      );
    }
    throw err;
  }
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new TextractError('SerializationException', 'Request body is not valid JSON');
  }
  if (!isObject(parsed)) throw new TextractError('SerializationException', 'Request body must be a JSON object');
  return parsed;
}

function validateFeatureTypes(input: Json): void {
  const features = input.FeatureTypes;
  if (!Array.isArray(features) || features.length === 0) throw invalid('FeatureTypes must be a non-empty list');
  for (const feature of features) {
    if (typeof feature !== 'string' || !FEATURE_TYPES.has(feature)) {
      throw invalid(`Invalid FeatureType ${JSON.stringify(feature)}; expected one of ${[...FEATURE_TYPES].join(', ')}`);
    }
  }
  if (new Set(features).size !== features.length) throw invalid('FeatureTypes must not repeat a value');
  if (features.includes('QUERIES') && !isObject(input.QueriesConfig))
    throw invalid('QueriesConfig is required when FeatureTypes contains QUERIES');
}

function encodeNextToken(jobId: string, offset: number): string {
  return Buffer.from(JSON.stringify({ j: jobId, o: offset })).toString('base64url');
}

function decodeNextToken(token: string, jobId: string): number {
  try {
    const { j, o } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { j: unknown; o: unknown };
    if (j === jobId && typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // fall through
  }
  throw invalid('Invalid NextToken');
}

function invalid(message: string): TextractError {
  return new TextractError('InvalidParameterException', message);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function optionalString(input: Json, key: string): string | undefined {
  const value = input[key];
  if (value === undefined) return undefined;
  if (!nonEmptyString(value)) throw invalid(`${key} must be a non-empty string`);
  return value;
}
