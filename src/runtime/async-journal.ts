// Lambda's asynchronous invocation queue is durable in AWS: an event S3 handed to Lambda is run (or reaches the
// on-failure destination) even if a host dies. Locally the queue lives in this process, so every event is written
// to a journal before the invoke is queued (before the S3 request that caused it is answered) and marked done when
// its invocation settles. A start-up re-drives what an earlier run accepted but never finished.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppendLog } from '../lib/durable-file.js';
import { logger } from '../lib/logger.js';
import { noteStartup } from '../lib/startup-notes.js';
import type { AsyncInvocation, Invoker } from './invoker.js';

type JournalEntry = { t: 'accepted'; id: string; fn: string; event: unknown; at: string } | { t: 'done'; id: string };

export interface AsyncJournal {
  /** Journals the event (synchronously, so it is on disk before the caller answers anyone), then invokes. */
  invokeAsync(invoker: Invoker, functionName: string, event: unknown): AsyncInvocation;
  /** Events of earlier runs that never finished, re-driven once (call when every function is registered). */
  recover(invoker: Invoker): AsyncInvocation[];
  /** Accepted and not yet finished. */
  readonly pending: number;
  close(): Promise<void>;
}

/** Done entries tolerated before the journal is rewritten with the pending ones only. */
const COMPACT_AFTER = 1000;

export async function openAsyncJournal(dir: string): Promise<AsyncJournal> {
  const { log, entries } = await AppendLog.open<JournalEntry>(join(dir, 'async-invocations.log'), 'runtime');
  const pending = new Map<string, Extract<JournalEntry, { t: 'accepted' }>>();
  for (const entry of entries) {
    if (entry.t === 'accepted') pending.set(entry.id, entry);
    else pending.delete(entry.id);
  }
  const unfinished = [...pending.values()];
  // Start from a journal holding only what is still to do (nothing to rewrite when that is all it holds already).
  if (entries.length > unfinished.length) await log.rewrite(() => unfinished);
  let doneSinceCompaction = 0;
  let compacting: Promise<void> | undefined;

  const markDone = (id: string) => {
    pending.delete(id);
    log.append([{ t: 'done', id }]).catch((err) => logger.warn({ err, id }, 'async journal: could not mark done'));
    if (++doneSinceCompaction >= COMPACT_AFTER && !compacting) {
      doneSinceCompaction = 0;
      compacting = log
        .rewrite(() => [...pending.values()])
        .catch((err) => logger.warn({ err }, 'async journal: compaction failed'))
        .finally(() => {
          compacting = undefined;
        });
    }
  };

  const run = (invoker: Invoker, entry: Extract<JournalEntry, { t: 'accepted' }>): AsyncInvocation => {
    const invocation = invoker.invokeAsync(entry.fn, entry.event);
    void invocation.completion.then(() => markDone(entry.id));
    return invocation;
  };

  return {
    invokeAsync(invoker, functionName, event) {
      const entry: JournalEntry = {
        t: 'accepted',
        id: randomUUID(),
        fn: functionName,
        event,
        at: new Date().toISOString(),
      };
      pending.set(entry.id, entry);
      // written before returning (the append is synchronous); the fdatasync follows within milliseconds
      log.append([entry]).catch((err) => logger.error({ err }, 'async journal: append failed'));
      return run(invoker, entry);
    },
    recover(invoker) {
      if (unfinished.length === 0) return [];
      noteStartup({
        component: 'runtime',
        file: log.file,
        message: `${unfinished.length} asynchronous invocation(s) accepted by an earlier run and not finished: re-driven (${summarize(unfinished)})`,
      });
      return unfinished.splice(0).map((entry) => run(invoker, entry));
    },
    get pending() {
      return pending.size;
    },
    async close() {
      await compacting;
      await log.close();
    },
  };
}

function summarize(entries: { fn: string }[]): string {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.fn, (counts.get(e.fn) ?? 0) + 1);
  return [...counts].map(([fn, n]) => `${n} × ${fn}`).join(', ');
}
