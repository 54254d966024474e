import { type Command, Option } from 'commander';
import { describeSampleEvents } from './commands/events.js';

/** `--log-format pretty|json` (default: pretty in a terminal, JSON otherwise). */
export function logFormatOption(): Option {
  return new Option(
    '--log-format <format>',
    'pretty (one line per invocation) or json lines; default pretty on a terminal',
  ).choices(['pretty', 'json']);
}

/** Applies `--log-format` before the logger is first loaded. */
export function applyLogFormat(format: string | undefined): void {
  if (format) process.env.OCTEMBER_LOG_FORMAT = format;
}

const dataDirOption = () =>
  new Option('--data-dir <dir>', 'the data dir of the octember dev to talk to').default('.octember');

/** invoke, events generate, seed, status, reset, logs: the cockpit's commands (SAM CLI conventions). */
export function registerCockpitCommands(program: Command): void {
  program
    .command('invoke')
    .description('run one function once with an event and print its result (JSON on stdout, logs on stderr)')
    .argument('<function>', 'function name from the topology')
    .option('-e, --event <file>', "event JSON file, or '-' for stdin (default: {})")
    .addOption(dataDirOption())
    .addOption(logFormatOption())
    .action(async (name: string, opts: { event?: string; dataDir: string; logFormat?: string }) => {
      applyLogFormat(opts.logFormat);
      // The invocation is printed once, by the command; the runtime's own line would repeat it.
      process.env.OCTEMBER_LOG_LEVEL ??= 'warn';
      const { runInvoke } = await import('./commands/invoke.js');
      process.exitCode = await runInvoke(name, opts);
    });

  const events = program.command('events').description('sample events with SAM CLI names and AWS shapes');
  const generate = events
    .command('generate')
    .description(
      'print a sample event: s3 put|delete, kinesis get-records|kinesis-firehose|analytics-kpl, apigateway aws-proxy, sqs receive-message',
    )
    .argument('<service>')
    .argument('<event>')
    .allowUnknownOption(false);
  for (const name of [
    'bucket',
    'key',
    'size',
    'etag',
    'data',
    'partition-key',
    'sequence',
    'stream',
    'delivery-stream',
    'method',
    'path',
    'body',
    'queue-name',
    'region',
    'partition',
  ]) {
    generate.option(`--${name} <value>`);
  }
  generate
    .addHelpText('after', () => `\nEvents and their options:\n${describeSampleEvents()}`)
    .action(async (service: string, event: string, opts: Record<string, string>) => {
      const { runEventsGenerate } = await import('./commands/events.js');
      // commander camel-cases option names; the generator speaks SAM's dashed ones.
      const dashed = Object.fromEntries(
        Object.entries(opts).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v]),
      );
      process.exitCode = runEventsGenerate(service, event, dashed);
    });

  program
    .command('seed')
    .description(
      'upload sample cards (to END), the items CSV and interaction events, with a progress bar and a summary',
    )
    .addOption(dataDirOption())
    .option('--cards <dir>', 'folder of card images', 'fixtures/cards')
    .option('--csv <file>', 'items CSV', 'fixtures/items/sample-items.csv')
    .option('--events <n>', 'interaction events to post', (v) => Number(v), 60)
    .option('--limit <n>', 'upload at most this many cards', (v) => Number(v), 12)
    .action(async (opts) => {
      process.env.OCTEMBER_LOG_LEVEL ??= 'warn';
      const { runSeed } = await import('./commands/seed.js');
      process.exitCode = await runSeed(opts);
    });

  program
    .command('status')
    .description('services, per-function invocations and errors, stream lag and failures of the running octember dev')
    .addOption(dataDirOption())
    .option('--json', 'print JSON', false)
    .action(async (opts: { dataDir: string; json: boolean }) => {
      const { runStatus } = await import('./commands/status.js');
      process.exitCode = await runStatus(opts);
    });

  program
    .command('reset')
    .description('empty the running stack (resources kept), or delete the data dir when octember dev is not running')
    .addOption(dataDirOption())
    .action(async (opts: { dataDir: string }) => {
      const { runReset } = await import('./commands/reset.js');
      process.exitCode = await runReset(opts);
    });

  program
    .command('logs')
    .description('the invocations octember dev recorded, one line each; --follow for new ones')
    .addOption(dataDirOption())
    .option('-f, --follow', 'keep printing new invocations', false)
    .option('--function <name>', 'only this function')
    .option('--tail <n>', 'invocations from the past to show', (v) => Number(v), 50)
    .addOption(logFormatOption())
    .action(async (opts) => {
      const { runLogs } = await import('./commands/logs.js');
      process.exitCode = await runLogs(opts);
    });
}
