import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CockpitRequestError, findRunningDev } from '../../cockpit/dev-client.js';
import { type InvokeOutcome, invokeTraced } from '../../cockpit/invoke-outcome.js';
import { DEFAULT_API_KEY } from '../../domain/names.js';
import type { InvocationTrace } from '../../runtime/invoker.js';
import { functionDef, isFunctionName, TOPOLOGY } from '../../topology/index.js';
import { outputFormat, printInvocation } from '../print-invocation.js';

export interface InvokeOptions {
  event?: string;
  dataDir: string;
  logFormat?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `octember invoke FUNCTION --event FILE|-`: exit 0 on success, 1 on a function error, 2 on a usage error. */
export async function runInvoke(name: string, opts: InvokeOptions): Promise<number> {
  if (!isFunctionName(name)) {
    console.error(
      `octember invoke: unknown function ${name}; the topology has ${TOPOLOGY.functions.map((f) => f.name).join(', ')}`,
    );
    return 2;
  }
  let event: unknown = {};
  if (opts.event !== undefined) {
    let text: string;
    try {
      text = opts.event === '-' ? await readStdin() : await readFile(opts.event, 'utf8');
    } catch (error) {
      console.error(`octember invoke: cannot read the event ${opts.event}: ${(error as Error).message}`);
      return 2;
    }
    try {
      event = JSON.parse(text);
    } catch (error) {
      console.error(`octember invoke: the event is not JSON: ${(error as Error).message}`);
      return 2;
    }
  }
  const format = outputFormat(opts.logFormat);
  const dataDir = resolve(opts.dataDir);
  const dev = await findRunningDev(dataDir);
  let outcome: InvokeOutcome;
  if (dev) {
    try {
      outcome = await dev.post<InvokeOutcome>(`/invoke/${encodeURIComponent(name)}`, event);
    } catch (error) {
      console.error(`octember invoke: ${(error as Error).message}`);
      return error instanceof CockpitRequestError && error.status < 500 ? 2 : 1;
    }
  } else {
    outcome = await invokeInProcess(name, event, dataDir);
  }
  printInvocation({ ...outcome, startedAt: Date.now() - (outcome.durationMs ?? 0) }, format, (line) =>
    process.stderr.write(`${line}\n`),
  );
  if (outcome.outcome === 'error') {
    process.stdout.write(
      `${JSON.stringify({ errorType: outcome.error?.errorType, errorMessage: outcome.error?.errorMessage }, null, 2)}\n`,
    );
    return 1;
  }
  process.stdout.write(`${JSON.stringify(outcome.result ?? null, null, 2)}\n`);
  return 0;
}

/**
 * No `octember dev` runs: a function without ports runs alone; any other gets the embedded target started
 * in-process on free ports over the same data dir, and stopped afterwards.
 */
async function invokeInProcess(name: string, event: unknown, dataDir: string): Promise<InvokeOutcome> {
  const def = functionDef(name);
  const { createInvoker } = await import('../../runtime/invoker.js');
  let invoker: import('../../runtime/invoker.js').Invoker;
  let stop: () => Promise<void> = async () => undefined;
  if (def.ports.length === 0) {
    invoker = createInvoker({ dataDir });
    // No ports, no settings: the module's own factory is all it takes.
    const { loadHandler } = await import('../../targets/functions.js');
    const handler = await loadHandler(def);
    invoker.register(name, handler.create({} as Parameters<typeof handler.create>[0], {}), {
      timeoutMs: def.timeoutSeconds * 1000,
    });
  } else {
    console.error(`no running octember dev for ${dataDir}: starting the embedded target in-process…`);
    const { startEmbeddedStack } = await import('../../targets/embedded.js');
    const stack = await startEmbeddedStack({
      dataDir,
      apiKey: process.env.OCTEMBER_API_KEY || DEFAULT_API_KEY,
      apiPort: 0,
      edgePort: 0,
      ports: { opensearch: 0, gremlin: 0, redis: 0 },
    });
    console.error(`embedded target ready in ${Math.round(stack.readyMs)} ms`);
    invoker = stack.invoker;
    stop = () => stack.close();
  }
  const traces: InvocationTrace[] = [];
  invoker.onInvocation((t) => {
    if (t.function === name) traces.push(t);
  });
  try {
    return await invokeTraced(name, traces, () => invoker.invoke(name, event));
  } finally {
    await stop();
  }
}
