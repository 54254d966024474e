import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A record in an on-failure destination (`<dataDir>/failures/<function>/<file>.json`). */
export interface FailureRecord {
  function: string;
  file: string;
  timestamp?: string;
  condition?: string;
  error?: string;
  /** Records in it (stream batches) or 1 (an asynchronous event). */
  records: number;
  bytes: number;
}

const SAFE_NAME = /^[A-Za-z0-9_.-]+$/;

export function failuresDir(dataDir: string): string {
  return join(dataDir, 'failures');
}

function pathOf(dataDir: string, fn: string, file: string): string {
  if (!SAFE_NAME.test(fn) || !SAFE_NAME.test(file) || !file.endsWith('.json')) {
    throw Object.assign(new Error(`no failure record ${fn}/${file}`), { status: 404 });
  }
  return join(failuresDir(dataDir), fn, file);
}

interface StoredFailure {
  timestamp?: string;
  requestContext?: { condition?: string };
  requestPayload?: unknown;
  responsePayload?: { errorMessage?: string };
  error?: { errorMessage?: string };
  records?: unknown[];
}

/** Newest first; `replayed/` subfolders are left out. */
export async function listFailures(dataDir: string): Promise<FailureRecord[]> {
  const root = failuresDir(dataDir);
  const functions = await readdir(root).catch(() => [] as string[]);
  const out: FailureRecord[] = [];
  for (const fn of functions) {
    const files = await readdir(join(root, fn)).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      const path = join(root, fn, file);
      try {
        const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
        const record = JSON.parse(text) as StoredFailure;
        out.push({
          function: fn,
          file,
          timestamp: record.timestamp,
          condition: record.requestContext?.condition,
          error: record.responsePayload?.errorMessage ?? record.error?.errorMessage,
          records: Array.isArray(record.records) ? record.records.length : 1,
          bytes: info.size,
        });
      } catch {
        // a record being written (temp + rename) or unreadable: listed next time
      }
    }
  }
  return out.sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? ''));
}

export async function countFailures(dataDir: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const root = failuresDir(dataDir);
  for (const fn of await readdir(root).catch(() => [] as string[])) {
    const files = await readdir(join(root, fn)).catch(() => [] as string[]);
    const n = files.filter((f) => f.endsWith('.json')).length;
    if (n > 0) counts[fn] = n;
  }
  return counts;
}

export async function readFailure(dataDir: string, fn: string, file: string): Promise<unknown> {
  return JSON.parse(await readFile(pathOf(dataDir, fn, file), 'utf8'));
}

/**
 * The event to invoke again: an asynchronous invocation's `requestPayload`, or a stream batch's records as the
 * event the mapping delivered.
 */
export function replayEvent(record: unknown): unknown {
  const stored = record as StoredFailure;
  if (stored.requestPayload !== undefined) return stored.requestPayload;
  if (Array.isArray(stored.records)) return { Records: stored.records };
  throw new Error('the failure record holds neither a requestPayload nor records');
}

/** After a successful replay the record moves to `replayed/` beside it, so the open failures are the ones left. */
export async function markReplayed(dataDir: string, fn: string, file: string): Promise<void> {
  const from = pathOf(dataDir, fn, file);
  const dir = join(failuresDir(dataDir), fn, 'replayed');
  await mkdir(dir, { recursive: true });
  await rename(from, join(dir, file));
}
