import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CardJourneys } from '../../src/cockpit/card-journeys.js';
import { coalesce, LagMonitor, pipelineGraph } from '../../src/cockpit/pipeline.js';
import { type Cockpit, createCockpit } from '../../src/cockpit/server.js';
import { TraceStore } from '../../src/cockpit/trace-store.js';
import { prettyLine } from '../../src/lib/log-format.js';
import { logger } from '../../src/lib/logger.js';
import { createInvoker, type InvocationTrace } from '../../src/runtime/invoker.js';
import type { Adapters } from '../../src/targets/adapters.js';
import { TOPOLOGY } from '../../src/topology/index.js';
import { kinesisEvent } from '../support/kinesis-event.js';

describe('the invoker trace hook', () => {
  it('reports each attempt with its event, result, logs (logger and console), source and duration', async () => {
    const invoker = createInvoker();
    const traces: InvocationTrace[] = [];
    invoker.onInvocation((t) => traces.push(t));
    invoker.register('echo', async (event: { Records: unknown[] }) => {
      logger.warn({ n: event.Records.length }, 'echo: working');
      console.log('plain console line');
      return { batchItemFailures: [{ itemIdentifier: '1' }] };
    });
    const { captureInvocationLogs } = await import('../../src/lib/logger.js');
    const release = captureInvocationLogs();
    const event = kinesisEvent([{ a: 1 }, { a: 2 }]);
    await invoker.invoke('echo', event);
    release();
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      function: 'echo',
      invocationType: 'RequestResponse',
      attempt: 1,
      outcome: 'success',
      source: 'kinesis',
      records: 2,
      partialFailures: 1,
      event,
    });
    expect(traces[0].logs.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'echo: working'],
      ['info', 'plain console line'],
    ]);
    expect(traces[0].logs[0].fields).toEqual({ n: 2 });
  });

  it('reports errors with their type and message, and replace() swaps code keeping the options', async () => {
    const invoker = createInvoker();
    const traces: InvocationTrace[] = [];
    const stop = invoker.onInvocation((t) => traces.push(t));
    const first = () => {
      throw new TypeError('boom');
    };
    invoker.register('f', first, { timeoutMs: 1000 });
    await expect(invoker.invoke('f', {})).rejects.toThrow('boom');
    expect(traces[0]).toMatchObject({
      outcome: 'error',
      source: 'direct',
      error: { errorType: 'TypeError', errorMessage: 'boom' },
    });
    expect(invoker.replace('f', () => 'new')).toBe(first);
    expect(await invoker.invoke('f', {})).toBe('new');
    expect(invoker.replace('missing', () => 1)).toBeUndefined();
    stop();
    await invoker.invoke('f', {});
    expect(traces).toHaveLength(2);
  });
});

describe('readable log lines', () => {
  it('prints one line per invocation: function, source, records, duration, outcome', () => {
    const line = prettyLine(
      {
        level: 30,
        time: Date.UTC(2026, 0, 1, 12, 0, 1, 234),
        msg: 'invocation',
        function: 'get-text-from-image',
        source: 'kinesis',
        sourceDetail: 'octember-bizcard-img',
        records: 3,
        durationMs: 412.4,
        outcome: 'success',
        requestId: 'r',
      },
      false,
    );
    expect(line).toMatch(/^12:00:01\.234 ✓ get-text-from-image\s+kinesis octember-bizcard-img\s+3 records\s+412 ms$/);
    const failed = prettyLine(
      {
        level: 40,
        time: 0,
        msg: 'invocation',
        function: 'trigger-text-extract',
        source: 's3',
        records: 1,
        durationMs: 5,
        outcome: 'error',
        attempt: 2,
        error: { errorType: 'Error', errorMessage: 'no stream' },
      },
      false,
    );
    expect(failed).toMatch(/✗ trigger-text-extract .*1 record .*5 ms {2}attempt 2 {2}Error: no stream$/);
    expect(
      prettyLine(
        {
          level: 50,
          time: 0,
          msg: 'Redis connection error',
          url: 'redis://x',
          err: { type: 'Error', message: 'refused' },
        },
        false,
      ),
    ).toBe('00:00:00.000 ERROR Redis connection error  url=redis://x err="Error: refused"');
  });
});

function trace(partial: Partial<InvocationTrace> & Pick<InvocationTrace, 'function'>): InvocationTrace {
  return {
    requestId: 'r',
    invocationType: 'RequestResponse',
    attempt: 1,
    startedAt: 1000,
    durationMs: 10,
    event: {},
    outcome: 'success',
    logs: [],
    source: 'direct',
    ...partial,
  };
}

describe('trace store and card journeys', () => {
  it('keeps the newest invocations within count and bytes, filters them and counts per function', () => {
    const store = new TraceStore({ capacity: 3 });
    for (let i = 0; i < 5; i++)
      store.add(trace({ function: i % 2 ? 'a' : 'b', outcome: i === 4 ? 'error' : 'success' }));
    expect(store.list().map((t) => t.id)).toEqual([5, 4, 3]);
    expect(store.list({ function: 'b' }).map((t) => t.id)).toEqual([5, 3]);
    expect(store.list({ outcome: 'error' }).map((t) => t.id)).toEqual([5]);
    expect(store.list({ after: 4 }).map((t) => t.id)).toEqual([5]);
    expect(store.functionStats().b).toMatchObject({ invocations: 3, errors: 1 });
    const small = new TraceStore({ maxBytes: 3000 });
    for (let i = 0; i < 5; i++) small.add(trace({ function: 'f', event: { pad: 'x'.repeat(1000) } }));
    expect(small.list().length).toBeLessThan(5);
  });

  it('appends one line per invocation to its log file, large events and results cut to a head', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'octember-trace-log-'));
    try {
      const logFile = join(dir, 'logs', 'invocations.ndjson');
      const store = new TraceStore({ logFile });
      const big = { Records: ['y'.repeat(40_000)] };
      store.add(trace({ function: 'f', event: big, result: { ok: true } }));
      store.add(trace({ function: 'g', event: { small: 1 }, result: undefined }));
      await store.close();
      const lines = (await readFile(logFile, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.id, l.function])).toEqual([
        [1, 'f'],
        [2, 'g'],
      ]);
      expect(lines[0].event).toMatchObject({ truncated: true, size: JSON.stringify(big).length });
      expect(lines[0].event.head).toBe(JSON.stringify(big).slice(0, 16 * 1024));
      expect(lines[0].result).toEqual({ ok: true });
      expect(lines[1]).toMatchObject({ event: { small: 1 }, logs: [], source: 'direct' });
      expect(lines[1]).not.toHaveProperty('result');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('follows a card from the upload through START, OCR and the consumers', () => {
    const store = new TraceStore();
    const journeys = new CardJourneys();
    const key = 'bizcard-raw-img/edy_1.jpg';
    const s3 = {
      Records: [
        { eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key } } },
      ],
    };
    const image = kinesisEvent([{ s3_bucket: 'b', s3_key: key }]);
    const text = kinesisEvent([{ s3_bucket: 'b', s3_key: key, owner: 'edy', data: { name: 'Edy Kim' } }]);
    for (const t of [
      trace({ function: 'trigger-text-extract', source: 's3', event: s3, startedAt: 1 }),
      trace({
        function: 'get-text-from-image',
        source: 'kinesis',
        event: image,
        startedAt: 2,
        result: { batchItemFailures: [] },
      }),
      trace({ function: 'upsert-to-search', source: 'kinesis', event: text, startedAt: 3 }),
    ]) {
      journeys.add(store.add(t));
    }
    const journey = journeys.get('edy_1.jpg');
    expect(journey).toMatchObject({ owner: 'edy', status: 'END', fields: { name: 'Edy Kim' }, key });
    expect(journey?.stages.map((s) => s.stage)).toEqual(['start', 'ocr', 'search']);
    const failedSeq = (image.Records[0] as { kinesis: { sequenceNumber: string } }).kinesis.sequenceNumber;
    journeys.add(
      store.add(
        trace({
          function: 'get-text-from-image',
          source: 'kinesis',
          event: image,
          startedAt: 4,
          result: { batchItemFailures: [{ itemIdentifier: failedSeq }] },
        }),
      ),
    );
    expect(journeys.get('edy_1.jpg')?.status).toBe('FAILED');
    // The same image put to S3 again: a new trip, its stages only; a retry of that trigger stays in it.
    journeys.add(store.add(trace({ function: 'trigger-text-extract', source: 's3', event: s3, startedAt: 10 })));
    journeys.add(
      store.add(trace({ function: 'trigger-text-extract', source: 's3', event: s3, startedAt: 11, attempt: 2 })),
    );
    expect(journeys.get('edy_1.jpg')).toMatchObject({ runs: 2, status: 'START', firstAt: 10, fields: undefined });
    expect(journeys.get('edy_1.jpg')?.stages.map((s) => s.stage)).toEqual(['start', 'start']);
  });
});

describe('the live pipeline counts', () => {
  it('answers with the last lag measurement at once, the first one when there is none', async () => {
    let n = 0;
    let release: (() => void) | undefined;
    const monitor = new LagMonitor(async () => {
      n++;
      if (n > 1) await new Promise<void>((r) => (release = r));
      return [{ stream: 's', function: 'f', behind: n }];
    }, [{ stream: 's', function: 'f' }]);
    expect((await monitor.latest())[0].behind).toBe(1);
    expect((await monitor.latest())[0].behind).toBe(1); // the second measurement is still running behind it
    release?.();
    expect((await monitor.refresh())[0].behind).toBe(2);
    // A first measurement slower than the wait: every mapping, marked as being measured.
    const slow = new LagMonitor(() => new Promise(() => {}), [{ stream: 's', function: 'f' }]);
    expect(await slow.latest(5)).toEqual([{ stream: 's', function: 'f', behind: -1, measuring: true }]);
  });

  it('coalesces triggers into one run at a time, and one more for those that came in meanwhile', async () => {
    const runs: number[] = [];
    let release: (() => void) | undefined;
    const task = coalesce(async () => {
      runs.push(runs.length);
      if (runs.length === 1) await new Promise<void>((r) => (release = r));
    }, 5);
    task.trigger();
    task.trigger();
    await expect.poll(() => runs.length).toBe(1);
    task.trigger();
    task.trigger();
    release?.();
    await expect.poll(() => runs.length).toBe(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toHaveLength(2);
    task.stop();
  });
});

describe('the pipeline graph', () => {
  it('has every function, stream and delivery stream of the topology, and every trigger as an edge', () => {
    const graph = pipelineGraph(TOPOLOGY);
    expect(graph.nodes.filter((n) => n.kind === 'function')).toHaveLength(TOPOLOGY.functions.length);
    expect(graph.nodes.filter((n) => n.kind === 'stream')).toHaveLength(TOPOLOGY.resources.streams.length);
    expect(graph.nodes.filter((n) => n.kind === 'delivery')).toHaveLength(TOPOLOGY.deliveryStreams.length);
    for (const m of TOPOLOGY.streamMappings)
      expect(graph.edges).toContainEqual({ from: `stream:${m.stream}`, to: `fn:${m.function}`, kind: 'trigger' });
    for (const r of TOPOLOGY.api.routes)
      expect(graph.edges.some((e) => e.from === 'api' && e.to === `fn:${r.function}`)).toBe(true);
    expect(graph.edges).toContainEqual({
      from: 'fn:trigger-text-extract',
      to: 'stream:octember-bizcard-img',
      kind: 'writes',
    });
  });
});

describe('the cockpit endpoints refuse hostile pages', () => {
  let server: Server;
  let base: string;
  let cockpit: Cockpit;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'octember-cockpit-'));
    const invoker = createInvoker();
    invoker.register('put-object-api', async (event: unknown) => ({ statusCode: 200, body: JSON.stringify(event) }));
    const adapters = {
      clients: { s3: {}, kinesis: {}, textract: {} },
      clientConfig: { region: 'us-east-1' },
    } as unknown as Adapters;
    cockpit = createCockpit({ invoker, adapters, dataDir, apiKey: 'k', endpoints: {} });
    server = createServer((req, res) => {
      void cockpit.handle(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await cockpit.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  });

  const invoke = (headers: Record<string, string>) =>
    fetch(`${base}/_octember/api/invoke/put-object-api`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ hello: 1 }),
    });

  it('serves the page with a strict content security policy, and its files', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(await page.text()).toContain('/_octember/ui/app.js');
    expect((await fetch(`${base}/_octember/ui/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${base}/_octember/ui/..%2F..%2Fserver.ts`)).status).toBe(404);
  });

  it('runs a change only as a non-simple same-origin request', async () => {
    const ok = await invoke({ 'content-type': 'application/json', 'x-octember-cockpit': '1' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ outcome: 'success', result: { statusCode: 200 } });
    // what a cross-site <form> can send
    expect((await invoke({ 'content-type': 'text/plain' })).status).toBe(403);
    expect((await invoke({ 'content-type': 'application/json' })).status).toBe(403);
    expect(
      (await invoke({ 'content-type': 'application/json', 'x-octember-cockpit': '1', origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    expect(
      (await invoke({ 'content-type': 'application/json', 'x-octember-cockpit': '1', 'sec-fetch-site': 'cross-site' }))
        .status,
    ).toBe(403);
    expect((await invoke({ 'content-type': 'application/json', 'x-octember-cockpit': '1', origin: base })).status).toBe(
      200,
    );
  });

  it('answers reads only under loopback names (no DNS rebinding) and not to other origins', async () => {
    const { request } = await import('node:http');
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${base}/_octember/api/config`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status({})).toBe(200);
    expect(await status({ host: 'attacker.example:3000' })).toBe(403);
    expect(await status({ host: 'localhost:3000' })).toBe(200);
    expect(await status({ origin: 'http://attacker.example' })).toBe(403);
    const config = await fetch(`${base}/_octember/api/config`);
    expect(config.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(config.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('names unknown functions and lists invocations', async () => {
    const unknown = await fetch(`${base}/_octember/api/invoke/nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-octember-cockpit': '1' },
      body: '{}',
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(
      /unknown function nope; the topology has put-object-api/,
    );
    const list = (await (await fetch(`${base}/_octember/api/invocations?function=put-object-api`)).json()) as {
      invocations: { function: string }[];
    };
    expect(list.invocations.length).toBeGreaterThan(0);
    expect(list.invocations[0]).not.toHaveProperty('event');
  });
});
