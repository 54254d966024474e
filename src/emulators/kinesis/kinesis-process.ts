import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { stopLeftover, writePidFile } from '../../lib/child-process.js';
import { logger } from '../../lib/logger.js';
import { type KinesisStateJournal, openKinesisStateJournal } from './state-journal.js';

export interface KinesisProcessOptions {
  dataDir: string;
  /** delay for CreateStream/DeleteStream/... state transitions (kinesis-mock defaults to 500 ms) */
  transitionMs?: number;
  /**
   * how often kinesis-mock writes its state to disk (default 1000; it also writes on a clean shutdown). Records
   * are durable at once through the edge's journal; this bounds how long a put waits after a stream change.
   */
  persistIntervalMs?: number;
  region?: string;
  accountId?: string;
  /** give up waiting for the first answer after this long */
  startTimeoutMs?: number;
}

const TRANSITION_VARS = [
  'CREATE_STREAM_DURATION',
  'DELETE_STREAM_DURATION',
  'REGISTER_STREAM_CONSUMER_DURATION',
  'DEREGISTER_STREAM_CONSUMER_DURATION',
  'START_STREAM_ENCRYPTION_DURATION',
  'STOP_STREAM_ENCRYPTION_DURATION',
  'MERGE_SHARDS_DURATION',
  'SPLIT_SHARD_DURATION',
  'UPDATE_SHARD_COUNT_DURATION',
  'UPDATE_STREAM_MODE_DURATION',
];

/**
 * Bootstrap run with `node -e` in place of `node main.js`:
 * - loads kinesis-mock's 8.8 MB main.js through a V8 code cache (kept in the OS temp dir, keyed by Node and
 *   kinesis-local versions; V8 rejects a stale one) — this roughly halves its start-up;
 * - if the parent dies without closing us (SIGKILL, crash), shuts down through kinesis-mock's own SIGTERM hook
 *   (which persists the state) instead of lingering as an orphan;
 * - makes every server it opens listen on the loopback interface only (kinesis-mock hard-codes 0.0.0.0).
 */
const BOOTSTRAP = `
const fs = require('fs'), vm = require('vm'), path = require('path'), Module = require('module'), net = require('net');
// kinesis-mock binds 0.0.0.0 with no setting to change it: every listen of this process goes to the loopback host.
const loopback = process.env.OCTEMBER_KINESIS_HOST || '127.0.0.1';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (first && typeof first === 'object' && 'port' in first) args[0] = { ...first, host: loopback };
  else if (typeof first === 'number' || (typeof first === 'string' && /^\\d+$/.test(first))) {
    if (typeof args[1] === 'string') args[1] = loopback;
    else args.splice(1, 0, loopback);
  }
  return listen.apply(this, args);
};
const parent = process.ppid;
process.on('SIGTERM', () => setTimeout(() => process.exit(1), 5000).unref());
setInterval(() => {
  let alive = process.ppid === parent;
  if (alive) { try { process.kill(parent, 0); } catch { alive = false; } }
  if (!alive) { process.kill(process.pid, 'SIGTERM'); setTimeout(() => process.exit(0), 3000).unref(); }
}, 500).unref();
const file = path.resolve(process.argv[1]);
const cacheFile = process.env.OCTEMBER_KINESIS_CODE_CACHE;
let cached;
try { if (cacheFile) cached = fs.readFileSync(cacheFile); } catch {}
const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached });
const mod = new Module(file, null);
mod.filename = file;
mod.paths = Module._nodeModulePaths(path.dirname(file));
script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
if (cacheFile && (!cached || script.cachedDataRejected)) {
  // Right away, before kinesis-mock serves or persists anything: the 9 MB synchronous write stalls the event loop,
  // and a stall in the middle of kinesis-mock's periodic state write can leave its state file empty.
  try {
    const tmp = cacheFile + '.' + process.pid;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
  } catch {}
}
`;

function codeCachePath(main: string): string {
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(dirname(main), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {}
  return join(tmpdir(), `octember-kinesis-local-${version}-node${process.version}-${process.arch}.v8cache`);
}

export function kinesisLocalMain(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('kinesis-local/package.json')), 'main.js');
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolvePort(port));
    });
  });
}

/** One kinesis-mock child: start, wait until it answers, keep it alive (restart on crash), stop. */
export class KinesisProcess {
  private child?: ChildProcess;
  private closing = false;
  /** set once the first start succeeded: only then is an exit a crash to recover from */
  private running = false;
  private ready?: Promise<void>;
  private restarts: number[] = [];
  private recentOutput: string[] = [];
  // SIGTERM, not SIGKILL: kinesis-mock persists its state on SIGTERM and the bootstrap bounds how long that takes.
  private readonly onParentExit = () => this.child?.kill('SIGTERM');
  plainPort = 0;
  get pid(): number | undefined {
    return this.child?.pid;
  }
  /** milliseconds from spawn until the first answered request, for the latest start */
  startupMs = 0;
  /** The edge's journal of acknowledged records (open once the first start restored the state). */
  journal?: KinesisStateJournal;

  constructor(private readonly opts: KinesisProcessOptions) {}

  get persistPath(): string {
    return resolve(this.opts.dataDir, 'kinesis');
  }

  start(): Promise<void> {
    this.ready = this.firstStart();
    return this.ready;
  }

  /** A second try covers a port taken between our probe and kinesis-mock binding it. */
  private async firstStart(): Promise<void> {
    try {
      await this.spawnAndWait();
    } catch (err) {
      if (this.closing) throw err;
      logger.debug({ err }, 'kinesis-local failed to start; retrying once');
      await this.spawnAndWait();
    }
    this.running = true;
  }

  /** Resolves when the child answers; rejects with the reason if it cannot be (re)started. */
  whenReady(): Promise<void> {
    return this.ready ?? this.start();
  }

  private get pidFile(): string {
    return join(this.persistPath, 'kinesis-local.pid');
  }

  private async spawnAndWait(): Promise<void> {
    await mkdir(this.persistPath, { recursive: true });
    // A crashed run's child may still be saving its state: let it finish (or stop it) before reading the state.
    await stopLeftover(this.pidFile, 'kinesis-local', 'kinesis');
    this.journal ??= await openKinesisStateJournal(this.persistPath);
    await this.journal.restore();
    const main = kinesisLocalMain();
    this.plainPort = await freePort();
    const tlsPort = await freePort();
    const transition = `${this.opts.transitionMs ?? 10}ms`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(this.plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      SHOULD_PERSIST_DATA: 'true',
      LOAD_DATA_IF_EXISTS: 'true',
      PERSIST_PATH: this.persistPath,
      PERSIST_INTERVAL: `${this.opts.persistIntervalMs ?? 1000}ms`,
      AWS_REGION: this.opts.region ?? process.env.AWS_REGION ?? 'us-east-1',
      AWS_ACCOUNT_ID: this.opts.accountId ?? '000000000000',
      LOG_LEVEL: process.env.KINESIS_MOCK_LOG_LEVEL ?? 'WARN',
      ROOT_LOG_LEVEL: 'ERROR',
    };
    for (const v of TRANSITION_VARS) env[v] = transition;
    env.OCTEMBER_KINESIS_CODE_CACHE = codeCachePath(main);
    const started = performance.now();
    // kinesis-mock reads server.json (its TLS certificate) from the working directory.
    const child = spawn(process.execPath, ['-e', BOOTSTRAP, main], {
      cwd: dirname(main),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    if (child.pid) await writePidFile(this.pidFile, child.pid);
    process.once('exit', this.onParentExit);
    const remember = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        this.recentOutput.push(line);
        if (this.recentOutput.length > 30) this.recentOutput.shift();
        logger.debug({ service: 'kinesis' }, line);
      }
    };
    child.stdout?.on('data', remember);
    child.stderr?.on('data', remember);
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        process.removeListener('exit', this.onParentExit);
        if (this.child === child) this.child = undefined;
        const error = new Error(
          `kinesis-local exited (code ${code}, signal ${signal})${this.recentOutput.length ? `:\n${this.recentOutput.slice(-10).join('\n')}` : ''}`,
        );
        if (!this.closing && this.running) this.onCrash(error);
        reject(error);
      });
    });
    exited.catch(() => undefined);
    await Promise.race([this.waitUntilAnswering(this.opts.startTimeoutMs ?? 20_000), exited]);
    this.startupMs = Math.round(performance.now() - started);
    logger.debug({ ms: this.startupMs, port: this.plainPort }, 'kinesis-local ready');
  }

  private async waitUntilAnswering(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.closing) throw new Error('kinesis-local was closed while starting');
      const ok = await new Promise<boolean>((done) => {
        const req = http.get({ host: '127.0.0.1', port: this.plainPort, path: '/', agent: false }, (res) => {
          res.resume();
          done(true);
        });
        req.on('error', () => done(false));
        req.setTimeout(1000, () => req.destroy());
      });
      if (ok) return;
      await new Promise((r) => setTimeout(r, 15));
    }
    throw new Error(`kinesis-local did not answer on port ${this.plainPort} within ${timeoutMs} ms`);
  }

  private onCrash(error: Error): void {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= 3) {
      logger.error({ err: error }, 'kinesis-local keeps crashing; Kinesis requests will fail until restart');
      this.ready = Promise.reject(new Error(`kinesis-local crashed repeatedly: ${error.message}`));
      this.ready.catch(() => undefined);
      return;
    }
    this.restarts.push(now);
    logger.warn({ err: error }, 'kinesis-local died; restarting it');
    this.ready = this.spawnAndWait();
    this.ready.catch((err) => logger.error({ err }, 'kinesis-local restart failed'));
  }

  /** SIGTERM lets kinesis-mock persist its state; SIGKILL if it does not go within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      });
    }
    await rm(this.pidFile, { force: true });
    // the state kinesis-mock saved on SIGTERM becomes the snapshot, and the journal shrinks to what it lacks
    await this.journal?.refreshSnapshot();
    await this.journal?.close();
  }
}
