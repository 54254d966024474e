import { Command, Option } from 'commander';
import { SERVICE_NAMES } from '../targets/service-names.js';

const program = new Command('octember')
  .description('Octember kit: the Octember serverless pipelines on your laptop (embedded), in containers, or on AWS')
  .showHelpAfterError();

program
  .command('dev')
  .description('start the embedded target, the local Lambda runtime and the API (default http://127.0.0.1:3000)')
  .option('--port <port>', 'API port (a taken port moves to the next free one)', parsePort, 3000)
  .option('--data-dir <dir>', 'where state lives (survives restarts)', '.octember')
  .option('--fresh', 'wipe the data dir before starting', false)
  .option('--edge-port <port>', 'AWS edge port', parsePort, 4566)
  .option('--cors-origins <list>', 'browser origins allowed besides the dashboard (also OCTEMBER_CORS_ORIGINS)')
  .option('--allowed-hosts <list>', 'Host names accepted besides loopback names (also OCTEMBER_ALLOWED_HOSTS)')
  .option('--chaos <file>', 'fault rules to start with (LocalStack Chaos API JSON; edit live at /_localstack/chaos/*)')
  .action(async (opts) => {
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

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${value}`);
  return port;
}

await program.parseAsync(process.argv);
