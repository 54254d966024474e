import { createHash, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../infra/bundling.js';
import { TOPOLOGY } from '../topology/index.js';
import type { FunctionDef, Topology } from '../topology/types.js';

/**
 * The deployable bundles of every function, laid out as a Lambda sees them: `<dir>/<function>/index.mjs` (and its
 * native node_modules), with `<dir>/node_modules/` holding only the AWS SDK v3 and its dependencies, the one thing
 * the Node.js Lambda runtime puts beside a function. Built once per source version (a hash of src/, the lock file
 * and the bundling code) into a cache directory, so tests and `octember dev --bundled` share one build.
 */
export interface BundleSet {
  dir: string;
  /** The source hash the bundles were built from. */
  key: string;
  functionDir(name: string): string;
  /** esbuild's metafile of a function's bundle (which inputs went in). */
  metafile(name: string): { inputs: Record<string, unknown>; outputs: Record<string, { bytes: number }> };
}

export const DEFAULT_BUNDLE_CACHE = join(tmpdir(), 'octember-bundles');
const COMPLETE = '.complete';

export async function ensureBundles(
  options: { cacheDir?: string; root?: string; topology?: Topology } = {},
): Promise<BundleSet> {
  const root = options.root ?? PROJECT_ROOT;
  const topology = options.topology ?? TOPOLOGY;
  const key = sourceHash(root);
  const dir = join(options.cacheDir ?? DEFAULT_BUNDLE_CACHE, key);
  if (!existsSync(join(dir, COMPLETE))) {
    // Built aside and renamed into place: concurrent builders (parallel test files) never see a half-built set.
    const building = `${dir}.building-${process.pid}-${randomUUID().slice(0, 8)}`;
    try {
      await buildBundleSet(building, root, topology.functions);
      writeFileSync(join(building, COMPLETE), new Date().toISOString());
      try {
        renameSync(building, dir);
      } catch (error) {
        if (!existsSync(join(dir, COMPLETE))) throw error;
      }
    } finally {
      rmSync(building, { recursive: true, force: true });
    }
  }
  return {
    dir,
    key,
    functionDir: (name) => join(dir, name),
    metafile: (name) => JSON.parse(readFileSync(join(dir, '.meta', `${name}.json`), 'utf8')),
  };
}

async function buildBundleSet(dir: string, root: string, functions: readonly FunctionDef[]): Promise<void> {
  const { bundleFunction } = await import('../infra/bundling.js');
  mkdirSync(join(dir, '.meta'), { recursive: true });
  await Promise.all(
    functions.map(async (fn) => {
      const result = await bundleFunction(fn, join(dir, fn.name), root);
      writeFileSync(join(dir, '.meta', `${fn.name}.json`), JSON.stringify(result.metafile));
    }),
  );
  linkSdkOnlyModules(join(dir, 'node_modules'), root);
}

/**
 * `target` becomes a node_modules holding `@aws-sdk/*` and the packages they depend on (transitively), hard-linked
 * (or copied) from the project's node_modules: what the Lambda Node.js runtime provides beside a function.
 */
export function linkSdkOnlyModules(target: string, root: string = PROJECT_ROOT): string[] {
  const modules = join(root, 'node_modules');
  const wanted = readdirSync(join(modules, '@aws-sdk')).map((name) => `@aws-sdk/${name}`);
  const seen = new Set<string>();
  while (wanted.length > 0) {
    const name = wanted.pop() as string;
    if (seen.has(name)) continue;
    const manifest = join(modules, name, 'package.json');
    if (!existsSync(manifest)) continue; // an optional dependency not installed on this platform
    seen.add(name);
    const { dependencies = {}, peerDependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8')) as {
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    wanted.push(...Object.keys(dependencies), ...Object.keys(peerDependencies));
  }
  for (const name of seen) linkTree(join(modules, name), join(target, name));
  return [...seen].sort();
}

function linkTree(from: string, to: string): void {
  const stat = lstatSync(from);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from)) linkTree(join(from, entry), join(to, entry));
    return;
  }
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** Hash of everything a bundle is made of: the sources, the lock file (dependency versions), the bundling options. */
export function sourceHash(root: string = PROJECT_ROOT): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(root, 'src'));
  files.push(join(root, 'package-lock.json'));
  for (const file of files.sort()) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
