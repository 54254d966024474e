import type { Context } from 'aws-lambda';

/**
 * The AWS Lambda entry point of a handler module: `export const handler = lambdaEntry(createX)`.
 * The adapter set is built once per container from the environment (OCTEMBER_TARGET, AWS_* variables),
 * so the handler itself never knows which target it runs on.
 */
export function lambdaEntry<Deps, E, R>(
  factory: (deps: Deps) => (event: E, context?: Context) => R | Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  let built: Promise<(event: E, context?: Context) => R | Promise<R>> | undefined;
  return async (event, context) => {
    built ??= import('../targets/index.js').then(async ({ adaptersFromEnvironment }) =>
      factory((await adaptersFromEnvironment()) as Deps),
    );
    return (await built)(event, context);
  };
}
