import { readFile } from 'node:fs/promises';
import { type DevState, devStateFile } from './attach.js';
import { COCKPIT_HEADER } from './http.js';

/** A running `octember dev` found through its state file, answering on its cockpit endpoint. */
export interface RunningDev extends DevState {
  /** GET a cockpit JSON endpoint (`/status`, `/invocations`...). */
  get<T>(path: string): Promise<T>;
  /** POST JSON to a cockpit endpoint (non-simple: JSON + the cockpit header). */
  post<T>(path: string, body: unknown): Promise<T>;
}

export class CockpitRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new CockpitRequestError(response.status, body?.message ?? `HTTP ${response.status}`);
  return body as T;
}

/** The `octember dev` that owns `dataDir`, if it is up (its pid lives and its cockpit answers within a second). */
export async function findRunningDev(dataDir: string): Promise<RunningDev | undefined> {
  let state: DevState;
  try {
    state = JSON.parse(await readFile(devStateFile(dataDir), 'utf8')) as DevState;
  } catch {
    return undefined;
  }
  if (!alive(state.pid)) return undefined;
  const base = `${state.apiUrl}/_octember/api`;
  try {
    const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(1000) });
    if (!health.ok) return undefined;
  } catch {
    return undefined;
  }
  return {
    ...state,
    get: async (path) => parse(await fetch(`${base}${path}`)),
    post: async (path, body) =>
      parse(
        await fetch(`${base}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [COCKPIT_HEADER]: '1' },
          body: JSON.stringify(body ?? {}),
        }),
      ),
  };
}
