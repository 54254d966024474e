// The containers target started for a test run or a bench: the external services (`octember emulate
// --gremlin-dialect tinkerpop` with a real redis-server, or containers through testcontainers / docker compose) and
// the containers runtime against them, behind the small interface the parameterized integration suite drives.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../ports/object-store.js';
import { type ContainersRuntime, startContainersRuntime } from './containers-runner.js';

/** What the integration suite needs from a running target, whichever it is. */
export interface StackUnderTest {
  target: string;
  apiUrl: string;
  apiKey: string;
  /** The S3 API of the target (an app using AWS_ENDPOINT_URL would use this). */
  s3: S3Client;
  objects: ObjectStore;
  /** Resolves when every delivered event has been handled. */
  idle(): Promise<void>;
  /** Delivers what Firehose buffered, where the target lets the caller ask (otherwise its short buffer runs out). */
  flushDeliveries(): Promise<void>;
  close(): Promise<void>;
}

export type ContainersBackend = 'emulate' | 'testcontainers' | 'compose';

export interface ContainersStackOptions {
  over: ContainersBackend;
  apiKey?: string;
  /** Firehose buffering of the provisioned delivery streams (default 1 s for tests). */
  deliveryBufferSeconds?: number;
}

export interface ContainersStack extends StackUnderTest {
  runtime: ContainersRuntime;
  /** How the services were started, e.g. the emulate command line. */
  services: string;
}

const BIN = fileURLToPath(new URL('../../bin/octember.mjs', import.meta.url));

export async function startContainersStack(opts: ContainersStackOptions): Promise<ContainersStack> {
  const apiKey = opts.apiKey ?? 'containers-key';
  const dataDir = await mkdtemp(join(tmpdir(), 'octember-containers-'));
  const lambdaPort = await freePort();
  let services: { env: NodeJS.ProcessEnv; description: string; stop(): Promise<void> };
  if (opts.over === 'emulate') services = await startEmulate(join(dataDir, 'emulate'), lambdaPort);
  else {
    const { startDockerServices } = await import('./containers-docker.js');
    services = await startDockerServices(opts.over);
  }
  let runtime: ContainersRuntime;
  try {
    runtime = await startContainersRuntime({
      dataDir: join(dataDir, 'runtime'),
      apiKey,
      apiPort: 0,
      lambdaPort,
      env: { ...process.env, ...services.env },
      pollIntervalMs: 100,
      deliveryBufferSeconds: opts.deliveryBufferSeconds ?? 1,
      retryDelayScale: 0.01,
    });
  } catch (error) {
    await services.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    target: `containers (${opts.over})`,
    services: services.description,
    runtime,
    apiUrl: runtime.api.url,
    apiKey,
    s3: runtime.adapters.clients.s3,
    objects: runtime.adapters.objects,
    idle: () => runtime.idle(),
    // The services own their Firehose: deliveries come after the (short) buffering interval.
    flushDeliveries: async () => {
      await runtime.idle();
    },
    async close() {
      await runtime.close();
      await services.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `octember emulate --gremlin-dialect tinkerpop` as a child process on free ports; Firehose processors call back. */
async function startEmulate(
  dataDir: string,
  lambdaPort: number,
): Promise<{ env: NodeJS.ProcessEnv; description: string; stop(): Promise<void> }> {
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
