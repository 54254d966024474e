#!/usr/bin/env node
// The `octember` command. It runs `src/` compiled to JavaScript in `.octember-build/` (esbuild, one file per source
// file, the same layout one level below the project root), rebuilt only when a file under `src/` changed, so no start
// pays for a TypeScript transform of unchanged code. Without a writable project (an installed package) it runs the
// sources through tsx; `OCTEMBER_USE_DIST=1` runs what `npm run build` put in dist/.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The SDK warns that its releases after January 2027 need Node 22; the kit supports Node 20 until then.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const compiled = join(root, 'dist', 'cli', 'main.js');
// The compiled tree sits one level below the root, like src/, so `new URL('../../', import.meta.url)` finds the root.
const buildDir = join(root, '.octember-build');
/** Part of the key: a change of how the tree is built invalidates it. */
const BUILD_FORMAT = 'esbuild-esm-node20.15-1';

if (process.env.OCTEMBER_USE_DIST === '1' && existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const main = process.env.OCTEMBER_NO_BUILD === '1' ? undefined : await builtMain();
  if (main) {
    await import(pathToFileURL(main).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(join(src, 'cli', 'main.ts')).href);
  }
}

/** `.octember-build/cli/main.js`, built first if `src/` changed since; undefined when it cannot be built here. */
async function builtMain() {
  const files = listFiles(src);
  const key = sourceKey(files);
  const keyFile = join(buildDir, '.source-key');
  const main = join(buildDir, 'cli', 'main.js');
  try {
    if (readFileSync(keyFile, 'utf8') === key && existsSync(main)) return main;
  } catch {
    // not built yet
  }
  try {
    await build(files, key);
    return main;
  } catch (error) {
    process.stderr.write(`octember: running the TypeScript sources (could not build ${buildDir}: ${error.message})\n`);
    return undefined;
  }
}

/** Every file under `dir`, relative to it (posix separators not needed: only used to build paths again). */
function listFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/** Path, size and modification time of every source file: a save, a checkout or a new file changes it. */
function sourceKey(files) {
  const hash = createHash('sha256').update(`${BUILD_FORMAT}\n${process.version}\n`);
  for (const file of files) {
    const stat = statSync(join(src, file));
    hash.update(`${file}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/**
 * Compiles every `.ts` file into a private directory, then moves each file into `.octember-build/` (one atomic rename
 * per file, so a process loading modules meanwhile never reads half a file), links the other files (the dashboard's
 * static files, JSON) back to `src/`, removes what no longer has a source, and writes the key last.
 */
async function build(files, key) {
  const { build: esbuild } = await import('esbuild');
  const staging = `${buildDir}.tmp-${process.pid}-${Date.now()}`;
  try {
    const entryPoints = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(src, f));
    await esbuild({
      entryPoints,
      outdir: staging,
      outbase: src,
      format: 'esm',
      platform: 'node',
      target: 'node20.15',
      bundle: false,
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
    });
    const produced = new Set();
    for (const file of listFiles(staging)) {
      const to = join(buildDir, file);
      mkdirSync(dirname(to), { recursive: true });
      renameSync(join(staging, file), to);
      produced.add(file);
    }
    for (const file of files) {
      if (file.endsWith('.ts')) continue;
      const to = join(buildDir, file);
      produced.add(file);
      if (existsSync(to)) continue;
      mkdirSync(dirname(to), { recursive: true });
      try {
        symlinkSync(relative(dirname(to), join(src, file)), to);
      } catch {
        copyFileSync(join(src, file), to);
      }
    }
    for (const file of listFiles(buildDir)) {
      if (!produced.has(file) && file !== '.source-key') unlinkSync(join(buildDir, file));
    }
    const tmpKey = join(staging, '.source-key');
    writeFileSync(tmpKey, key);
    renameSync(tmpKey, join(buildDir, '.source-key'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
