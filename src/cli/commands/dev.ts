import { resolve } from 'node:path';
import { attachCockpit } from '../../cockpit/attach.js';
import { DEFAULT_API_KEY } from '../../domain/names.js';
import { startEmbeddedStack } from '../../targets/embedded.js';
import { targetFromEnvironment } from '../../targets/index.js';
import { waitForShutdown } from '../shutdown.js';

export interface DevOptions {
  port: number;
  dataDir: string;
  fresh: boolean;
  edgePort: number;
  /** embedded (default) | containers; OCTEMBER_TARGET when not given. */
  target?: string;
  /** containers target: the Lambda Invoke API for Firehose processors (default 3001). */
  lambdaPort?: number;
  /** Reload handlers when their source changes (default true). */
  hotReload?: boolean;
  cloudsearchSchema?: string;
  /** Functions from their deployable bundles, each in its own process beside only the AWS SDK. */
  bundled?: boolean;
}

export async function runDev(opts: DevOptions): Promise<void> {
  const target = targetFromEnvironment(opts.target ? { OCTEMBER_TARGET: opts.target } : process.env);
  if (target === 'containers') {
    const { runContainersDev } = await import('./dev-containers.js');
    await runContainersDev(opts);
    return;
  }
  if (target !== 'embedded') {
    console.error(
      `octember dev runs the embedded target; OCTEMBER_TARGET=${target} is for handlers deployed against ` +
        'AWS (npx cdk deploy).',
    );
    process.exitCode = 64;
    return;
  }
  const apiKey = process.env.OCTEMBER_API_KEY || DEFAULT_API_KEY;
  const dataDir = resolve(opts.dataDir);
  const stack = await startEmbeddedStack({
    dataDir,
    fresh: opts.fresh,
    apiPort: opts.port,
    edgePort: opts.edgePort,
    apiKey,
    cloudSearchSchema: opts.cloudsearchSchema ? resolve(opts.cloudsearchSchema) : undefined,
    functions: opts.bundled ? 'bundled' : 'in-process',
  });
  const { endpoints } = stack.services;
  const cockpit = await attachCockpit(stack, { dataDir, apiKey, logFile: true, stateFile: true });
  const closers: (() => Promise<void>)[] = [() => cockpit.close()];
  if (opts.hotReload !== false) {
    const { startHotReload } = await import('../../cockpit/hot-reload.js');
    const reloader = await startHotReload({
      invoker: stack.invoker,
      adapters: stack.adapters,
      cockpit: cockpit.cockpit,
    });
    closers.unshift(() => reloader.close());
  }
  const lines = [
    `Octember dev is up (embedded target${opts.bundled ? ', functions from their bundles' : ''}) in ${Math.round(stack.readyMs)} ms; data in ${dataDir}`,
    '',
    `  Dashboard    ${stack.api.url}/`,
    `  API          ${stack.api.url}/v1   (x-api-key: ${apiKey})`,
    `  AWS edge     ${endpoints.edge}   (AWS_ENDPOINT_URL; S3, Kinesis, Firehose, Textract, CloudSearch)`,
    `  OpenSearch   ${endpoints.opensearch ?? '-'}`,
    `  Gremlin      ${endpoints.gremlin ?? '-'}`,
    `  Redis        ${endpoints.redis ?? 'in-memory (no redis-server found)'}`,
    '',
    `  try: curl -X PUT -H 'x-api-key: ${apiKey}' --data-binary @card.jpg ${stack.api.url}/v1/octember-bizcard/bizcard-raw-img/edy_card1.jpg`,
    `       curl -H 'x-api-key: ${apiKey}' ${stack.api.url}/v1/status/edy_card1.jpg`,
    ...(stack.services.s3?.startupSummary() ?? []).map((line) => `  ! ${line}`),
    '',
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));
  stack.services.warmUpOcr?.().then(
    ({ ms }) => console.log(`OCR model loaded in ${Math.round(ms)} ms`),
    (error) => console.error(`OCR model failed to load: ${(error as Error).message}`),
  );
  await waitForShutdown(async () => {
    for (const close of closers) await close().catch(() => undefined);
    await stack.close();
  });
}
