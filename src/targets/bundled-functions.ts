import { SERVICE_ENDPOINT_VARIABLES } from '../composition/service-client-config.js';
import type { AwsService } from '../composition/types.js';
import { functionLogLevel } from '../lib/logger.js';
import type { Invoker } from '../runtime/invoker.js';
import { createLambdaProcess, type LambdaProcess } from '../runtime/lambda-process.js';
import type { FunctionDef, Topology } from '../topology/types.js';
import type { Adapters } from './adapters.js';
import { type BundleSet, ensureBundles } from './bundles.js';
import { settingsOf } from './local-settings.js';

/**
 * The environment a function's process gets, and nothing else: what the Lambda runtime sets (region, credentials,
 * name, memory), the AWS endpoint of the local target, and the variables its topology entry lists.
 */
export function functionEnvironment(fn: FunctionDef, adapters: Adapters): Record<string, string> {
  const { region, endpoint, credentials } = adapters.clientConfig;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
    ...Object.fromEntries(
      Object.entries(adapters.serviceEndpoints).map(([service, url]) => [
        SERVICE_ENDPOINT_VARIABLES[service as AwsService],
        url,
      ]),
    ),
    ...(credentials
      ? { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey }
      : {}),
    // The function logs at info, as Lambda keeps it; what reaches this terminal is filtered at this process's level.
    OCTEMBER_LOG_LEVEL: functionLogLevel(),
  };
  for (const [name, value] of Object.entries(settingsOf(fn, adapters.settings))) if (value) env[name] = value;
  return env;
}

/**
 * Registers every function of the topology as its deployable bundle, each in a process of its own beside only the
 * AWS SDK (started on its first invocation, like a cold start). State shared between functions must live in the
 * services: status and cache need Redis here, as in AWS.
 */
export async function registerBundledFunctions(
  invoker: Invoker,
  adapters: Adapters,
  topology: Topology,
  bundles?: BundleSet,
): Promise<{ bundles: BundleSet; processes: Map<string, LambdaProcess>; close(): Promise<void> }> {
  if (!adapters.settings.REDIS_URL) {
    throw new Error(
      'the bundled functions run in separate processes and share image status through Redis: install redis-server (or set REDIS_URL)',
    );
  }
  const set = bundles ?? (await ensureBundles({ topology }));
  const processes = new Map<string, LambdaProcess>();
  for (const fn of topology.functions) {
    const lambda = createLambdaProcess({
      functionName: fn.name,
      dir: set.functionDir(fn.name),
      env: functionEnvironment(fn, adapters),
      timeoutMs: fn.timeoutSeconds * 1000,
      memoryMb: fn.memoryMb,
    });
    processes.set(fn.name, lambda);
    invoker.register(fn.name, lambda.invoke, { timeoutMs: fn.timeoutSeconds * 1000, memoryLimitMb: fn.memoryMb });
  }
  return {
    bundles: set,
    processes,
    close: async () => {
      await Promise.all([...processes.values()].map((p) => p.close()));
    },
  };
}
