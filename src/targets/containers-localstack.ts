// On LocalStack, Firehose runs its processor Lambda inside LocalStack, which cannot call a function on the host.
// So the kpl-deaggregate transform is deployed there as a real LocalStack Lambda: its deployable bundle (the same
// esbuild build as `npm run bundle` and the CDK assets), zipped, created with CreateFunction.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  type LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { BUNDLE_FILE, bundleFunction, LAMBDA_NODE } from '../infra/bundling.js';
import { functionDef, TOPOLOGY, type Topology } from '../topology/index.js';

/** The functions Firehose invokes as processors (they must run where Firehose runs). */
export function processorFunctions(topology: Topology = TOPOLOGY): string[] {
  return [...new Set(topology.deliveryStreams.flatMap((d) => (d.transform ? [d.transform.function] : [])))];
}

/**
 * The Lambda deployment package of a function that needs no ports (nor settings: LocalStack gets none), as a zip of
 * its bundle directory (`index.mjs`, native node_modules if any).
 */
export async function portlessFunctionZip(name: string, topology: Topology = TOPOLOGY): Promise<Uint8Array> {
  const fn = functionDef(name, topology);
  if (fn.ports.length > 0)
    throw new Error(`${name} uses ports (${fn.ports.join(', ')}); only port-free functions are packaged here`);
  const dir = await mkdtemp(join(tmpdir(), `octember-${name}-zip-`));
  try {
    await bundleFunction(fn, dir);
    const files: Record<string, Uint8Array> = {};
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files[relative(dir, path)] = await readFile(path);
    }
    return zipSync(files, { level: 9 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Creates the processor functions in LocalStack's Lambda when missing (the deployed runtime, the topology's limits). */
export async function ensureLocalStackProcessors(
  lambda: LambdaClient,
  topology: Topology = TOPOLOGY,
): Promise<string[]> {
  const created: string[] = [];
  for (const name of processorFunctions(topology)) {
    try {
      await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      continue;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    }
    const fn = functionDef(name, topology);
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: LAMBDA_NODE.runtime,
        Handler: `${BUNDLE_FILE.replace(/\.mjs$/, '')}.handler`,
        Role: 'arn:aws:iam::000000000000:role/octember-lambda',
        Code: { ZipFile: await portlessFunctionZip(name, topology) },
        Timeout: fn.timeoutSeconds,
        MemorySize: fn.memoryMb,
        Description: fn.description,
      }),
    );
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 120 }, { FunctionName: name });
    created.push(name);
  }
  return created;
}
