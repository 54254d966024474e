// The Gremlin Server emulator: a `ws` endpoint on /gremlin speaking the TinkerPop 3.x driver protocol.
import { createServer } from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { listenOnFreePort } from '../../../lib/listen.js';
import { logger } from '../../../lib/logger.js';
import { admit, type RequestGate, sharedRequestGate } from '../../../lib/request-gate.js';
import { noteStartup } from '../../../lib/startup-notes.js';
import { type Chaos, type InjectedFault, sharedChaos } from '../../chaos/chaos.js';
import { type GremlinDialect, mutatesGraph, NeptuneError } from './dialect.js';
import { GraphBinaryCodec } from './graphbinary.js';
import { GraphSONCodec } from './graphson.js';
import { GraphPersistence, type IdRecorder } from './persistence.js';
import {
  GremlinServerError,
  MimeTypes,
  type RequestMessage,
  type ResponseMessage,
  Status,
  splitFrame,
} from './protocol.js';
import { type GremlinEngine, RequestProcessor } from './request-processor.js';
import type { PropertyResolver } from './wire-values.js';

interface Codec {
  readRequest(body: Buffer): RequestMessage;
  peekRequestId(body: Buffer): string | null;
  /** the serialized response (text is sent as UTF-8, in a binary frame when the request came in one) */
  writeResponse(
    message: ResponseMessage,
    materializeProperties?: boolean,
    resolver?: PropertyResolver,
  ): Buffer | string;
}

export interface GremlinServerCoreOptions {
  port?: number;
  host?: string;
  dialect: GremlinDialect;
  engine: GremlinEngine;
  graph: { toJSON(): unknown };
  dataDir?: string;
  /** evaluationTimeout for requests that set none (default 30000 ms, as Gremlin Server) */
  evaluationTimeoutMs?: number;
  /** how many ports after `port` to try when it is taken (0: fail) */
  portSearch?: number;
  /** the snapshot the graph was loaded from (its log position tells which logged mutations to replay) */
  snapshot?: unknown;
  /** the graph's id generator, when it is random (replayed mutations get the ids they had) */
  ids?: IdRecorder;
  /** fault injection (service `gremlin`, operations bytecode / eval and write / read; default: the shared one) */
  chaos?: Chaos;
  /** Host / Origin checks of the websocket upgrade (default: the process's shared gate) */
  gate?: RequestGate;
}

export interface RunningGremlinServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function codecFor(mime: string, codecs: Map<string, Codec>): Codec | undefined {
  return codecs.get(mime.trim());
}

export async function startGremlinServerCore(opts: GremlinServerCoreOptions): Promise<RunningGremlinServer> {
  const host = opts.host ?? '127.0.0.1';
  const persistence = opts.dataDir ? new GraphPersistence(opts.dataDir, opts.graph) : undefined;
  const processor = new RequestProcessor({
    engine: opts.engine,
    dialect: opts.dialect,
    defaultEvaluationTimeoutMs: opts.evaluationTimeoutMs,
    onMutation: () => {
      mutated = true;
      persistence?.markDirty();
    },
  });
  /** set by the processor while it runs a request that changed the graph */
  let mutated = false;
  const graphBinary = new GraphBinaryCodec();
  const graphSON3 = new GraphSONCodec(3);
  const graphSON2 = new GraphSONCodec(2);
  const codecs = new Map<string, Codec>([
    [MimeTypes.graphBinary, graphBinary],
    [MimeTypes.graphSON3, graphSON3],
    [MimeTypes.graphSON2, graphSON2],
    [MimeTypes.json, graphSON3],
  ]);

  const gate = opts.gate ?? sharedRequestGate();
  const chaos = opts.chaos ?? sharedChaos();
  /** Neptune's error envelope for the neptune dialect (e.g. ConcurrentModificationException), Gremlin Server's otherwise */
  const chaosError = (fault: InjectedFault) =>
    opts.dialect === 'neptune'
      ? new NeptuneError(fault.statusCode, fault.code, fault.message)
      : new GremlinServerError(fault.statusCode, `${fault.code}: ${fault.message}`);
  const http = createServer((req, res) => {
    if (!admit(gate, req, res)) return;
    res.writeHead(400, { 'content-type': 'text/plain' });
    res.end('Gremlin Server emulator: connect with a websocket to /gremlin\n');
  });
  // Browsers open websockets to any origin without CORS: the upgrade itself is checked.
  const wss = new WebSocketServer({
    server: http,
    path: '/gremlin',
    maxPayload: 64 * 1024 * 1024,
    verifyClient: ({ req }, done) => {
      const verdict = gate.check(req.headers);
      if (verdict.allowed) done(true);
      else done(false, 403, `Forbidden: ${verdict.reason}`);
    },
  });

  // ws re-emits the HTTP server's errors; a taken port (EADDRINUSE) is listenOnFreePort's to handle, not a crash.
  wss.on('error', () => undefined);
  wss.on('connection', (socket: WebSocket) => {
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
      const frame = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (chaos.active) void chaos.delay().then(() => handleFrame(socket, frame, isBinary));
      else handleFrame(socket, frame, isBinary);
    });
    socket.on('error', (err) => logger.debug({ err }, 'gremlin websocket error'));
  });

  function send(
    socket: WebSocket,
    codec: Codec,
    message: ResponseMessage,
    binary: boolean,
    materialize: boolean,
  ): void {
    let payload: Buffer | string;
    try {
      payload = codec.writeResponse(message, materialize, opts.engine.properties);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      const failure = processor.errorResponse(
        message.requestId,
        new GremlinServerError(Status.SERVER_ERROR_SERIALIZATION, `Error during serialization: ${detail}`, [
          'org.apache.tinkerpop.gremlin.util.ser.SerializationException',
        ]),
      );
      payload = codec.writeResponse(failure, materialize);
    }
    socket.send(payload, { binary });
  }

  function handleFrame(socket: WebSocket, frame: Buffer, isBinary: boolean): void {
    let mime: string;
    let body: Buffer;
    try {
      ({ mime, body } = splitFrame(frame));
    } catch (err) {
      send(socket, graphSON3, processor.errorResponse(null, err), isBinary, true);
      return;
    }
    const codec = codecFor(mime, codecs);
    if (!codec) {
      const err = new GremlinServerError(
        Status.MALFORMED_REQUEST,
        `Could not find a serializer for the requested mime type [${mime}]`,
      );
      send(socket, graphSON3, processor.errorResponse(null, err), isBinary, true);
      return;
    }
    let request: RequestMessage;
    try {
      request = codec.readRequest(body);
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      const failure = new GremlinServerError(
        Status.MALFORMED_REQUEST,
        `Invalid request - unable to deserialize: ${detail}`,
      );
      send(socket, codec, processor.errorResponse(codec.peekRequestId(body), failure), isBinary, true);
      return;
    }
    const materialize = request.args.materializeProperties !== 'tokens';
    const fault = chaos.active
      ? chaos.faultFor({ service: 'gremlin', operation: request.op, aliases: [writesOrReads(request)] })
      : undefined;
    if (fault) {
      if (fault.drop) socket.terminate();
      else send(socket, codec, processor.errorResponse(request.requestId, chaosError(fault)), isBinary, materialize);
      return;
    }
    mutated = false;
    opts.ids?.record();
    const responses = processor.process(request);
    const ids = opts.ids?.take();
    const answer = () => {
      for (const response of responses) send(socket, codec, response, isBinary, materialize);
    };
    if (!mutated || !persistence) {
      answer();
      return;
    }
    // a change is answered once it is in the mutation log on disk
    persistence.logMutation(frame, ids).then(answer, (err) => {
      logger.error({ err }, 'gremlin: could not log a mutation');
      const failure = new GremlinServerError(
        Status.SERVER_ERROR,
        `Could not persist the mutation: ${(err as Error).message}`,
      );
      send(socket, codec, processor.errorResponse(request.requestId, failure), isBinary, materialize);
    });
  }

  /** Runs the mutations logged after the snapshot again, in order, with the ids they were given. */
  function replay(entries: { frame: string; ids?: unknown[] }[]): number {
    let failed = 0;
    for (const entry of entries) {
      try {
        const { mime, body } = splitFrame(Buffer.from(entry.frame, 'base64'));
        const codec = codecFor(mime, codecs);
        if (!codec) throw new Error(`no codec for ${mime}`);
        opts.ids?.replay(entry.ids);
        const responses = processor.process(codec.readRequest(body));
        if (responses.some((r) => r.status.code >= 400)) failed++;
      } catch (err) {
        logger.warn({ err }, 'gremlin: a logged mutation could not be replayed');
        failed++;
      } finally {
        opts.ids?.replay([]);
      }
    }
    return failed;
  }

  if (persistence) {
    const logged = await persistence.openLog(opts.snapshot);
    if (logged.length > 0) {
      const failed = replay(logged);
      noteStartup({
        component: 'gremlin',
        file: persistence.file,
        message: `${logged.length} graph change(s) made after the last snapshot replayed from the mutation log${failed ? ` (${failed} failed)` : ''}`,
      });
    }
  }

  const port = await listenOnFreePort(http, opts.port ?? 8182, host, opts.portSearch ?? 100);
  return {
    port,
    url: `ws://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/gremlin`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await persistence?.close();
    },
  };
}

/** `write` for a request that changes the graph, `read` otherwise (what chaos rules may aim at). */
function writesOrReads(request: RequestMessage): 'write' | 'read' {
  const gremlin = request.args.gremlin;
  if (typeof gremlin === 'string')
    return /\b(addV|addE|property|drop|mergeV|mergeE)\s*\(/.test(gremlin) ? 'write' : 'read';
  try {
    return gremlin && typeof gremlin === 'object' && mutatesGraph(gremlin as never) ? 'write' : 'read';
  } catch {
    return 'read';
  }
}
