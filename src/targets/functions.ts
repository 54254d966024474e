import type { HandlerFunction, LambdaHandler } from '../handlers/entry.js';
import type { Invoker, LambdaFunction } from '../runtime/invoker.js';
import { TOPOLOGY } from '../topology/index.js';
import type { FunctionDef, Topology } from '../topology/types.js';
import type { Adapters } from './adapters.js';
import { settingsOf } from './local-settings.js';

/** The `handler` export of a function's module under src/handlers/ (the module the topology names). */
export async function loadHandler(fn: FunctionDef): Promise<LambdaHandler<unknown, unknown>> {
  const module = (await import(/* @vite-ignore */ `../handlers/${fn.handler}.js`)) as {
    handler?: LambdaHandler<unknown, unknown>;
  };
  const handler = module.handler;
  if (typeof handler !== 'function' || handler.functionName !== fn.name) {
    throw new Error(
      `src/handlers/${fn.handler} does not export the handler of ${fn.name} (lambdaEntry('${fn.name}', ...))`,
    );
  }
  return handler;
}

/**
 * Registers every function of the topology with the in-process runtime: the handler module's own factory over the
 * shared adapter set and the function's settings, with the topology's timeout and memory. Registration is immediate;
 * each module loads on its first invocation (its cold start) or when the returned promise preloads them all.
 */
export function registerFunctions(invoker: Invoker, adapters: Adapters, topology: Topology = TOPOLOGY): Promise<void> {
  const loads: Promise<unknown>[] = [];
  for (const fn of topology.functions) {
    let built: Promise<HandlerFunction<unknown, unknown>> | undefined;
    const load = () => {
      built ??= loadHandler(fn).then((handler) => handler.create(adapters, settingsOf(fn, adapters.settings)));
      return built;
    };
    const lambda: LambdaFunction = async (event, context) => (await load())(event, context);
    invoker.register(fn.name, lambda, { timeoutMs: fn.timeoutSeconds * 1000, memoryLimitMb: fn.memoryMb });
    loads.push(load());
  }
  return Promise.all(loads).then(() => undefined);
}
