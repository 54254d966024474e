import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseImageKey } from '../domain/image-key.js';
import { captureInvocationLogs } from '../lib/logger.js';
import type { Invoker } from '../runtime/invoker.js';
import type { Adapters } from '../targets/adapters.js';
import type { LocalStack } from '../targets/local-runtime.js';
import { TOPOLOGY, type Topology } from '../topology/index.js';
import { CardJourneys } from './card-journeys.js';
import { countFailures, listFailures, markReplayed, readFailure, replayEvent } from './failures.js';
import {
  CockpitHttpError,
  PAGE_CSP,
  readJson,
  refuseForeign,
  requireNonSimple,
  SAFE_HEADERS,
  sendBytes,
  sendJson,
} from './http.js';
import { type InvokeOutcome, invokeTraced } from './invoke-outcome.js';
import {
  coalesce,
  LagMonitor,
  type PipelineCounts,
  type PipelineStatus,
  pipelineGraph,
  streamLag,
} from './pipeline.js';
import { createResourceBrowser } from './resources.js';
import { readUiFile, uiRoot } from './static.js';
import { summarize, type TracedInvocation, TraceStore } from './trace-store.js';

export type { InvokeOutcome } from './invoke-outcome.js';

export const COCKPIT_PREFIX = '/_octember/';

export interface CockpitOptions {
  invoker: Invoker;
  adapters: Adapters;
  dataDir: string;
  apiKey: string;
  topology?: Topology;
  endpoints: Partial<LocalStack['endpoints']>;
  /** Settles once every delivered event was handled. */
  idle?: () => Promise<void>;
  /** Wipes the stack's data (objects, documents, graph, keys, failures); the cockpit clears its own traces. */
  reset?: () => Promise<void>;
  /** Invocations kept in memory (default 1000) and the file they are appended to (default none). */
  trace?: { capacity?: number; maxBytes?: number; logFile?: string };
}

export interface Cockpit {
  /** Answers `/` and `/_octember/…`; resolves false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  readonly traces: TraceStore;
  readonly journeys: CardJourneys;
  /** Runs one function once, traced like any invocation (what `octember invoke` and replays use). */
  invoke(functionName: string, event: unknown, via?: { replayOf?: string }): Promise<InvokeOutcome>;
  /** Sends an event to every open dashboard (e.g. `reload`). */
  publish(type: string, data: unknown): void;
  status(waitForLag?: boolean): Promise<PipelineStatus>;
  /** Forgets traces and card journeys. */
  clear(): void;
  close(): Promise<void>;
}

interface Subscriber {
  res: ServerResponse;
}

export function createCockpit(options: CockpitOptions): Cockpit {
  const topology = options.topology ?? TOPOLOGY;
  const traces = new TraceStore(options.trace);
  const journeys = new CardJourneys();
  const subscribers = new Set<Subscriber>();
  const replays = new AsyncLocalStorage<{ replayOf?: string; traces: TracedInvocation[] }>();
  const ocrCache = new Map<string, Promise<unknown>>();
  const retained = new Map<string, unknown>();
  const graph = pipelineGraph(topology);
  const lag = new LagMonitor(
    () => streamLag(topology, options.adapters.clients.kinesis, options.dataDir),
    topology.streamMappings,
  );
  const root = uiRoot();
  const resources = createResourceBrowser({
    adapters: options.adapters,
    opensearchUrl: options.endpoints.opensearch,
    gremlinUrl: options.endpoints.gremlin,
    searchIndex: topology.resources.searchIndex.name,
    bucket: topology.resources.bucket.name,
  });
  const restoreLogCapture = captureInvocationLogs();

  function publish(type: string, data: unknown) {
    if (type === 'reload') retained.set(type, data);
    const frame = `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const subscriber of subscribers) subscriber.res.write(frame);
  }

  const unsubscribe = options.invoker.onInvocation((trace) => {
    const scope = replays.getStore();
    const traced = traces.add(trace, scope?.replayOf ? { replayOf: scope.replayOf } : {});
    scope?.traces.push(traced);
    if (subscribers.size === 0) {
      journeys.add(traced);
      return;
    }
    publish('invocation', summarize(traced));
    for (const journey of journeys.add(traced)) publish('card', journey);
    pipelineCounts.trigger();
  });

  // The drawing's counts and lag, pushed to open dashboards a moment after invocations (at most one at a time), and
  // again each second while a mapping is behind.
  let lagTimer: NodeJS.Timeout | undefined;
  const pipelineCounts = coalesce(async () => {
    if (subscribers.size === 0) return;
    const { functions, lag } = await status(true);
    publish('pipeline', { functions, lag } satisfies PipelineCounts);
    if (lag.some((l) => l.behind > 0) && !lagTimer) {
      lagTimer = setTimeout(() => {
        lagTimer = undefined;
        pipelineCounts.trigger();
      }, 1000);
      lagTimer.unref();
    }
  }, 300);

  const heartbeat = setInterval(() => {
    for (const subscriber of subscribers) subscriber.res.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();

  async function invoke(functionName: string, event: unknown, via: { replayOf?: string } = {}): Promise<InvokeOutcome> {
    if (!options.invoker.has(functionName)) {
      throw new CockpitHttpError(
        404,
        `unknown function ${functionName}; the topology has ${topology.functions.map((f) => f.name).join(', ')}`,
      );
    }
    const scope = { replayOf: via.replayOf, traces: [] as TracedInvocation[] };
    return invokeTraced(functionName, scope.traces, () =>
      replays.run(scope, () => options.invoker.invoke(functionName, event)),
    );
  }

  /**
   * `waitForLag` false (the dashboard) answers with the last measured lag (the first time, with the first
   * measurement) and measures again behind it; open dashboards get the fresh one as a `pipeline` event.
   */
  async function status(waitForLag = true): Promise<PipelineStatus> {
    const [failures, mappingLag] = await Promise.all([
      countFailures(options.dataDir),
      waitForLag ? lag.refresh() : lag.latest(),
    ]);
    const stats = traces.functionStats();
    const none = { invocations: 0, errors: 0, failedRecords: 0, totalDurationMs: 0 };
    const functions: PipelineStatus['functions'] = {};
    for (const fn of topology.functions) {
      functions[fn.name] = { ...(stats[fn.name] ?? none), failures: failures[fn.name] ?? 0 };
    }
    return { ...graph, functions, lag: mappingLag };
  }

  async function cardOcr(imageId: string) {
    const journey = journeys.get(imageId);
    const bucket = journey?.bucket ?? topology.resources.bucket.name;
    const key = journey?.key ?? `${topology.resources.bucket.prefixes.rawImages}${imageId}`;
    let pending = ocrCache.get(key);
    if (!pending) {
      // The page's lines and their words, boxes in Textract's BoundingBox shape (what the dashboard draws).
      pending = options.adapters.ocr.detectText({ s3: { bucket, key } }).then(({ lines }) => ({
        bucket,
        key,
        blocks: lines.flatMap((line) =>
          [{ type: 'LINE', ...line }, ...line.words.map((word) => ({ type: 'WORD', ...word }))].map((b) => ({
            type: b.type,
            text: b.text,
            confidence: b.confidence,
            box: { Width: b.box.width, Height: b.box.height, Left: b.box.left, Top: b.box.top },
          })),
        ),
      }));
      pending.catch(() => ocrCache.delete(key));
      ocrCache.set(key, pending);
      if (ocrCache.size > 100) ocrCache.delete(ocrCache.keys().next().value as string);
    }
    return pending;
  }

  function openEvents(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, {
      ...SAFE_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ lastId: traces.lastId })}\n\n`);
    const reload = retained.get('reload');
    if (reload) res.write(`event: reload\ndata: ${JSON.stringify(reload)}\n\n`);
    const subscriber = { res };
    subscribers.add(subscriber);
    pipelineCounts.trigger();
    req.on('close', () => subscribers.delete(subscriber));
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const params = url.searchParams;
    const get = method === 'GET' || method === 'HEAD';

    if (get && (path === '/' || path === '/index.html' || path === `${COCKPIT_PREFIX}`)) {
      const page = await readUiFile(root, 'index.html');
      if (!page) throw new CockpitHttpError(500, `the dashboard files are missing from ${root}`);
      // The page asks for the pipeline next: its lag is being read meanwhile.
      void lag.latest();
      sendBytes(res, page.type, page.body, { 'content-security-policy': PAGE_CSP });
      return;
    }
    const m1 = get ? /^\/_octember\/ui\/(.+)$/.exec(path) : null;
    if (m1) {
      const file = await readUiFile(root, decodeURIComponent(m1[1]));
      if (!file) throw new CockpitHttpError(404, `no dashboard file ${m1[1]}`);
      sendBytes(res, file.type, file.body);
      return;
    }
    if (!path.startsWith('/_octember/api/')) throw new CockpitHttpError(404, `nothing at ${path}`);
    const api = path.slice('/_octember/api'.length);

    if (get) {
      if (api === '/health') return sendJson(res, 200, { ok: true, pid: process.pid });
      if (api === '/config') {
        return sendJson(res, 200, {
          apiKey: options.apiKey,
          stage: topology.api.stage,
          bucket: topology.resources.bucket.name,
          prefixes: topology.resources.bucket.prefixes,
          functions: topology.functions.map((f) => ({ name: f.name, description: f.description })),
          endpoints: options.endpoints,
        });
      }
      if (api === '/events') return openEvents(req, res);
      if (api === '/pipeline') return sendJson(res, 200, await status(false));
      if (api === '/status') return sendJson(res, 200, await status(true));
      if (api === '/reload') return sendJson(res, 200, retained.get('reload') ?? null);
      if (api === '/invocations') {
        const outcome = params.get('outcome');
        const list = traces.list({
          function: params.get('function') || undefined,
          outcome: outcome === 'success' || outcome === 'error' ? outcome : undefined,
          source: params.get('source') || undefined,
          after: params.has('after') ? Number(params.get('after')) : undefined,
          limit: Math.min(Number(params.get('limit') ?? 200) || 200, 1000),
        });
        return sendJson(res, 200, { invocations: list.map(summarize), lastId: traces.lastId });
      }
      const m2 = /^\/invocations\/(\d+)$/.exec(api);
      if (m2) {
        const trace = traces.get(Number(m2[1]));
        if (!trace) throw new CockpitHttpError(404, `invocation ${m2[1]} is no longer kept`);
        return sendJson(res, 200, trace);
      }
      if (api === '/failures') return sendJson(res, 200, { failures: await listFailures(options.dataDir) });
      const m3 = /^\/failures\/([^/]+)\/([^/]+)$/.exec(api);
      if (m3) {
        return sendJson(res, 200, await readFailure(options.dataDir, m3[1], m3[2]));
      }
      if (api === '/cards') return sendJson(res, 200, { cards: journeys.list(Number(params.get('limit') ?? 100)) });
      const m4 = /^\/cards\/([^/]+)$/.exec(api);
      if (m4) {
        const imageId = decodeURIComponent(m4[1]);
        const [journey, record] = await Promise.all([
          journeys.get(imageId),
          options.adapters.status.get(imageId).catch(() => undefined),
        ]);
        if (!journey && !record) throw new CockpitHttpError(404, `no card ${imageId}`);
        return sendJson(res, 200, { journey: journey ?? null, status: record ?? null });
      }
      const ocr = /^\/cards\/([^/]+)\/ocr$/.exec(api);
      if (ocr) return sendJson(res, 200, await cardOcr(decodeURIComponent(ocr[1])));
      const m5 = /^\/cards\/([^/]+)\/image$/.exec(api);
      if (m5) {
        const imageId = decodeURIComponent(m5[1]);
        const journey = journeys.get(imageId);
        const key = journey?.key ?? `${topology.resources.bucket.prefixes.rawImages}${parseImageKey(imageId).imageId}`;
        const object = await resources.getObject(
          new URLSearchParams({ key, bucket: journey?.bucket ?? topology.resources.bucket.name }),
        );
        return sendBytes(res, object.contentType, object.body);
      }
      if (api === '/resources/s3') return sendJson(res, 200, await resources.listObjects(params));
      if (api === '/resources/s3/object') {
        const object = await resources.getObject(params);
        return sendBytes(res, object.contentType, object.body, { 'x-object-size': String(object.size) });
      }
      if (api === '/resources/streams') return sendJson(res, 200, await resources.listStreams());
      const m6 = /^\/resources\/streams\/([^/]+)$/.exec(api);
      if (m6) {
        return sendJson(res, 200, await resources.streamRecords(decodeURIComponent(m6[1]), params));
      }
      if (api === '/resources/opensearch') return sendJson(res, 200, await resources.openSearchDocuments(params));
      if (api === '/resources/cloudsearch') return sendJson(res, 200, await resources.cloudSearchDocuments(params));
      if (api === '/resources/graph') return sendJson(res, 200, await resources.graphAround(params));
      if (api === '/resources/redis') return sendJson(res, 200, await resources.redisKeys(params));
      if (api === '/resources/firehose') return sendJson(res, 200, await resources.deliveryStreams());
      throw new CockpitHttpError(404, `no cockpit endpoint GET ${path}`);
    }

    if (method !== 'POST') throw new CockpitHttpError(405, `${method} is not used by the cockpit`);
    requireNonSimple(req);
    const body = await readJson(req);
    const m7 = /^\/invoke\/([^/]+)$/.exec(api);
    if (m7) {
      return sendJson(res, 200, await invoke(decodeURIComponent(m7[1]), body ?? {}));
    }
    const m8 = /^\/invocations\/(\d+)\/replay$/.exec(api);
    if (m8) {
      const trace = traces.get(Number(m8[1]));
      if (!trace) throw new CockpitHttpError(404, `invocation ${m8[1]} is no longer kept`);
      return sendJson(res, 200, await invoke(trace.function, trace.event, { replayOf: `invocation:${trace.id}` }));
    }
    const m9 = /^\/failures\/([^/]+)\/([^/]+)\/replay$/.exec(api);
    if (m9) {
      const [, fn, file] = m9;
      const outcome = await invoke(fn, replayEvent(await readFailure(options.dataDir, fn, file)), {
        replayOf: `failure:${fn}/${file}`,
      });
      // A batch whose records fail again stays in the destination.
      const replayed = outcome.outcome === 'success' && !outcome.partialFailures;
      if (replayed) await markReplayed(options.dataDir, fn, file);
      return sendJson(res, 200, { ...outcome, replayed });
    }
    if (api === '/reset') {
      if (!options.reset) throw new CockpitHttpError(501, 'this stack cannot be reset while running');
      await options.reset();
      cockpit.clear();
      publish('reset', {});
      return sendJson(res, 200, { reset: true });
    }
    if (api === '/idle') {
      await options.idle?.();
      return sendJson(res, 200, { idle: true });
    }
    throw new CockpitHttpError(404, `no cockpit endpoint POST ${path}`);
  }

  const cockpit: Cockpit = {
    traces,
    journeys,
    invoke,
    publish,
    status,
    clear() {
      traces.clear();
      journeys.clear();
      ocrCache.clear();
    },
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/' && url.pathname !== '/index.html' && !url.pathname.startsWith(COCKPIT_PREFIX)) {
        return false;
      }
      const refused = refuseForeign(req);
      if (refused) {
        req.resume();
        sendJson(res, 403, { message: refused });
        return true;
      }
      try {
        await route(req, res, url);
      } catch (error) {
        const status =
          error instanceof CockpitHttpError
            ? error.status
            : typeof (error as { status?: unknown }).status === 'number'
              ? (error as { status: number }).status
              : 500;
        if (!res.headersSent) sendJson(res, status, { message: (error as Error).message, type: (error as Error).name });
        else res.destroy();
      }
      return true;
    },
    async close() {
      clearInterval(heartbeat);
      pipelineCounts.stop();
      clearTimeout(lagTimer);
      unsubscribe();
      restoreLogCapture();
      for (const subscriber of subscribers) subscriber.res.end();
      subscribers.clear();
      await Promise.all([traces.close(), resources.close()]);
    },
  };
  return cockpit;
}

/** Where `octember dev` appends its invocations (what `octember logs` reads). */
export function invocationLogFile(dataDir: string): string {
  return join(dataDir, 'logs', 'invocations.ndjson');
}
