import { Command, Option } from 'commander';
import { SERVICE_NAMES } from '../targets/service-names.js';
import { applyLogFormat, logFormatOption, registerCockpitCommands } from './cockpit-commands.js';

const program = new Command('octember')
  .description('Octember kit: the Octember serverless pipelines on your laptop (embedded), in containers, or on AWS')
  .showHelpAfterError();

program
  .command('dev')
  .description(
    'start the local Lambda runtime and the API (default http://127.0.0.1:3000) on the embedded target, or on the containers target (--target containers)',
  )
  .option('--port <port>', 'API port (a taken port moves to the next free one)', parsePort, 3000)
  .option('--data-dir <dir>', 'where state lives (survives restarts)', '.octember')
  .option('--fresh', 'wipe the data dir before starting', false)
  .option('--edge-port <port>', 'AWS edge port', parsePort, 4566)
  .option('--opensearch-port <port>', 'OpenSearch port (0: a free one)', parsePort, 9200)
  .option('--gremlin-port <port>', 'Gremlin port (0: a free one)', parsePort, 8182)
  .option('--redis-port <port>', 'Redis port (0: a free one)', parsePort, 6379)
  .addOption(
    new Option(
      '--target <target>',
      'embedded: the kit emulators; containers: external services (OCTEMBER_TARGET)',
    ).choices(['embedded', 'containers']),
  )
  .option('--lambda-port <port>', 'containers target: Lambda Invoke API for Firehose processors', parsePort, 3001)
  .option('--no-hot-reload', 'do not reload handlers when their source changes')
  .addOption(logFormatOption())
  .option('--cloudsearch-schema <file>', 'CloudSearch domain schema (IndexField JSON) replacing the default')
  .option(
    '--bundled',
    'run each function from its deployable bundle, in a process of its own beside only the AWS SDK',
    false,
  )
  .option('--cors-origins <list>', 'browser origins allowed besides the dashboard (also OCTEMBER_CORS_ORIGINS)')
  .option('--allowed-hosts <list>', 'Host names accepted besides loopback names (also OCTEMBER_ALLOWED_HOSTS)')
  .option('--chaos <file>', 'fault rules to start with (LocalStack Chaos API JSON; edit live at /_localstack/chaos/*)')
  .action(async (opts) => {
    applyLogFormat(opts.logFormat);
    const { runDev } = await import('./commands/dev.js');
    await runDev(opts);
  });

program
  .command('emulate')
  .description('run the emulators alone, for other apps (AWS APIs on one edge port, OpenSearch, Gremlin, Redis)')
  .option('--services <list>', `comma-separated from: ${SERVICE_NAMES.join(', ')}`, SERVICE_NAMES.join(','))
  .addOption(
    new Option('--gremlin-dialect <dialect>', 'what the Gremlin server accepts')
      .choices(['neptune', 'tinkerpop'])
      .default('neptune'),
  )
  .option('--edge-port <port>', 'AWS edge port', parsePort, 4566)
  .option('--opensearch-port <port>', 'OpenSearch port', parsePort, 9200)
  .option('--gremlin-port <port>', 'Gremlin port', parsePort, 8182)
  .option('--redis-port <port>', 'Redis port', parsePort, 6379)
  .option('--data-dir <dir>', 'where state lives (survives restarts)', '.octember')
  .option('--fresh', 'wipe the data dir before starting', false)
  .option('--host <host>', 'interface to listen on (0.0.0.0 inside a container)', '127.0.0.1')
  .option(
    '--lambda-endpoint <url>',
    'Lambda Invoke API for Firehose processors (default AWS_ENDPOINT_URL_LAMBDA or http://127.0.0.1:3001)',
  )
  .option('--s3-accounts <file>', 'S3 accounts and defaults (JSON; default: OCTEMBER_S3_ACCOUNTS, else test/test)')
  .option('--cloudsearch-schema <file>', 'CloudSearch domain schema (IndexField JSON) replacing the default')
  .option('--cors-origins <list>', 'browser origins allowed to call the emulators (also OCTEMBER_CORS_ORIGINS)')
  .option('--allowed-hosts <list>', 'Host names accepted besides loopback names (also OCTEMBER_ALLOWED_HOSTS)')
  .option('--chaos <file>', 'fault rules to start with (LocalStack Chaos API JSON; edit live at /_localstack/chaos/*)')
  .action(async (opts) => {
    const { runEmulate } = await import('./commands/emulate.js');
    await runEmulate(opts);
  });

program
  .command('extract')
  .description('OCR + field extraction for local card images, one JSON object per image')
  .argument('<images...>', 'JPEG or PNG files')
  .option('--json', 'print JSON lines', false)
  .action(async (images: string[], opts: { json: boolean }) => {
    const { runExtract } = await import('./commands/extract.js');
    process.exitCode = await runExtract(images, opts);
  });

program
  .command('bench')
  .description('run the benchmarks and print their figures')
  .argument('[areas...]', 'only these bench/<area>.bench.ts modules')
  .option('--json <file>', 'also write the results as JSON')
  .action(async (areas: string[], opts: { json?: string }) => {
    // Per-invocation log lines would bury the figures.
    process.env.OCTEMBER_LOG_LEVEL ??= 'warn';
    const { runBench } = await import('./commands/bench.js');
    process.exitCode = await runBench(areas, opts);
  });

registerCockpitCommands(program);

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${value}`);
  return port;
}

// no top-level await: bin/octember.mjs runs this module bundled as a script (CommonJS), through V8's code cache
program.parseAsync(process.argv).catch((error: unknown) => {
  // one line a user can act on; the stack only when asked for (OCTEMBER_LOG_LEVEL=debug)
  const err = error as Error;
  console.error(`octember: ${err?.message ?? String(error)}`);
  if (process.env.OCTEMBER_LOG_LEVEL === 'debug' && err?.stack) console.error(err.stack);
  process.exitCode = 1;
});
