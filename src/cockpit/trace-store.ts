import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { InvocationTrace } from '../runtime/invoker.js';

/** A traced invocation attempt with the store's own id (newest has the highest). */
export interface TracedInvocation extends InvocationTrace {
  id: number;
  /** The invocation this one replayed (a trace id, or a failure record's id). */
  replayOf?: string;
}

/** What lists carry: everything but the (possibly large) event, result and logs. */
export type InvocationSummary = Omit<TracedInvocation, 'event' | 'result' | 'logs'> & { logLines: number };

export interface InvocationFilter {
  function?: string;
  outcome?: 'success' | 'error';
  source?: string;
  /** Only ids above this one. */
  after?: number;
  limit?: number;
}

export interface FunctionStats {
  invocations: number;
  errors: number;
  /** Records partial batch responses reported as failed. */
  failedRecords: number;
  totalDurationMs: number;
  lastAt?: number;
}

export interface TraceStoreOptions {
  /** Most invocations kept in memory (default 1000). */
  capacity?: number;
  /** Serialized size kept in memory, events and results included (default 32 MiB): the oldest go first. */
  maxBytes?: number;
  /** Appends one JSON line per invocation (events truncated) here; rotated to `.1` past 20 MiB. */
  logFile?: string;
}

const FILE_ROTATE_BYTES = 20 * 1024 * 1024;
const FILE_EVENT_CHARS = 16 * 1024;

/** A value's JSON, once (undefined for undefined or what cannot be serialized). */
function jsonOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The JSON of a value for the log file: as it is up to `chars`, else a head of it. */
function fileJson(json: string, chars: number): string {
  return json.length <= chars
    ? json
    : JSON.stringify({ truncated: true, size: json.length, head: json.slice(0, chars) });
}

export function summarize(trace: TracedInvocation): InvocationSummary {
  const { event: _event, result: _result, logs, ...rest } = trace;
  return { ...rest, logLines: logs.length };
}

/** Recent invocations (ring buffer bounded by count and bytes), per-function counters and live subscribers. */
export class TraceStore {
  private readonly items: { trace: TracedInvocation; bytes: number }[] = [];
  private bytes = 0;
  private nextId = 1;
  private readonly listeners = new Set<(trace: TracedInvocation) => void>();
  private readonly stats = new Map<string, FunctionStats>();
  private file?: WriteStream;
  private fileBytes = 0;
  private fileReady?: Promise<void>;
  private pendingLines: string[] = [];
  private readonly capacity: number;
  private readonly maxBytes: number;

  constructor(private readonly options: TraceStoreOptions = {}) {
    this.capacity = options.capacity ?? 1000;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  add(trace: InvocationTrace, extra: { replayOf?: string } = {}): TracedInvocation {
    const traced: TracedInvocation = { ...trace, ...extra, id: this.nextId++ };
    // Event and result serialized once: their size bounds the memory kept, and the log file line reuses them.
    const event = jsonOf(trace.event);
    const result = jsonOf(trace.result);
    const bytes = (event?.length ?? 0) + (result?.length ?? 0) + 512;
    this.items.push({ trace: traced, bytes });
    this.bytes += bytes;
    while (this.items.length > this.capacity || (this.bytes > this.maxBytes && this.items.length > 1)) {
      const dropped = this.items.shift();
      if (dropped) this.bytes -= dropped.bytes;
    }
    const stats = this.stats.get(trace.function) ?? { invocations: 0, errors: 0, failedRecords: 0, totalDurationMs: 0 };
    stats.invocations++;
    if (trace.outcome === 'error') stats.errors++;
    stats.failedRecords += trace.partialFailures ?? 0;
    stats.totalDurationMs += trace.durationMs;
    stats.lastAt = trace.startedAt + trace.durationMs;
    this.stats.set(trace.function, stats);
    this.persist(traced, event, result);
    for (const listener of this.listeners) listener(traced);
    return traced;
  }

  get(id: number): TracedInvocation | undefined {
    return this.items.find((item) => item.trace.id === id)?.trace;
  }

  /** Newest first. */
  list(filter: InvocationFilter = {}): TracedInvocation[] {
    const out: TracedInvocation[] = [];
    const limit = filter.limit ?? 200;
    for (let i = this.items.length - 1; i >= 0 && out.length < limit; i--) {
      const trace = this.items[i].trace;
      if (filter.after !== undefined && trace.id <= filter.after) break;
      if (filter.function && trace.function !== filter.function) continue;
      if (filter.outcome && trace.outcome !== filter.outcome) continue;
      if (filter.source && trace.source !== filter.source) continue;
      out.push(trace);
    }
    return out;
  }

  functionStats(): Record<string, FunctionStats> {
    return Object.fromEntries(this.stats);
  }

  /** The id the next invocation will get (what `after` filters compare against). */
  get lastId(): number {
    return this.nextId - 1;
  }

  subscribe(listener: (trace: TracedInvocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.items.length = 0;
    this.bytes = 0;
    this.stats.clear();
  }

  async close(): Promise<void> {
    if (this.pendingLines.length > 0 && this.options.logFile) this.writePending(this.options.logFile);
    await this.fileReady;
    const file = this.file;
    this.file = undefined;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }

  private persist(trace: TracedInvocation, event: string | undefined, result: string | undefined) {
    const path = this.options.logFile;
    if (!path) return;
    const { event: _event, result: _result, ...rest } = trace;
    const fields = JSON.stringify(rest);
    const extra =
      (event === undefined ? '' : `,"event":${fileJson(event, FILE_EVENT_CHARS)}`) +
      (result === undefined ? '' : `,"result":${fileJson(result, FILE_EVENT_CHARS)}`);
    this.pendingLines.push(`${fields.slice(0, -1)}${extra}}\n`);
    // Lines of invocations ending close together go to the file in one write.
    if (this.pendingLines.length === 1) setImmediate(() => this.writePending(path));
  }

  private writePending(path: string) {
    if (this.pendingLines.length === 0) return;
    const lines = this.pendingLines.join('');
    this.pendingLines = [];
    this.fileReady = (this.fileReady ?? this.open(path)).then(async () => {
      if (this.fileBytes > 0 && this.fileBytes + lines.length > FILE_ROTATE_BYTES) {
        await new Promise<void>((resolve) => this.file?.end(resolve));
        await rename(path, `${path}.1`).catch(() => undefined);
        this.file = createWriteStream(path, { flags: 'a' });
        this.fileBytes = 0;
      }
      this.file?.write(lines);
      this.fileBytes += lines.length;
    });
  }

  private async open(path: string) {
    await mkdir(dirname(path), { recursive: true });
    this.fileBytes = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    this.file = createWriteStream(path, { flags: 'a' });
  }
}
