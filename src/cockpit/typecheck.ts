import { Worker } from 'node:worker_threads';

export interface TypeDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The worker: one TypeScript language service over the project's tsconfig, kept warm; each request re-checks the
 * named files only (unchanged files are reused from the previous program).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const ts = createRequire(workerData.root + '/package.json')('typescript');
const versions = new Map();
const config = ts.getParsedCommandLineOfConfigFile(workerData.tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
const roots = new Set(workerData.roots);
const host = {
  getScriptFileNames: () => [...roots],
  getScriptVersion: (f) => String(versions.get(f) ?? 0),
  getScriptSnapshot: (f) => { const t = ts.sys.readFile(f); return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t); },
  getCurrentDirectory: () => workerData.root,
  getCompilationSettings: () => ({ ...config.options, noEmit: true }),
  getDefaultLibFileName: ts.getDefaultLibFilePath,
  fileExists: ts.sys.fileExists, readFile: ts.sys.readFile, readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists, getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());
service.getProgram();
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, files }) => {
  const errors = [];
  try {
    for (const f of files) { versions.set(f, (versions.get(f) ?? 0) + 1); roots.add(f); }
    for (const f of files) {
      for (const d of [...service.getSyntacticDiagnostics(f), ...service.getSemanticDiagnostics(f)]) {
        const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
        errors.push({ file: d.file ? d.file.fileName : f, line: pos.line + 1, column: pos.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, '\\n') });
      }
    }
  } catch (e) { errors.push({ file: files[0], line: 0, column: 0, message: 'type check failed: ' + e.message }); }
  parentPort.postMessage({ id, errors });
});
`;

export interface TypeChecker {
  check(files: string[]): Promise<TypeDiagnostic[]>;
  close(): Promise<void>;
}

/** Starts the checker in a worker thread (its first program takes seconds; the dev server never waits for it). */
export function startTypeChecker(options: { root: string; tsconfig: string; roots: string[] }): TypeChecker {
  const worker = new Worker(WORKER, { eval: true, workerData: options });
  worker.unref();
  let nextId = 0;
  const pending = new Map<number, (errors: TypeDiagnostic[]) => void>();
  let failure: Error | undefined;
  worker.on('message', (message: { id?: number; errors?: TypeDiagnostic[] }) => {
    if (message.id === undefined) return;
    pending.get(message.id)?.(message.errors ?? []);
    pending.delete(message.id);
  });
  worker.on('error', (error) => {
    failure = error;
    for (const resolve of pending.values()) resolve([]);
    pending.clear();
  });
  return {
    check(files) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ id, files });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
