// Graph state on disk: one JSON snapshot, written atomically (debounced after changes and on close), plus a log of
// the mutating requests since that snapshot. A mutating request is logged before it is answered, so a crash loses
// nothing a client was told succeeded: the start-up replays the log over the snapshot.
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { AppendLog, writeFileDurably } from '../../../lib/durable-file.js';
import { logger } from '../../../lib/logger.js';
import { noteStartup, quarantineName } from '../../../lib/startup-notes.js';

export interface GraphSnapshotSource {
  toJSON(): unknown;
}

/** One mutating request as it came over the wire, with the ids the graph generated while running it. */
export interface LoggedMutation {
  seq: number;
  /** the request frame (mime header + body), base64 */
  frame: string;
  /** ids handed out by the id generator, in order (random UUIDs in the neptune dialect) */
  ids?: unknown[];
}

const SEQ_KEY = 'octemberLogSeq';

export class GraphPersistence {
  readonly file: string;
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private log: AppendLog<LoggedMutation> | undefined;
  private seq = 0;
  /** Logged since the last snapshot (the log is rewritten to these after each snapshot). */
  private unsnapshotted: LoggedMutation[] = [];
  private saving: Promise<void> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly graph: GraphSnapshotSource,
    private readonly debounceMs = 500,
  ) {
    this.file = join(dataDir, 'gremlin', 'graph.json');
  }

  /** The saved graph document, or undefined when there is none yet (an unreadable one is quarantined). */
  static read(dataDir: string): unknown {
    const file = join(dataDir, 'gremlin', 'graph.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text);
    } catch {
      const movedTo = quarantineName(file);
      renameSync(file, movedTo);
      noteStartup({
        component: 'gremlin',
        file,
        movedTo,
        message: `the graph snapshot is unreadable; moved aside to ${movedTo}, the graph starts from the mutation log alone`,
      });
      return undefined;
    }
  }

  /** Opens the mutation log; returns the mutations the snapshot `saved` does not hold yet, to replay in order. */
  async openLog(saved: unknown): Promise<LoggedMutation[]> {
    const { log, entries } = await AppendLog.open<LoggedMutation>(join(this.file, '..', 'mutations.log'), 'gremlin');
    this.log = log;
    const snapshotSeq = Number((saved as Record<string, unknown> | undefined)?.[SEQ_KEY] ?? 0);
    const pending = entries.filter((e) => e.seq > snapshotSeq);
    this.seq = Math.max(snapshotSeq, ...entries.map((e) => e.seq));
    this.unsnapshotted = [...pending];
    return pending;
  }

  /** Logs a mutating request (written at once); resolves when it is on stable storage. */
  logMutation(frame: Buffer, ids: unknown[] | undefined): Promise<void> {
    if (!this.log) return Promise.resolve();
    const entry: LoggedMutation = { seq: ++this.seq, frame: frame.toString('base64'), ...(ids?.length ? { ids } : {}) };
    this.unsnapshotted.push(entry);
    return this.log.append([entry]);
  }

  markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  /**
   * Writes the snapshot now if the graph changed: serialised here (the state at the current log seq), written and
   * fsynced off the event loop; the log is compacted only once the snapshot is durable.
   */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.dirty) return this.saving;
    this.dirty = false;
    const seq = this.seq;
    const text = JSON.stringify({ ...(this.graph.toJSON() as object), [SEQ_KEY]: seq });
    const save = async () => {
      await writeFileDurably(this.file, text);
      // the snapshot holds everything logged so far: the log keeps only what comes after it
      await this.log?.rewrite(() => {
        this.unsnapshotted = this.unsnapshotted.filter((e) => e.seq > seq);
        return this.unsnapshotted;
      });
    };
    // one snapshot at a time, in order; a failed one leaves the log whole (it is replayed over the older snapshot)
    this.saving = this.saving.then(save).catch((err) => {
      this.dirty = true;
      logger.error({ err, file: this.file }, 'gremlin: could not write the graph snapshot');
    });
    return this.saving;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.log?.close();
  }
}

/**
 * Wraps the graph's id generator: records the ids a logged request was given, and hands the same ids out again
 * when the log is replayed, so elements keep the ids their clients saw.
 */
export class IdRecorder {
  private recording: unknown[] | undefined;
  private replaying: unknown[] = [];

  constructor(private readonly base: (kind: string) => unknown) {}

  readonly next = (kind: string): unknown => {
    if (this.replaying.length > 0) return this.replaying.shift();
    const id = this.base(kind);
    this.recording?.push(id);
    return id;
  };

  record(): void {
    this.recording = [];
  }

  take(): unknown[] | undefined {
    const ids = this.recording;
    this.recording = undefined;
    return ids;
  }

  replay(ids: readonly unknown[] | undefined): void {
    this.replaying = [...(ids ?? [])];
  }
}
