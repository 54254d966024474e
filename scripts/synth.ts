/**
 * `npm run synth`: `cdk synth` offline — no credentials, no Docker, no network — with the real esbuild bundling of
 * every function into cdk.out (local bundling in the CDK app). cdk-nag's AwsSolutions pack runs on the way; any
 * finding without an acknowledgement fails it. Extra arguments go to `cdk synth` (e.g. `-c cloudSearchSearchEndpoint=...`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../src/infra/bundling.js';

const started = performance.now();
const result = spawnSync(
  join(PROJECT_ROOT, 'node_modules', '.bin', 'cdk'),
  ['synth', '--quiet', '--no-notices', '--no-version-reporting', ...process.argv.slice(2)],
  {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      // Offline: no instance-metadata probing for credentials, no telemetry, no update checks.
      AWS_EC2_METADATA_DISABLED: 'true',
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      CDK_DISABLE_VERSION_CHECK: 'true',
    },
  },
);
if (result.status === 0) console.error(`cdk.out synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
process.exitCode = result.status ?? 1;
