import { resolve } from 'node:path';
import { DEFAULT_API_KEY } from '../../domain/names.js';
import { configureSharedGate, parseList } from '../../lib/request-gate.js';
import { formatStartupNotes, takeStartupNotes } from '../../lib/startup-notes.js';
import { startEmbeddedStack } from '../../targets/embedded.js';
import { targetFromEnvironment } from '../../targets/index.js';
import { loadChaosFile } from '../chaos-option.js';
import { waitForShutdown } from '../shutdown.js';

export interface DevOptions {
  port: number;
  dataDir: string;
  fresh: boolean;
  /** comma-separated browser origins allowed besides the dashboard */
  corsOrigins?: string;
  /** comma-separated Host names accepted besides loopback names */
  allowedHosts?: string;
  /** a Chaos API rule file to start with */
  chaos?: string;
  edgePort: number;
}

export async function runDev(opts: DevOptions): Promise<void> {
  const target = targetFromEnvironment();
  if (target !== 'embedded') {
    console.error(
      `octember dev runs the embedded target; OCTEMBER_TARGET=${target} is for handlers deployed against ` +
        `${target === 'aws' ? 'AWS (npx cdk deploy)' : 'docker compose services (docker compose up -d --wait)'}.`,
    );
    process.exitCode = 64;
    return;
  }
  const gate = configureSharedGate({ origins: parseList(opts.corsOrigins), hosts: parseList(opts.allowedHosts) });
  const chaosLine = loadChaosFile(opts.chaos);
  const apiKey = process.env.OCTEMBER_API_KEY || DEFAULT_API_KEY;
  const dataDir = resolve(opts.dataDir);
  const stack = await startEmbeddedStack({
    dataDir,
    fresh: opts.fresh,
    apiPort: opts.port,
    edgePort: opts.edgePort,
    apiKey,
  });
  const { endpoints } = stack.services;
  const lines = [
    `Octember dev is up (embedded target) in ${Math.round(stack.readyMs)} ms; data in ${dataDir}`,
    '',
    `  API          ${stack.api.url}/v1   (x-api-key: ${apiKey})`,
    `  AWS edge     ${endpoints.edge}   (AWS_ENDPOINT_URL; S3, Kinesis, Firehose, Textract, CloudSearch)`,
    `  OpenSearch   ${endpoints.opensearch ?? '-'}`,
    `  Gremlin      ${endpoints.gremlin ?? '-'}`,
    `  Redis        ${endpoints.redis ?? 'in-memory (no redis-server found)'}`,
    `  Browsers     pages of ${[stack.api.url, ...extraOrigins(gate.describe().origins, stack.api.port)].join(', ')} only (--cors-origins)`,
    ...(chaosLine ? [`  Chaos        ${chaosLine}`] : []),
    ...formatStartupNotes(takeStartupNotes(dataDir)),
    '',
    `  try: curl -X PUT -H 'x-api-key: ${apiKey}' --data-binary @card.jpg ${stack.api.url}/v1/octember-bizcard/bizcard-raw-img/edy_card1.jpg`,
    `       curl -H 'x-api-key: ${apiKey}' ${stack.api.url}/v1/status/edy_card1.jpg`,
    '',
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  stack.services.warmUpOcr?.().then(
    ({ ms }) => console.log(`OCR model loaded in ${Math.round(ms)} ms`),
    (error) => console.error(`OCR model failed to load: ${(error as Error).message}`),
  );
  await waitForShutdown(() => stack.close());
}

/** Allowed origins besides the dashboard's own (the API port under its loopback names). */
function extraOrigins(origins: string[], apiPort: number): string[] {
  return origins.filter((origin) => !origin.endsWith(`:${apiPort}`));
}
