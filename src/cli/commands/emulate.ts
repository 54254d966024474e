import { resolve } from 'node:path';
import { configureSharedGate, parseList } from '../../lib/request-gate.js';
import { formatStartupNotes, takeStartupNotes } from '../../lib/startup-notes.js';
import { attachStandaloneFirehose, DEFAULT_LAMBDA_ENDPOINT } from '../../targets/containers-standin.js';
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
  /** Lambda Invoke API that runs Firehose's processors (the containers runtime; SAM's start-lambda). */
  lambdaEndpoint?: string;
  s3Accounts?: string;
  cloudsearchSchema?: string;
}

export async function runEmulate(opts: EmulateOptions): Promise<void> {
  configureSharedGate({ origins: parseList(opts.corsOrigins), hosts: parseList(opts.allowedHosts) });
  const chaosLine = await loadChaosFile(opts.chaos);
  const services = parseServices(opts.services);
  const dataDir = resolve(opts.dataDir);
  const running = await startEmbeddedServices({
    dataDir,
    fresh: opts.fresh,
    services,
    gremlinDialect: opts.gremlinDialect,
    cloudSearchSchema: opts.cloudsearchSchema ? resolve(opts.cloudsearchSchema) : undefined,
    host: opts.host,
    s3Accounts: opts.s3Accounts,
    ports: { edge: opts.edgePort, opensearch: opts.opensearchPort, gremlin: opts.gremlinPort, redis: opts.redisPort },
  });
  const { endpoints } = running;
  const lambdaEndpoint = opts.lambdaEndpoint || process.env.AWS_ENDPOINT_URL_LAMBDA || DEFAULT_LAMBDA_ENDPOINT;
  const closers: (() => Promise<void>)[] = [];
  if (running.firehose && running.s3 && endpoints.edge) {
    const edgeUrl = endpoints.edge.replace('://0.0.0.0:', '://127.0.0.1:');
    closers.push(attachStandaloneFirehose({ firehose: running.firehose, s3: running.s3, edgeUrl, lambdaEndpoint }));
  } else if (running.firehose) {
    console.error('firehose without s3 in the same emulator process has no destination: add s3 to --services');
  }
  const aws = services.filter((s) => ['s3', 'sqs', 'kinesis', 'firehose', 'textract', 'cloudsearch'].includes(s));
  const lines = [`Octember emulators up in ${Math.round(running.readyMs)} ms; data in ${dataDir}`, ''];
  if (aws.length > 0)
    lines.push(`  AWS edge     ${endpoints.edge}   (${aws.join(', ')}; AWS_ENDPOINT_URL=${endpoints.edge})`);
  if (running.firehose && running.s3)
    lines.push(`  Firehose processors run at ${lambdaEndpoint}   (Lambda Invoke API)`);
  if (endpoints.opensearch) lines.push(`  OpenSearch   ${endpoints.opensearch}`);
  if (endpoints.gremlin) lines.push(`  Gremlin      ${endpoints.gremlin}   (dialect ${opts.gremlinDialect})`);
  if (services.includes('redis'))
    lines.push(`  Redis        ${endpoints.redis ?? 'not started: redis-server is not installed'}`);
  if (chaosLine) lines.push(`  Chaos        ${chaosLine}`);
  for (const line of running.s3?.startupSummary() ?? []) lines.push(`  ! ${line}`);
  lines.push(...formatStartupNotes(takeStartupNotes(dataDir)), '', 'Ctrl-C to stop.');
  console.log(lines.join('\n'));
  running.warmUpOcr?.().then(
    ({ ms }) => console.log(`OCR model loaded in ${Math.round(ms)} ms`),
    (error) => console.error(`OCR model failed to load: ${(error as Error).message}`),
  );
  await waitForShutdown(async () => {
    for (const close of closers) await close();
    await running.close();
  });
}
