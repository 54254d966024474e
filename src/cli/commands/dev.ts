import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_API_KEY } from '../../domain/names.js';
import { configureSharedGate, parseList } from '../../lib/request-gate.js';
import { formatStartupNotes, takeStartupNotes } from '../../lib/startup-notes.js';
import type { LocalStack } from '../../targets/local-runtime.js';
import { targetFromEnvironment } from '../../targets/target-name.js';
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
  opensearchPort?: number;
  gremlinPort?: number;
  redisPort?: number;
  /** embedded (default) | containers; OCTEMBER_TARGET when not given. */
  target?: string;
  /** containers target: the Lambda Invoke API for Firehose processors (default 3001). */
  lambdaPort?: number;
  /** Reload handlers when their source changes (default true; not for bundled functions). */
  hotReload?: boolean;
  cloudsearchSchema?: string;
  /** Functions from their deployable bundles, each in its own process beside only the AWS SDK. */
  bundled?: boolean;
}

/**
 * The dev process holds ~60 MB of live heap (the emulators, the functions, the SDK clients) and allocates a few page
 * buffers a card for the OCR: with V8's default growth, a full collection of that heap came about every second
 * card in a burst (47 in 18 s, 1.2 s of this thread's time, more on the collector's threads). Letting the heap grow
 * to three times its live size between collections: 14 in 17 s, peak RSS +0-25 MB. Set before the stack starts;
 * V8 reads it at every collection.
 */
function tuneHeapForBursts(): void {
  setFlagsFromString('--heap-growing-percent=200');
}

/** A started target: the stack, what to print about it, and what to do once everything listens. */
interface StartedTarget {
  stack: LocalStack;
  /** Lines about the services, after the API and the dashboard. */
  lines: string[];
  afterStart?: () => void;
}

/**
 * `octember dev`: a local target (embedded, or containers against external services), its functions in this
 * process or from their bundles, the cockpit on the API port, and hot reload of in-process handlers.
 */
export async function runDev(opts: DevOptions): Promise<void> {
  const target = targetFromEnvironment(opts.target ? { OCTEMBER_TARGET: opts.target } : process.env);
  if (target === 'aws') {
    console.error(
      'octember dev runs the embedded or the containers target; OCTEMBER_TARGET=aws is for handlers deployed ' +
        'to AWS (npm run deploy).',
    );
    process.exitCode = 64;
    return;
  }
  tuneHeapForBursts();
  const gate = configureSharedGate({ origins: parseList(opts.corsOrigins), hosts: parseList(opts.allowedHosts) });
  const chaosLine = await loadChaosFile(opts.chaos);
  const apiKey = process.env.OCTEMBER_API_KEY || DEFAULT_API_KEY;
  const dataDir = resolve(opts.dataDir);
  const functions = opts.bundled ? 'bundled' : 'in-process';
  const starting: Promise<StartedTarget | undefined> =
    target === 'containers'
      ? import('./dev-containers.js').then((m) => m.startContainersDev(opts, { apiKey, dataDir, functions }))
      : startEmbeddedDev(opts, { apiKey, dataDir, functions });
  // The cockpit (and the SDK clients it shares with the stack) and hot reload load while the emulators start.
  const cockpitLoading = import('../../cockpit/attach.js');
  const hotReloadLoading = opts.bundled || opts.hotReload === false ? undefined : import('../../cockpit/hot-reload.js');
  // awaited below; a failed start must not leave them unhandled
  cockpitLoading.catch(() => undefined);
  hotReloadLoading?.catch(() => undefined);
  const started = await starting;
  if (!started) return;
  const { stack } = started;
  const { attachCockpit } = await cockpitLoading;
  const cockpit = await attachCockpit(stack, { apiKey, logFile: true, stateFile: true });
  const closers: (() => Promise<void>)[] = [() => cockpit.close()];
  let reload = 'hot reload on (src/ is watched)';
  if (opts.bundled) {
    reload = 'hot reload off: bundled functions run their built bundle (restart to rebuild)';
  } else if (opts.hotReload === false) {
    reload = 'hot reload off (--no-hot-reload)';
  } else {
    const { startHotReload } = await (hotReloadLoading ?? import('../../cockpit/hot-reload.js'));
    const reloader = await startHotReload({
      invoker: stack.invoker,
      adapters: stack.adapters,
      cockpit: cockpit.cockpit,
      topology: stack.topology,
    });
    closers.unshift(() => reloader.close());
  }
  const how = [`${target} target`, ...(opts.bundled ? ['functions from their bundles'] : [])].join(', ');
  const lines = [
    `Octember dev is up (${how}) in ${Math.round(stack.readyMs)} ms; data in ${dataDir}`,
    '',
    `  Dashboard    ${stack.api.url}/`,
    `  API          ${stack.api.url}/${stack.topology.api.stage}   (x-api-key: ${apiKey})`,
    ...started.lines,
    `  Browsers     pages of ${[stack.api.url, ...extraOrigins(gate.describe().origins, stack.api.port)].join(', ')} only (--cors-origins)`,
    ...(chaosLine ? [`  Chaos        ${chaosLine}`] : []),
    ...formatStartupNotes(takeStartupNotes(dataDir)),
    '',
    `  try: curl -X PUT -H 'x-api-key: ${apiKey}' --data-binary @card.jpg ${stack.api.url}/v1/octember-bizcard/bizcard-raw-img/edy_card1.jpg`,
    `       curl -H 'x-api-key: ${apiKey}' ${stack.api.url}/v1/status/edy_card1.jpg`,
    `  ${reload}`,
    '',
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  // the functions' modules load now, after "is up", rather than at their first invocation
  stack.warmUp().catch((error) => console.error(`A function failed to load: ${(error as Error).message}`));
  started.afterStart?.();
  await waitForShutdown(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stack.close();
  });
}

async function startEmbeddedDev(
  opts: DevOptions,
  common: { apiKey: string; dataDir: string; functions: LocalStack['functions'] },
): Promise<StartedTarget> {
  const { startEmbeddedStack } = await import('../../targets/embedded.js');
  const stack = await startEmbeddedStack({
    ...common,
    fresh: opts.fresh,
    apiPort: opts.port,
    edgePort: opts.edgePort,
    ports: { opensearch: opts.opensearchPort, gremlin: opts.gremlinPort, redis: opts.redisPort },
    cloudSearchSchema: opts.cloudsearchSchema ? resolve(opts.cloudsearchSchema) : undefined,
  });
  const { endpoints } = stack;
  return {
    stack,
    lines: [
      `  AWS edge     ${endpoints.aws}   (AWS_ENDPOINT_URL; S3, SQS, Kinesis, Firehose, Textract, CloudSearch)`,
      `  OpenSearch   ${endpoints.opensearch}`,
      `  Gremlin      ${endpoints.gremlin}`,
      `  Redis        ${endpoints.redis ?? 'in-memory (no redis-server found)'}`,
      ...(stack.services.s3?.startupSummary() ?? []).map((line) => `  ! ${line}`),
    ],
    afterStart: () => {
      stack.services.warmUpOcr?.().then(
        ({ ms }) => console.log(`OCR model loaded in ${Math.round(ms)} ms`),
        (error) => console.error(`OCR model failed to load: ${(error as Error).message}`),
      );
    },
  };
}

/** Allowed origins besides the dashboard's own (the API port under its loopback names). */
function extraOrigins(origins: string[], apiPort: number): string[] {
  return origins.filter((origin) => !origin.endsWith(`:${apiPort}`));
}
