import { resolve } from 'node:path';
import { findRunningDev } from '../../cockpit/dev-client.js';
import { countFailures } from '../../cockpit/failures.js';
import type { PipelineStatus } from '../../cockpit/pipeline.js';

/** `octember status`: services, per-function counts, stream lag and failures of the running `octember dev`. */
export async function runStatus(opts: { dataDir: string; json: boolean }): Promise<number> {
  const dataDir = resolve(opts.dataDir);
  const dev = await findRunningDev(dataDir);
  if (!dev) {
    const failures = await countFailures(dataDir);
    if (opts.json) console.log(JSON.stringify({ running: false, dataDir, failures }, null, 2));
    else {
      console.log(`octember dev is not running for ${dataDir}`);
      const total = Object.values(failures).reduce((a, b) => a + b, 0);
      if (total > 0) console.log(`on-failure destination: ${total} record(s) ${JSON.stringify(failures)}`);
    }
    return 1;
  }
  const status = await dev.get<PipelineStatus>('/status');
  if (opts.json) {
    console.log(
      JSON.stringify({ running: true, pid: dev.pid, apiUrl: dev.apiUrl, endpoints: dev.endpoints, ...status }, null, 2),
    );
    return 0;
  }
  const out: string[] = [`octember dev (pid ${dev.pid}) since ${dev.startedAt}`, ''];
  out.push(`  Dashboard    ${dev.cockpitUrl}`);
  out.push(`  API          ${dev.apiUrl}/v1`);
  for (const [name, url] of Object.entries(dev.endpoints)) out.push(`  ${name.padEnd(12)} ${url ?? '-'}`);
  out.push('', '  function                  invocations  errors  avg ms  failures');
  for (const [name, s] of Object.entries(status.functions)) {
    const avg = s.invocations > 0 ? Math.round(s.totalDurationMs / s.invocations) : 0;
    out.push(
      `  ${name.padEnd(24)} ${String(s.invocations).padStart(12)} ${String(s.errors).padStart(7)} ${String(avg).padStart(7)} ${String(s.failures).padStart(9)}`,
    );
  }
  out.push('', '  stream → function                                    behind');
  for (const lag of status.lag) {
    const behind =
      lag.behind < 0
        ? 'unknown'
        : `${lag.behind}${lag.millisBehindLatest ? ` (${Math.round(lag.millisBehindLatest)} ms)` : ''}`;
    out.push(`  ${`${lag.stream} → ${lag.function}`.padEnd(52)} ${behind}`);
  }
  console.log(out.join('\n'));
  return 0;
}
