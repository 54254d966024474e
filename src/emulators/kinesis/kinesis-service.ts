import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { logger } from '../../lib/logger.js';
import { readAwsJsonBody } from '../aws-errors/index.js';
import type { EdgeService } from '../edge/service.js';
import { KinesisProcess, type KinesisProcessOptions } from './kinesis-process.js';
import { checkPutLimits } from './limits.js';
import { type JournaledRecord, streamStatuses } from './state-journal.js';
import {
  blobOf,
  decodeBody,
  KinesisError,
  kinesisInternalFailure,
  sendKinesisError,
  type WireFormat,
  wireFormatOf,
} from './wire.js';

export interface KinesisService extends EdgeService {
  /** kinesis-mock's own plain-HTTP endpoint (bypassing the edge: no limits, no journal) */
  readonly directUrl: string;
  /** spawn → first answer, in ms, of the current child */
  readonly startupMs: number;
  /** pid of the current kinesis-local child (diagnostics) */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'http2-settings',
  'host',
  'content-length',
]);
/** PutRecords allows 5 MB of data, base64-encoded in JSON. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const TARGET_PREFIX = 'Kinesis_20131202.';
/** Operations that change a stream's shards or records' form: puts wait until kinesis-mock has saved them. */
const STRUCTURAL_OPERATIONS = new Set([
  'CreateStream',
  'DeleteStream',
  'SplitShard',
  'MergeShards',
  'UpdateShardCount',
  'UpdateStreamMode',
  'StartStreamEncryption',
  'StopStreamEncryption',
]);
/** Longest a put waits for a structural change to reach kinesis-mock's state file. */
const MAX_STRUCTURE_WAIT_MS = 15_000;

interface Upstream {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * kinesis-local (kinesis-mock) as a managed child process, proxied behind the edge for X-Amz-Target
 * Kinesis_20131202.*. The edge enforces AWS's put limits and journals every acknowledged record (see
 * state-journal.ts), so an acknowledged put survives a crash of this process or of the child.
 */
export interface KinesisServiceOptions extends KinesisProcessOptions {
  /** Called with the stream's name once a put was acknowledged (the local runtime reads it at once). */
  onRecordsPut?: (streamName: string) => void;
}

export async function startKinesis(opts: KinesisServiceOptions): Promise<KinesisService> {
  const proc = new KinesisProcess(opts);
  await proc.start();
  const journal = proc.journal;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const defaultRegion = opts.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const streamLocks = new Map<string, Promise<void>>();
  /** stream name → when a structural change was acknowledged, until kinesis-mock's state file shows it */
  const unsaved = new Map<string, number>();
  let watching: Promise<void> | undefined;
  let closed: Promise<void> | undefined;
  // the journal holds what the last saved state may lack; a periodic look at the state file keeps it short
  const compactTimer = setInterval(() => void journal?.refreshSnapshot(), 5_000);
  compactTimer.unref();

  /** Polls the state file until every structural change is saved (each refresh also compacts the journal). */
  const watchStructure = () => {
    watching ??= (async () => {
      const started = Date.now();
      while (unsaved.size > 0 && !closed) {
        await new Promise((r) => setTimeout(r, 100));
        const saved = await journal?.refreshSnapshot();
        if (!saved) continue;
        const statuses = streamStatuses(saved.state);
        for (const [stream, since] of unsaved) {
          const status = statuses.get(stream);
          if (saved.mtimeMs > since && (status === undefined || status === 'ACTIVE')) unsaved.delete(stream);
        }
        if (Date.now() - started > MAX_STRUCTURE_WAIT_MS) {
          logger.warn({ streams: [...unsaved.keys()] }, 'kinesis-local did not save a stream change in time');
          unsaved.clear();
        }
      }
    })().finally(() => {
      watching = undefined;
    });
    return watching;
  };

  /** Runs `task` after the previous put to the same stream (so the journal has no gaps in a shard's order). */
  const serialized = async <T>(stream: string, task: () => Promise<T>): Promise<T> => {
    const previous = streamLocks.get(stream) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => {
      release = r;
    });
    const tail = previous.then(() => mine);
    streamLocks.set(stream, tail);
    await previous;
    try {
      return await task();
    } finally {
      release();
      if (streamLocks.get(stream) === tail) streamLocks.delete(stream);
    }
  };

  const sendUpstream = async (
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ): Promise<Upstream | undefined> => {
    // Buffered so a request that hits a child which just died can be replayed on its replacement.
    for (let attempt = 0; ; attempt++) {
      try {
        await proc.whenReady();
      } catch (err) {
        sendKinesisError(
          res,
          wireFormatOf(req.headers['content-type']),
          new KinesisError(
            'ServiceUnavailableException',
            `Kinesis emulator unavailable: ${(err as Error).message}`,
            503,
          ),
        );
        return undefined;
      }
      const upstream = await forward(req, body, proc.plainPort, agent);
      if (upstream) return upstream;
      if (attempt >= 2) {
        sendKinesisError(
          res,
          wireFormatOf(req.headers['content-type']),
          new KinesisError('ServiceUnavailableException', 'Kinesis emulator unreachable', 503),
        );
        return undefined;
      }
      await new Promise((r) => setTimeout(r, 100)); // let the exit be noticed and the restart begin
    }
  };

  const reply = (res: ServerResponse, upstream: Upstream) => {
    res.writeHead(upstream.status, { ...upstream.headers, 'content-length': upstream.body.length });
    res.end(upstream.body);
  };

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const format = wireFormatOf(req.headers['content-type']);
    const body = await readAwsJsonBody(req, res, MAX_REQUEST_BYTES, { cbor: format === 'cbor' });
    if (!body) return;
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const isPut = operation === 'PutRecord' || operation === 'PutRecords';
    if (!isPut && !STRUCTURAL_OPERATIONS.has(operation)) {
      const upstream = await sendUpstream(req, body, res);
      if (upstream) reply(res, upstream);
      return;
    }
    let input: Record<string, unknown>;
    try {
      input = decodeBody(body, format);
    } catch {
      sendKinesisError(res, format, new KinesisError('SerializationException', 'Request body is not valid'));
      return;
    }
    const stream = streamNameOf(input);
    if (!isPut) {
      const upstream = await sendUpstream(req, body, res);
      if (!upstream) return;
      if (upstream.status === 200 && stream && journal) {
        unsaved.set(stream, Date.now());
        void watchStructure();
      }
      reply(res, upstream);
      return;
    }
    const violation = checkPutLimits(operation, input, format);
    if (violation) {
      sendKinesisError(res, format, new KinesisError(violation.type, violation.message));
      return;
    }
    if (stream && unsaved.has(stream)) await watchStructure();
    let durable: Promise<void> = Promise.resolve();
    const upstream = await serialized(stream ?? '', async () => {
      const answer = await sendUpstream(req, body, res);
      if (answer?.status === 200 && stream && journal) {
        const records = journaledRecords(
          operation,
          input,
          answer.body,
          format,
          stream,
          regionOf(req, input) ?? defaultRegion,
        );
        // written before the next put of this stream is sent; stable storage is awaited outside the lock
        if (records.length > 0) durable = journal.append(records);
      }
      return answer;
    });
    if (!upstream) return;
    try {
      await durable;
    } catch (err) {
      logger.error({ err }, 'kinesis: could not journal acknowledged records');
      sendKinesisError(res, format, kinesisInternalFailure('The records could not be made durable'));
      return;
    }
    reply(res, upstream);
    if (upstream.status === 200 && stream) opts.onRecordsPut?.(stream);
  };

  return {
    name: 'kinesis',
    signingNames: ['kinesis'],
    targetPrefixes: ['Kinesis_20131202'],
    get directUrl() {
      return `http://127.0.0.1:${proc.plainPort}`;
    },
    get startupMs() {
      return proc.startupMs;
    },
    get pid() {
      return proc.pid;
    },
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
    close() {
      closed ??= (async () => {
        clearInterval(compactTimer);
        await watching;
        agent.destroy(); // idle keep-alive sockets would hold kinesis-mock's graceful shutdown open
        await proc.stop();
      })();
      return closed;
    },
  };
}

function streamNameOf(input: Record<string, unknown>): string | undefined {
  if (typeof input.StreamName === 'string') return input.StreamName;
  if (typeof input.StreamARN === 'string') return /:stream\/(.+)$/.exec(input.StreamARN)?.[1];
  return undefined;
}

function regionOf(req: IncomingMessage, input: Record<string, unknown>): string | undefined {
  if (typeof input.StreamARN === 'string') return input.StreamARN.split(':')[3];
  return /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/kinesis\//.exec(String(req.headers.authorization ?? ''))?.[1];
}

/** The records kinesis-mock acknowledged, in its state file's shape, from the request and its answer. */
function journaledRecords(
  operation: string,
  input: Record<string, unknown>,
  answer: Buffer,
  format: WireFormat,
  stream: string,
  region: string,
): JournaledRecord[] {
  let output: Record<string, unknown>;
  try {
    output = decodeBody(answer, format);
  } catch {
    return [];
  }
  const arrival = Date.now() / 1000;
  const entry = (request: Record<string, unknown>, result: Record<string, unknown>): JournaledRecord | undefined => {
    const data = blobOf(request.Data, format);
    if (typeof result.SequenceNumber !== 'string' || typeof result.ShardId !== 'string' || !data) return undefined;
    return {
      stream,
      region,
      shard: result.ShardId,
      record: {
        ApproximateArrivalTimestamp: arrival,
        Data: data.toString('base64'),
        EncryptionType: typeof result.EncryptionType === 'string' ? result.EncryptionType : 'NONE',
        PartitionKey: String(request.PartitionKey),
        SequenceNumber: result.SequenceNumber,
      },
    };
  };
  if (operation === 'PutRecord') {
    const one = entry(input, output);
    return one ? [one] : [];
  }
  const requests = input.Records as Record<string, unknown>[];
  const results = Array.isArray(output.Records) ? (output.Records as Record<string, unknown>[]) : [];
  const encryption = typeof output.EncryptionType === 'string' ? output.EncryptionType : undefined;
  const out: JournaledRecord[] = [];
  results.forEach((result, i) => {
    const one = requests[i] && entry(requests[i], { EncryptionType: encryption, ...result });
    if (one) out.push(one);
  });
  return out;
}

/** undefined when the child refused the connection before answering (nothing was sent to the client yet). */
function forward(req: IncomingMessage, body: Buffer, port: number, agent: http.Agent): Promise<Upstream | undefined> {
  return new Promise((done) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':') || HOP_BY_HOP.has(name) || value === undefined) continue;
      headers[name] = value;
    }
    headers.host = `127.0.0.1:${port}`;
    headers['content-length'] = body.length;
    const upstream = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent },
      (up) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(up.headers))
          if (!HOP_BY_HOP.has(name) && value !== undefined) out[name] = value;
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => done({ status: up.statusCode ?? 502, headers: out, body: Buffer.concat(chunks) }));
        up.on('error', () => done(undefined));
      },
    );
    upstream.on('error', (err) => {
      logger.debug({ err }, 'kinesis proxy request failed');
      done(undefined);
    });
    upstream.end(body);
  });
}
