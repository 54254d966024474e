import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { invocationLogFile } from '../../cockpit/server.js';
import type { TracedInvocation } from '../../cockpit/trace-store.js';
import { outputFormat, printInvocation } from '../print-invocation.js';

export interface LogsOptions {
  dataDir: string;
  follow: boolean;
  function?: string;
  logFormat?: string;
  /** Invocations shown from the past (default 50). */
  tail: number;
}

/** `octember logs`: the invocations `octember dev` recorded (its data dir's log), then new ones with --follow. */
export async function runLogs(opts: LogsOptions): Promise<number> {
  const file = invocationLogFile(resolve(opts.dataDir));
  const format = outputFormat(opts.logFormat);
  const show = (line: string) => {
    if (!line.trim()) return;
    let inv: TracedInvocation;
    try {
      inv = JSON.parse(line) as TracedInvocation;
    } catch {
      return;
    }
    if (opts.function && inv.function !== opts.function) return;
    printInvocation(inv, format, (text) => process.stdout.write(`${text}\n`), {
      withLogs:
        format === 'json' ||
        inv.outcome === 'error' ||
        (inv.logs ?? []).some((l) => l.level !== 'info' && l.level !== 'debug'),
    });
  };
  let offset = 0;
  let pending = '';
  const readNew = async () => {
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size < offset) offset = 0; // rotated
    if (size === offset) return [];
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      await handle.read(buffer, 0, buffer.length, offset);
      offset = size;
      const text = pending + buffer.toString('utf8');
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      return lines;
    } finally {
      await handle.close();
    }
  };
  const existing = await readNew();
  const matching = opts.function ? existing.filter((l) => l.includes(`"function":"${opts.function}"`)) : existing;
  if (existing.length === 0 && !opts.follow) {
    console.error(`no invocations recorded yet in ${file} (octember dev writes them there)`);
    return 0;
  }
  for (const line of matching.slice(-opts.tail)) show(line);
  if (!opts.follow) return 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    for (const line of await readNew()) show(line);
  }
}
