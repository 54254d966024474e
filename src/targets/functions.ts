import type { HandlerFunction, LambdaHandler } from '../handlers/entry.js';
import { HANDLER_MODULES } from '../handlers/modules.js';
import type { Invoker, LambdaFunction } from '../runtime/invoker.js';
import { TOPOLOGY } from '../topology/index.js';
import type { FunctionDef, Topology } from '../topology/types.js';
import type { Adapters } from './adapters.js';
import { settingsOf } from './local-settings.js';

/** The `handler` export of a handler module, checked to be the entry of `fn` (`lambdaEntry('<name>', ...)`). */
export function handlerOf(module: unknown, fn: FunctionDef): LambdaHandler<unknown, unknown> {
  const handler = (module as { handler?: LambdaHandler<unknown, unknown> }).handler;
  if (typeof handler !== 'function' || handler.functionName !== fn.name) {
    throw new Error(
      `src/handlers/${fn.handler} does not export the handler of ${fn.name} (lambdaEntry('${fn.name}', ...))`,
    );
  }
  return handler;
}

/** Loads the module the topology names for `fn` (hot reload passes its own importer, a fresh module namespace). */
export async function loadHandler(
  fn: FunctionDef,
  importModule?: (specifier: string) => Promise<unknown>,
): Promise<LambdaHandler<unknown, unknown>> {
  if (importModule) return handlerOf(await importModule(`../handlers/${fn.handler}.js`), fn);
  const load = HANDLER_MODULES[fn.handler];
  if (!load) throw new Error(`src/handlers/${fn.handler}.ts is not listed in src/handlers/modules.ts`);
  return handlerOf(await load(), fn);
}

/** The function in this process: the module's own factory over the shared adapter set and the settings it reads. */
export function inProcessFunction(
  handler: LambdaHandler<unknown, unknown>,
  fn: FunctionDef,
  adapters: Adapters,
): HandlerFunction<unknown, unknown> {
  return handler.create(adapters, settingsOf(fn, adapters.settings));
}

/**
 * Registers every function of the topology with the in-process runtime, with the topology's timeout and memory.
 * Registration is immediate and loads nothing: each module loads on its first invocation (its cold start) or when
 * the returned `warmUp` loads them all (after the stack is up, so loading them does not delay it).
 */
export function registerFunctions(
  invoker: Invoker,
  adapters: Adapters,
  topology: Topology = TOPOLOGY,
): () => Promise<void> {
  const loads: (() => Promise<unknown>)[] = [];
  for (const fn of topology.functions) {
    let built: Promise<HandlerFunction<unknown, unknown>> | undefined;
    const load = () => {
      built ??= loadHandler(fn).then((handler) => inProcessFunction(handler, fn, adapters));
      return built;
    };
    const lambda: LambdaFunction = async (event, context) => (await load())(event, context);
    invoker.register(fn.name, lambda, { timeoutMs: fn.timeoutSeconds * 1000, memoryLimitMb: fn.memoryMb });
    loads.push(load);
  }
  return () => Promise.all(loads.map((load) => load())).then(() => undefined);
}
