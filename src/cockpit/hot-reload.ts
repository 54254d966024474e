import { type FSWatcher, watch } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importEsm } from '../lib/import-esm.js';
import { logger as defaultLogger, type Logger } from '../lib/logger.js';
import type { Invoker, LambdaFunction } from '../runtime/invoker.js';
import type { Adapters } from '../targets/adapters.js';
import { inProcessFunction, loadHandler } from '../targets/functions.js';
import { TOPOLOGY, type Topology } from '../topology/index.js';
import { ModuleGraph } from './module-graph.js';
import { startTypeChecker, type TypeChecker, type TypeDiagnostic } from './typecheck.js';

/** What the terminal and the dashboard are told after each reload. */
export interface ReloadReport {
  at: string;
  /** Files that changed (relative to the project). */
  files: string[];
  /** Functions now serving the new code. */
  reloaded: string[];
  /** `ok`; `error` when the new code did not load (syntax, import) or did not type-check (then rolled back). */
  status: 'ok' | 'error' | 'ignored';
  /** Save (file event) → new code registered, ms. */
  loadMs?: number;
  errors?: { file?: string; line?: number; column?: number; message: string }[];
  /** Set when type errors put the previous version back. */
  rolledBack?: boolean;
  /** The background type check of a reload that is serving: `pending` until it passed (or failed: a new report). */
  typecheck?: 'pending' | 'passed' | 'off';
  note?: string;
}

export interface HotReloadOptions {
  invoker: Invoker;
  /** What each handler module's factory is given (the running target's adapter set). */
  adapters: Adapters;
  /** Gets every report (the cockpit forwards them to the dashboard). */
  cockpit?: { publish(type: string, data: unknown): void };
  topology?: Topology;
  /** The project root whose `src/` is watched (default: this package). */
  root?: string;
  /** Type-check changed files in a worker and roll back on errors (default true). */
  typecheck?: boolean;
  /** Batches file events that arrive within this window (default 25 ms). */
  debounceMs?: number;
  logger?: Logger;
}

export interface HotReload {
  /** Resolves after the reload of the files changed so far (tests, benchmarks). */
  settled(): Promise<ReloadReport | undefined>;
  readonly reports: ReloadReport[];
  close(): Promise<void>;
}

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let generation = 0;

/**
 * `octember dev`'s hot reload: a change under `src/` reloads the handlers whose static import closure contains the
 * file (handler module, domain code, ports, lib) in a fresh module namespace and swaps them into the invoker. The
 * emulators, adapters and their state are untouched. A file that does not load keeps the previous version serving;
 * type errors found by the background checker put the previous version back.
 */
export async function startHotReload(options: HotReloadOptions): Promise<HotReload> {
  const root = options.root ?? packageRoot;
  const srcDir = join(root, 'src');
  const topology = options.topology ?? TOPOLOGY;
  const log = options.logger ?? defaultLogger;
  const graph = new ModuleGraph();
  const handlers = topology.functions
    .filter((fn) => options.invoker.has(fn.name))
    .map((fn) => ({ name: fn.name, fn, file: join(srcDir, 'handlers', `${fn.handler}.ts`) }));
  const reports: ReloadReport[] = [];
  let checker: TypeChecker | undefined;
  let checkerBroken = false;
  let pendingFiles = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReloadReport | undefined> = Promise.resolve(undefined);

  const report = (r: ReloadReport) => {
    reports.push(r);
    if (reports.length > 50) reports.shift();
    options.cockpit?.publish('reload', r);
    if (r.status === 'ok') {
      log.info(
        { files: r.files, typecheck: r.typecheck },
        `hot reload: ${r.reloaded.join(', ')} serving the new code (${Math.round(r.loadMs ?? 0)} ms after the save)`,
      );
    } else if (r.status === 'error') {
      const first = r.errors?.[0];
      log.error(
        { files: r.files, errors: r.errors, rolledBack: r.rolledBack },
        `hot reload failed${r.rolledBack ? ' (previous version restored)' : ' (previous version keeps serving)'}: ` +
          `${first?.file ? `${first.file}:${first.line}:${first.column} ` : ''}${first?.message ?? ''}`,
      );
    } else if (r.note) log.info({ files: r.files }, `hot reload: ${r.note}`);
  };

  async function typeErrors(files: string[]): Promise<TypeDiagnostic[]> {
    if (options.typecheck === false || checkerBroken) return [];
    checker ??= startTypeChecker({ root, tsconfig: join(root, 'tsconfig.json'), roots: handlers.map((h) => h.file) });
    try {
      return await checker.check(files);
    } catch (error) {
      checkerBroken = true;
      log.warn(
        { err: error },
        'hot reload: type checking is unavailable (is typescript installed?); syntax is still checked',
      );
      return [];
    }
  }

  async function reload(changed: Map<string, number>): Promise<ReloadReport | undefined> {
    const files = [...changed.keys()];
    const firstEventAt = Math.min(...changed.values());
    for (const file of files) graph.invalidate(file);
    const affected = handlers.filter((h) => {
      const closure = graph.closure(h.file);
      return files.some((f) => closure.has(f));
    });
    const shown = files.map((f) => relative(root, f));
    if (affected.length === 0) {
      const r: ReloadReport = {
        at: new Date().toISOString(),
        files: shown,
        reloaded: [],
        status: 'ignored',
        note: `${shown.join(', ')} is not imported by any handler; restart octember dev to apply it`,
      };
      report(r);
      return r;
    }
    // tsx is loaded at the first reload, not at start: `octember dev` runs compiled code until a handler changes.
    // tsx's ESM entry (its CommonJS one cannot register from inside the CLI's bundle)
    const { register } = (await importEsm('tsx/esm/api')) as typeof import('tsx/esm/api');
    const api = register({ namespace: `octember-reload-${++generation}` });
    /** What each swapped function ran before, to put back on type errors. */
    const swapped: { name: string; previous: LambdaFunction | undefined }[] = [];
    try {
      // The same composition as at start (registerFunctions), over the module loaded again in a fresh namespace.
      const built = await Promise.all(
        affected.map(async (h) => {
          const handler = await loadHandler(h.fn, () => api.import(pathToFileURL(h.file).href, import.meta.url));
          return { name: h.name, fn: inProcessFunction(handler, h.fn, options.adapters) as LambdaFunction };
        }),
      );
      for (const { name, fn } of built) swapped.push({ name, previous: options.invoker.replace(name, fn) });
    } catch (error) {
      const r: ReloadReport = {
        at: new Date().toISOString(),
        files: shown,
        reloaded: [],
        status: 'error',
        errors: [describeLoadError(error, root)],
      };
      report(r);
      return r;
    } finally {
      void api.unregister();
    }
    const loadMs = performance.now() - firstEventAt;
    const serving: ReloadReport = {
      at: new Date().toISOString(),
      files: shown,
      reloaded: affected.map((h) => h.name),
      status: 'ok',
      loadMs,
      typecheck: options.typecheck === false || checkerBroken ? 'off' : 'pending',
    };
    report(serving);
    if (serving.typecheck === 'off') return serving;
    const errors = await typeErrors([...new Set([...files, ...affected.map((h) => h.file)])]);
    if (errors.length > 0) {
      for (const { name, previous } of swapped) if (previous) options.invoker.replace(name, previous);
      const r: ReloadReport = {
        at: new Date().toISOString(),
        files: shown,
        reloaded: [],
        status: 'error',
        loadMs,
        rolledBack: swapped.some((s) => s.previous),
        errors: errors.map((e) => ({ ...e, file: relative(root, e.file) })),
      };
      report(r);
      return r;
    }
    serving.typecheck = 'passed';
    options.cockpit?.publish('reload', serving);
    return serving;
  }

  const watcher: FSWatcher = watch(srcDir, { recursive: true }, (_event, name) => {
    if (!name || !/\.ts$/.test(name) || name.endsWith('.d.ts')) return;
    const file = join(srcDir, name.toString());
    if (!pendingFiles.has(file)) pendingFiles.set(file, performance.now());
    clearTimeout(timer);
    timer = setTimeout(() => {
      const batch = pendingFiles;
      pendingFiles = new Map();
      running = running
        .then(() => reload(batch))
        .catch((error) => {
          log.error({ err: error }, 'hot reload failed');
          return undefined;
        });
    }, options.debounceMs ?? 25);
  });

  return {
    reports,
    async settled() {
      while (timer && pendingFiles.size > 0) await new Promise((r) => setTimeout(r, 5));
      return running;
    },
    async close() {
      watcher.close();
      clearTimeout(timer);
      await running;
      await checker?.close();
    },
  };
}

function describeLoadError(
  error: unknown,
  root: string,
): { file?: string; line?: number; column?: number; message: string } {
  const e = error as Error & { errors?: { text: string; location?: { file: string; line: number; column: number } }[] };
  const first = e.errors?.[0];
  if (first?.location) {
    return {
      file: relative(root, first.location.file.startsWith('/') ? first.location.file : join(root, first.location.file)),
      line: first.location.line,
      column: first.location.column + 1,
      message: first.text,
    };
  }
  const at = /(\/[^\s:]+\.ts):(\d+):(\d+)/.exec(e.message ?? '') ?? /(\/[^\s:]+\.ts):(\d+):(\d+)/.exec(e.stack ?? '');
  return at
    ? { file: relative(root, at[1]), line: Number(at[2]), column: Number(at[3]), message: e.message.split('\n')[0] }
    : { message: e.message ?? String(error) };
}
