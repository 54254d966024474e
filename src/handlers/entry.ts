import type { Context } from 'aws-lambda';
import {
  awsSettingsFromEnvironment,
  createCompositionContext,
  type Settings,
  settingsFromEnvironment,
} from '../composition/settings.js';
import type { PortBuilder, Ports } from '../composition/types.js';
import { type FunctionName, functionDef } from '../topology/index.js';

export type HandlerFunction<E, R> = (event: E, context?: Context) => R | Promise<R>;

/** A handler module's `handler`: the AWS entry point, which also says what it is made of. */
export interface LambdaHandler<E, R, P extends keyof Ports = keyof Ports> {
  (event: E, context?: Context): Promise<R>;
  readonly functionName: FunctionName;
  /** The ports its entry builds (the topology's `ports` for the function; a test holds them equal). */
  readonly ports: readonly P[];
  /** The handler over ports and settings built elsewhere (the in-process runtime, tests). */
  create(ports: Pick<Ports, P>, settings: Settings): HandlerFunction<E, R>;
}

/**
 * The AWS Lambda entry point of a handler module:
 * `export const handler = lambdaEntry('status-api', { status }, (ports) => createStatusApi(ports))`.
 * On the first invocation (the cold start) it reads the variables the topology lists for the function (a required
 * one missing is an error naming it), builds only the ports given here (connections open on their first use) and
 * the handler; later invocations reuse them. The handler never knows which target it runs on.
 */
export function lambdaEntry<P extends keyof Ports, E, R>(
  functionName: FunctionName,
  builders: { [K in P]: PortBuilder<K> },
  factory: (ports: Pick<Ports, P>, settings: Settings) => HandlerFunction<E, R>,
): LambdaHandler<E, R, P> {
  let built: HandlerFunction<E, R> | undefined;
  const coldStart = (): HandlerFunction<E, R> => {
    const fn = functionDef(functionName);
    const settings = settingsFromEnvironment(fn);
    const context = createCompositionContext({ functionName, settings, aws: awsSettingsFromEnvironment() });
    const ports = {} as Pick<Ports, P>;
    for (const name of Object.keys(builders) as P[]) {
      ports[name] = (builders[name] as PortBuilder<P>)(context) as Pick<Ports, P>[P];
    }
    return factory(ports, settings);
  };
  const handler = async (event: E, context?: Context): Promise<R> => {
    built ??= coldStart();
    return built(event, context);
  };
  return Object.assign(handler, {
    functionName,
    ports: Object.keys(builders) as P[],
    create: factory,
  });
}
