import { resolve } from 'node:path';
import { configureSharedGate, parseList } from '../../lib/request-gate.js';
import { formatStartupNotes, takeStartupNotes } from '../../lib/startup-notes.js';
import { parseServices, startEmbeddedServices } from '../../targets/embedded-services.js';
import { loadChaosFile } from '../chaos-option.js';
import { waitForShutdown } from '../shutdown.js';

export interface EmulateOptions {
  services: string;
  gremlinDialect: 'neptune' | 'tinkerpop';
  edgePort: number;
  opensearchPort: number;
  gremlinPort: number;
  redisPort: number;
  dataDir: string;
  fresh: boolean;
  /** comma-separated browser origins allowed besides the dashboard */
  corsOrigins?: string;
  /** comma-separated Host names accepted besides loopback names */
  allowedHosts?: string;
  /** a Chaos API rule file to start with */
  chaos?: string;
  host: string;
}

export async function runEmulate(opts: EmulateOptions): Promise<void> {
  configureSharedGate({ origins: parseList(opts.corsOrigins), hosts: parseList(opts.allowedHosts) });
  const chaosLine = loadChaosFile(opts.chaos);
  const services = parseServices(opts.services);
  const dataDir = resolve(opts.dataDir);
  const running = await startEmbeddedServices({
    dataDir,
    fresh: opts.fresh,
    services,
    gremlinDialect: opts.gremlinDialect,
    host: opts.host,
    ports: { edge: opts.edgePort, opensearch: opts.opensearchPort, gremlin: opts.gremlinPort, redis: opts.redisPort },
  });
  const { endpoints } = running;
  const aws = services.filter((s) => ['s3', 'kinesis', 'firehose', 'textract', 'cloudsearch'].includes(s));
  const lines = [`Octember emulators up in ${Math.round(running.readyMs)} ms; data in ${dataDir}`, ''];
  if (aws.length > 0)
    lines.push(`  AWS edge     ${endpoints.edge}   (${aws.join(', ')}; AWS_ENDPOINT_URL=${endpoints.edge})`);
  if (endpoints.opensearch) lines.push(`  OpenSearch   ${endpoints.opensearch}`);
  if (endpoints.gremlin) lines.push(`  Gremlin      ${endpoints.gremlin}   (dialect ${opts.gremlinDialect})`);
  if (services.includes('redis'))
    lines.push(`  Redis        ${endpoints.redis ?? 'not started: redis-server is not installed'}`);
  if (chaosLine) lines.push(`  Chaos        ${chaosLine}`);
  lines.push(...formatStartupNotes(takeStartupNotes(dataDir)), '', 'Ctrl-C to stop.');
  console.log(lines.join('\n'));
  running.warmUpOcr?.().then(
    ({ ms }) => console.log(`OCR model loaded in ${Math.round(ms)} ms`),
    (error) => console.error(`OCR model failed to load: ${(error as Error).message}`),
  );
  await waitForShutdown(() => running.close());
}
