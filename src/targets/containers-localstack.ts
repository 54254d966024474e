// On LocalStack, Firehose runs its processor Lambda inside LocalStack, which cannot call a function on the host.
// So the kpl-deaggregate transform is deployed there as a real LocalStack Lambda: its handler (it needs no ports,
// no network) bundled with esbuild into one CommonJS file, zipped, created with CreateFunction.
import { fileURLToPath } from 'node:url';
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  type LambdaClient,
  waitUntilFunctionActiveV2,
} from '@aws-sdk/client-lambda';
import { build } from 'esbuild';
import { zipSync } from 'fflate';
import { functionDef, TOPOLOGY, type Topology } from '../topology/index.js';

const HANDLERS = fileURLToPath(new URL('../handlers/', import.meta.url));

/** The functions Firehose invokes as processors (they must run where Firehose runs). */
export function processorFunctions(topology: Topology = TOPOLOGY): string[] {
  return [...new Set(topology.deliveryStreams.flatMap((d) => (d.transform ? [d.transform.function] : [])))];
}

/**
 * A Lambda deployment package (zip with `index.js` exporting `handler`) for a function whose factory needs no
 * ports: `createX()` called once at cold start.
 */
export async function portlessFunctionZip(name: string, topology: Topology = TOPOLOGY): Promise<Uint8Array> {
  const fn = functionDef(name, topology);
  if (fn.ports.length > 0)
    throw new Error(`${name} uses ports (${fn.ports.join(', ')}); only port-free functions are packaged here`);
  const factory = `create${fn.handler.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`;
  const result = await build({
    stdin: {
      contents: `import { ${factory} } from './${fn.handler}.ts';\nexport const handler = ${factory}();\n`,
      resolveDir: HANDLERS,
      sourcefile: `${fn.name}-entry.ts`,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    minify: true,
    legalComments: 'none',
    // The module's own `handler` (lambdaEntry) would load the adapter set of a target; this entry never calls it.
    pure: ['lambdaEntry'],
    plugins: [
      {
        name: 'no-adapter-sets',
        setup(b) {
          b.onResolve({ filter: /\/targets\/index\.js$/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
    logLevel: 'silent',
  });
  return zipSync({ 'index.js': result.outputFiles[0].contents }, { level: 9 });
}

/** Creates the processor functions in LocalStack's Lambda when missing (nodejs20.x, the topology's limits). */
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
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
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
