/**
 * The AWS Lambda entry point of a handler module: `export const handler = lambdaEntry(createX)`.
 * The adapter set is built once per container from the environment (OCTEMBER_TARGET, AWS_* variables),
 * so the handler itself never knows which target it runs on.
 */
export function lambdaEntry<Deps, Fn extends (event: never, context?: never) => unknown>(
  factory: (deps: Deps) => Fn,
): (...args: Parameters<Fn>) => Promise<Awaited<ReturnType<Fn>>> {
  let built: Promise<Fn> | undefined;
  return async (...args) => {
    built ??= import('../targets/index.js').then(async ({ adaptersFromEnvironment }) =>
      factory((await adaptersFromEnvironment()) as Deps),
    );
    const fn = await built;
    return (await fn(...args)) as Awaited<ReturnType<Fn>>;
  };
}
