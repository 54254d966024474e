import type { InvocationLogLine } from '../lib/invocation-context.js';
import { type LogFormat, prettyLine } from '../lib/log-format.js';
import { logFormatFromEnvironment } from '../lib/logger.js';

const LEVEL_NUMBERS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export interface PrintableInvocation {
  function: string;
  requestId?: string;
  outcome: 'success' | 'error';
  durationMs?: number;
  attempt?: number;
  source?: string;
  sourceDetail?: string;
  records?: number;
  partialFailures?: number;
  startedAt?: number;
  error?: { errorType: string; errorMessage: string };
  logs?: InvocationLogLine[];
}

export function outputFormat(wanted?: string): LogFormat {
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return logFormatFromEnvironment();
}

/** A function's own log lines, then its one-line summary; JSON lines in the json format. */
export function printInvocation(
  inv: PrintableInvocation,
  format: LogFormat,
  write: (line: string) => void,
  { withLogs = true }: { withLogs?: boolean } = {},
): void {
  const color = format === 'pretty' && process.stderr.isTTY === true && !process.env.NO_COLOR;
  if (format === 'json') {
    write(JSON.stringify({ ...inv, logs: withLogs ? inv.logs : undefined }));
    return;
  }
  if (withLogs) {
    for (const line of inv.logs ?? []) {
      write(
        `  ${prettyLine({ level: LEVEL_NUMBERS[line.level] ?? 30, time: line.time, msg: line.msg, ...line.fields }, color)}`,
      );
    }
  }
  const { logs: _logs, startedAt, ...fields } = inv;
  write(prettyLine({ level: 30, time: startedAt ?? Date.now(), msg: 'invocation', ...fields }, color));
}
