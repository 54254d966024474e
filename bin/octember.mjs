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
import { createRequire, Module } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

// The SDK warns that its releases after January 2027 need Node 22; the kit supports Node 20 until then.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');
const src = join(root, 'src');
const compiled = join(root, 'dist', 'cli', 'main.js');
// The compiled tree sits one level below the root, like src/, so `new URL('../../', import.meta.url)` finds the root.
const buildDir = join(root, '.octember-build');
/**
 * The CLI bundled with its libraries into one file, beside the per-file tree: a start reads one file instead of
 * ~1 500 (the AWS SDK, Smithy, zod, ioredis... one CommonJS file each); a dynamic import stays lazy inside it. One
 * directory per source key: a build never removes the bundle a running process may still read from.
 */
const bundlesDir = join(buildDir, '.bundle');
/**
 * Left to Node's own loader: native binaries (canvas), packages that start workers or read their own files by path
 * (tesseract.js and its model), the build and test tools, and Docker-only code.
 */
const NOT_BUNDLED = [
  '@napi-rs/*',
  'tesseract.js',
  '@tesseract.js-data/*',
  'esbuild',
  'tsx',
  'tsx/*',
  'typescript',
  'vitest',
  'vitest/*',
  'playwright-core',
  'testcontainers',
  'ssh2',
  'cpu-features',
  'dockerode',
  'docker-modem',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
  'cdk-nag',
];

if (process.env.OCTEMBER_USE_DIST === '1' && existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const main = process.env.OCTEMBER_NO_BUILD === '1' ? undefined : await builtMain();
  if (main?.endsWith('.cjs')) {
    globalThis.__octemberImport = (specifier) => import(specifier);
    runWithCodeCache(main);
  } else if (main) {
    await import(pathToFileURL(main).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(pathToFileURL(join(src, 'cli', 'main.ts')).href);
  }
}

/**
 * The bundle's `main.cjs` (or, with OCTEMBER_NO_BUNDLE=1, the per-file tree's `cli/main.js`), built first if `src/`
 * or this file changed since; undefined when it cannot be built here.
 */
async function builtMain() {
  const files = listFiles(src);
  const key = sourceKey(files);
  const keyFile = join(buildDir, '.source-key');
  const bundled = process.env.OCTEMBER_NO_BUNDLE !== '1';
  const main = bundled ? join(bundlesDir, key.slice(0, 16), 'main.cjs') : join(buildDir, 'cli', 'main.js');
  try {
    if (readFileSync(keyFile, 'utf8') === key && existsSync(main)) return bundled ? inUse(main) : main;
  } catch {
    // not built yet
  }
  try {
    await build(files, key);
    return bundled ? inUse(main) : main;
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
  // this file too: a change of how the tree is built invalidates it
  const hash = createHash('sha256').update(`${process.version}\n`).update(readFileSync(self));
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
  const esbuildModule = await import('esbuild');
  const esbuild = esbuildModule.build;
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
    const bundleName = key.slice(0, 16);
    await bundle(esbuildModule, join(staging, '.bundle'));
    mkdirSync(bundlesDir, { recursive: true });
    // a concurrent start may have built the same key already: its bundle stays (that process may be reading it)
    if (!existsSync(join(bundlesDir, bundleName, 'main.cjs'))) {
      rmSync(join(bundlesDir, bundleName), { recursive: true, force: true });
      renameSync(join(staging, '.bundle'), join(bundlesDir, bundleName));
    }
    removeUnusedBundles(bundleName);
    for (const file of listFiles(buildDir)) {
      if (!produced.has(file) && file !== '.source-key' && !file.startsWith('.bundle'))
        unlinkSync(join(buildDir, file));
    }
    const tmpKey = join(staging, '.source-key');
    writeFileSync(tmpKey, key);
    renameSync(tmpKey, join(buildDir, '.source-key'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The CLI and everything it imports as one CommonJS bundle. Each source file's `import.meta.url` is replaced by
 * the URL of its file in the per-file tree, so paths computed from it (the project root, the dashboard's files, the
 * CloudSearch schema, workers) stay what they are there.
 */
async function bundle({ build: esbuild, transform }, outdir) {
  const fromSource = {
    name: 'per-file-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(src)) return undefined;
        const url = pathToFileURL(join(buildDir, relative(src, args.path)).replace(/\.ts$/, '.js')).href;
        // define, not a text replacement: an `import.meta.url` inside a string (a banner for Lambda bundles) stays
        const { code } = await transform(readFileSync(args.path, 'utf8'), {
          loader: 'ts',
          format: 'esm',
          target: 'node20.15',
          sourcefile: args.path,
          define: { 'import.meta.url': JSON.stringify(url) },
        });
        return { contents: code, loader: 'js' };
      });
    },
  };
  await esbuild({
    entryPoints: { main: join(src, 'cli', 'main.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    // a script, not a module: V8 can cache its compiled code (see runWithCodeCache)
    format: 'cjs',
    platform: 'node',
    target: 'node20.15',
    mainFields: ['module', 'main'],
    external: NOT_BUNDLED,
    plugins: [fromSource],
    logOverride: { 'empty-import-meta': 'error' },
    // import() becomes require() (a script compiled from a code cache has no import() of its own; computed
    // specifiers go through src/lib/import-esm.ts to the one this file lends)
    supported: { 'dynamic-import': false },
    // less to parse at every start; identifiers and lines stay, so stack traces and error excerpts stay readable
    minifySyntax: true,
    legalComments: 'none',
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
  });
}

/** Marks the bundle as read by this process (until it exits), so no build removes it meanwhile. */
function inUse(main) {
  const users = join(dirname(main), '.users');
  mkdirSync(users, { recursive: true });
  const mark = join(users, String(process.pid));
  writeFileSync(mark, '');
  process.once('exit', () => rmSync(mark, { force: true }));
  return main;
}

/** Removes the bundles of earlier source keys that no running process reads from. */
function removeUnusedBundles(current) {
  for (const name of readdirSync(bundlesDir)) {
    if (name === current) continue;
    let users = [];
    try {
      users = readdirSync(join(bundlesDir, name, '.users'));
    } catch {
      // no user recorded
    }
    if (!users.some((pid) => isRunning(Number(pid)))) rmSync(join(bundlesDir, name), { recursive: true, force: true });
  }
}

function isRunning(pid) {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/**
 * Runs the CommonJS bundle as Node would, but compiled through V8's code cache (kept beside it, written by the
 * first run after a few seconds or at its exit, so it holds the functions a start compiles): a start then skips most
 * of parsing and compiling 9 MB of JavaScript. The bundle has no `import()` of its own (see `supported` in
 * bundle()): computed specifiers use the one this file lends as `globalThis.__octemberImport`.
 */
function runWithCodeCache(file) {
  // one cache per command: each holds the functions its own start compiled (dev's differ from status's)
  const command = /^[a-z][a-z-]*$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const cacheFile = `${file}.${command}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run of this bundle
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
  });
  if (!cachedData || script.cachedDataRejected) {
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only tree: no cache, the next start compiles again
      }
    };
    setTimeout(write, 3000).unref();
    process.once('exit', write); // a short command (help, status) ends sooner
  }
  const mod = new Module(file, undefined);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  const require = createRequire(file);
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, dirname(file));
}
