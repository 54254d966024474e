// Plays Apache TinkerPop's feature suite (../shared/conformance/gremlin) against the emulator in the tinkerpop
// dialect. The runner loads `gremlin` from its working directory and needs the 3.8 client, so it runs from a temp
// folder whose node_modules/gremlin links to the project's gremlin-client-3-8.
//   npx tsx scripts/conformance-gremlin.ts [runner args, e.g. --filter Has --json out.json]
//
// The emulator runs in a child process under a watchdog: traversals execute on its event loop, so a runaway one
// (beyond the engine's deadline checks) would block the runner's reconnect and abort the whole run. When the
// heartbeat stops, the child is killed and restarted; a TCP relay in this process keeps the runner's address stable
// across restarts (the runner reloads its graphs after a timeout).
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const runner = resolve(root, '..', 'shared', 'conformance', 'gremlin', 'run.mjs');
// paths given relative to the caller's directory keep meaning that (the runner's cwd is the temp folder)
const PATH_OPTIONS = new Set(['--features', '--json']);
const extraArgs = process.argv
  .slice(2)
  .map((arg, i, all) => (PATH_OPTIONS.has(all[i - 1] ?? '') && !isAbsolute(arg) ? resolve(process.cwd(), arg) : arg));

const HEARTBEAT_TIMEOUT_MS = 4000;
const EVALUATION_TIMEOUT_MS = 5000;

class SupervisedServer {
  private child: ChildProcess | undefined;
  private childPort: Promise<number> | undefined;
  private readonly sockets = new Set<Socket>();
  private relay: Server | undefined;
  private lastBeat = 0;
  private watchdog: NodeJS.Timeout | undefined;
  private stopped = false;
  port = 0;
  restarts = 0;

  get url(): string {
    return `ws://127.0.0.1:${this.port}/gremlin`;
  }

  /** Listens on a free port and relays each connection to the current child. */
  async listen(): Promise<void> {
    const relay = createServer((client) => {
      this.sockets.add(client);
      client.once('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      void this.childPort?.then((port) => {
        if (client.destroyed) return;
        const upstream = connect(port, '127.0.0.1');
        this.sockets.add(upstream);
        upstream.once('close', () => {
          this.sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream).pipe(client);
      });
    });
    this.relay = relay;
    await new Promise<void>((ready) => relay.listen(0, '127.0.0.1', () => ready()));
    const address = relay.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async start(): Promise<void> {
    const portReady = this.awaitChildPort();
    const args = ['--port', '0', '--dialect', 'tinkerpop', '--evaluation-timeout', String(EVALUATION_TIMEOUT_MS)];
    const child = fork(join(root, 'scripts', 'gremlin-server.ts'), args, {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: { ...process.env, OCTEMBER_LOG_LEVEL: 'silent' },
    });
    this.child = child;
    await new Promise<void>((ready, failed) => {
      child.once('message', (message: { url?: string }) => {
        portReady(Number(new URL(String(message.url)).port));
        ready();
      });
      child.once('exit', (code) => failed(new Error(`gremlin server exited with ${code} before it was ready`)));
    });
    this.lastBeat = Date.now();
    child.on('message', () => {
      this.lastBeat = Date.now();
    });
    this.watchdog ??= setInterval(() => void this.check(), 500);
  }

  private restarting = false;
  private resolvePort: ((port: number) => void) | undefined;

  /** Makes new connections wait for the next child's port; returns the function that releases them. */
  private awaitChildPort(): (port: number) => void {
    if (!this.resolvePort) {
      this.childPort = new Promise<number>((r) => {
        this.resolvePort = r;
      });
    }
    return (port) => {
      this.resolvePort?.(port);
      this.resolvePort = undefined;
    };
  }

  private async check(): Promise<void> {
    if (this.stopped || this.restarting || !this.child || Date.now() - this.lastBeat < HEARTBEAT_TIMEOUT_MS) return;
    this.restarting = true;
    const stuck = this.child;
    this.child = undefined;
    this.awaitChildPort(); // connections made meanwhile wait for the new child
    for (const socket of this.sockets) socket.destroy();
    this.restarts++;
    process.stderr.write(`conformance-gremlin: emulator unresponsive for ${HEARTBEAT_TIMEOUT_MS} ms, restarting it\n`);
    await new Promise<void>((gone) => {
      stuck.once('exit', () => gone());
      stuck.kill('SIGKILL');
    });
    try {
      if (!this.stopped) await this.start();
    } finally {
      this.restarting = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const socket of this.sockets) socket.destroy();
    this.relay?.close();
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((gone) => {
      child.once('exit', () => gone());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    });
  }
}

const server = new SupervisedServer();
await server.listen();
await server.start();
const workDir = mkdtempSync(join(tmpdir(), 'octember-gremlin-conformance-'));
mkdirSync(join(workDir, 'node_modules'));
symlinkSync(join(root, 'node_modules', 'gremlin-client-3-8'), join(workDir, 'node_modules', 'gremlin'), 'dir');
writeFileSync(
  join(workDir, 'package.json'),
  JSON.stringify({ name: 'gremlin-conformance-run', private: true, type: 'module' }),
);

let exitCode = 1;
try {
  exitCode = await new Promise<number>((resolveExit) => {
    const child = spawn(process.execPath, [runner, '--url', server.url, ...extraArgs], {
      cwd: workDir,
      stdio: 'inherit',
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolveExit(code ?? (signal ? 1 : 0)));
  });
} finally {
  await server.stop();
  rmSync(workDir, { recursive: true, force: true });
}
process.exit(exitCode);
