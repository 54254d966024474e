// Starts the Gremlin Server emulator from the command line and prints its URL; stops on Ctrl-C.
//   npx tsx scripts/gremlin-server.ts [--port 8182] [--host 127.0.0.1] [--dialect neptune|tinkerpop] [--data-dir DIR]
import { Command, Option } from 'commander';
import { startGremlinServer } from '../src/emulators/gremlin/index.js';

const program = new Command('gremlin-server')
  .description('Gremlin Server emulator (TinkerPop 3.x websocket protocol)')
  .option('--port <port>', 'port (taken → the next free one; 0 → any)', (v) => Number.parseInt(v, 10), 8182)
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .addOption(
    new Option('--dialect <dialect>', 'what the server accepts').choices(['neptune', 'tinkerpop']).default('neptune'),
  )
  .option('--data-dir <dir>', 'persist the graph under this folder')
  .option('--evaluation-timeout <ms>', 'default evaluationTimeout', (v) => Number.parseInt(v, 10), 30000);
program.parse();
const opts = program.opts<{
  port: number;
  host: string;
  dialect: 'neptune' | 'tinkerpop';
  dataDir?: string;
  evaluationTimeout: number;
}>();

const server = await startGremlinServer({ ...opts, evaluationTimeoutMs: opts.evaluationTimeout });
console.log(`Gremlin Server emulator (${opts.dialect}) listening on ${server.url}`);
// Under a supervisor (IPC channel), a heartbeat shows the event loop is alive (traversals run on it).
if (process.send) {
  const beat = setInterval(() => {
    if (process.connected) process.send?.({ heartbeat: Date.now(), url: server.url });
  }, 250);
  beat.unref();
  process.on('disconnect', () => void stop());
}
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
