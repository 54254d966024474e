import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { readAwsJsonBody, sendAwsJsonError } from '../../lib/http.js';
import { logger } from '../../lib/logger.js';
import type { EdgeService } from '../edge/service.js';
import { KinesisProcess, type KinesisProcessOptions } from './kinesis-process.js';

export interface KinesisService extends EdgeService {
  /** kinesis-mock's own plain-HTTP endpoint (bypassing the edge) */
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

/** kinesis-local (kinesis-mock) as a managed child process, proxied behind the edge for X-Amz-Target Kinesis_20131202.*. */
export async function startKinesis(opts: KinesisProcessOptions): Promise<KinesisService> {
  const proc = new KinesisProcess(opts);
  await proc.start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  let closed: Promise<void> | undefined;
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
      const body = await readAwsJsonBody(req, res, MAX_REQUEST_BYTES);
      if (!body) return;
      // Buffered so a request that hits a child which just died can be replayed on its replacement.
      for (let attempt = 0; ; attempt++) {
        try {
          await proc.whenReady();
        } catch (err) {
          sendAwsJsonError(
            res,
            503,
            'ServiceUnavailableException',
            `Kinesis emulator unavailable: ${(err as Error).message}`,
          );
          return;
        }
        const outcome = await forward(req, body, res, proc.plainPort, agent);
        if (outcome === 'done') return;
        if (attempt >= 2) {
          sendAwsJsonError(res, 503, 'ServiceUnavailableException', 'Kinesis emulator unreachable');
          return;
        }
        await new Promise((r) => setTimeout(r, 100)); // let the exit be noticed and the restart begin
      }
    },
    close() {
      closed ??= (async () => {
        agent.destroy(); // idle keep-alive sockets would hold kinesis-mock's graceful shutdown open
        await proc.stop();
      })();
      return closed;
    },
  };
}

/** 'unreachable' when the child refused the connection before answering (nothing was sent to the client yet). */
function forward(
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  port: number,
  agent: http.Agent,
): Promise<'done' | 'unreachable'> {
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
        up.on('end', () => {
          const payload = Buffer.concat(chunks);
          out['content-length'] = payload.length;
          res.writeHead(up.statusCode ?? 502, out);
          res.end(payload);
          done('done');
        });
        up.on('error', () => done('unreachable'));
      },
    );
    upstream.on('error', (err) => {
      logger.debug({ err }, 'kinesis proxy request failed');
      done('unreachable');
    });
    upstream.end(body);
  });
}
