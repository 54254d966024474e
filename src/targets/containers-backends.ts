// The services the containers target runs against, started for a test run or a bench: `octember emulate
// --gremlin-dialect tinkerpop` with a real redis-server (what CI runs), or containers through testcontainers /
// docker compose (a machine with a Docker engine). `startStack({ target: 'containers', over })` runs on them.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export type ContainersBackend = 'emulate' | 'testcontainers' | 'compose';

export interface ContainersServices {
  /** The variables the containers target finds them through (AWS_ENDPOINT_URL..., OPENSEARCH_URL, ...). */
  env: NodeJS.ProcessEnv;
  /** How they were started, e.g. the emulate command line. */
  description: string;
  stop(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../bin/octember.mjs', import.meta.url));

/**
 * Starts the services; `lambdaPort` is where the runtime will serve the Lambda Invoke API (the emulate stand-in's
 * Firehose calls its processors there).
 */
export async function startContainersServices(
  over: ContainersBackend,
  options: { dataDir: string; lambdaPort: number },
): Promise<ContainersServices> {
  if (over === 'emulate') return startEmulate(join(options.dataDir, 'emulate'), options.lambdaPort);
  const { startDockerServices } = await import('./containers-docker.js');
  return startDockerServices(over);
}

/** `octember emulate --gremlin-dialect tinkerpop` as a child process on free ports; Firehose processors call back. */
async function startEmulate(dataDir: string, lambdaPort: number): Promise<ContainersServices> {
  const args = [
    'emulate',
    '--gremlin-dialect',
    'tinkerpop',
    ...['--edge-port', '0', '--opensearch-port', '0', '--gremlin-port', '0', '--redis-port', '0'],
    ...['--data-dir', dataDir, '--lambda-endpoint', `http://127.0.0.1:${lambdaPort}`],
  ];
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OCTEMBER_LOG_LEVEL: process.env.OCTEMBER_LOG_LEVEL ?? 'warn' },
  });
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const found: Record<string, string> = {};
  const stop = () => stopChild(child);
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`octember emulate exited with ${code}: ${stderr.join('').slice(-2000)}`)),
      );
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const match = /^\s+(AWS edge|OpenSearch|Gremlin|Redis)\s+(\S+)/.exec(line);
        if (match) found[match[1]] = match[2];
        if (line.startsWith('Ctrl-C to stop.')) resolve();
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  child.removeAllListeners('exit');
  if (!found.Redis?.startsWith('redis://')) {
    await stop();
    throw new Error(
      'octember emulate started no Redis: the containers target needs redis-server (apt-get install redis-server)',
    );
  }
  return {
    env: {
      AWS_ENDPOINT_URL: found['AWS edge'],
      OPENSEARCH_URL: found.OpenSearch,
      GREMLIN_URL: found.Gremlin,
      REDIS_URL: found.Redis,
    },
    description: `octember ${args.join(' ')}`,
    stop,
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A port that was free a moment ago (the emulator must know the runtime's Lambda port before the runtime starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
