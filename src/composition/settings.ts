import type { EnvironmentVariable, FunctionDef } from '../topology/types.js';
import type { AwsClientSettings, CompositionContext } from './types.js';

/** A setting the function needs is absent: raised at cold start (or on first use), naming the variable. */
export class MissingSettingError extends Error {
  override name = 'MissingSettingError';
  constructor(
    readonly functionName: string,
    readonly variable: string,
  ) {
    super(`${functionName}: environment variable ${variable} is not set (the topology lists it for this function)`);
  }
}

export type Settings = Partial<Record<EnvironmentVariable, string>>;

/** The variables of `fn` found in `env`; the required ones missing are an error naming the first. */
export function settingsFromEnvironment(fn: FunctionDef, env: NodeJS.ProcessEnv = process.env): Settings {
  for (const name of fn.requiredEnvironment ?? []) {
    if (!env[name]) throw new MissingSettingError(fn.name, name);
  }
  const settings: Settings = {};
  for (const name of fn.environment) if (env[name]) settings[name] = env[name];
  return settings;
}

/** SDK client settings inside a Lambda (or a bundle run locally): the SDK reads endpoint and credentials itself. */
export function awsSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AwsClientSettings {
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    forcePathStyle: Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL),
  };
}

export function createCompositionContext(options: {
  functionName: string;
  settings: Settings;
  aws: AwsClientSettings;
}): CompositionContext {
  const instances = new Map<string, unknown>();
  const closers: (() => unknown)[] = [];
  return {
    functionName: options.functionName,
    aws: options.aws,
    setting: (name) => options.settings[name] || undefined,
    required(name) {
      const value = options.settings[name];
      if (!value) throw new MissingSettingError(options.functionName, name);
      return value;
    },
    shared<T>(key: string, make: () => T, close?: (value: T) => unknown): T {
      if (!instances.has(key)) {
        const value = make();
        instances.set(key, value);
        if (close) closers.unshift(() => close(value));
      }
      return instances.get(key) as T;
    },
    async close() {
      for (const close of closers.splice(0)) {
        try {
          await close();
        } catch {
          // closing is best effort: the process is going away
        }
      }
      instances.clear();
    },
  };
}
