import type { Target } from './adapters.js';

/** The target OCTEMBER_TARGET names (default embedded). Apart from index.ts so the CLI reads it without the SDK. */
export function targetFromEnvironment(env: NodeJS.ProcessEnv = process.env): Target {
  const target = (env.OCTEMBER_TARGET || 'embedded').toLowerCase();
  if (target === 'embedded' || target === 'containers' || target === 'aws') return target;
  throw new Error(`OCTEMBER_TARGET=${env.OCTEMBER_TARGET} is not one of embedded, containers, aws`);
}
