import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLambdaProcess, type LambdaProcess } from '../../src/runtime/lambda-process.js';
import { linkSdkOnlyModules } from '../../src/targets/bundles.js';

/**
 * A directory outside the project holding nothing but the AWS SDK v3 (and its dependencies) in node_modules:
 * function artifacts copied in beside it load as they would in the Lambda Node.js runtime.
 */
export function sdkOnlySandbox(): { dir: string; add(name: string, assetDir: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'octember-sdk-only-'));
  linkSdkOnlyModules(join(dir, 'node_modules'));
  return {
    dir,
    add(name, assetDir) {
      const target = join(dir, name);
      cpSync(assetDir, target, { recursive: true });
      return target;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The function's process with an environment of its own: PATH and a region, plus what the caller adds. */
export function functionProcess(name: string, dir: string, env: Record<string, string> = {}): LambdaProcess {
  return createLambdaProcess({
    functionName: name,
    dir,
    env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', OCTEMBER_LOG_LEVEL: 'silent', ...env },
    timeoutMs: 20_000,
  });
}
