import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalStack } from '../targets/local-runtime.js';
import { resetStackData } from './reset.js';
import { type Cockpit, createCockpit, invocationLogFile } from './server.js';

/** What `octember dev` leaves in its data dir so that other commands (invoke, logs, status) find it. */
export interface DevState {
  pid: number;
  apiUrl: string;
  cockpitUrl: string;
  endpoints: LocalStack['endpoints'];
  startedAt: string;
}

export function devStateFile(dataDir: string): string {
  return join(dataDir, 'dev.json');
}

export interface AttachOptions {
  apiKey: string;
  /** Append invocations to `<dataDir>/logs/invocations.ndjson` (what `octember logs` reads). */
  logFile?: boolean;
  /** Write `<dataDir>/dev.json` so other commands find this stack. */
  stateFile?: boolean;
}

export interface AttachedCockpit {
  cockpit: Cockpit;
  /** Clears the stack's data and the cockpit's traces. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The cockpit over a running local stack: traces its invoker and serves the dashboard on its API port. */
export async function attachCockpit(stack: LocalStack, options: AttachOptions): Promise<AttachedCockpit> {
  const { dataDir, topology, endpoints } = stack;
  const reset = async () => {
    await resetStackData(stack);
    cockpit.clear();
  };
  const cockpit = createCockpit({
    invoker: stack.invoker,
    adapters: stack.adapters,
    dataDir,
    apiKey: options.apiKey,
    topology,
    endpoints,
    idle: () => stack.idle(),
    reset,
    trace: options.logFile ? { logFile: invocationLogFile(dataDir) } : undefined,
  });
  stack.api.mountDashboard(cockpit.handle);
  const stateFile = devStateFile(dataDir);
  if (options.stateFile) {
    const state: DevState = {
      pid: process.pid,
      apiUrl: stack.api.url,
      cockpitUrl: `${stack.api.url}/`,
      endpoints,
      startedAt: new Date().toISOString(),
    };
    await mkdir(dataDir, { recursive: true });
    await writeFile(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  }
  return {
    cockpit,
    reset,
    async close() {
      stack.api.mountDashboard(undefined);
      if (options.stateFile) await rm(stateFile, { force: true });
      await cockpit.close();
    },
  };
}
