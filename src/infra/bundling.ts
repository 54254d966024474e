import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, BuildResult } from 'esbuild';
import type { FunctionDef } from '../topology/types.js';

/** The project root (this file is src/infra/bundling.ts). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** esbuild, loaded when a function is bundled (not by every command that imports this module). */
function esbuild(): typeof import('esbuild') {
  return createRequire(import.meta.url)('esbuild');
}

/** Lambda's Node.js runtime this kit deploys, and esbuild's matching target. */
export const LAMBDA_NODE = { runtime: 'nodejs22.x', esbuildTarget: 'node22' } as const;

/** The bundle's entry file inside the asset: Lambda's handler string is `index.handler`. */
export const BUNDLE_FILE = 'index.mjs';

/** The platform Lambda runs native code on (the x86_64 architecture, glibc). */
export const LAMBDA_NATIVE_PLATFORM = 'linux-x64-gnu';

/**
 * One esbuild configuration for every function, used by the CDK stack and by `npm run bundle` alike: an ESM bundle
 * with the AWS SDK v3 left out (the Lambda runtime provides it), native packages left out (installed beside the
 * bundle for Linux x64), and a `require` for the CommonJS packages inside (`ws`, `gremlin`, ...) that load Node
 * built-ins with it: without it the bundle dies on import with `Dynamic require of "events" is not supported`.
 */
export function bundleOptions(fn: FunctionDef, outDir: string, root: string = PROJECT_ROOT): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [join(root, 'src', 'handlers', `${fn.handler}.ts`)],
    outfile: join(outDir, BUNDLE_FILE),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_NODE.esbuildTarget,
    mainFields: ['module', 'main'],
    external: ['@aws-sdk/*', ...(fn.nativeModules ?? [])],
    banner: {
      js: "import { createRequire as __octemberCreateRequire } from 'node:module'; const require = __octemberCreateRequire(import.meta.url);",
    },
    minify: true,
    keepNames: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
  };
}

/** Bundles one function into `outDir` (index.mjs + node_modules/ for its native packages), synchronously (CDK). */
export function bundleFunctionSync(fn: FunctionDef, outDir: string, root: string = PROJECT_ROOT): BuildResult {
  prepare(outDir);
  const result = esbuild().buildSync(bundleOptions(fn, outDir, root));
  installNativeModules(fn, outDir, root);
  return result;
}

export async function bundleFunction(
  fn: FunctionDef,
  outDir: string,
  root: string = PROJECT_ROOT,
): Promise<BuildResult> {
  prepare(outDir);
  const result = await esbuild().build(bundleOptions(fn, outDir, root));
  installNativeModules(fn, outDir, root);
  return result;
}

function prepare(outDir: string): void {
  rmSync(join(outDir, BUNDLE_FILE), { force: true });
  rmSync(join(outDir, 'node_modules'), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
}

/**
 * Copies each native package with its Linux x64 binary package (`@napi-rs/canvas` + `@napi-rs/canvas-linux-x64-gnu`)
 * from the project's node_modules into `outDir/node_modules/`. The lock file records every platform's binary, so
 * `npm ci` on Linux x64 (CI, this kit's build machines) has it; elsewhere install it first with
 * `npm install --no-save --os=linux --cpu=x64 --libc=glibc <package>-linux-x64-gnu`.
 */
export function installNativeModules(fn: FunctionDef, outDir: string, root: string = PROJECT_ROOT): void {
  const require = createRequire(join(root, 'package.json'));
  for (const name of fn.nativeModules ?? []) {
    const manifestPath = require.resolve(`${name}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    copyPackage(name, dirname(manifestPath), outDir);
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      copyPackage(dependency, dirname(require.resolve(`${dependency}/package.json`)), outDir);
    }
    const binaries = Object.keys(manifest.optionalDependencies ?? {}).filter((p) => p.endsWith(LAMBDA_NATIVE_PLATFORM));
    if (binaries.length === 0) throw new Error(`${name} lists no ${LAMBDA_NATIVE_PLATFORM} binary package`);
    for (const binary of binaries) {
      const dir = join(root, 'node_modules', binary);
      if (!existsSync(join(dir, 'package.json'))) {
        throw new Error(
          `${binary} (the Lambda binary of ${name}) is not installed; run: npm install --no-save --os=linux --cpu=x64 --libc=glibc ${binary}@${manifest.optionalDependencies?.[binary]}`,
        );
      }
      copyPackage(binary, dir, outDir);
    }
  }
}

function copyPackage(name: string, from: string, outDir: string): void {
  cpSync(from, join(outDir, 'node_modules', name), { recursive: true, dereference: true });
}
